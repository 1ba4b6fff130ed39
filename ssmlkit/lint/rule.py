"""The rule interface: each rule is a small class that declares its metadata explicitly.

A rule names the node kinds it wants in ``targets``; the engine walks the document once and calls
:meth:`Rule.visit` for each node of those kinds. Kinds are the element names (``"speak"``,
``"break"``, ``"sub"``, ``"phoneme"``, ``"say-as"``, ``"soundEvent"``), ``"unknown"`` (any other
element), ``"element"`` (every element), ``"text"``, ``"comment"``, ``"syntax"`` (each syntax
problem the scanner found, as a :class:`~ssmlkit._scan.SyntaxProblem`) and ``"document"`` (called
once, after the walk, with the :class:`~ssmlkit.model.Document`).

The docstring carries examples that run as tests, one per line after ``Examples::``::

    pass: <speak><break time="500ms"/></speak>
    fail: <speak><break time="20s"/></speak>

A ``fail`` line may end with ``  # 1:14`` to say where the (first) finding must point, and a
``fix:`` line right after a ``fail`` line gives the text its fix must produce.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ssmlkit.lint.diagnostic import FixSafety, Severity

if TYPE_CHECKING:
    from ssmlkit.lint.context import LintContext

__all__ = ["NoOptions", "Rule", "RuleExample", "examples_of"]


@dataclass(frozen=True)
class NoOptions:
    """Options of a rule that has none."""


class Rule:
    """Base class of lint rules. Subclasses set every class attribute below and ``visit``."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    targets: ClassVar[tuple[str, ...]]
    fix_safety: ClassVar[FixSafety] = "none"
    #: A frozen dataclass type whose fields (with defaults) are the rule's options.
    Options: ClassVar[type[Any]] = NoOptions

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    def visit(self, node: Any, ctx: LintContext) -> None:
        """Check ``node`` (of one of ``targets``) and report findings through ``ctx.report``."""
        raise NotImplementedError


@dataclass(frozen=True)
class RuleExample:
    """One docstring example: ``kind`` is ``"pass"`` or ``"fail"``."""

    kind: str
    source: str
    position: tuple[int, int] | None = None
    fixed: str | None = None


def examples_of(rule: type[Rule]) -> Iterator[RuleExample]:
    """The pass/fail examples written in ``rule``'s docstring."""
    doc = rule.__doc__ or ""
    if "Examples::" not in doc:
        return
    lines = [ln.strip() for ln in doc.split("Examples::", 1)[1].splitlines()]
    pending: RuleExample | None = None
    for line in lines:
        if line.startswith("fix:") and pending is not None and pending.kind == "fail":
            pending = RuleExample(
                "fail", pending.source, pending.position, _unescape(line[4:].strip())
            )
            continue
        if pending is not None:
            yield pending
            pending = None
        if line.startswith(("pass:", "fail:")):
            kind, _, rest = line.partition(":")
            source = rest.strip()
            position = None
            if kind == "fail" and "  # " in source:
                source, _, where = source.rpartition("  # ")
                ln, _, col = where.strip().partition(":")
                position = (int(ln), int(col))
            pending = RuleExample(kind, _unescape(source), position)
    if pending is not None:
        yield pending


def _unescape(source: str) -> str:
    # Docstring examples are one line; \n and \t stand for line breaks and tabs.
    return source.replace("\\n", "\n").replace("\\t", "\t")
