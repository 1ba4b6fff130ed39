"""The linter's public functions: :func:`lint` and :func:`fix`.

Usage::

    from ssmlkit.linter import lint, fix
    for d in lint('<speak>Tom & Jerry<break time="20s"/></speak>'):
        print(f"{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}")
    fix("<speak>Tom & Jerry</speak>").text   # '<speak>Tom &amp; Jerry</speak>'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ssmlkit.linter.fixer import FixResult, fix
from ssmlkit.model import Document
from ssmlkit.sources import as_source

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.linter.diagnostic import Diagnostic
    from ssmlkit.sources import Source

__all__ = ["FixResult", "fix", "lint"]


def lint(
    source: Source,
    *,
    config: Config | None = None,
    path: str | None = None,
) -> list[Diagnostic]:
    """Every finding in ``source``, sorted by position: ``lint(speak("你好"))`` or ``lint(text)``.

    ``source`` is SSML text or bytes, a :class:`~ssmlkit.model.Document`, a node such as a
    ``<speak>`` from :mod:`ssmlkit.builder`, or a list or tuple of them. A model object is linted
    as the text it was parsed from, or else as its serialized text, which the findings' positions
    then refer to (so linting a built document and linting ``serialize()`` of it agree).

    ``config`` selects rules and sets options (default: every rule, default options); ``path``
    names the file for per-file ignores and for the findings. Never raises for bad input: bytes
    that are not XML, and a built document XML cannot carry, come back as findings too. Only a
    ``source`` of another type raises :class:`TypeError`.
    """
    if not isinstance(source, (str, bytes, Document)):  # (a tuple: faster than a union)
        source = as_source(source, "lint")
    if config is not None and (config.select != ("ALL",) or config.extend_select):
        _warn_inactive(config)  # only a selection that names rules can name an inactive one
    return _engine_lint()(source, config=config, path=path)


def _engine_lint() -> Callable[..., list[Diagnostic]]:
    """:func:`ssmlkit.linter.engine.lint`, imported on the first lint (not with this module), then
    kept: an import statement in ``lint`` itself cost every call a module look-up."""
    global _ENGINE_LINT
    if _ENGINE_LINT is None:
        from ssmlkit.linter.engine import lint as engine_lint

        _ENGINE_LINT = engine_lint
    return _ENGINE_LINT


_ENGINE_LINT: Callable[..., list[Diagnostic]] | None = None


#: The rules an InactiveRuleWarning was given for in this process (once per rule).
_WARNED: set[str] = set()


def _warn_inactive(config: Config) -> None:
    """An :class:`InactiveRuleWarning` for each rule ``config`` names that cannot run here."""
    from ssmlkit.linter.registry import inactive_selected

    for rule, reason in inactive_selected(config):
        if rule.code in _WARNED:
            continue
        _WARNED.add(rule.code)
        import warnings

        from ssmlkit.linter.rule import InactiveRuleWarning

        warnings.warn(
            f"rule {rule.code} ({rule.name}) is selected but inactive: {reason}",
            InactiveRuleWarning,
            stacklevel=3,
        )
