"""The registry of lint rules: every rule module registers its classes with :func:`register`."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TypeVar

from ssmlkit.lint.rule import Rule

__all__ = ["all_rules", "find_rule", "register"]

_RULES: dict[str, type[Rule]] = {}
_LOADED = False
R = TypeVar("R", bound=type[Rule])


def register(rule: R) -> R:
    """Class decorator: add ``rule`` to the registry (codes and names must be unique)."""
    for attr in ("code", "name", "summary", "severity", "targets"):
        if not hasattr(rule, attr):
            raise TypeError(f"rule {rule.__name__} does not declare {attr}")
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        raise ValueError(f"duplicate rule code {rule.code}")
    if any(r.name == rule.name and r is not rule for r in _RULES.values()):
        raise ValueError(f"duplicate rule name {rule.name}")
    _RULES[rule.code] = rule
    return rule


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    from ssmlkit.lint import rules

    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda i: i.name):
        importlib.import_module(f"{rules.__name__}.{info.name}")
    _LOADED = True


def all_rules() -> list[type[Rule]]:
    """Every registered rule, sorted by code."""
    _load()
    return [_RULES[c] for c in sorted(_RULES)]


def find_rule(code_or_name: str) -> type[Rule] | None:
    """The rule with this code (case-insensitive) or kebab-case name, or ``None``."""
    _load()
    key = code_or_name.strip()
    rule = _RULES.get(key.upper())
    if rule is not None:
        return rule
    return next((r for r in _RULES.values() if r.name == key.lower()), None)
