"""Structure (ST) and say-as (SA) rules: fixes, messages and invariants the case files cannot show."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.linter.diagnostic import Diagnostic, Severity
from ssmlkit.linter.engine import lint
from ssmlkit.linter.fixer import apply_fixes, fix
from ssmlkit.linter.registry import all_rules

MINE = [r() for r in all_rules() if r.code[:2] in ("ST", "SA")]


def findings(source: str, code: str) -> list[Diagnostic]:
    return [d for d in lint(source, rules=MINE) if d.code == code]


def position(source: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``source``."""
    at = -1
    for _ in range(nth + 1):
        at = source.index(needle, at + 1)
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1


# -- fixes ------------------------------------------------------------------------------------
def test_text_outside_speak_fix_wraps_each_stray_text_and_keeps_layout() -> None:
    source = "intro\n<speak>正文</speak>\n  outro  \n"
    found = findings(source, "ST001")
    assert [(d.line, d.column) for d in found] == [position(source, "intro"), (3, 3)]
    assert all(d.fix is not None and d.fix.safety == "unsafe" for d in found)
    fixed = apply_fixes(source, found)
    assert fixed == "<speak>intro</speak>\n<speak>正文</speak>\n  <speak>outro</speak>  \n"
    assert findings(fixed, "ST001") == []


def test_missing_speak_fix_keeps_the_declaration_outside() -> None:
    source = '<?xml version="1.0"?>\nhello <break time="1s"/> world\n'
    (d,) = findings(source, "ST003")
    assert (d.line, d.column) == position(source, "hello")
    fixed = apply_fixes(source, [d])
    assert fixed == '<?xml version="1.0"?>\n<speak>hello <break time="1s"/> world</speak>\n'
    assert findings(fixed, "ST003") == []


def test_unwrap_fix_keeps_content_of_nested_foreign_elements() -> None:
    source = "<speak>\n  <p>\n    <s>一。</s>\n    <s>二。</s>\n  </p>\n</speak>"
    found = findings(source, "ST005")
    assert len(found) == 3
    fixed = apply_fixes(source, found)
    assert fixed == "<speak>\n  \n    一。\n    二。\n  \n</speak>"
    assert findings(fixed, "ST005") == []


def test_audio_has_no_fix_but_names_soundevent() -> None:
    (d,) = findings('<speak><audio src="a.wav"/></speak>', "ST005")
    assert d.fix is None
    assert "<soundEvent" in d.message


def test_safe_fix_removes_w3c_boilerplate_but_not_xml_lang() -> None:
    source = (
        '<speak version="1.0"\n'
        '       xmlns="http://www.w3.org/2001/10/synthesis"\n'
        '       xml:lang="zh-CN">你好</speak>'
    )
    result = fix(source)
    assert result.text == '<speak\n       xml:lang="zh-CN">你好</speak>'
    unsafe = fix(source, unsafe=True)
    assert unsafe.text == "<speak>你好</speak>"
    assert fix(unsafe.text, unsafe=True).text == unsafe.text


def test_namespace_declaration_in_use_is_not_removed() -> None:
    source = (
        '<speak xmlns:amazon="http://a.example">'
        '<amazon:effect name="whispered">hi</amazon:effect></speak>'
    )
    (d,) = findings(source, "ST006")
    assert d.fix is None
    assert "Amazon Alexa/Polly" in d.message


@pytest.mark.parametrize(
    ("wrong", "right", "element"),
    [
        ('interpret_as="digits"', 'interpret-as="digits"', "say-as"),
        ('alais="x"', 'alias="x"', "sub"),
        ('effectvalue="1 1 1 1 1 1 1 1"', 'effectValue="1 1 1 1 1 1 1 1"', "speak"),
        ('scr="https://x.oss-cn-beijing.aliyuncs.com/a.wav"', None, "soundEvent"),
    ],
)
def test_near_miss_attribute_is_renamed_unsafely(
    wrong: str, right: str | None, element: str
) -> None:
    inner = {
        "say-as": f"<say-as {wrong}>1</say-as>",
        "sub": f"<sub {wrong}>y</sub>",
        "soundEvent": f"<soundEvent {wrong}/>",
        "speak": "",
    }[element]
    source = (
        f'<speak effect="eq" {wrong}>{inner}</speak>'
        if element == "speak"
        else (f"<speak>{inner}</speak>")
    )
    (d,) = findings(source, "ST006")
    name = wrong.split("=")[0]
    assert (d.line, d.column) == position(source, name)
    assert "did you mean" in d.message
    assert d.fix is not None
    assert d.fix.safety == "unsafe"
    fixed = apply_fixes(source, [d])
    expected = right or wrong.replace("scr=", "src=")
    assert expected in fixed
    assert findings(fixed, "ST006") == []


