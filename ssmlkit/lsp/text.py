"""Open documents and LSP positions: offsets into the text <-> ``(line, character)``.

Usage::

    from ssmlkit.lsp.text import LineIndex
    index = LineIndex("你好 & x\\n", "utf-16")
    index.position(3)          # (0, 3): the '&' after two ideographs and a space
    index.offset(0, 3)         # 3
    LineIndex("😀&", "utf-16").position(1)   # (0, 2): an emoji is two UTF-16 code units

Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` and nowhere else, as the protocol says (Python's
``str.splitlines`` also breaks at form feeds and U+2028, which would shift every later line).
Characters are counted in the encoding negotiated at ``initialize``: UTF-16 code units unless the
client prefers UTF-8 bytes or UTF-32 code points. A position past the end of its line or of the
document is clamped, as the protocol asks, so no request can point outside the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = ["ENCODINGS", "LineIndex", "OpenDocument", "apply_change"]

#: The position encodings the server speaks, in the protocol's names.
ENCODINGS = ("utf-16", "utf-8", "utf-32")

_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the text takes."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Where each line of ``text`` starts, and conversions between offsets and positions."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding if encoding in ENCODINGS else "utf-16"
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def line_of(self, offset: int) -> int:
        """The 0-based line holding ``offset`` (clamped into the text)."""
        offset = max(0, min(offset, len(self.text)))
        return bisect.bisect_right(self.starts, offset) - 1

    def line_end(self, line: int) -> int:
        """The offset where ``line``'s content ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if self.text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """The ``(line, character)`` of ``offset``, characters in the negotiated encoding."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.starts[line]
        return line, _units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of a position; past the line's end or the last line means the end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if character <= 0:
            return start
        segment = self.text[start:end]
        if self.encoding == "utf-32" or segment.isascii():
            return start + min(character, len(segment))
        used = 0
        for i, ch in enumerate(segment):
            width = _units(ch, self.encoding)
            if used + width > character:
                # inside a character (half a surrogate pair, a byte of UTF-8): its start
                return start + i
            used += width
            if used == character:
                return start + i + 1
        return end


@dataclass
class OpenDocument:
    """One document the client has open: its text, version and language."""

    uri: str
    text: str
    version: int | None = None
    language: str = "ssml"
    _index: LineIndex | None = field(default=None, repr=False)
    _encoding: str = field(default="", repr=False)

    def index(self, encoding: str) -> LineIndex:
        """The line index of the current text (built once per text and encoding)."""
        if self._index is None or self._index.text is not self.text or self._encoding != encoding:
            self._index = LineIndex(self.text, encoding)
            self._encoding = encoding
        return self._index


def apply_change(
    text: str,
    new_text: str,
    start: tuple[int, int] | None,
    end: tuple[int, int] | None,
    encoding: str,
) -> str:
    """``text`` with one ``didChange`` content change applied (no range: the whole text).

    A range whose end lies before its start is read as the empty range at its start, and
    positions outside the text are clamped, so a confused client cannot corrupt the document.
    """
    if start is None or end is None:
        return new_text
    index = LineIndex(text, encoding)
    a = index.offset(*start)
    b = max(a, index.offset(*end))
    return text[:a] + new_text + text[b:]
