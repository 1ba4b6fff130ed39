"""The linter: rules for the CosyVoice SSML dialect, suppression comments, and safe fixes.

Usage::

    from ssmlkit.linter import lint, fix
    diagnostics = lint(open("doc.ssml", "rb").read(), path="doc.ssml")
    fixed = fix("<speak>Tom & Jerry</speak>").text

Names are loaded on first use, so importing :mod:`ssmlkit.linter` (or any of its modules, such as
:mod:`ssmlkit.linter.diagnostic`) stays cheap and free of import cycles with :mod:`ssmlkit.config`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ssmlkit.linter.api import FixResult, fix, lint
    from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix, Severity
    from ssmlkit.linter.registry import (
        all_rules,
        find_rule,
        register,
        register_rule,
        unregister_rule,
    )
    from ssmlkit.linter.rule import InactiveRuleWarning, Needs, Rule

__all__ = [
    "Diagnostic",
    "Edit",
    "Fix",
    "FixResult",
    "InactiveRuleWarning",
    "Needs",
    "Rule",
    "Severity",
    "all_rules",
    "find_rule",
    "fix",
    "lint",
    "register",
    "register_rule",
    "unregister_rule",
]

_HOME = {
    "Diagnostic": "ssmlkit.linter.diagnostic",
    "Edit": "ssmlkit.linter.diagnostic",
    "Fix": "ssmlkit.linter.diagnostic",
    "Severity": "ssmlkit.linter.diagnostic",
    "FixResult": "ssmlkit.linter.api",
    "fix": "ssmlkit.linter.api",
    "lint": "ssmlkit.linter.api",
    "InactiveRuleWarning": "ssmlkit.linter.rule",
    "Needs": "ssmlkit.linter.rule",
    "Rule": "ssmlkit.linter.rule",
    "register_rule": "ssmlkit.linter.registry",
    "unregister_rule": "ssmlkit.linter.registry",
    "all_rules": "ssmlkit.linter.registry",
    "find_rule": "ssmlkit.linter.registry",
    "register": "ssmlkit.linter.registry",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ssmlkit.linter' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