# -- messages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<prosody rate="slow">x</prosody>', ["<prosody>", "W3C SSML", "rate/pitch/volume"]),
        ('<voice name="x">y</voice>', ["<voice>", "W3C SSML", "voice attribute of <speak>"]),
        ('<amazon:effect name="whispered">x</amazon:effect>', ["Amazon Alexa/Polly extension"]),
        ('<mstts:express-as style="sad">x</mstts:express-as>', ["Microsoft Azure extension"]),
        ('<google:style name="lively">x</google:style>', ["Google Cloud extension"]),
        ("<emotion>x</emotion>", ["NLS"]),
        ('<soundevent src="a"/>', ["case-sensitive", "<soundEvent>"]),
        ("<foo>x</foo>", ["not a CosyVoice element"]),
    ],
)
def test_unsupported_element_messages_name_the_origin(tag: str, expected: list[str]) -> None:
    (d,) = findings(f"<speak>{tag}</speak>", "ST005")
    for part in expected:
        assert part in d.message
    assert (d.line, d.column) == (1, 8)


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("spell-out", "characters"),
        ("verbatim", "characters"),
        ("Date", "date"),
        ("unit", "measure"),
    ],
)
def test_interpret_as_suggestions(value: str, suggestion: str) -> None:
    source = f'<speak><say-as interpret-as="{value}">x</say-as></speak>'
    (d,) = findings(source, "SA001")
    assert f'"{suggestion}"' in d.message
    assert (d.line, d.column) == position(source, value)
    fixed = apply_fixes(source, [d])
    assert f'interpret-as="{suggestion}"' in fixed


def test_ordinal_has_no_equivalent_and_no_fix() -> None:
    (d,) = findings('<speak><say-as interpret-as="ordinal">3</say-as></speak>', "SA001")
    assert d.fix is None
    assert "ordinal" in d.message


def test_say_as_content_findings_are_warnings_and_structure_findings_errors() -> None:
    source = (
        "<speak>"
        '<say-as interpret-as="address">1 Main St</say-as>'
        '<say-as interpret-as="digits">12a</say-as>'
        '<say-as interpret-as="digits">123456789012345678901</say-as>'
        "</speak><p>x</p>"
    )
    by_code = {d.code: d.severity for d in lint(source, rules=MINE)}
    assert by_code["SA002"] is Severity.WARNING
    assert by_code["SA003"] is Severity.WARNING
    assert by_code["SA004"] is Severity.WARNING
    assert by_code["ST005"] is Severity.ERROR


def test_letter_position_is_exact_after_a_line_break() -> None:
    source = '<speak>\n<say-as interpret-as="telephone">\n  139 0000 abcd</say-as></speak>'
    (d,) = findings(source, "SA003")
    assert (d.line, d.column) == position(source, "abcd")


def test_entity_in_content_falls_back_to_the_content_start() -> None:
    source = '<speak><say-as interpret-as="digits">&#49;2x</say-as></speak>'
    (d,) = findings(source, "SA003")
    assert (d.line, d.column) == position(source, "&#49;")


# -- invariants -------------------------------------------------------------------------------
_FRAGMENTS = st.sampled_from(
    [
        "<speak>",
        "</speak>",
        "<speak rate='1'>",
        "<break/>",
        '<break time="1s">',
        "</break>",
        '<sub alias="x">',
        "<sub>",
        "</sub>",
        '<say-as interpret-as="date">',
        '<say-as interpret_as="x">',
        "</say-as>",
        "<p>",
        "</p>",
        "<amazon:effect>",
        "</amazon:effect>",
        '<phoneme alphabet="py" ph="a1">',
        "</phoneme>",
        "<soundEvent/>",
        "text",
        "  ",
        "\n",
        "中文",
        "12a",
        "&amp;",
        "&",
        "<",
        "<!-- c -->",
    ]
)


@given(st.lists(_FRAGMENTS, max_size=14).map("".join))
def test_rules_never_raise_and_point_inside_the_source(source: str) -> None:
    for d in lint(source, rules=MINE):
        assert 0 <= d.start <= d.end <= len(source)
        if d.fix is not None:
            for edit in d.fix.edits:
                assert 0 <= edit.start <= edit.end <= len(source)


_PLAIN = st.text(alphabet="abc 中文\n\t", max_size=12)


@given(_PLAIN, _PLAIN)
def test_wrapping_stray_text_leaves_none_outside(before: str, after: str) -> None:
    source = f"{before}<speak>内</speak>{after}"
    found = findings(source, "ST001")
    assert len(found) == sum(1 for part in (before, after) if part.strip())
    assert findings(apply_fixes(source, found), "ST001") == []
