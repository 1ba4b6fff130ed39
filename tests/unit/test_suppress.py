"""Suppression comments: ranges, next-line, selectors, and MT001 for directives that did nothing."""

from __future__ import annotations

import pytest

from ssmlkit.config import Config
from ssmlkit.linter.api import lint
from ssmlkit.linter.fixer import apply_fixes


def _codes(source: str, config: Config | None = None) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in lint(source, config=config)]


def _only(source: str, *codes: str) -> list[tuple[str, int, int]]:
    return [c for c in _codes(source) if c[0] in codes]


def test_without_directives_findings_are_reported() -> None:
    assert _only("<speak>\na > b\n</speak>", "XM004") == [("XM004", 2, 3)]


@pytest.mark.parametrize(
    "selector", ["XM004", "xm004", "XM", "XM0", "unescaped-greater-than", "all"]
)
def test_disable_silences_to_the_end(selector: str) -> None:
    source = f"<speak>\na > b\n<!-- ssmlkit: disable={selector} -->\nc > d\ne > f\n</speak>"
    assert _only(source, "XM004", "MT001") == [("XM004", 2, 3)]


def test_enable_reopens_only_what_it_names() -> None:
    source = (
        "<speak>\n<!-- ssmlkit: disable=XM -->\na > b & c\n"
        "<!-- ssmlkit: enable=XM004 -->\nd > e & f\n</speak>"
    )
    # XM004 is back after the enable; XM002 stays silenced by the open XM range.
    assert _only(source, "XM002", "XM004", "MT001") == [("XM004", 5, 3)]


def test_several_codes_in_one_directive() -> None:
    source = "<speak><!-- ssmlkit: disable=XM002, XM004 -->a > b & c</speak>"
    assert _only(source, "XM002", "XM004", "MT001") == []


def test_disable_next_line_covers_that_line_only() -> None:
    source = "<speak>\n<!-- ssmlkit: disable-next-line=XM004 -->\na > b\nc > d</speak>"
    assert _only(source, "XM004", "MT001") == [("XM004", 4, 3)]


def test_disable_next_line_does_not_cover_its_own_line() -> None:
    source = "<speak>\na > b <!-- ssmlkit: disable-next-line=XM004 -->\nc</speak>"
    assert _only(source, "XM004", "MT001") == [("XM004", 2, 3), ("MT001", 2, 7)]


def test_findings_before_the_directive_stay() -> None:
    source = "<speak>a > b<!-- ssmlkit: disable=XM004 -->c > d</speak>"
    assert _only(source, "XM004") == [("XM004", 1, 10)]


def test_unused_suppression_is_reported_with_a_fix_removing_its_line() -> None:
    source = "<speak>\n  <!-- ssmlkit: disable=XM004 -->\n  hello\n</speak>"
    found = [d for d in lint(source) if d.code == "MT001"]
    assert [(d.line, d.column) for d in found] == [(2, 3)]
    assert "suppressed nothing" in found[0].message
    assert found[0].fix is not None
    assert found[0].fix.safety == "safe"
    assert apply_fixes(source, found) == "<speak>\n  hello\n</speak>"


def test_partly_used_directive_drops_only_the_unused_code() -> None:
    source = "<speak><!-- ssmlkit: disable=XM004,XM002 -->a > b</speak>"
    found = [d for d in lint(source) if d.code == "MT001"]
    assert len(found) == 1
    assert "'XM002'" in found[0].message
    assert apply_fixes(source, found) == "<speak><!-- ssmlkit: disable=XM004 -->a > b</speak>"


def test_unknown_code_is_named() -> None:
    found = [
        d for d in lint("<speak><!-- ssmlkit: disable=ZZ123 -->hi</speak>") if d.code == "MT001"
    ]
    assert len(found) == 1
    assert "names no rule" in found[0].message


def test_enable_without_disable_and_malformed_directives() -> None:
    source = "<speak>\n<!-- ssmlkit: enable=XM004 -->\n<!-- ssmlkit: silence=XM004 -->\nhi</speak>"
    found = [d for d in lint(source) if d.code == "MT001"]
    assert [(d.line, d.column) for d in found] == [(2, 1), (3, 1)]
    assert "closes no earlier disable" in found[0].message
    assert "not a suppression directive" in found[1].message
    assert found[1].fix is None


def test_ordinary_comments_are_ignored() -> None:
    assert _only("<speak><!-- a note about ssmlkit -->hi</speak>", "MT001") == []


def test_mt001_is_not_reported_when_not_selected() -> None:
    source = "<speak><!-- ssmlkit: disable=XM004 -->hi</speak>"
    assert [c for c in _codes(source, Config(ignore=("MT001",))) if c[0] == "MT001"] == []


def test_directive_for_a_deselected_rule_is_not_unused() -> None:
    source = "<speak><!-- ssmlkit: disable=XM004 -->hi</speak>"
    config = Config(ignore=("XM004",))
    assert [c for c in _codes(source, config) if c[0] == "MT001"] == []


def test_mt001_silenced_explicitly_but_not_by_all() -> None:
    explicit = "<speak><!-- ssmlkit: disable=MT001 --><!-- ssmlkit: disable=XM004 -->hi</speak>"
    assert _only(explicit, "MT001") == []
    by_all = "<speak><!-- ssmlkit: disable=all --><!-- ssmlkit: disable=XM004 -->hi</speak>"
    second = by_all.index("<!-- ssmlkit: disable=XM004") + 1
    assert [c[2] for c in _only(by_all, "MT001")] == [8, second]


def test_directive_with_crlf_line_endings() -> None:
    source = "<speak>\r\n<!-- ssmlkit: disable-next-line=XM004 -->\r\na > b\r\nc > d</speak>"
    assert _only(source, "XM004", "MT001") == [("XM004", 4, 3)]
