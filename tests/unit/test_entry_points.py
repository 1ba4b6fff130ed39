"""Every public entry point takes what the builder makes (issue 13, item 1).

``lint``, ``fix``, ``validate``, ``measure``, ``split``, ``split_with_warnings``, ``convert`` and
``serialize`` accept a Document, a node, a list or tuple of nodes (and of documents), ``str`` and
``bytes``; a built document gives the same result as its serialized text and its bytes. Any other
type is a TypeError naming the function and what it accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ssmlkit
from ssmlkit import builder as b
from ssmlkit.errors import BuildError, ParseError, SplitError
from ssmlkit.model import Break, Comment, Document, Phoneme, Speak, Text
from ssmlkit.sources import ACCEPTED, as_document, as_source

# Built by hand, as a user may: the builder would refuse these values, the linter reports them and
# fixes two (BR001 "500 ms", PR001 "PY"); BR002 ("20s") and a schema issue remain.
SPEAK_1 = Speak(
    attrs=(("rate", "1.1"),),
    children=(
        Text("第一句。Tom & Jerry "),
        Break(attrs=(("time", "500 ms"),)),
        Phoneme(attrs=(("alphabet", "PY"), ("ph", "ni3 hao3")), children=(Text("你好"),)),
        Text("第二句。"),
    ),
)
SPEAK_2 = Speak(children=(Text("第三句，很长的句子。"), Break(attrs=(("time", "20s"),))))
DOC = Document((SPEAK_1, Text("\n"), SPEAK_2))
TEXT = ssmlkit.serialize(DOC)

# One built document given in every accepted form; each must behave exactly like TEXT.
KINDS: dict[str, object] = {
    "document": DOC,
    "list": [SPEAK_1, Text("\n"), SPEAK_2],
    "tuple": (SPEAK_1, Text("\n"), SPEAK_2),
    "list-of-documents": [Document((SPEAK_1, Text("\n"))), SPEAK_2],
    "str": TEXT,
    "bytes": TEXT.encode("utf-8"),
    "bytearray": bytearray(TEXT.encode("utf-8")),
}


def _lint(source: Any) -> object:
    return ssmlkit.lint(source)


def _fix(source: Any) -> object:
    result = ssmlkit.fix(source)
    return result.text, [(d.code, d.start) for d in result.applied], result.remaining


def _validate(source: Any) -> object:
    return ssmlkit.validate(source)


def _measure(source: Any) -> object:
    return ssmlkit.measure(source)


def _split(source: Any) -> object:
    return [ssmlkit.serialize(c) for c in ssmlkit.split(source, max_chars=20)]


def _split_with_warnings(source: Any) -> object:
    chunks, warnings = ssmlkit.split_with_warnings(source, max_chars=20)
    return [ssmlkit.serialize(c) for c in chunks], warnings


def _convert(source: Any) -> object:
    result = ssmlkit.convert(source)
    return result.text, result.changes


def _serialize(source: Any) -> object:
    return ssmlkit.serialize(source)


ENTRY_POINTS: dict[str, Callable[[Any], object]] = {
    "lint": _lint,
    "fix": _fix,
    "validate": _validate,
    "measure": _measure,
    "split": _split,
    "split_with_warnings": _split_with_warnings,
    "convert": _convert,
    "serialize": _serialize,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_kind_gives_the_result_of_the_serialized_text(name: str, kind: str) -> None:
    call = ENTRY_POINTS[name]
    assert call(KINDS[kind]) == call(TEXT)


def test_the_shared_document_is_not_trivial() -> None:
    # Each comparison above would prove little if the results were empty.
    assert {d.code for d in ssmlkit.lint(TEXT)} >= {"BR001", "BR002", "PR001"}
    assert ssmlkit.fix(TEXT).changed
    assert ssmlkit.validate(TEXT)
    assert len(ssmlkit.split(TEXT, max_chars=20)) >= 3
    assert ssmlkit.measure(TEXT) > 20


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_a_single_speak_is_a_document_of_that_speak(name: str) -> None:
    call = ENTRY_POINTS[name]
    assert call(SPEAK_1) == call(Document((SPEAK_1,))) == call(ssmlkit.serialize(SPEAK_1))


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_what_the_builder_makes_is_accepted(name: str) -> None:
    call = ENTRY_POINTS[name]
    one = b.speak("你好，", b.brk(500), "世界。", voice="longxiaochun")
    # speak() around a prosody() gives a Document of segments: it may stand in a list of speaks.
    segments = b.speak("一", b.prosody("二", rate=1.2), "三")
    assert isinstance(segments, Document)
    whole = b.document(one, segments)
    text = ssmlkit.serialize(whole)
    assert call(one) == call(ssmlkit.serialize(one))
    assert call([one, segments]) == call((one, segments)) == call(whole) == call(text)


def test_a_sequence_takes_documents_items_in_order() -> None:
    doc = as_source([SPEAK_1, Document((Comment(" c "), SPEAK_2)), Text("\n")], "lint")
    assert isinstance(doc, Document)
    assert doc.items == (SPEAK_1, Comment(" c "), SPEAK_2, Text("\n"))
    assert doc.source is None


def test_as_source_passes_text_and_bytes_through_unparsed() -> None:
    broken = "<speak>not closed"
    assert as_source(broken, "lint") is broken
    assert as_source(b"<speak>", "lint") == b"<speak>"
    assert as_source(memoryview(b"<speak/>"), "lint") == b"<speak/>"
    with pytest.raises(ParseError):
        as_document(broken, "split")


# --------------------------------------------------------------------------- wrong types

WRONG = [42, None, 1.5, {"speak": "你好"}, {SPEAK_1}, object(), [1], [SPEAK_1, "text"], [[SPEAK_1]]]


@pytest.mark.parametrize("wrong", WRONG, ids=lambda w: type(w).__name__ + repr(w)[:12])
@pytest.mark.parametrize(
    "name",
    ["lint", "fix", "validate", "measure", "split", "split_with_warnings", "convert", "serialize"],
)
def test_a_wrong_type_is_a_type_error_naming_the_function_and_what_is_accepted(
    name: str, wrong: object
) -> None:
    function = getattr(ssmlkit, name)
    with pytest.raises(TypeError) as caught:
        function(wrong)
    message = str(caught.value)
    assert message.startswith(f"{name}() takes ")
    assert ACCEPTED in message


def test_the_type_error_says_which_item_is_wrong() -> None:
    with pytest.raises(TypeError, match=r"item 1 of the list is a str, not an element"):
        ssmlkit.lint([SPEAK_1, "text"])
    with pytest.raises(TypeError, match=r"got int$"):
        ssmlkit.split(42)


def test_split_names_the_type_before_the_size_options() -> None:
    with pytest.raises(TypeError, match=r"^split_with_warnings\(\) takes"):
        ssmlkit.split_with_warnings(42, max_chars=0)


# --------------------------------------------------------------------------- lint never raises


@pytest.mark.parametrize(
    "bad",
    [
        "<speak>not closed",
        "",
        "plain text",
        b"\xff\xfe\x00<",
        b"<speak>\xff</speak>",
        bytearray(b"<speak>\xe4</speak>"),
        Document((Speak(children=(Text("nul \x00"),)),)),  # XML cannot carry U+0000
        Speak(children=(Comment("a -- b"),)),
        [Speak(children=(Speak(children=(Text("nested"),)),))],
        [],
        (),
    ],
    ids=repr,
)
def test_lint_reports_bad_ssml_and_never_raises(bad: object) -> None:
    diagnostics = ssmlkit.lint(bad)
    assert isinstance(diagnostics, list)
    assert diagnostics, "bad SSML gives at least one finding"


def test_lint_of_an_unwritable_model_is_a_finding() -> None:
    codes = [d.message for d in ssmlkit.lint(Speak(children=(Text("nul \x00"),)))]
    assert any("U+0000" in m for m in codes)


# --------------------------------------------------------------------------- fix


def test_fix_of_a_model_returns_the_fixed_serialized_text() -> None:
    result = ssmlkit.fix(SPEAK_1)
    assert result.text == ssmlkit.fix(ssmlkit.serialize(SPEAK_1)).text
    assert '<break time="500ms"/>' in result.text
    assert 'alphabet="py"' in result.text
    assert sorted(d.code for d in result.applied) == ["BR001", "PR001"]
    assert ssmlkit.parse(result.text).items[0].children[1] == Break(attrs=(("time", "500ms"),))


def test_fix_of_a_parsed_document_edits_its_own_text() -> None:
    # Single quotes and the space before "/>" are kept: the text the document was parsed from is
    # fixed, not its serialized form.
    text = "<speak rate='1.1'>你好<break time='1S' /></speak>"
    result = ssmlkit.fix(ssmlkit.parse(text))
    assert (
        result.text == ssmlkit.fix(text).text == "<speak rate='1.1'>你好<break time='1s' /></speak>"
    )


def test_fix_of_str_is_unchanged() -> None:
    result = ssmlkit.fix("\ufeff<speak>Tom & Jerry</speak>")
    assert result.text == "\ufeff<speak>Tom &amp; Jerry</speak>"
    assert [d.code for d in result.applied] == ["XM002"]


def test_fix_of_bytes_decodes_them_as_parse_does_and_keeps_the_byte_order_mark() -> None:
    text = '<?xml version="1.0" encoding="GBK"?><speak>你好 & 再见</speak>'
    result = ssmlkit.fix(text.encode("gbk"))
    assert result.text == text.replace("&", "&amp;")
    utf8 = ssmlkit.fix(b"\xef\xbb\xbf<speak>a & b</speak>")
    assert utf8.text == "\ufeff<speak>a &amp; b</speak>"


def test_fix_of_utf16_bytes_keeps_the_byte_order_mark_and_the_encoding_finding() -> None:
    result = ssmlkit.fix(TEXT.encode("utf-16"))
    assert result.text == "\ufeff" + ssmlkit.fix(TEXT).text
    assert "XM006" in {d.code for d in ssmlkit.lint(TEXT.encode("utf-16"))}


def test_fix_of_undecodable_bytes_changes_nothing_and_reports_why() -> None:
    data = b"<speak>Tom & \xff</speak>"
    result = ssmlkit.fix(data)
    assert result.text == data.decode("utf-8", errors="replace")
    assert not result.changed
    assert result.remaining == ssmlkit.lint(data)
    assert result.remaining


def test_fix_of_a_model_xml_cannot_carry_raises_as_serialize_does() -> None:
    bad = Speak(children=(Text("nul \x00"),))
    with pytest.raises(BuildError):
        ssmlkit.serialize(bad)
    with pytest.raises(BuildError):
        ssmlkit.fix(bad)


# --------------------------------------------------------------------------- the others


def test_measure_counts_a_sequence_and_skips_comments() -> None:
    assert ssmlkit.measure([b.speak("你好"), b.speak("ab")]) == 6
    assert ssmlkit.measure(Comment("你好")) == 0
    assert ssmlkit.measure([Comment("你好")]) == 0
    assert ssmlkit.measure(b"<speak>\xe4\xbd\xa0</speak>") == 2
    assert ssmlkit.measure(bytearray(b"<speak>ab</speak>")) == 2
    assert ssmlkit.measure("&amp;") == 5  # a str without '<' is plain text, counted as written


def test_serialize_of_a_sequence_writes_one_document() -> None:
    assert ssmlkit.serialize([b.speak("一"), Text("\n"), b.speak("二")]) == (
        "<speak>一</speak>\n<speak>二</speak>"
    )
    # A sequence is a document: a leading U+FEFF is escaped there, but a lone node is written as is.
    assert ssmlkit.serialize([Text("\ufeffx")]) == "&#xFEFF;x"
    assert ssmlkit.serialize(Text("\ufeffx")) == "\ufeffx"


def test_serialize_of_text_normalizes_it() -> None:
    assert ssmlkit.serialize("<speak rate='1.1'>a<break time='1s'></break></speak>") == (
        '<speak rate="1.1">a<break time="1s"/></speak>'
    )
    assert ssmlkit.serialize(b"<speak>&#x4F60;</speak>") == "<speak>你</speak>"
    with pytest.raises(ParseError):
        ssmlkit.serialize("<speak>not closed")


def test_convert_of_a_built_document_reports_positions_in_its_serialized_text() -> None:
    from ssmlkit.model import UnknownElement

    built = Speak(
        children=(Text("你好"), UnknownElement(qname="emphasis", children=(Text("世界"),)))
    )
    result = ssmlkit.convert(built)
    assert result.text == "<speak>你好世界</speak>"
    [change] = result.changes
    assert (change.line, change.column) == (1, 10)
    assert result.changes == ssmlkit.convert(ssmlkit.serialize(built)).changes


def test_convert_of_a_cosyvoice_model_changes_nothing() -> None:
    one = b.speak("你好", b.brk(500))
    result = ssmlkit.convert([one])
    assert not result.changed
    assert result.document == Document((one,))
    assert result.text == ssmlkit.serialize(one)


def test_validate_of_a_built_speak_points_into_its_serialized_text() -> None:
    [issue] = ssmlkit.validate(SPEAK_2)
    assert (issue.line, issue.column, issue.attribute) == (1, 25, "time")
    assert ssmlkit.serialize(SPEAK_2)[24:].startswith('time="20s"')


def test_a_split_error_about_a_built_document_points_into_its_serialized_text() -> None:
    built = Speak(children=(Text("ab 1234567890"),))  # a number is never cut
    with pytest.raises(SplitError) as from_model:
        ssmlkit.split([built], max_chars=3)
    with pytest.raises(SplitError) as from_text:
        ssmlkit.split(ssmlkit.serialize(built), max_chars=3)
    assert str(from_model.value) == str(from_text.value)
    assert from_model.value.span is not None
    assert (from_model.value.span.line, from_model.value.span.column) == (1, 11)
