"""What both scanners share: limits, positions and records (:class:`ScanResult`, ...).

Usage::

    from ssmlkit._syntax import LineIndex
    LineIndex("a\\nbc").position(3)     # (2, 2): line 2, column 2

:mod:`ssmlkit._scan` (which chooses the C fast path or the Python scanner) and
:mod:`ssmlkit._pyscan` (the Python scanner) both import from here, so the Python scanner never
imports :mod:`ssmlkit._scan`, which imports it (on first use): no import cycle.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import partial

from ssmlkit._records import Record, record, setfield
from ssmlkit.model import Document, Span

__all__ = [
    "BARE_AMPERSAND",
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "LineIndex",
    "ScanResult",
    "SyntaxProblem",
    "doctype_end",
    "is_xml_char",
    "new_span",
]

_LINE_BREAK = re.compile(r"\r\n?|\n")
_NEWLINE = re.compile("\n")


#: How deep elements may nest. SSML needs three levels; libxml2 refuses more than 256 (with our
#: wrapper element, 255 in the document). Deeper input stops the scan, so that rules which look at
#: an element's subtree stay cheap and a hostile 50,000-deep document is refused at once.
MAX_DEPTH = 255

#: How many syntax problems one scan reports before it stops reading: a flood of them (10 MB of
#: NULs or bare '<') would otherwise cost minutes and gigabytes in findings nobody reads.
MAX_PROBLEMS = 1000

#: The message of a ``bare-ampersand`` problem in character data: both scanners report it (the C
#: fast path gives the offsets, :mod:`ssmlkit._scan` the words), so the text lives here once.
BARE_AMPERSAND = "unescaped '&'; write &amp; (or a reference such as &lt; ended by ';')"


def is_xml_char(code: int) -> bool:
    """Whether code point ``code`` may appear in an XML 1.0 document."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


@record
class SyntaxProblem(Record):
    """One well-formedness problem: ``kind`` is a stable key (``"bare-ampersand"``, ...)."""

    kind: str
    message: str
    start: int
    end: int
    line: int
    column: int

    def __init__(
        self, kind: str, message: str, start: int, end: int, line: int, column: int
    ) -> None:
        setfield(self, "kind", kind)
        setfield(self, "message", message)
        setfield(self, "start", start)
        setfield(self, "end", end)
        setfield(self, "line", line)
        setfield(self, "column", column)


@record
class ScanResult(Record):
    """The document the scanner recovered and the problems it met on the way.

    ``well_formed`` is true when the C fast path took the input: it accepts only what libxml2
    accepts, so :func:`ssmlkit.parse.scan_source` need not ask lxml again.
    """

    document: Document
    problems: tuple[SyntaxProblem, ...]
    prefixes: frozenset[str]
    well_formed: bool = False

    def __init__(
        self,
        document: Document,
        problems: tuple[SyntaxProblem, ...],
        prefixes: frozenset[str],
        well_formed: bool = False,
    ) -> None:
        setfield(self, "document", document)
        setfield(self, "problems", problems)
        setfield(self, "prefixes", prefixes)
        setfield(self, "well_formed", well_formed)


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
            return new_span((start, end, 1, start + 1, 1, end + 1))
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end)
        return new_span(
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
new_span: Callable[[tuple[int, int, int, int, int, int]], Span] = partial(tuple.__new__, Span)


def doctype_end(text: str, start: int) -> int:
    """The index after the ``<!DOCTYPE ...>`` declaration opening at ``start`` (its ``<``).

    The internal subset (``[...]``) and quoted literals may hold ``>``; an unclosed declaration
    runs to the end of ``text``.
    """
    depth = 0
    quote = ""
    for i in range(start + 2, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return i + 1
    return len(text)
