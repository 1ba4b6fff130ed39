"""Findings as data: :class:`Diagnostic`, :class:`Fix` and :class:`Edit`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

__all__ = ["Diagnostic", "Edit", "Fix", "FixSafety", "Severity"]

FixSafety = Literal["none", "safe", "unsafe"]


class Severity(StrEnum):
    """How serious a finding is; only ``error`` makes ``ssmlkit lint`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``source[start:end]`` (offsets into the decoded text) with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that resolves a finding: non-overlapping edits, applied together or not at all.

    ``safety`` is ``"safe"`` when the fix cannot change what is spoken beyond the finding itself
    (``--fix`` applies it) and ``"unsafe"`` when it may (only with ``--unsafe-fixes``).
    """

    description: str
    edits: tuple[Edit, ...]
    safety: Literal["safe", "unsafe"] = "safe"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: rule ``code`` and ``name``, ``severity``, a message, and where it is.

    Positions are 1-based lines and columns (code points); ``start``/``end`` are offsets into the
    decoded text. ``path`` is the file it came from, when known.
    """

    code: str
    name: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0
    fix: Fix | None = None
    path: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by ``ssmlkit lint --format json``."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": None
            if self.fix is None
            else {
                "description": self.fix.description,
                "safety": self.fix.safety,
                "edits": [
                    {"start": e.start, "end": e.end, "replacement": e.replacement}
                    for e in self.fix.edits
                ],
            },
        }
