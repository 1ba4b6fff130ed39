"""The registry of lint rules: every rule module registers its classes with :func:`register`."""

from __future__ import annotations

import importlib
import inspect
import os
from typing import TypeVar

from ssmlkit.linter.rule import Rule

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
    from ssmlkit.linter import rules

    for name in sorted({n for directory in rules.__path__ for n in _module_names(directory)}):
        importlib.import_module(f"{rules.__name__}.{name}")
    _LOADED = True


def _module_names(directory: str) -> list[str]:
    """The modules and packages in ``directory``, as ``pkgutil.iter_modules`` finds them.

    Listed here rather than through :mod:`pkgutil`, whose import costs ``ssmlkit lint`` a
    millisecond at start-up; a path that is not a directory (a zip import) still goes to pkgutil.
    """
    if not os.path.isdir(directory):
        import pkgutil

        return [info.name for info in pkgutil.iter_modules([directory])]
    try:
        filenames = sorted(os.listdir(directory))
    except OSError:
        return []
    names: list[str] = []
    for filename in filenames:
        name = inspect.getmodulename(filename)
        if name == "__init__" or name in names:
            continue
        path = os.path.join(directory, filename)
        if not name and "." not in filename and os.path.isdir(path):
            try:
                contents = os.listdir(path)
            except OSError:
                contents = []
            if not any(inspect.getmodulename(f) == "__init__" for f in contents):
                continue
            name = filename
        if name and "." not in name:
            names.append(name)
    return names


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
