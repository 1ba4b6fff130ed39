"""Apply fixes (edits as data) to source text."""

from __future__ import annotations

from collections.abc import Iterable

from ssmlkit.lint.diagnostic import Diagnostic

__all__ = ["apply_fixes"]


def apply_fixes(source: str, diagnostics: Iterable[Diagnostic]) -> str:
    """Apply the fixes of ``diagnostics`` to ``source``; a fix overlapping an earlier one is skipped."""
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for diag in sorted((d for d in diagnostics if d.fix), key=lambda d: d.start):
        assert diag.fix is not None
        edits = diag.fix.edits
        if any(
            not (e.end <= a or e.start >= b) or (e.start == e.end == a)
            for e in edits
            for a, b in taken
        ):
            continue
        for e in edits:
            chosen.append((e.start, e.end, e.replacement))
            taken.append((e.start, e.end))
    out = source
    for start, end, replacement in sorted(chosen, reverse=True):
        out = out[:start] + replacement + out[end:]
    return out
