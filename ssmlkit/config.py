"""Configuration: one frozen :class:`Config`, from ``[tool.ssmlkit]`` or built in code.

Selection follows ruff/flake8: ``select`` and ``ignore`` take codes (``BR001``), code prefixes
(``BR``, ``XM0``) and rule names (``break-time-out-of-range``); ``ALL`` selects everything. The
most specific match wins (a name or full code beats a prefix, a longer prefix beats a shorter one);
on a tie, ``ignore`` wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ssmlkit.lint.diagnostic import Severity
from ssmlkit.profiles import cosyvoice

__all__ = ["Config"]


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """Lint settings. Every field has the default ``ssmlkit lint`` uses without configuration.

    ``max_chars`` is the per-request limit; ``count_tags`` switches to the older, stricter reading
    in which tags count too. ``rendering`` makes an oversized document an error (the user renders it
    unsplit) instead of a warning that says how many chunks ``ssmlkit split`` would make.
    """

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=_empty)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)
    max_chars: int = cosyvoice.MAX_CHARS
    count_tags: bool = False
    rendering: bool = False
    max_bytes: int = 10_000_000
    source_file: str | None = None

    def is_enabled(self, code: str, name: str, *, path: str | None = None) -> bool:
        """Whether the rule ``code``/``name`` runs (for a file at ``path``)."""
        ignore = list(self.ignore)
        if path is not None and self.per_file_ignores:
            from fnmatch import fnmatch

            for pattern, codes in self.per_file_ignores.items():
                if fnmatch(path, pattern) or fnmatch(path.replace("\\", "/"), f"*/{pattern}"):
                    ignore.extend(codes)
        chosen = _specificity(code, name, (*self.select, *self.extend_select))
        dropped = _specificity(code, name, ignore)
        if chosen < 0:
            return False
        return chosen > dropped

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        """The severity configured for the rule, else ``default``."""
        return self.severity.get(code, self.severity.get(name, default))


def _specificity(code: str, name: str, selectors: Any) -> int:
    """How specifically ``selectors`` match the rule: -1 none, else the match length."""
    best = -1
    for raw in selectors:
        sel = str(raw).strip()
        if sel.upper() == "ALL":
            best = max(best, 0)
        elif sel.lower() == name or sel.upper() == code:
            best = max(best, 100)
        elif code.startswith(sel.upper()) and sel:
            best = max(best, len(sel))
    return best
