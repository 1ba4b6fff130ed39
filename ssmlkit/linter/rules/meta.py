"""Meta rules (MT): findings about the linter's own directives in the document."""

from __future__ import annotations

from typing import Any

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Rule


@register
class UnusedSuppression(Rule):
    """A suppression comment that suppressed nothing: remove it (or fix its codes).

    ``<!-- ssmlkit: disable=CODE -->`` silences findings from the comment to a matching
    ``<!-- ssmlkit: enable=CODE -->`` (or the end); ``disable-next-line=CODE`` silences the next
    line. Codes may be rule codes, prefixes, names or ``all``. A suppression that silenced no
    finding is stale; one naming no rule is a typo. The fix deletes the comment, or just its unused
    codes: comments are never spoken, so the fix is safe.

    Examples::

        pass: <speak><!-- ssmlkit: disable=XM004 -->2 > 1</speak>
        pass: <speak>\\n<!-- ssmlkit: disable-next-line=unescaped-greater-than -->\\n2 > 1</speak>
        fail: <speak><!-- ssmlkit: disable=XM004 -->hi</speak>  # 1:8
        fix: <speak>hi</speak>
        fail: <speak><!-- ssmlkit: disable=XM004,XM999 -->2 > 1</speak>  # 1:8
        fix: <speak><!-- ssmlkit: disable=XM004 -->2 > 1</speak>
    """

    code = "MT001"
    name = "unused-suppression"
    summary = "A suppression comment that suppressed nothing"
    severity = Severity.WARNING
    targets = ()  # reported by ssmlkit.linter.suppress after all other rules ran
    fix_safety = "safe"

    def visit(self, node: Any, ctx: LintContext) -> None:
        """Nothing to visit: :func:`ssmlkit.linter.suppress.apply_suppressions` reports this rule."""
