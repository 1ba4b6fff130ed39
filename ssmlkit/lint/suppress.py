"""Suppression comments (``<!-- ssmlkit: disable=CODE -->``); see :func:`apply_suppressions`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ssmlkit.lint.diagnostic import Diagnostic

if TYPE_CHECKING:
    from ssmlkit.lint.context import LintContext
    from ssmlkit.lint.rule import Rule

__all__ = ["apply_suppressions"]


def apply_suppressions(
    diagnostics: list[Diagnostic], ctx: LintContext, rules: Sequence[Rule]
) -> list[Diagnostic]:
    """Drop the findings that suppression comments cover (work in progress: keeps all)."""
    return list(diagnostics)
