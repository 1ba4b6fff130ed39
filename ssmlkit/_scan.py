"""The scanner's entry point and records: :func:`scan`, :class:`ScanResult`, :class:`SyntaxProblem`.

lxml gives element line numbers but no columns, stops at the first syntax error, and cannot parse a
document with several top-level elements. So ssmlkit scans the text itself, builds the model with
exact spans and, instead of stopping, records every syntax problem it can recover from (a bare
``&``, a bare ``<``, a mismatched end tag, ...), so the linter can report them all in one run.

Two scanners do this. The C fast path (``_cscan.c``) takes documents with nothing to report, which
is nearly all of them. Everything else goes to the tolerant Python scanner in
:mod:`ssmlkit._pyscan` (imported on first use, which keeps its regular expressions out of start-up),
and :func:`ssmlkit.parse.parse` then lets lxml confirm well-formedness.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from ssmlkit._gc import paused_gc
from ssmlkit.model import (
    KNOWN_ELEMENTS,
    Comment,
    Document,
    Node,
    Span,
    Text,
    UnknownElement,
    _Frozen,
    _set,
)

__all__ = ["MAX_DEPTH", "MAX_PROBLEMS", "LineIndex", "ScanResult", "SyntaxProblem", "scan"]

_LINE_BREAK = re.compile(r"\r\n?|\n")
_NEWLINE = re.compile("\n")


#: How deep elements may nest. SSML needs three levels; libxml2 refuses more than 256 (with our
#: wrapper element, 255 in the document). Deeper input stops the scan, so that rules which look at
#: an element's subtree stay cheap and a hostile 50,000-deep document is refused at once.
MAX_DEPTH = 255

#: How many syntax problems one scan reports before it stops reading: a flood of them (10 MB of
#: NULs or bare '<') would otherwise cost minutes and gigabytes in findings nobody reads.
MAX_PROBLEMS = 1000


def is_xml_char(code: int) -> bool:
    """Whether code point ``code`` may appear in an XML 1.0 document."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


class SyntaxProblem(_Frozen):
    """One well-formedness problem: ``kind`` is a stable key (``"bare-ampersand"``, ...)."""

    __slots__ = ("column", "end", "kind", "line", "message", "start")
    _compared: ClassVar[tuple[str, ...]] = ("kind", "message", "start", "end", "line", "column")
    kind: str
    message: str
    start: int
    end: int
    line: int
    column: int

    def __init__(
        self, kind: str, message: str, start: int, end: int, line: int, column: int
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "message", message)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "line", line)
        _set(self, "column", column)


class ScanResult(_Frozen):
    """The document the scanner recovered and the problems it met on the way.

    ``well_formed`` is true when the C fast path took the input: it accepts only what libxml2
    accepts, so :func:`ssmlkit.parse.scan_source` need not ask lxml again.
    """

    __slots__ = ("document", "prefixes", "problems", "well_formed")
    _compared: ClassVar[tuple[str, ...]] = ("document", "problems", "prefixes", "well_formed")
    document: Document
    problems: tuple[SyntaxProblem, ...]
    prefixes: frozenset[str]
    well_formed: bool

    def __init__(
        self,
        document: Document,
        problems: tuple[SyntaxProblem, ...],
        prefixes: frozenset[str],
        well_formed: bool = False,
    ) -> None:
        _set(self, "document", document)
        _set(self, "problems", problems)
        _set(self, "prefixes", prefixes)
        _set(self, "well_formed", well_formed)


class LineIndex:
    """Maps offsets in a text to 1-based (line, column); ``\\r\\n``, ``\\r`` and ``\\n`` end lines."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0]
        # Without '\r' every line ends in '\n', and a one-character literal is found in C many
        # times faster than the alternation (42 -> 5 ms over 10 MB).
        breaks = _LINE_BREAK if "\r" in text else _NEWLINE
        self._starts.extend(m.end() for m in breaks.finditer(text))

    @property
    def starts(self) -> list[int]:
        """The offset where each line starts (the first is 0); do not modify."""
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for ``start``..``end``."""
        # Hot: the scanner makes several spans per element. Inlined lookups, and the tuple built
        # without the named tuple's Python-level __new__.
        starts = self._starts
        if len(starts) == 1:
            return _new_span((start, end, 1, start + 1, 1, end + 1))
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end)
        return _new_span(
            (
                start,
                end,
                line,
                start - starts[line - 1] + 1,
                end_line,
                end - starts[end_line - 1] + 1,
            )
        )


#: ``Span`` from a 6-tuple, in C (``Span(...)`` runs the named tuple's Python-level ``__new__``).
_new_span: Callable[[tuple[int, int, int, int, int, int]], Span] = partial(tuple.__new__, Span)


def _load_fast_path() -> Callable[[str, int], tuple[Node, ...] | None] | None:
    """The C fast path's ``scan``, configured with the model's classes; ``None`` when unavailable.

    ``ssmlkit/_cscan.c`` builds the same nodes as :class:`_Scanner` for input with nothing to
    report, and returns ``None`` for anything else. It is compiled when the wheel is built (see
    ``hatch_build.py``); without it, or with ``SSMLKIT_PURE_PYTHON=1`` in the environment, every
    scan runs in Python.
    """
    import os

    if os.environ.get("SSMLKIT_PURE_PYTHON") == "1":
        return None
    try:
        from ssmlkit import _cscan
    except ImportError:
        return None
    _cscan.configure(Span, Text, Comment, UnknownElement, dict(KNOWN_ELEMENTS), MAX_DEPTH)
    fast: Callable[[str, int], tuple[Node, ...] | None] = _cscan.scan
    return fast


#: The C fast path (``None``: every scan runs in Python).
FAST_SCAN = _load_fast_path()


def scan(
    text: str,
    body_start: int = 0,
    *,
    encoding: str | None = None,
    declared_encoding: str | None = None,
) -> ScanResult:
    """Scan decoded SSML ``text`` from ``body_start`` (after any XML declaration).

    The document keeps ``text`` as its source, with the ``encoding`` it was decoded from and the
    one its declaration named, when given.
    """
    if FAST_SCAN is not None:
        items = FAST_SCAN(text, body_start)  # (pauses the cyclic collector itself)
        if items is not None:  # nothing to report: the same nodes the Python scanner would
            # build, and nothing libxml2 would refuse (see _cscan.c)
            document = Document._from_scanned(items, text, encoding, declared_encoding)
            return ScanResult(document, (), _NO_PREFIXES, True)
    with paused_gc():  # many small acyclic objects: see ssmlkit._gc
        return _python_scan(text, body_start, encoding, declared_encoding)


_NO_PREFIXES: frozenset[str] = frozenset()


def scan_python(text: str, body_start: int = 0) -> ScanResult:
    """:func:`scan` without the C fast path: the reference the fast path is tested against."""
    with paused_gc():
        return _python_scan(text, body_start)


def _python_scan(
    text: str,
    body_start: int,
    encoding: str | None = None,
    declared_encoding: str | None = None,
) -> ScanResult:
    from ssmlkit._pyscan import Scanner  # first use only: see the module docstring

    return Scanner(text, body_start).run(encoding, declared_encoding)
