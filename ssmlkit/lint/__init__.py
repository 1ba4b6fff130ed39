"""The linter: rules for the CosyVoice SSML dialect, suppression comments, and safe fixes.

Usage::

    from ssmlkit.lint import lint, fix
    diagnostics = lint(open("doc.ssml", "rb").read(), path="doc.ssml")
    fixed = fix("<speak>Tom & Jerry</speak>").text

Names are loaded on first use, so importing :mod:`ssmlkit.lint` (or any of its modules, such as
:mod:`ssmlkit.lint.diagnostic`) stays cheap and free of import cycles with :mod:`ssmlkit.config`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ssmlkit.lint.api import FixResult, fix, lint
    from ssmlkit.lint.diagnostic import Diagnostic, Edit, Fix, Severity
    from ssmlkit.lint.registry import all_rules, find_rule, register
    from ssmlkit.lint.rule import Rule

__all__ = [
    "Diagnostic",
    "Edit",
    "Fix",
    "FixResult",
    "Rule",
    "Severity",
    "all_rules",
    "find_rule",
    "fix",
    "lint",
    "register",
]

_HOME = {
    "Diagnostic": "ssmlkit.lint.diagnostic",
    "Edit": "ssmlkit.lint.diagnostic",
    "Fix": "ssmlkit.lint.diagnostic",
    "Severity": "ssmlkit.lint.diagnostic",
    "FixResult": "ssmlkit.lint.api",
    "fix": "ssmlkit.lint.api",
    "lint": "ssmlkit.lint.api",
    "Rule": "ssmlkit.lint.rule",
    "all_rules": "ssmlkit.lint.registry",
    "find_rule": "ssmlkit.lint.registry",
    "register": "ssmlkit.lint.registry",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ssmlkit.lint' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


# ``ssmlkit.lint`` is both this module and its function: keep it callable (see ssmlkit._callable).
def _make_callable() -> None:
    import sys

    from ssmlkit._callable import make_callable

    make_callable(sys.modules[__name__], "lint")


_make_callable()
