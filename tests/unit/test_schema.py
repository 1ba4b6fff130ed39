"""Tests for ssmlkit.schema: the bundled XML Schema and validate() with source positions."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from ssmlkit import schema as schema_mod
from ssmlkit.errors import SchemaError
from ssmlkit.model import Break, Document, Speak, Sub, Text
from ssmlkit.schema import SchemaIssue, load_schema, schema_path, validate
from ssmlkit.serialize import serialize

CHECKOUT_XSD = Path(__file__).resolve().parents[2] / "schemas" / "cosyvoice.xsd"


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle`` in ``text``, counted by hand."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return line, column


def only(issues: list[SchemaIssue]) -> SchemaIssue:
    assert len(issues) == 1, issues
    return issues[0]


# --------------------------------------------------------------------------- valid documents

VALID = [
    "<speak>你好，欢迎使用语音合成。</speak>",
    '<speak voice="longcheng_v2">我是男声。</speak>',
    '<speak rate="1.5" pitch="0.8" volume="80">快一点，低一点，大声一点。</speak>',
    '<speak rate="0.5" pitch="2" volume="0">边界值</speak>',
    '<speak rate="2.0" pitch="1.25" volume="100">边界值</speak>',
    '<speak effect="robot">机器人</speak>',
    '<speak effect="eq" effectValue="1 -20 1 1 1 1 20 1">均衡器</speak>',
    '<speak effect="lpfilter" effectValue="1200">低通</speak>',
    '<speak bgm="http://bucket.oss-cn-beijing.aliyuncs.com/bgm.wav?a=1&amp;b=2" '
    'backgroundMusicVolume="30">有背景音乐</speak>',
    "<speak>请稍等<break/>好了</speak>",
    '<speak>一<break time="1s"/>二<break time="10s"/>三<break time="50ms"/>四'
    '<break time="10000ms"/>五<break time="999ms"/></speak>',
    '<speak><sub alias="网络协议标准">W3C</sub></speak>',
    '<speak>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme>把这个玩意'
    '<phoneme alphabet="py" ph="dang4 diao4">当掉</phoneme></speak>',
    '<speak>How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?</speak>',
    '<speak>一匹马受了惊吓<soundEvent src="http://nls.alicdn.com/sound-event/horse-neigh.wav"/>'
    "人们四散躲避</speak>",
    '<speak>她的曾用名是<say-as interpret-as="name">曾小凡</say-as></speak>',
    '<speak voice="longcheng_v2">男声</speak><speak voice="longxiaochun_v2">女声</speak>',
    "<speak>一</speak>\n\n<speak>二</speak>\n",
    '<?xml version="1.0" encoding="UTF-8"?>\n<speak>带声明</speak>',
    "<!-- 注释 --><speak>正文<!-- 里面的注释 --><sub alias='a'>b<!-- c --></sub></speak>",
    "<speak>转义 &amp; &lt; &gt; &quot; &apos;</speak>",
    "<speak></speak>",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_documents_have_no_issues(text: str) -> None:
    assert validate(text) == []


@pytest.mark.parametrize(
    "value",
    [
        "cardinal",
        "digits",
        "telephone",
        "name",
        "address",
        "id",
        "characters",
        "punctuation",
        "date",
        "time",
        "currency",
        "measure",
    ],
)
def test_every_documented_interpret_as_value_is_valid(value: str) -> None:
    assert validate(f'<speak><say-as interpret-as="{value}">123</say-as></speak>') == []


@pytest.mark.parametrize(
    "effect", ["robot", "lolita", "lowpass", "echo", "eq", "lpfilter", "hpfilter"]
)
def test_every_documented_effect_is_valid(effect: str) -> None:
    assert validate(f'<speak effect="{effect}">x</speak>') == []


def test_bytes_input_is_accepted() -> None:
    assert validate('<speak rate="1.1">你好</speak>'.encode()) == []
    issue = only(validate('<speak rate="9">你好</speak>'.encode()))
    assert issue.attribute == "rate"


# --------------------------------------------------------------------------- attribute values

BAD_ATTRIBUTES = [
    # (text, element, attribute, needle marking the attribute, words in the message)
    ('<speak rate="200">legacy</speak>', "speak", "rate", 'rate="200"', ["0.5", "2"]),
    ('<speak rate="-500">legacy</speak>', "speak", "rate", "rate=", ["0.5"]),
    ('<speak rate="fast">x</speak>', "speak", "rate", "rate=", ["decimal"]),
    ('<speak rate="+1.5">x</speak>', "speak", "rate", "rate=", ["decimal"]),
    ('<speak pitch="0.49">x</speak>', "speak", "pitch", "pitch=", ["0.5", "2"]),
    ('<speak pitch="2.01">x</speak>', "speak", "pitch", "pitch=", ["0.5", "2"]),
    ('<speak volume="101">x</speak>', "speak", "volume", "volume=", ["0", "100"]),
    ('<speak volume="1.5">x</speak>', "speak", "volume", "volume=", ["whole number"]),
    ('<speak volume="-1">x</speak>', "speak", "volume", "volume=", ["0", "100"]),
    (
        '<speak backgroundMusicVolume="150">x</speak>',
        "speak",
        "backgroundMusicVolume",
        "backgroundMusicVolume=",
        ["0", "100"],
    ),
    ('<speak effect="reverb">x</speak>', "speak", "effect", "effect=", ["robot", "hpfilter"]),
    ('<speak voice="">x</speak>', "speak", "voice", "voice=", ["voice"]),
    ('<speak><break time="20s"/></speak>', "break", "time", "time=", ["1–10", "50–10000"]),
    ('<speak><break time="11s"/></speak>', "break", "time", "time=", ["1–10"]),
    ('<speak><break time="0s"/></speak>', "break", "time", "time=", ["1–10"]),
    ('<speak><break time="1.5s"/></speak>', "break", "time", "time=", ["whole"]),
    ('<speak><break time="49ms"/></speak>', "break", "time", "time=", ["50–10000"]),
    ('<speak><break time="10001ms"/></speak>', "break", "time", "time=", ["50–10000"]),
    ('<speak><break time="500"/></speak>', "break", "time", "time=", ["ms"]),
    ('<speak><break time="500 ms"/></speak>', "break", "time", "time=", ["ms"]),
    ('<speak><break time="05s"/></speak>', "break", "time", "time=", ["1–10"]),
    (
        '<speak><phoneme alphabet="ipa" ph="x">a</phoneme></speak>',
        "phoneme",
        "alphabet",
        "alphabet=",
        ["py", "cmu"],
    ),
    (
        '<speak><say-as interpret-as="ordinal">1</say-as></speak>',
        "say-as",
        "interpret-as",
        "interpret-as=",
        ["cardinal", "measure"],
    ),
]


@pytest.mark.parametrize(("text", "element", "attribute", "needle", "words"), BAD_ATTRIBUTES)
def test_bad_attribute_values_point_at_the_attribute(
    text: str, element: str, attribute: str, needle: str, words: list[str]
) -> None:
    issue = only(validate(text))
    assert (issue.element, issue.attribute) == (element, attribute)
    assert (issue.line, issue.column) == position(text, needle)
    value = re.search(rf'{re.escape(attribute)}="([^"]*)"', text)
    assert value is not None
    # The message names the element, the attribute and the value as written, and what is expected.
    assert issue.message.startswith(f'<{element} {attribute}="{value.group(1)}">: ')
    for word in words:
        assert word in issue.message
    assert "facet" not in issue.message  # libxml2's wording is kept only in .detail
    assert issue.detail


def test_break_message_reads_well() -> None:
    issue = only(validate('<speak><break time="20s"/></speak>'))
    assert issue.message == (
        '<break time="20s">: not whole seconds 1–10 (like "2s") '
        'or whole milliseconds 50–10000 (like "500ms")'
    )


@pytest.mark.parametrize(
    ("text", "element", "attribute"),
    [
        ('<speak foo="1">x</speak>', "speak", "foo"),
        ('<speak sampleRate="16000">x</speak>', "speak", "sampleRate"),
        ('<speak><break strength="strong"/></speak>', "break", "strength"),
        ('<speak><sub alias="a" lang="en">b</sub></speak>', "sub", "lang"),
        ('<speak><say-as interpret-as="date" format="ymd">1</say-as></speak>', "say-as", "format"),
        ('<speak><soundEvent src="http://a/b.wav" volume="3"/></speak>', "soundEvent", "volume"),
    ],
)
def test_attributes_outside_the_dialect_are_reported(
    text: str, element: str, attribute: str
) -> None:
    issue = only(validate(text))
    assert (issue.element, issue.attribute) == (element, attribute)
    assert (issue.line, issue.column) == position(text, f"{attribute}=")
    assert f'"{attribute}" is not allowed' in issue.message


@pytest.mark.parametrize(
    ("text", "attribute"),
    [
        ('<speak version="1.0"\n   xml:lang="zh-CN">x</speak>', "xml:lang"),
        ('<speak xmlns:a="urn:a"><break a:x="1"/></speak>', "a:x"),
    ],
)
def test_prefixed_attributes_are_named_as_written(text: str, attribute: str) -> None:
    issues = [i for i in validate(text) if i.attribute == attribute]
    issue = only(issues)
    assert (issue.line, issue.column) == position(text, f"{attribute}=")
    assert f'"{attribute}" is not allowed' in issue.message


@pytest.mark.parametrize(
    ("text", "element", "attribute"),
    [
        ("<speak><sub>W3C</sub></speak>", "sub", "alias"),
        ('<speak><phoneme ph="a1">啊</phoneme></speak>', "phoneme", "alphabet"),
        ('<speak><phoneme alphabet="py">啊</phoneme></speak>', "phoneme", "ph"),
        ("<speak><say-as>123</say-as></speak>", "say-as", "interpret-as"),
        ("<speak><soundEvent/></speak>", "soundEvent", "src"),
    ],
)
def test_missing_required_attribute_points_at_the_start_tag(
    text: str, element: str, attribute: str
) -> None:
    issue = only(validate(text))
    assert (issue.element, issue.attribute) == (element, attribute)
    assert (issue.line, issue.column) == position(text, f"<{element}")
    assert f'required attribute "{attribute}" is missing' in issue.message


# --------------------------------------------------------------------------- structure


def test_unknown_element_is_reported_where_it_starts() -> None:
    text = "<speak>\n  你好\n  <prosody rate='fast'>世界</prosody>\n</speak>"
    issue = only(validate(text))
    assert issue.element == "prosody"
    assert (issue.line, issue.column) == (3, 3) == position(text, "<prosody")
    assert "not a CosyVoice element" in issue.message
    assert issue.path == "/speak[1]/prosody[1]"


def test_errors_after_an_unknown_element_are_still_found() -> None:
    # libxml2 stops checking <speak> at its first unexpected child; validate() goes on.
    text = '<speak><p>a</p><break time="20s"/><p>b</p><w>c</w><sub>d</sub></speak>'
    issues = validate(text)
    found = [(i.element, i.attribute, i.line, i.column) for i in issues]
    assert found == [
        ("p", None, *position(text, "<p>")),
        ("break", "time", *position(text, "time=")),
        ("p", None, *position(text, "<p>", 1)),
        ("w", None, *position(text, "<w>")),
        ("sub", "alias", *position(text, "<sub>")),
    ]


def test_child_element_in_sub_points_at_the_child() -> None:
    text = '<speak><sub alias="x">a<break/>b</sub></speak>'
    issue = only(validate(text))
    assert issue.element == "sub"
    assert (issue.line, issue.column) == position(text, "<break")
    assert "text only" in issue.message
    assert "<break>" in issue.message


@pytest.mark.parametrize(
    "text",
    [
        '<speak><say-as interpret-as="digits">1<sub alias="a">2</sub></say-as></speak>',
        '<speak><phoneme alphabet="py" ph="a1">\n<sub alias="a">2</sub></phoneme></speak>',
    ],
)
def test_child_element_in_text_only_elements(text: str) -> None:
    issue = only(validate(text))
    assert (issue.line, issue.column) == position(text, "<sub")
    assert "text only" in issue.message


def test_text_inside_break_points_at_the_text() -> None:
    text = "<speak><break>\n   oops</break></speak>"
    issue = only(validate(text))
    assert issue.element == "break"
    assert (issue.line, issue.column) == (2, 4) == position(text, "oops")
    assert "must be empty" in issue.message


def test_element_inside_sound_event() -> None:
    text = '<speak><soundEvent src="http://a/b.wav"><break/></soundEvent></speak>'
    issue = only(validate(text))
    assert issue.element == "soundEvent"
    assert (issue.line, issue.column) == position(text, "<break")


def test_nested_speak_is_reported() -> None:
    text = "<speak>外<speak>内</speak></speak>"
    issue = only(validate(text))
    assert issue.element == "speak"
    assert (issue.line, issue.column) == position(text, "<speak", 1)
    assert "nested" in issue.message


def test_namespaced_speak_is_reported_and_its_content_still_checked() -> None:
    text = '<speak xmlns="http://www.w3.org/2001/10/synthesis">\n<break time="20s"/></speak>'
    issues = validate(text)
    assert [(i.element, i.line, i.column) for i in issues] == [
        ("speak", 1, 1),
        ("break", *position(text, "time=")),
    ]
    assert "namespace" in issues[0].message


# --------------------------------------------------------------------------- outside <speak>


def test_text_outside_speak_points_at_the_first_visible_character() -> None:
    text = "<speak>一</speak>\n\n   stray words\n<speak>二</speak>"
    issue = only(validate(text))
    assert issue.element is None
    assert (issue.line, issue.column) == (3, 4) == position(text, "stray")
    assert "outside <speak>" in issue.message


def test_text_before_the_first_speak() -> None:
    text = "前言<speak>正文</speak>"
    issue = only(validate(text))
    assert (issue.line, issue.column) == (1, 1)


def test_element_outside_speak() -> None:
    text = '<speak>一</speak>\n<break time="1s"/>'
    issue = only(validate(text))
    assert issue.element == "break"
    assert (issue.line, issue.column) == (2, 1)
    assert "outside <speak>" in issue.message


def test_whitespace_and_comments_between_speaks_are_fine() -> None:
    assert validate("\n <speak>a</speak>\n\t<!-- x -->\n<speak>b</speak>\n") == []


def test_no_speak_at_all() -> None:
    issue = only(validate("<!-- nothing here -->"))
    assert "no <speak>" in issue.message


# --------------------------------------------------------------------------- several <speak>


def test_each_speak_is_validated_and_positions_stay_in_the_original() -> None:
    text = (
        '<speak rate="1.2">第一段<break time="500ms"/></speak>\n'
        '<speak volume="200">第二段\n'
        '  <break time="20s"/><sub>x</sub></speak>\n'
        '<speak pitch="3">第三段</speak>'
    )
    issues = validate(text)
    found = [(i.path, i.attribute, i.line, i.column) for i in issues]
    assert found == [
        ("/speak[2]", "volume", *position(text, "volume=")),
        ("/speak[2]/break[1]", "time", *position(text, 'time="20s"')),
        ("/speak[2]/sub[1]", "alias", *position(text, "<sub>")),
        ("/speak[3]", "pitch", *position(text, "pitch=")),
    ]


def test_positions_count_code_points_after_cjk_and_escapes() -> None:
    text = '<speak>汉字&amp;漢字😀<break time="0ms"/></speak>'
    issue = only(validate(text))
    assert (issue.line, issue.column) == position(text, "time=")


# --------------------------------------------------------------------------- built documents


def test_built_document_positions_refer_to_its_serialized_text() -> None:
    doc = Document(
        (
            Speak(
                attrs=(("rate", "3"),),
                children=(Text("hi"), Break(attrs=(("time", "20s"),)), Sub(children=(Text("x"),))),
            ),
        )
    )
    issues = validate(doc)
    text = serialize(doc)
    assert [(i.attribute, i.line, i.column) for i in issues] == [
        ("rate", *position(text, "rate=")),
        ("time", *position(text, "time=")),
        ("alias", *position(text, "<sub")),
    ]


def test_schema_issue_is_frozen_and_prints_its_position() -> None:
    issue = only(validate("<speak>\n<sub>x</sub></speak>"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.line = 3  # type: ignore[misc]
    assert str(issue).startswith("2:1: <sub>")


# --------------------------------------------------------------------------- properties


def _break_time_is_valid(value: str) -> bool:
    """The dialect's rule, written independently of the schema's regular expression."""
    for unit, low, high in (("ms", 50, 10000), ("s", 1, 10)):
        if value.endswith(unit):
            number = value[: -len(unit)]
            if number.isascii() and number.isdigit() and str(int(number)) == number:
                return low <= int(number) <= high
            return False
    return False


@given(st.integers(min_value=-20, max_value=20000), st.sampled_from(["s", "ms"]))
def test_break_time_numbers(number: int, unit: str) -> None:
    value = f"{number}{unit}"
    issues = validate(f'<speak><break time="{value}"/></speak>')
    assert (issues == []) == _break_time_is_valid(value)


@given(st.text(alphabet="0123456789ms.- ", max_size=8))
def test_break_time_strings(value: str) -> None:
    issues = validate(f'<speak><break time="{value}"/></speak>')
    assert (issues == []) == _break_time_is_valid(value)


@given(st.decimals(min_value=0, max_value=3, places=3, allow_nan=False, allow_infinity=False))
def test_rate_and_pitch_range(number: Decimal) -> None:
    value = format(number, "f")
    ok = Decimal("0.5") <= number <= Decimal(2)
    assert (validate(f'<speak rate="{value}">x</speak>') == []) == ok
    assert (validate(f'<speak pitch="{value}">x</speak>') == []) == ok


@given(st.integers(min_value=-50, max_value=200))
def test_volume_range(number: int) -> None:
    ok = 0 <= number <= 100
    assert (validate(f'<speak volume="{number}">x</speak>') == []) == ok
    assert (validate(f'<speak backgroundMusicVolume="{number}">x</speak>') == []) == ok


@given(
    st.text(alphabet="ab 你好。\n\t", max_size=40),
    st.integers(min_value=0, max_value=3),
)
def test_issue_position_follows_the_text_before_it(prefix: str, speaks_before: int) -> None:
    text = "<speak>ok</speak>\n" * speaks_before + f'<speak>{prefix}<break time="20s"/></speak>'
    issue = only(validate(text))
    assert (issue.line, issue.column) == position(text, "time=")
    assert issue.path == f"/speak[{speaks_before + 1}]/break[1]"


# --------------------------------------------------------------------------- loading


def test_the_schema_compiles_and_only_speak_may_be_the_root() -> None:
    schema = load_schema()
    assert schema is load_schema()  # compiled once
    assert schema.validate(etree.fromstring("<speak>x<break/></speak>"))
    assert not schema.validate(etree.fromstring("<break/>"))
    assert not schema.validate(etree.fromstring("<sub alias='a'>x</sub>"))


def test_schema_path_in_a_checkout_is_the_top_level_folder() -> None:
    found = schema_path()
    assert found.name == "cosyvoice.xsd"
    assert found.read_bytes() == CHECKOUT_XSD.read_bytes()


@pytest.fixture
def fresh_schema_cache():
    load_schema.cache_clear()
    yield
    load_schema.cache_clear()


@pytest.mark.usefixtures("fresh_schema_cache")
@pytest.mark.parametrize(
    "content",
    [b"<xs:schema", b"<not-a-schema/>", b"<?xml version='1.0'?>\n<!-- empty -->"],
)
def test_a_broken_schema_raises_schema_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "cosyvoice.xsd").write_bytes(content)
    monkeypatch.setattr(schema_mod.resources, "files", lambda _package: tmp_path)
    with pytest.raises(SchemaError):
        load_schema()


@pytest.mark.usefixtures("fresh_schema_cache")
def test_a_missing_schema_raises_schema_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_mod.resources, "files", lambda _package: tmp_path)
    monkeypatch.setattr(schema_mod, "__file__", str(tmp_path / "pkg" / "schema.py"))
    with pytest.raises(SchemaError, match=r"cosyvoice\.xsd"):
        load_schema()
    with pytest.raises(SchemaError):
        validate("<speak>x</speak>")


# --------------------------------------------------------------------------- internals

_TREE = st.recursive(
    st.just(()),
    lambda kids: st.lists(
        st.tuples(st.sampled_from(["a", "b", "p:a", "q:a", "p:b", "r:a", "*d", "*e"]), kids),
        max_size=4,
    ).map(tuple),
    max_leaves=25,
)


def _xml(children: tuple) -> str:
    out = []
    for name, kids in children:
        if name.startswith("*"):  # an element in a default namespace
            out.append(f'<{name[1:]} xmlns="urn:d">{_xml(kids)}</{name[1:]}>')
        elif name.startswith("r:"):  # prefix p bound to another namespace
            out.append(f'<p:{name[2:]} xmlns:p="urn:r">{_xml(kids)}</p:{name[2:]}>')
        else:
            out.append(f"<{name}>{_xml(kids)}</{name}>")
    return "".join(out)


@given(_TREE)
def test_node_paths_match_libxml2_getpath(children: tuple) -> None:
    root = etree.fromstring(f'<speak xmlns:p="urn:p" xmlns:q="urn:p">{_xml(children)}</speak>')
    tree = root.getroottree()
    expected = {tree.getpath(el): el for el in root.iter(etree.Element)}
    assert schema_mod._node_paths(root) == expected


def test_many_strangers_are_all_reported_quickly() -> None:
    body = "".join(f"<x{i}>t</x{i}><break time='{i}s'/>" for i in range(300))
    issues = validate(f"<speak>{body}</speak>")
    strangers = [i for i in issues if i.element and i.element.startswith("x")]
    bad_breaks = [i for i in issues if i.element == "break"]
    assert len(strangers) == 300
    assert len(bad_breaks) == 300 - 10  # 1s..10s are valid
