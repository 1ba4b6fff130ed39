"""Findings as data: :class:`Diagnostic`, :class:`Fix` and :class:`Edit`."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import field, fields
from typing import Any, Literal

from ssmlkit._records import Record, record

# Defined beside the configuration's other plain types, so config need not import the linter.
from ssmlkit.severity import Severity

__all__ = ["Diagnostic", "Edit", "Fix", "FixSafety", "LazyFix", "Severity"]

FixSafety = Literal["none", "safe", "unsafe"]


# Records (see ssmlkit._records): made once per finding, and defined on the way to every
# ``ssmlkit lint``, where a generated frozen dataclass costs ~1.5 ms a class of start-up. They
# behave as ``@dataclass(frozen=True, slots=True)`` records would. Their constructors set each
# slot through the slot's own setter (defined after the classes): ``setfield`` looks the name up
# first, and these are made by the thousand.


@record
class Edit(Record):
    """Replace ``source[start:end]`` (offsets into the decoded text) with ``replacement``."""

    start: int
    end: int
    replacement: str

    def __init__(self, start: int, end: int, replacement: str) -> None:
        _set_edit_start(self, start)  # the slots' own setters, as Diagnostic's (below)
        _set_edit_end(self, end)
        _set_replacement(self, replacement)


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
        _set_description(self, description)
        _set_edits(self, edits)
        _set_safety(self, safety)


class LazyFix:
    """A fix whose edits are built only when someone asks for them.

    Some fixes cost far more than finding the problem (``ST005`` converts a whole ``<speak>``),
    and most lint runs never look at the edits: the text report only counts safe fixes. A rule
    reports ``ctx.report(node, message, fix=LazyFix(description, safety, build))``; the
    finding's :attr:`Diagnostic.fix` calls ``build()`` on first access and keeps what it gives:
    the edits (a :class:`Fix` with this description and safety), or ``None`` for "no fix after
    all". ``description`` and ``safety`` are known up front, so :meth:`Diagnostic.has_fix` can
    answer "is there a safe fix?" for an unsafe one without building it.

    ``build`` runs after the lint has returned, maybe in another thread, maybe never: it must
    capture only what does not change (the source text, nodes, a snapshot of
    ``tuple(ctx.ancestors)``), never the :class:`~ssmlkit.linter.context.LintContext`. A
    ``build`` that raises is a bug in the rule: the fix is ``None`` and a :class:`RuntimeWarning`
    names the rule (the lint that found the problem is over, so there is no finding to add).
    """

    __slots__ = ("build", "description", "safety")

    def __init__(
        self,
        description: str,
        safety: Literal["safe", "unsafe"],
        build: Callable[[], tuple[Edit, ...] | None],
    ) -> None:
        self.description = description
        self.safety = safety
        self.build = build

    def resolve(self, code: str = "a rule") -> Fix | None:
        """The :class:`Fix` that ``build`` gives (``None`` for no edits, or when it raises)."""
        try:
            edits = self.build()
        except Exception as exc:  # a rule's bug must not stop whoever asked for the fix
            warnings.warn(
                f"the fix of {code} ({self.description}) raised {type(exc).__name__}: {exc}; "
                "there is no fix. This is a bug in the rule: please report it to its authors",
                RuntimeWarning,
                stacklevel=3,
            )
            return None
        return Fix(self.description, tuple(edits), self.safety) if edits else None

    def __repr__(self) -> str:
        return f"LazyFix({self.description!r}, {self.safety!r}, {self.build!r})"


@record
class Diagnostic(Record):
    """One finding: rule ``code`` and ``name``, ``severity``, a message, and where it is.

    Positions are 1-based lines and columns (code points); ``start``/``end`` are offsets into the
    decoded text. ``path`` is the file it came from, when known. ``fix`` is a :class:`Fix` or
    ``None`` to every reader; it may be given as a :class:`LazyFix`, built on first access.
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
        fix: Fix | LazyFix | None = None,
        path: str | None = None,
    ) -> None:
        # Each slot's own setter: one made per finding, and object.__setattr__ looks the name up
        # first (11 of them were a fifth of ctx.report's time).
        _set_code(self, code)
        _set_name(self, name)
        _set_severity(self, severity)
        _set_message(self, message)
        _set_line(self, line)
        _set_column(self, column)
        _set_end_line(self, end_line)
        _set_end_column(self, end_column)
        _set_start(self, start)
        _set_end(self, end)
        _store_fix(self, fix)  # the slot itself: the ``fix`` property resolves a LazyFix
        _set_path(self, path)

    def has_fix(self, *safeties: FixSafety) -> bool:
        """Whether the finding has a fix (of one of ``safeties``, when given).

        Exact, and cheaper than ``d.fix is not None and d.fix.safety in safeties``: a
        :class:`LazyFix` of another safety is not built to find out.
        """
        fix = _load_fix(self)
        if safeties and fix is not None and fix.safety not in safeties:
            return False
        return self.fix is not None

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


# Each slot's setter (``setfield(self, "start", start)`` without the name's lookup).
_slots: dict[str, Any] = Edit.__dict__  # type: ignore[assignment]
_set_edit_start = _slots["start"].__set__
_set_edit_end = _slots["end"].__set__
_set_replacement = _slots["replacement"].__set__
_slots = Fix.__dict__  # type: ignore[assignment]
_set_description = _slots["description"].__set__
_set_edits = _slots["edits"].__set__
_set_safety = _slots["safety"].__set__
_slots = Diagnostic.__dict__  # type: ignore[assignment]
_set_code = _slots["code"].__set__
_set_name = _slots["name"].__set__
_set_severity = _slots["severity"].__set__
_set_message = _slots["message"].__set__
_set_line = _slots["line"].__set__
_set_column = _slots["column"].__set__
_set_end_line = _slots["end_line"].__set__
_set_end_column = _slots["end_column"].__set__
_set_start = _slots["start"].__set__
_set_end = _slots["end"].__set__
_set_path = _slots["path"].__set__

# ``fix`` is a dataclass field (compared, shown, pickled, ``dataclasses.replace`` works) stored in
# its slot, which may hold a LazyFix; readers go through a property that resolves it once.
_FIX_SLOT: Any = _slots["fix"]
_load_fix = _FIX_SLOT.__get__
_store_fix = _FIX_SLOT.__set__


#: The slots :meth:`Diagnostic.__init__` sets, in the order of its parameters, which is the order
#: of the fields (``fix``'s own slot, not the property): what ``ssmlkit._cscan.new_record`` fills
#: for ``ctx.report``.
DIAGNOSTIC_SLOTS: tuple[Any, ...] = tuple(
    _FIX_SLOT if f.name == "fix" else _slots[f.name] for f in fields(Diagnostic)
)


def _fix(self: Diagnostic) -> Fix | None:
    """The finding's :class:`Fix`, or ``None``; a :class:`LazyFix` is built on first access."""
    fix = _load_fix(self)
    if fix.__class__ is LazyFix:
        fix = fix.resolve(self.code)
        _store_fix(self, fix)
    return fix  # type: ignore[no-any-return]


setattr(  # noqa: B010 (type checkers keep seeing the field's type, Fix | None)
    Diagnostic,
    "fix",
    property(_fix, _store_fix),
)
