"""Meta rules (MT): findings about the linter itself (its directives, its rules' failures)."""

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


@register
class InternalError(Rule):
    """A rule failed on this node: it raised an exception, or changed the document it checks.

    The engine catches the failure, undoes a change, reports it here at the node the rule was
    visiting, and goes on with the other rules and nodes: one broken rule (a plugin's, say) never
    stops a lint or makes other rules see a changed document. The message names the rule; its own
    findings for that node may be missing. This is reported whichever rules are selected.

    Examples::

        pass: <speak>你好</speak>
    """

    code = "MT002"
    name = "internal-error"
    summary = "A rule raised an exception or changed the document (a bug in that rule)"
    severity = Severity.ERROR
    targets = ()  # reported by the engine (ssmlkit.linter.dispatch) when a rule fails

    def visit(self, node: Any, ctx: LintContext) -> None:
        """Nothing to visit: the engine reports this rule when another one fails."""
