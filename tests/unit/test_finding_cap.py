"""A flood of one mistake is reported up to a cap, plus one finding that counts the rest."""

from __future__ import annotations

from ssmlkit.linter.context import MAX_PER_RULE
from ssmlkit.linter.engine import lint


def test_flood_is_capped_and_counted() -> None:
    extra = 250
    src = "<speak>" + "<a/>" * (MAX_PER_RULE + extra) + "</speak>"
    found = [d for d in lint(src) if d.code == "ST005"]
    assert len(found) == MAX_PER_RULE + 1
    assert f"{extra:,} more ST005 findings not shown" in found[-1].message


def test_below_the_cap_every_finding_is_listed() -> None:
    src = "<speak>" + "<a/>" * 7 + "</speak>"
    found = [d for d in lint(src) if d.code == "ST005"]
    assert len(found) == 7
    assert [d.column for d in found] == [8 + 4 * i for i in range(7)]
