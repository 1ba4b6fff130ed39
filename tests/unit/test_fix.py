"""Fixes as data: choosing non-overlapping edits, applying them, and fixing to a fixpoint."""

from __future__ import annotations

import pytest

from ssmlkit.config import Config
from ssmlkit.linter.api import fix, lint
from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix, Severity
from ssmlkit.linter.fixer import apply_fixes, choose_fixes
from ssmlkit.linter.registry import all_rules
from ssmlkit.linter.rule import examples_of
from ssmlkit.parse import parse


def _diag(start: int, end: int, *edits: tuple[int, int, str], safety: str = "safe") -> Diagnostic:
    return Diagnostic(
        code="XX001",
        name="test",
        severity=Severity.ERROR,
        message="m",
        line=1,
        column=start + 1,
        end_line=1,
        end_column=end + 1,
        start=start,
        end=end,
        fix=Fix("f", tuple(Edit(*e) for e in edits), safety),  # type: ignore[arg-type]
    )


def test_apply_fixes_applies_disjoint_edits() -> None:
    text = "abcdef"
    diags = [_diag(4, 5, (4, 5, "E")), _diag(0, 1, (0, 1, "AA")), _diag(2, 2, (2, 2, "+"))]
    assert apply_fixes(text, diags) == "AAb+cdEf"


def test_overlapping_fix_is_skipped() -> None:
    first = _diag(1, 3, (1, 3, "X"))
    second = _diag(2, 4, (2, 4, "Y"))
    assert choose_fixes([second, first]) == [first]
    assert apply_fixes("abcdef", [second, first]) == "aXdef"


def test_insertions_at_one_point_conflict() -> None:
    a = _diag(2, 2, (2, 2, "1"))
    b = _diag(2, 2, (2, 2, "2"))
    assert len(choose_fixes([a, b])) == 1


def test_a_fix_with_several_edits_is_all_or_nothing() -> None:
    both = _diag(0, 1, (0, 1, "<"), (5, 6, ">"))
    clash = _diag(5, 6, (5, 6, "!"))
    fixed = apply_fixes("(abcd)", [both, clash])
    assert fixed == "<abcd>"


def test_fix_escapes_and_reports_what_it_applied() -> None:
    result = fix("<speak>Tom & Jerry > 1 &lt; 2 < 3</speak>")
    assert result.text == "<speak>Tom &amp; Jerry &gt; 1 &lt; 2 &lt; 3</speak>"
    assert sorted(d.code for d in result.applied) == ["XM002", "XM003", "XM004"]
    assert result.changed
    assert result.remaining == lint(result.text)
    parse(result.text)


def test_fix_keeps_a_byte_order_mark_and_line_endings() -> None:
    result = fix("\ufeff<speak>\r\na & b\r\n</speak>")
    assert result.text == "\ufeff<speak>\r\na &amp; b\r\n</speak>"


def test_clean_text_is_returned_unchanged() -> None:
    text = "<speak>你好</speak>"
    result = fix(text)
    assert result.text == text
    assert result.applied == []
    assert not result.changed


def test_fix_never_raises_for_garbage() -> None:
    for junk in ("", "<", "&&&", "<speak", "\x00", "<a><b></a>"):
        result = fix(junk)
        assert isinstance(result.text, str)


def test_fix_respects_the_configuration() -> None:
    result = fix("<speak>a & b > c</speak>", config=Config(ignore=("XM004",)))
    assert result.text == "<speak>a &amp; b > c</speak>"


def test_fix_removes_a_stale_suppression_and_is_stable() -> None:
    text = "<speak>\n<!-- ssmlkit: disable=XM004 -->\na &amp; b\n</speak>"
    once = fix(text)
    assert once.text == "<speak>\na &amp; b\n</speak>"
    assert fix(once.text).applied == []


def _unsafe_examples() -> list[tuple[str, str]]:
    return [
        (rule.code, ex.source)
        for rule in all_rules()
        if rule.fix_safety == "unsafe" and rule.inactive_reason() is None
        for ex in examples_of(rule)
        if ex.kind == "fail" and ex.fixed is not None
    ]


def test_some_rules_have_unsafe_fix_examples() -> None:
    assert _unsafe_examples(), "no rule with an unsafe fix has a fix example"


@pytest.mark.parametrize(("code", "source"), _unsafe_examples())
def test_unsafe_fixes_need_unsafe(code: str, source: str) -> None:
    config = Config(extend_select=(code,))  # named: an opt-in rule runs too
    unsafe_before = [
        d
        for d in lint(source, config=config)
        if d.code == code and d.fix is not None and d.fix.safety == "unsafe"
    ]
    if not unsafe_before:  # the example's fix is a safe one of a rule that also has unsafe fixes
        assert any(d.code == code and d.fix is not None for d in lint(source, config=config))
        return
    safe_only = fix(source, config=config)
    assert all(d.fix is None or d.fix.safety == "safe" for d in safe_only.applied)
    assert any(d.code == code for d in safe_only.remaining)
    with_unsafe = fix(source, unsafe=True, config=config)
    assert any(d.code == code for d in with_unsafe.applied)
