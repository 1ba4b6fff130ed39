"""Findings as data: :class:`Diagnostic`, :class:`Fix` and :class:`Edit`."""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from ssmlkit._records import Record, record, setfield

# Defined beside the configuration's other plain types, so config need not import the linter.
from ssmlkit.severity import Severity

__all__ = ["Diagnostic", "Edit", "Fix", "FixSafety", "Severity"]

FixSafety = Literal["none", "safe", "unsafe"]


# Records (see ssmlkit._records): made once per finding, and defined on the way to every
# ``ssmlkit lint``, where a generated frozen dataclass costs ~1.5 ms a class of start-up. They
# behave as ``@dataclass(frozen=True, slots=True)`` records would.
_set = setfield


@record
class Edit(Record):
    """Replace ``source[start:end]`` (offsets into the decoded text) with ``replacement``."""

    start: int
    end: int
    replacement: str

    def __init__(self, start: int, end: int, replacement: str) -> None:
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "replacement", replacement)


@record
class Fix(Record):
    """A change that resolves a finding: non-overlapping edits, applied together or not at all.

    ``safety`` is ``"safe"`` when the fix cannot change what is spoken beyond the finding itself
    (``--fix`` applies it) and ``"unsafe"`` when it may (only with ``--unsafe-fixes``).
    """

    description: str
    edits: tuple[Edit, ...]
    safety: Literal["safe", "unsafe"] = "safe"

    def __init__(
        self, description: str, edits: tuple[Edit, ...], safety: Literal["safe", "unsafe"] = "safe"
    ) -> None:
        _set(self, "description", description)
        _set(self, "edits", edits)
        _set(self, "safety", safety)


@record
class Diagnostic(Record):
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

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        start: int = 0,
        end: int = 0,
        fix: Fix | None = None,
        path: str | None = None,
    ) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "message", message)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "fix", fix)
        _set(self, "path", path)

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
