"""What a rule sees while it checks a node, and how it reports."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ssmlkit._scan import LineIndex, SyntaxProblem
from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix, LazyFix, Severity
from ssmlkit.model import Document, Element, Node, Span

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.linter.rule import Rule

__all__ = ["MAX_PER_RULE", "LintContext", "Where"]

#: The most findings one rule reports in one document; the rest are counted in one last finding.
MAX_PER_RULE = 1000

Where = Span | Node | SyntaxProblem | tuple[int, int] | None


class LintContext:
    """Shared state of one lint run: the source, the document, the current node's ancestors."""

    # Slots: the engine sets ``rule`` before every rule call, and rules read the others often.
    # (No ``__getattr__``: a class with one has every attribute read go through it, and
    # CPython's attribute caches skip such classes; that was 6% of a lint.)
    __slots__ = (
        "_index",
        "ancestors",
        "config",
        "counts",
        "diagnostics",
        "document",
        "path",
        "reported",
        "rule",
        "source",
    )

    def __init__(self, source: str, document: Document, config: Config, path: str | None) -> None:
        self.source = source
        self.document = document
        self.config = config
        self.path = path
        self.ancestors: tuple[Element, ...] = ()
        self.rule: Rule | None = None
        self.diagnostics: list[Diagnostic] = []
        # Findings per rule code; past MAX_PER_RULE only the count is kept (hostile input can
        # hold millions of the same mistake, and a report of them all helps nobody).
        self.counts: dict[str, int] = {}
        # Every report so far, shown or past MAX_PER_RULE: the dispatch's gates compare it
        # around a rule's visit to learn whether the rule reported.
        self.reported = 0
        self._index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        """Offsets to lines and columns; made on first use (most findings carry a node's span,
        whose positions the scanner worked out)."""
        index = self._index
        if index is None:
            index = self._index = LineIndex(self.source)
        return index

    @property
    def parent(self) -> Element | None:
        """The element holding the node being visited (``None`` at the top level)."""
        return self.ancestors[-1] if self.ancestors else None

    def raw(self, span: Span | None) -> str:
        """The source text a span covers, as written (before decoding)."""
        return "" if span is None else self.source[span.start : span.end]

    def span(self, start: int, end: int) -> Span:
        """A span for offsets ``start``..``end`` of the source."""
        return self.index.span(start, end)

    def report(
        self,
        where: Where,
        message: str,
        *,
        fix: Fix | LazyFix | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Record a finding of the current rule at ``where`` (a span, node, problem or offsets).

        ``fix`` is a :class:`Fix`, or a :class:`LazyFix` when building its edits costs more than
        finding the problem (they are then built only if someone asks for them).
        """
        rule = self.rule
        assert rule is not None, "report() is only valid while a rule runs"
        self.reported += 1
        code = rule.code
        counts = self.counts
        count = counts.get(code, 0) + 1
        counts[code] = count
        if count > MAX_PER_RULE:
            return
        # A node's span already knows its lines and columns (the scanner worked them out from
        # the same text): only bare offsets and syntax problems need the line index. (Elements,
        # the usual case, first and inline: this runs for every finding.)
        span = (where.start_tag or where.span) if isinstance(where, Element) else _span(where)
        if span is not None:
            start, end, line, column, end_line, end_column = span
        else:
            start, end = _offsets(where)
            index = self.index
            line, column = index.position(start)
            end_line, end_column = (line, column) if end == start else index.position(end)
        self.diagnostics.append(
            _new_finding(
                code,
                rule.name,
                severity or rule.severity,
                message,
                line,
                column,
                end_line,
                end_column,
                start,
                end,
                fix,
                self.path,
            )
        )

    def overflow(self) -> list[Diagnostic]:
        """One finding per rule that hit :data:`MAX_PER_RULE`, saying how many were not shown."""
        out: list[Diagnostic] = []
        for code, count in self.counts.items():
            if count <= MAX_PER_RULE:
                continue
            last = next(d for d in reversed(self.diagnostics) if d.code == code)
            out.append(
                Diagnostic(
                    code=last.code,
                    name=last.name,
                    severity=last.severity,
                    message=f"{count - MAX_PER_RULE:,} more {code} findings not shown "
                    f"(at most {MAX_PER_RULE:,} per rule are listed; fix these and lint again)",
                    line=last.line,
                    column=last.column,
                    end_line=last.end_line,
                    end_column=last.end_column,
                    start=last.start,
                    end=last.end,
                    path=self.path,
                )
            )
        return out

    @staticmethod
    def replace(span: Span, replacement: str, description: str, *, safe: bool = True) -> Fix:
        """A fix replacing what ``span`` covers."""
        return Fix(
            description, (Edit(span.start, span.end, replacement),), "safe" if safe else "unsafe"
        )


def _finding_maker() -> Callable[..., Diagnostic]:
    """What ``report`` makes a :class:`Diagnostic` with: ``Diagnostic`` itself, or (the C
    extension built) ``ssmlkit._cscan.new_record`` filling the same slots in one call, a third
    of the time (the findings of a lint are made by the thousand)."""
    from ssmlkit import _scan

    if _scan.FAST_SCAN is None:  # no extension, or SSMLKIT_PURE_PYTHON=1
        return Diagnostic
    from ssmlkit import _cscan
    from ssmlkit.linter.diagnostic import DIAGNOSTIC_SLOTS

    return partial(_cscan.new_record, Diagnostic, DIAGNOSTIC_SLOTS)


_new_finding = _finding_maker()


def _span(where: Where) -> Span | None:
    """The span ``where`` stands for, positions included, if it is a span or a node with one."""
    if where.__class__ is Span:
        return where
    if where is None or isinstance(where, tuple | SyntaxProblem):
        return None
    return where.start_tag or where.span if isinstance(where, Element) else where.span


def _offsets(where: Where) -> tuple[int, int]:
    if where is None:
        return 0, 0
    if isinstance(where, Span):  # before tuple: a Span is a named tuple
        return where.start, where.end
    if isinstance(where, tuple):
        return where
    if isinstance(where, SyntaxProblem):
        return where.start, where.end
    span = where.start_tag or where.span if isinstance(where, Element) else where.span
    return (span.start, span.end) if span is not None else (0, 0)
