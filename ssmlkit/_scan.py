"""The scanner's entry point: :func:`scan`, which returns a :class:`ScanResult`.

lxml gives element line numbers but no columns, stops at the first syntax error, and cannot parse a
document with several top-level elements. So ssmlkit scans the text itself, builds the model with
exact spans and, instead of stopping, records every syntax problem it can recover from (a bare
``&``, a bare ``<``, a mismatched end tag, ...), so the linter can report them all in one run.

Two scanners do this. The C fast path (``_cscan.c``) takes documents with nothing to report, which
is nearly all of them, and those whose only problems are bare ``&`` in text ("R&D", the commonest
slip in hand-written SSML): it gives their offsets, and :func:`scan` words the problems exactly as
the Python scanner would. Everything else goes to the tolerant Python scanner in
:mod:`ssmlkit._pyscan` (imported on first use, which keeps its regular expressions out of start-up),
and :func:`ssmlkit.parse.parse` then lets lxml confirm well-formedness. What both scanners share
(limits, :class:`LineIndex`, the records) is in :mod:`ssmlkit._syntax`.
"""

from __future__ import annotations

from typing import Protocol

from ssmlkit._gc import paused_gc
from ssmlkit._syntax import (
    BARE_AMPERSAND,
    MAX_DEPTH,
    MAX_PROBLEMS,
    LineIndex,
    ScanResult,
    SyntaxProblem,
)
from ssmlkit.model import KNOWN_ELEMENTS, Comment, Document, Node, Span, Text, UnknownElement

# The limits, LineIndex and the records live in ssmlkit._syntax, which the Python scanner imports
# too; they are named here as well because this is where the rest of the package finds them.
__all__ = [
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "FastScan",
    "LineIndex",
    "ScanResult",
    "SyntaxProblem",
    "scan",
]


class FastScan(Protocol):
    """The C fast path's ``scan(text, body_start[, bare])``.

    It returns the top-level nodes :class:`ssmlkit._pyscan.Scanner` would build, or ``None`` for
    input it leaves to the Python scanner. Without ``bare`` it takes only input with nothing to
    report; with a list, also input whose only problems are bare ``&`` in character data, whose
    offsets it appends to the list (in document order, at most :data:`MAX_PROBLEMS`).
    """

    def __call__(
        self, text: str, body_start: int, bare: list[int] = ..., /
    ) -> tuple[Node, ...] | None: ...


def _load_fast_path() -> FastScan | None:
    """The C fast path's ``scan``, configured with the model's classes; ``None`` when unavailable.

    ``ssmlkit/_cscan.c`` builds the same nodes as :class:`ssmlkit._pyscan.Scanner` for input
    with nothing to report (or only bare ``&``), and returns ``None`` for anything else. It is
    compiled when the wheel is built (see ``hatch_build.py``); without it, or with
    ``SSMLKIT_PURE_PYTHON=1`` in the environment, every scan runs in Python.
    """
    import os

    if os.environ.get("SSMLKIT_PURE_PYTHON") == "1":
        return None
    try:
        from ssmlkit import _cscan
    except ImportError:
        return None
    _cscan.configure(Span, Text, Comment, UnknownElement, dict(KNOWN_ELEMENTS), MAX_DEPTH)
    fast: FastScan = _cscan.scan
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
        bare: list[int] = []
        items = FAST_SCAN(text, body_start, bare)  # (pauses the cyclic collector itself)
        if items is not None:  # the same nodes the Python scanner would build
            document = Document._from_scanned(items, text, encoding, declared_encoding)
            if not bare:  # nothing to report, and nothing libxml2 would refuse (see _cscan.c)
                return ScanResult(document, (), _NO_PREFIXES, True)
            if len(bare) <= MAX_PROBLEMS:  # (more, and the Python scanner stops early)
                # Its only problems are these, as the Python scanner words them; and no prefixed
                # names (C declines those here), so its prefixes are none too.
                return ScanResult(document, _bare_ampersands(text, bare), _NO_PREFIXES)
    with paused_gc():  # many small acyclic objects: see ssmlkit._gc
        return _python_scan(text, body_start, encoding, declared_encoding)


_NO_PREFIXES: frozenset[str] = frozenset()


def _bare_ampersands(text: str, offsets: list[int]) -> tuple[SyntaxProblem, ...]:
    """The ``bare-ampersand`` problems at ``offsets`` of ``text``, as the Python scanner reports them."""
    position = LineIndex(text).position
    return tuple(
        SyntaxProblem("bare-ampersand", BARE_AMPERSAND, at, at + 1, *position(at)) for at in offsets
    )


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
