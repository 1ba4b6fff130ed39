"""How serious a lint finding is: :class:`Severity`, shared by the linter and the configuration.

Usage::

    from ssmlkit.severity import Severity
    Severity("warning") is Severity.WARNING     # True

It lives in a module of its own so that :mod:`ssmlkit.config` can validate ``severity = {...}``
without importing the linter (which imports the configuration).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Severity"]


class Severity(StrEnum):
    """How serious a finding is; only ``error`` makes ``ssmlkit lint`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value
