"""Parser: structure, exact spans, hardening, encodings, and error positions placed by hand."""

from __future__ import annotations

import codecs

import pytest

import ssmlkit
from ssmlkit import (
    Break,
    Comment,
    InputTooLargeError,
    ParseError,
    Phoneme,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
    UnknownElement,
    parse,
)


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of needle, computed independently."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return line, column


def test_six_elements_become_their_classes() -> None:
    doc = parse(
        '<speak voice="longanyang" rate="1.1">去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行'
        '</phoneme><break time="500ms"/><sub alias="网络协议">W3C</sub>'
        '<say-as interpret-as="digits">123</say-as><soundEvent src="http://a.b/c.wav"/></speak>'
    )
    (speak,) = doc.items
    assert isinstance(speak, Speak)
    assert speak.voice == "longanyang"
    assert speak.rate == "1.1"
    kinds = [type(c) for c in speak.children]
    assert kinds == [Text, Phoneme, Break, Sub, SayAs, SoundEvent]
    phoneme = speak.children[1]
    assert isinstance(phoneme, Phoneme)
    assert (phoneme.alphabet, phoneme.ph, phoneme.text) == ("py", "dian3 dang4 hang2", "典当行")


def test_sibling_speaks_and_outside_text_are_kept() -> None:
    doc = parse('<speak voice="a">one</speak>\n<speak voice="b">two</speak> tail')
    assert [s.voice for s in doc.speaks] == ["a", "b"]
    assert isinstance(doc.items[1], Text)
    assert doc.items[1].value == "\n"
    assert doc.items[-1] == Text(" tail")


def test_unknown_elements_keep_tag_attributes_and_children() -> None:
    doc = parse(
        '<speak><prosody rate="slow">a<emphasis>b</emphasis></prosody><amazon:effect name="whispered">c</amazon:effect></speak>'
    )
    prosody, effect = doc.speaks[0].children
    assert isinstance(prosody, UnknownElement)
    assert prosody.name == "prosody"
    assert prosody.get("rate") == "slow"
    assert isinstance(prosody.children[1], UnknownElement)
    assert isinstance(effect, UnknownElement)
    assert effect.name == "amazon:effect"


def test_spans_are_exact() -> None:
    src = '<speak>\n  第一行\n  <break time="1s"/>尾 <sub alias="x">W3C</sub></speak>'
    doc = parse(src)
    speak = doc.speaks[0]
    brk = speak.children[1]
    assert brk.span is not None
    assert (brk.span.line, brk.span.column) == at(src, "<break")
    assert src[brk.span.start : brk.span.end] == '<break time="1s"/>'
    sub = speak.children[3]
    assert sub.span is not None
    assert src[sub.span.start : sub.span.end] == '<sub alias="x">W3C</sub>'
    assert (sub.span.end_line, sub.span.end_column) == (
        3,
        len('  <break time="1s"/>尾 <sub alias="x">W3C</sub>') + 1,
    )
    value = sub.attr_span("alias", value=True)
    assert value is not None
    assert src[value.start : value.end] == "x"
    text = speak.children[0]
    assert text.span is not None
    assert (text.span.line, text.span.column) == (1, 8)


def test_entities_and_char_refs_are_decoded() -> None:
    doc = parse("<speak>a &amp; b &lt;&gt; &quot;&apos; &#20013;&#x6587;</speak>")
    assert doc.speaks[0].text == "a & b <> \"' 中文"


def test_cdata_and_comments() -> None:
    doc = parse("<speak><!-- ssmlkit: disable=XM004 --><![CDATA[1 < 2]]></speak>")
    comment, text = doc.speaks[0].children
    assert comment == Comment(" ssmlkit: disable=XM004 ")
    assert text == Text("1 < 2")


