"""The registry of lint rules: the built-in rule modules and plugins register their classes here.

Usage (a plugin)::

    from ssmlkit import Rule, register_rule

    @register_rule
    class MyRule(Rule):
        ...

    unregister_rule(MyRule)   # e.g. at the end of a test
"""

from __future__ import annotations

import importlib
import inspect
import os
from typing import TYPE_CHECKING, TypeVar

from ssmlkit.linter.rule import Needs, Rule

if TYPE_CHECKING:
    from ssmlkit.config import Config

__all__ = [
    "all_rules",
    "find_rule",
    "inactive_selected",
    "register",
    "register_rule",
    "registry_version",
    "unregister_rule",
]

_RULES: dict[str, type[Rule]] = {}
_LOADED = False
#: Bumped on every change of the registry, so that the engine's cached rule sets are rebuilt.
_VERSION = 0
R = TypeVar("R", bound=type[Rule])


def register_rule(rule: R) -> R:
    """Class decorator: add ``rule`` to the registry, so that every lint runs it.

    ``rule`` must subclass :class:`~ssmlkit.linter.rule.Rule`, declare ``code``, ``name``,
    ``summary``, ``severity`` and ``targets`` (``needs`` must be a
    :class:`~ssmlkit.linter.rule.Needs`) and define ``visit``. Codes and names must be unique:
    a :class:`ValueError` names the clash. Registering the same class again changes nothing.
    """
    global _VERSION
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise TypeError(f"register_rule takes a subclass of ssmlkit.Rule, not {rule!r}")
    for attr in ("code", "name", "summary", "severity", "targets"):
        if not hasattr(rule, attr):
            raise TypeError(f"rule {rule.__name__} does not declare {attr}")
    if isinstance(rule.targets, str):
        raise TypeError(f"rule {rule.__name__}: targets is a tuple of kinds, not a str")
    if not isinstance(rule.needs, Needs):
        raise TypeError(f"rule {rule.__name__}: needs must be a Needs(...), not {rule.needs!r}")
    if rule.visit is Rule.visit:
        raise TypeError(f"rule {rule.__name__} does not define visit(node, ctx)")
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        raise ValueError(f"duplicate rule code {rule.code}")
    if any(r.name == rule.name and r is not rule for r in _RULES.values()):
        raise ValueError(f"duplicate rule name {rule.name}")
    if _RULES.get(rule.code) is not rule:
        _RULES[rule.code] = rule
        _VERSION += 1
    return rule


#: The name the built-in rule modules use.
register = register_rule


def unregister_rule(rule: type[Rule] | str) -> None:
    """Remove a registered rule (the class, or its code); unknown rules are ignored."""
    global _VERSION
    code = rule if isinstance(rule, str) else rule.code
    found = _RULES.get(code.upper())
    if found is not None and (isinstance(rule, str) or found is rule):
        del _RULES[code.upper()]
        _VERSION += 1


def registry_version() -> int:
    """A number that changes whenever a rule is registered or unregistered."""
    _load()
    return _VERSION


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


def inactive_selected(config: Config) -> list[tuple[type[Rule], str]]:
    """The rules ``config`` names by code or name that cannot run here, each with the reason.

    ``ALL`` and prefixes are no explicit choice: they select what can run and say nothing of the
    rest. Usage (what ``ssmlkit lint`` prints as a note)::

        for rule, reason in inactive_selected(config):
            print(f"{rule.code} ({rule.name}) is selected but inactive: {reason}")
    """
    found: list[tuple[type[Rule], str]] = []
    for selector in (*config.select, *config.extend_select):
        rule = find_rule(selector) if selector.upper() != "ALL" else None
        if rule is None or any(r is rule for r, _ in found):
            continue
        if not config.is_enabled(rule.code, rule.name, opt_in=rule.opt_in):
            continue  # named, but ignored as well (and the ignore won)
        reason = rule.inactive_reason()
        if reason is not None:
            found.append((rule, reason))
    return found
