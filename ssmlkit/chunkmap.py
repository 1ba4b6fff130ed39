"""Where a split document's chunks come from: counted size and source line range of each chunk.

Usage::

    entries, warnings = chunk_map(open("book.ssml").read(), max_chars=5000)
    for e in entries:
        print(e.index, e.chars, e.source_lines)      # 0 4987 (1, 58)

:func:`source_lines` answers the same question for chunks already made by
:func:`ssmlkit.splitter.split`: the splitter builds new text nodes where it cuts (they carry no
position), but the chunks' text, read in order, is the document's text, so each chunk's
characters are found again in the parsed document's text nodes, whose positions are known.
Elements are never cut and keep their own positions. Lines count from 1; whitespace alone does
not make a chunk reach a line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ssmlkit.model import Comment, Document, Element, Node, ProcessingInstruction, Speak, Text

if TYPE_CHECKING:
    from ssmlkit.splitter import SplitWarning

__all__ = ["ChunkInfo", "chunk_map", "source_lines"]

Lines = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ChunkInfo:
    """One chunk of a split: its position, counted ``chars``, ``source_lines`` and ``ssml`` text."""

    index: int
    chars: int
    source_lines: Lines | None
    ssml: str

    def to_dict(self) -> dict[str, object]:
        """The JSON form used by ``ssmlkit split --format json`` and ``POST /v1/chunks``."""
        lines = list(self.source_lines) if self.source_lines is not None else None
        return {"ssml": self.ssml, "chars": self.chars, "source_lines": lines}


def _atoms(items: Sequence[Node]) -> list[Node]:
    """The text nodes and elements that carry a chunk's content, in document order."""
    out: list[Node] = []
    for item in items:
        if isinstance(item, Speak):
            out.extend(
                c for c in item.children if not isinstance(c, Comment | ProcessingInstruction)
            )
        elif isinstance(item, Text) and item.value.strip():
            out.append(item)
    return out


class _TextIndex:
    """The document's text, concatenated, and the line of any offset into it."""

    def __init__(self, doc: Document) -> None:
        self.nodes = [n for n in _atoms(doc.items) if isinstance(n, Text)]
        self.starts: list[int] = []
        at = 0
        for node in self.nodes:
            self.starts.append(at)
            at += len(node.value)
        self.length = at

    def line(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        if i < 0 or i >= len(self.nodes):
            return None
        node = self.nodes[i]
        if node.span is None:
            return None
        return node.span.line + node.value.count("\n", 0, offset - self.starts[i])


def source_lines(doc: Document, chunks: Sequence[Document]) -> list[Lines | None]:
    """The first and last source line of each of ``chunks`` (split from ``doc``), or ``None``.

        >>> from ssmlkit.parse import parse
        >>> from ssmlkit.splitter import split
        >>> doc = parse("<speak>\\n第一句。\\n第二句。\\n</speak>")
        >>> source_lines(doc, split(doc, max_chars=10))
        [(2, 2), (3, 3)]

    ``None`` for a chunk without positioned content (a built document, or only whitespace).
    """
    index = _TextIndex(doc)
    cursor = 0
    out: list[Lines | None] = []
    for chunk in chunks:
        lines: list[int] = []
        for node in _atoms(chunk.items):
            if isinstance(node, Text):
                value = node.value
                stripped = value.strip()
                if stripped and cursor + len(value) <= index.length:
                    first = cursor + value.index(stripped[0])
                    last = cursor + len(value.rstrip()) - 1
                    lines.extend(x for x in (index.line(first), index.line(last)) if x is not None)
                cursor += len(value)
            elif isinstance(node, Element) and node.span is not None:
                lines.extend((node.span.line, node.span.end_line))
        out.append((min(lines), max(lines)) if lines else None)
    return out


def chunk_map(
    source: str | bytes | Document,
    *,
    max_chars: int,
    target_chars: int | None = None,
    path: str | None = None,
) -> tuple[list[ChunkInfo], list[SplitWarning]]:
    """Split ``source`` and describe each chunk; also return the splitter's warnings.

        >>> entries, _ = chunk_map("<speak>一。二。</speak>", max_chars=4)
        >>> [(e.chars, e.source_lines) for e in entries]
        [(3, (1, 1)), (3, (1, 1))]

    Raises what :func:`ssmlkit.splitter.split_with_warnings` raises (``ParseError``,
    ``SplitError``).
    """
    from ssmlkit.measure import measure
    from ssmlkit.parse import parse
    from ssmlkit.serialize import serialize
    from ssmlkit.splitter import split_with_warnings

    doc = source if isinstance(source, Document) else parse(source, path=path)
    chunks, warnings = split_with_warnings(doc, max_chars=max_chars, target_chars=target_chars)
    lines = source_lines(doc, chunks)
    entries = [
        ChunkInfo(i, measure(chunk), where, serialize(chunk))
        for i, (chunk, where) in enumerate(zip(chunks, lines, strict=True))
    ]
    return entries, list(warnings)