@pytest.mark.parametrize(
    ("src", "needle", "words"),
    [
        ("<speak>\n  Tom & Jerry</speak>", "&", "unescaped '&'"),
        ("<speak>a\n\n  1 < 2</speak>", "< 2", "unescaped '<'"),
        ('<speak><break time="1s"></speak>', "</speak>", "</speak>"),
        ("<speak>a</speak></speak>", "</speak>", "closes nothing"),
        ('<speak><sub alias="a" alias="b">x</sub></speak>', "alias", "twice"),
        ("<speak>&nbsp;</speak>", "&nbsp;", "undefined entity"),
        ("<speak>\n<p>x</speak>", "</speak>", "was expected"),
        ("<speak>\n  <!-- a -- b --></speak>", "--", "'--'"),
        ("<speak><break time=500ms/></speak>", "time", "quoted"),
    ],
)
def test_parse_error_positions(src: str, needle: str, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(src)
    err = info.value
    nth = 1 if needle in ("</speak>", "alias") and src.count(needle) > 1 else 0
    line, column = at(src, needle, nth)
    if needle == "--":  # the first '--' inside the comment, not the one in '<!--'
        line, column = at(src, " -- ")
        column += 1
    assert (err.line, err.column) == (line, column), str(err)
    assert words in str(err)


def test_bare_ampersand_message_names_fix() -> None:
    with pytest.raises(ParseError, match=r"3:5: unescaped '&'.*&amp;"):
        parse("<speak>\nline\nTom & Jerry</speak>")


def test_unclosed_element_reported_at_its_start() -> None:
    src = "<speak>\n  <sub alias='x'>W3C"
    with pytest.raises(ParseError) as info:
        parse(src)
    assert (info.value.line, info.value.column) == at(src, "<sub")


def test_doctype_refused_never_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    src = f'<?xml version="1.0"?>\n<!DOCTYPE speak [<!ENTITY x SYSTEM "file://{secret}">]>\n<speak>&x;</speak>'
    with pytest.raises(ParseError) as info:
        parse(src)
    assert (info.value.line, info.value.column) == (2, 1)
    assert "TOP-SECRET" not in str(info.value)


def test_entity_bomb_refused_fast() -> None:
    bomb = (
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + "]><speak>&j;</speak>"
    )
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse(bomb)


def test_size_cap_checked_before_parsing() -> None:
    with pytest.raises(InputTooLargeError) as info:
        parse(b"<speak>" + b"a" * 200 + b"</speak>", max_bytes=100)
    assert info.value.limit == 100
    with pytest.raises(InputTooLargeError):
        parse("<speak>" + "中" * 30 + "</speak>", max_bytes=60)


def test_parse_file(tmp_path) -> None:
    path = tmp_path / "a.ssml"
    path.write_bytes("<speak>你好</speak>".encode())
    assert ssmlkit.parse_file(path).speaks[0].text == "你好"
    with pytest.raises(ssmlkit.InputError):
        ssmlkit.parse_file(tmp_path / "missing.ssml")
    big = tmp_path / "big.ssml"
    big.write_bytes(b"<speak>" + b"a" * 1000 + b"</speak>")
    with pytest.raises(InputTooLargeError):
        ssmlkit.parse_file(big, max_bytes=500)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<speak>中文</speak>".encode(), "中文"),
        (codecs.BOM_UTF8 + "<speak>中文</speak>".encode(), "中文"),
        (codecs.BOM_UTF16_LE + "<speak>中文</speak>".encode("utf-16-le"), "中文"),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><speak>café</speak>'.encode("latin-1"),
            "café",
        ),
        ('<?xml version="1.0" encoding="GB18030"?><speak>中文</speak>'.encode("gb18030"), "中文"),
    ],
)
def test_encodings(data: bytes, expected: str) -> None:
    assert parse(data).speaks[0].text == expected


def test_str_with_encoding_declaration_parses() -> None:
    assert parse('<?xml version="1.0" encoding="UTF-8"?>\n<speak>x</speak>').speaks[0].text == "x"


def test_invalid_utf8_points_at_the_byte() -> None:
    with pytest.raises(ParseError) as info:
        parse(b"<speak>\nab\xffc</speak>")
    assert (info.value.line, info.value.column) == (2, 3)


def test_unknown_declared_encoding() -> None:
    with pytest.raises(ParseError, match="unknown encoding"):
        parse(b'<?xml version="1.0" encoding="no-such-enc"?><speak/>')


def test_crlf_normalised_in_text_and_positions_count_crlf_as_one_line() -> None:
    doc = parse("<speak>a\r\nb\rc<break/>\r\n</speak>")
    speak = doc.speaks[0]
    assert speak.children[0] == Text("a\nb\nc")
    brk = speak.children[1]
    assert brk.span is not None
    assert (brk.span.line, brk.span.column) == (3, 2)


def test_forbidden_characters() -> None:
    with pytest.raises(ParseError, match="U\\+0001"):
        parse("<speak>a\x01</speak>")
    with pytest.raises(ParseError):
        parse("<speak>&#1;</speak>")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    src = "<speak>" + "<a>" * 5000 + "</a>" * 5000 + "</speak>"
    with pytest.raises(ParseError):
        parse(src)


def test_empty_and_whitespace_input_parse_to_no_speak() -> None:
    assert parse("").items == ()
    assert parse("  \n").speaks == ()
