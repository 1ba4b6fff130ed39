"""The linter's public functions: :func:`lint` and :func:`fix`.

Usage::

    from ssmlkit.linter import lint, fix
    for d in lint('<speak>Tom & Jerry<break time="20s"/></speak>'):
        print(f"{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}")
    fix("<speak>Tom & Jerry</speak>").text   # '<speak>Tom &amp; Jerry</speak>'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ssmlkit.linter.fixer import FixResult, fix

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.linter.diagnostic import Diagnostic
    from ssmlkit.model import Document

__all__ = ["FixResult", "fix", "lint"]


def lint(
    text_or_doc: str | bytes | Document,
    *,
    config: Config | None = None,
    path: str | None = None,
) -> list[Diagnostic]:
    """Every finding in ``text_or_doc`` (text, bytes or a built Document), sorted by position.

    ``config`` selects rules and sets options (default: every rule, default options); ``path``
    names the file for per-file ignores and for the findings. Never raises for bad input: bytes
    that are not XML come back as findings too.
    """
    from ssmlkit.linter.engine import lint as _lint

    return _lint(text_or_doc, config=config, path=path)
