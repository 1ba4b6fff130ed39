"""Split a long SSML document into chunks the service accepts, cutting only where it is safe.

    >>> from ssmlkit import parse, serialize
    >>> chunks = split('<speak rate="1.1">第一句。第二句。</speak>', max_chars=10)
    >>> [serialize(c) for c in chunks]
    ['<speak rate="1.1">第一句。</speak>', '<speak rate="1.1">第二句。</speak>']

:func:`split` returns the chunks; :func:`split_with_warnings` also returns :class:`SplitWarning`
records (for example: a ``<speak bgm>`` was cut, so the music restarts in every chunk). Sizes are
counted as :func:`ssmlkit.measure.count_text` counts, the one counting rule (from its
:func:`~ssmlkit.measure.ideograph_mask`, so each character is classified once).

How it works. A document that fits within ``target_chars`` comes back unchanged, as one chunk.
Otherwise each top-level ``<speak>`` is flattened into one string in which every child element is
one placeholder character (elements are never cut), runs of neighbouring ``<speak>`` elements with
identical attributes are joined into one *group* (with a junction mark between them), and each
group is cut with a window search: for every chunk the cut goes at the best kind of cut point
within the last quarter of the balanced chunk size, nearest to that size. Cut points, best first:

0. between two ``<speak>`` elements;
1. after a ``<break>`` (a run of breaks is never divided);
2. after sentence-final punctuation (``。！？…``, and ``.!?`` followed by a space), with any closing
   quotes or brackets; also after a ``<soundEvent>``;
3. after clause punctuation (``，、；：`` and ``,;:`` followed by a space);
4. at whitespace between words, except between a number and its unit (``5 kg``, ``$ 5``); a
   no-break space is not a cut point;
5. only when none of the above exists: between two characters where one is CJK (a long run of
   Han or kana), never between a digit and a following Han character (``5公斤``), never before
   closing punctuation or after opening punctuation.

Whitespace at a cut point stays in the left chunk, so the chunks' text concatenated equals the
document's text. Grapheme clusters are approximated without a dependency: no cut lands before a
combining mark (category M), a zero-width joiner, a variation selector, an emoji modifier, a keycap
mark, a tag character or a Hangul vowel/final jamo, nor after a zero-width joiner, nor inside a
regional-indicator pair (a flag), nor inside CR LF.

Each chunk is a :class:`~ssmlkit.model.Document` holding exactly one ``<speak>`` with the
attributes of the ``<speak>`` it was cut from. Comments inside a ``<speak>`` stay where they stand
(one exactly at a cut point goes with the text after it); top-level comments between merged
``<speak>`` elements move inside the merged one at the same place; other top-level comments and
processing instructions go to the top of the next chunk (or the end of the last one).
Whitespace-only text between ``<speak>`` elements is dropped; other text outside ``<speak>`` is
wrapped in an attribute-less ``<speak>`` of its own, with a warning (the service's treatment of
such text is undocumented). Input that is not well-formed raises
:class:`~ssmlkit.errors.ParseError` (from :func:`ssmlkit.parse.parse`); a unit that cannot be cut
(an element, a word, a number with its unit) and is larger than ``max_chars`` raises
:class:`~ssmlkit.errors.SplitError` naming its line and column.

The work is linear in the input: sizes come from a block prefix table over a one-byte-per-character
ideograph mask (so no text is ever re-counted), each chunk's cut search scans only its own window,
and a chunk's nodes are a slice of the group's node list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, cast

from ssmlkit._gc import paused_gc
from ssmlkit.errors import SplitError
from ssmlkit.measure import count_text, ideograph_mask, is_cjk_ideograph, measure
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Span,
    Speak,
    Sub,
    Text,
    UnknownElement,
)
from ssmlkit.parse import parse
from ssmlkit.profiles.cosyvoice import MAX_CHARS
from ssmlkit.serialize import serialize
from ssmlkit.sources import as_source

if TYPE_CHECKING:
    from ssmlkit.sources import Source

__all__ = ["BGM_RESTARTS", "OUTSIDE_SPEAK", "SplitWarning", "split", "split_with_warnings"]

#: Warning code: a ``<speak bgm>`` was cut, so its background music restarts in every chunk.
BGM_RESTARTS = "SPLIT001"
#: Warning code: text outside ``<speak>`` was wrapped in a ``<speak>`` without attributes.
OUTSIDE_SPEAK = "SPLIT002"


@dataclass(frozen=True, slots=True)
class SplitWarning:
    """A finding made while splitting: ``code``, ``message`` and the ``span`` it is about.

    >>> _, warnings = split_with_warnings('<speak bgm="https://x/a.wav">一。二。</speak>', max_chars=4)
    >>> warnings[0].code
    'SPLIT001'
    """

    code: str
    message: str
    span: Span | None = field(default=None, compare=False)
    severity: str = "warning"


# Placeholder characters (Unicode noncharacters) for the nodes inside a flattened <speak>.
_BRK = "\ufdd0"  # <break>
_SND = "\ufdd1"  # <soundEvent>, or a block-like unknown element (<p>, <s>)
_WRD = "\ufdd2"  # an inline element whose text is not all CJK: word-like
_CJK = "\ufdd3"  # an inline element whose text is all CJK
_JCT = "\ufdd4"  # the junction between two merged <speak> elements
_PH = _BRK + _SND + _WRD + _CJK + _JCT

# Whitespace that separates words; no-break spaces (U+00A0, U+2007, U+202F) are left out.
_WS = " \t\n\r\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"
_CLOSERS = "”’」』）》〉】〕］｝)\\]}\"'»›"
_BLOCK_ELEMENTS = frozenset({"p", "s", "paragraph", "sentence"})

# The patterns are compiled on first use (see _pattern): ``import ssmlkit`` loads this module,
# and compiling them all took several milliseconds of every start-up.
_LEVELS = (
    _JCT,
    f"{_BRK}+[{_WS}]*",
    f"{_SND}[{_WS}]*|[。！？｡…‥]+[{_CLOSERS}]*[{_WS}]*"
    f"|[.!?]+[{_CLOSERS}]*(?:[{_WS}]+|(?=[{_PH}])|\\Z)",
    f"[，、；：﹐﹑﹔﹕]+[{_CLOSERS}]*[{_WS}]*|[,;:]+[{_CLOSERS}]*(?:[{_WS}]+|(?=[{_PH}])|\\Z)",
    f"[{_WS}]+",
)
# The same patterns as the scanner runs them: each begins with a literal or a character class
# (the branch taken is then checked with a one-character look-behind), so the regex engine skips
# to the next possible start in C instead of trying every branch at every position. Measured on
# a 6,000-character window of the benchmark text: level 1 ~12x, levels 2 and 3 ~3x faster.
# tests/property/test_split_speed_props.py checks that they match exactly what _LEVELS matches.
_SENTENCE_END = "。！？｡…‥"
_CLAUSE_END = "，、；：﹐﹑﹔﹕"
_SCAN_LEVELS = (
    _JCT,
    f"{_BRK}{_BRK}*[{_WS}]*",
    f"[{_SND}{_SENTENCE_END}.!?](?:(?<={_SND})[{_WS}]*"
    f"|(?<=[{_SENTENCE_END}])[{_SENTENCE_END}]*[{_CLOSERS}]*[{_WS}]*"
    f"|(?<=[.!?])[.!?]*[{_CLOSERS}]*(?:[{_WS}]+|(?=[{_PH}])|\\Z))",
    f"[{_CLAUSE_END},;:](?:(?<=[{_CLAUSE_END}])[{_CLAUSE_END}]*[{_CLOSERS}]*[{_WS}]*"
    f"|(?<=[,;:])[,;:]*[{_CLOSERS}]*(?:[{_WS}]+|(?=[{_PH}])|\\Z))",
    f"[{_WS}]+",
)
_WS_SET = frozenset(" \t\n\r\u1680\u2028\u2029\u205f\u3000") | frozenset(
    chr(c) for c in (*range(0x2000, 0x2007), *range(0x2008, 0x200B))
)
_KANA_ETC = "[\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff" + _CJK + "]"
_ALL_CJK = (
    "[\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]+"
)


@cache
def _pattern(source: str) -> re.Pattern[str]:
    """``source`` compiled, once."""
    return re.compile(source)


_BLOCK = 256  # characters per entry of the size prefix table
_SLACK = 64  # look-ahead past a window's end, for patterns that peek at the next character


def split(
    source: Source,
    *,
    max_chars: int = MAX_CHARS,
    target_chars: int | None = None,
) -> list[Document]:
    """Split ``source`` into chunks of at most ``max_chars``: ``split(speak(...))`` or ``split(text)``.

        >>> len(split("<speak>" + "很长的句子。" * 3000 + "</speak>"))
        2

    ``source`` is SSML text or bytes, a :class:`Document`, a node such as a ``<speak>`` from
    :mod:`ssmlkit.builder`, or a list or tuple of them (the items of one document); anything else
    raises :class:`TypeError`. ``target_chars`` (default ``max_chars``) is the size to fill chunks
    toward; a unit larger than it may still fill a chunk up to ``max_chars``. The same input
    always gives the same chunks.
    """
    if not isinstance(source, str | bytes | Document):
        source = as_source(source, "split")  # here too, so a TypeError names split()
    return split_with_warnings(source, max_chars=max_chars, target_chars=target_chars)[0]


def split_with_warnings(
    source: Source,
    *,
    max_chars: int = MAX_CHARS,
    target_chars: int | None = None,
) -> tuple[list[Document], list[SplitWarning]]:
    """Like :func:`split`, and also return the warnings (``SPLIT001`` bgm restarts, ...).

    >>> chunks, warnings = split_with_warnings("<speak>你好</speak>")
    >>> len(chunks), warnings
    (1, [])

    Takes the same ``source`` as :func:`split`. A :class:`~ssmlkit.errors.SplitError` about a
    built document gives the line and column in its serialized text.
    """
    if not isinstance(source, str | bytes | Document):
        source = as_source(source, "split_with_warnings")
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ValueError(f"max_chars must be a positive integer, not {max_chars!r}")
    target = max_chars if target_chars is None else target_chars
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= max_chars:
        raise ValueError(f"target_chars must be an integer in [1, max_chars], not {target_chars!r}")
    try:
        with paused_gc():  # many small acyclic objects: see ssmlkit._gc
            return _split(source, max_chars, target)
    except SplitError:
        if not isinstance(source, Document) or source.source is not None:
            raise
        # A built document has no positions: split its serialized text once more, only to raise
        # an error that says where, as lint() and validate() point into that text.
        with paused_gc():
            _split(parse(serialize(source)), max_chars, target)
        raise


def _split(
    text_or_doc: str | bytes | Document, max_chars: int, target: int
) -> tuple[list[Document], list[SplitWarning]]:
    doc = text_or_doc if isinstance(text_or_doc, Document) else parse(text_or_doc)
    warnings: list[SplitWarning] = []
    groups = _group(doc, warnings)
    cutters = {id(g): _Cutter(g, max_chars, target, doc.source) for g in groups if g.pieces}
    # The document's measure, from the tables just built (text is counted only once).
    total = sum(c.upto(c.n) for c in cutters.values()) + sum(
        count_text(i.value) for i in doc.items if isinstance(i, Text) and not i.value.strip()
    )
    if total <= target:
        return [doc], []
    chunks: list[Document] = []
    pending: list[Node] = []
    for group in groups:
        if group.pieces:
            pending.extend(group.lead)
            for a, b in cutters[id(group)].ranges():
                chunks.append(Document((*pending, group.chunk(a, b))))
                pending = []
            warnings.extend(group.bgm_warnings)
        else:  # trailing top-level comments
            pending.extend(group.lead)
    if pending and chunks:
        last = chunks[-1]
        chunks[-1] = Document((*last.items, *pending))
    return chunks, warnings


@dataclass(slots=True)
class _Piece:
    """One flattened ``<speak>`` (or stray top-level text): a string with placeholders.

    ``nodes`` are the children in order and ``starts`` the flat offset where each begins (a comment
    or processing instruction, which takes no room, begins where the next node does), so a chunk
    is mostly a slice of ``nodes``. ``epos``, ``enodes`` and ``extras`` list the placeholders.
    """

    flat: str
    speak: Speak | None
    nodes: tuple[Node, ...]
    starts: list[int]
    epos: list[int]  # offset of each placeholder
    enodes: list[Element | None]  # its element
    extras: list[int]  # its counted size minus 1 (the placeholder itself)


# Inline elements whose placeholder depends only on their text: checked by exact type first, which
# saves an isinstance chain for most elements (see _placeholder).
_INLINE_TYPES = frozenset({Sub, SayAs, Phoneme})


def _placeholder(node: Element) -> tuple[str, int]:
    """The placeholder character for ``node`` and its counted size."""
    children = node.children
    if type(node) in _INLINE_TYPES and len(children) == 1 and type(children[0]) is Text:
        # The usual case, one text child: no tree walk. ASCII text has no ideograph, kana or Han,
        # so it counts its length and is word-like; this skips the count and the CJK match.
        text = children[0].value
        if text.isascii():
            return _WRD, len(text)
        return (_CJK if _pattern(_ALL_CJK).fullmatch(text) else _WRD), count_text(text)
    if isinstance(node, Break | SoundEvent) and not children:
        return (_BRK if isinstance(node, Break) else _SND), 0
    text = children[0].value if len(children) == 1 and type(children[0]) is Text else node.text
    size = count_text(text)
    if isinstance(node, Break):
        return _BRK, size
    if isinstance(node, SoundEvent):
        return _SND, size
    if isinstance(node, UnknownElement) and node.qname.lower() in _BLOCK_ELEMENTS:
        return _SND, size
    return (_CJK if _pattern(_ALL_CJK).fullmatch(text) else _WRD), size


def _flatten(children: tuple[Node, ...], speak: Speak | None) -> _Piece:
    parts: list[str] = []
    starts: list[int] = []
    epos: list[int] = []
    enodes: list[Element | None] = []
    extras: list[int] = []
    pos = 0
    for child in children:
        starts.append(pos)
        if isinstance(child, Text):
            parts.append(child.value)
            pos += len(child.value)
        elif isinstance(child, Element):
            if type(child) is Break and not child.children:  # the commonest element: no call
                mark, size = _BRK, 0
            else:
                mark, size = _placeholder(child)
            parts.append(mark)
            epos.append(pos)
            enodes.append(child)
            extras.append(size - 1)
            pos += 1
    return _Piece("".join(parts), speak, children, starts, epos, enodes, extras)


def _joinable(left: str, right: str) -> bool:
    """Whether two <speak> bodies can be merged without gluing two words together."""
    if not left or not right:
        return True
    a, b = left[-1], right[0]
    if a in _WS_SET or b in _WS_SET or a in _BRK + _SND or b in _BRK + _SND:
        return True
    if unicodedata.category(a)[0] == "P":
        return True
    return _is_cjkish(a) and _is_cjkish(b)


def _is_cjkish(char: str) -> bool:
    return is_cjk_ideograph(char) or _pattern(_KANA_ETC).match(char) is not None


class _Group:
    """Neighbouring <speak> elements with identical attributes, cut as one."""

    def __init__(self, attrs: tuple[tuple[str, str], ...], lead: list[Node]) -> None:
        self.attrs = attrs
        self.lead = lead
        self.pieces: list[_Piece] = []
        self.moved: list[list[Node]] = []  # top-level comments standing before each piece
        self.bgm_warnings: list[SplitWarning] = []
        self.flat = ""
        self.starts: list[int] = []  # where each piece begins in flat
        # Every node in order (None for a junction mark) and the flat offset where it begins.
        self.nodes: list[Node | None] | tuple[Node, ...] = []
        self.nstarts: list[int] = []
        self.epos: list[int] = []
        self.enodes: list[Element | None] = []
        self.extras: list[int] = []  # counted size minus 1 (the placeholder) per placeholder

    def add(self, piece: _Piece, moved: list[Node]) -> None:
        self.pieces.append(piece)
        self.moved.append(moved)

    def build(self) -> None:
        """Concatenate the pieces into one string, junction marks between them."""
        if len(self.pieces) == 1 and not self.moved[0]:
            # One piece (the usual case): its tables are the group's, nothing is copied.
            piece = self.pieces[0]
            self.flat = piece.flat
            self.starts = [0]
            self.nodes, self.nstarts = piece.nodes, piece.starts
            self.epos, self.enodes, self.extras = piece.epos, piece.enodes, piece.extras
            return
        parts: list[str] = []
        nodes: list[Node | None] = []
        pos = 0
        for i, piece in enumerate(self.pieces):
            if i:
                parts.append(_JCT)
                nodes.append(None)
                self.nstarts.append(pos)
                self.epos.append(pos)
                self.enodes.append(None)
                self.extras.append(-1)
                pos += 1
            self.starts.append(pos)
            nodes.extend(self.moved[i])
            self.nstarts.extend([pos] * len(self.moved[i]))
            nodes.extend(piece.nodes)
            self.nstarts.extend([pos + s for s in piece.starts])
            self.epos.extend([pos + e for e in piece.epos])
            self.enodes.extend(piece.enodes)
            self.extras.extend(piece.extras)
            parts.append(piece.flat)
            pos += len(piece.flat)
        self.flat = "".join(parts)
        self.nodes = nodes

    def piece_at(self, pos: int) -> int:
        """The index of the piece holding flat position ``pos``."""
        return max(0, bisect_left(self.starts, pos + 1) - 1)

    def chunk(self, a: int, b: int) -> Speak:
        """The <speak> for flat range [a, b) (comments at ``b`` go to the next chunk).

        The nodes that begin in [a, b) are a slice of the group's nodes (the original objects,
        spans and all); only a text node cut by ``a`` or ``b`` is replaced by its part in range.
        """
        flat, nodes, starts = self.flat, self.nodes, self.nstarts
        i = bisect_left(starts, a)
        j = len(nodes) if b == len(flat) else bisect_left(starts, b)
        out: list[Node | None] = list(nodes[i:j])
        if out and isinstance(last := out[-1], Text) and starts[j - 1] + len(last.value) > b:
            out[-1] = Text(flat[starts[j - 1] : b])
        if i and isinstance(prev := nodes[i - 1], Text):
            end = starts[i - 1] + len(prev.value)
            if end > a:  # the text node before the range reaches into it
                out.insert(0, Text(flat[a : min(end, b)]))
        if len(self.pieces) > 1:
            children = tuple(node for node in out if node is not None)  # drop junction marks
        else:
            children = cast("tuple[Node, ...]", tuple(out))  # a single piece has no junction
        src = self.pieces[self.piece_at(a)].speak
        if src is None:
            return Speak(attrs=self.attrs, children=children)
        return Speak(
            attrs=self.attrs,
            children=children,
            start_tag=src.start_tag,
            attr_spans=src.attr_spans,
            value_spans=src.value_spans,
        )

    def text_before(self, pos: int) -> tuple[int, Text] | None:
        """The last text node that begins at or before flat ``pos``, with its offset."""
        k = bisect_right(self.nstarts, pos) - 1
        while k >= 0:
            node = self.nodes[k]
            if isinstance(node, Text):
                return self.nstarts[k], node
            k -= 1
        return None


def _group(doc: Document, warnings: list[SplitWarning]) -> list[_Group]:
    groups: list[_Group] = []
    pending: list[Node] = []
    current: _Group | None = None
    for item in doc.items:
        if isinstance(item, Speak):
            piece = _flatten(item.children, item)
            if (
                current is not None
                and dict(current.attrs) == dict(item.attrs)
                and _joinable(current.pieces[-1].flat, piece.flat)
            ):
                current.add(piece, pending)
            else:
                current = _Group(item.attrs, pending)
                current.add(piece, [])
                groups.append(current)
            pending = []
        elif isinstance(item, Text):
            if not item.value.strip():
                continue
            warnings.append(
                SplitWarning(
                    OUTSIDE_SPEAK,
                    "text outside <speak> was put in a <speak> without attributes",
                    item.span,
                )
            )
            current = None
            stray = _Group((), pending)
            stray.add(_flatten((item,), None), [])
            groups.append(stray)
            pending = []
        elif isinstance(item, Comment | ProcessingInstruction):
            pending.append(item)
        else:  # an element other than <speak> at the top level
            current = None
            stray = _Group((), pending)
            stray.add(_flatten((item,), None), [])
            groups.append(stray)
            pending = []
    if pending:
        groups.append(_Group((), pending))
    for group in groups:
        if group.pieces:
            group.build()
    return groups


class _Cutter:
    """Finds the cut points of one group."""

    def __init__(self, group: _Group, max_chars: int, target: int, source: str | None) -> None:
        self.group = group
        self.flat = flat = group.flat
        self.n = len(flat)
        self.max_chars = max_chars
        self.target = target
        self.source = source
        self.eprefix = [0, *accumulate(group.extras)]
        # Each character is classified once (``mask``: 1 per ideograph), so a size is a length
        # plus a C byte count, never a re-count of the text (count_text per block and per probe
        # was ~60% of the splitter's time on Han text).
        self.mask = mask = ideograph_mask(flat)
        table = [0]
        for k in range(0, self.n, _BLOCK):
            table.append(table[-1] + min(_BLOCK, self.n - k) + mask.count(1, k, k + _BLOCK))
        self.table = table
        # The full size (placeholders' extras included) of flat[0 : k * _BLOCK] for every k: it
        # never decreases, so reach() finds its block with one C bisect instead of a Python loop.
        epos, eprefix = group.epos, self.eprefix
        self.block_sizes = [
            size + eprefix[bisect_left(epos, k * _BLOCK)] for k, size in enumerate(table)
        ]

    # -- sizes -------------------------------------------------------------------------------
    def upto(self, x: int) -> int:
        """The counted size of flat[0:x]."""
        k = x // _BLOCK
        start = k * _BLOCK
        size = self.table[k] + (x - start) + self.mask.count(1, start, x)
        return size + self.eprefix[bisect_left(self.group.epos, x)]

    def reach(self, a: int, limit: float) -> int:
        """The largest b >= a with size(flat[a:b]) <= limit."""
        bound = self.upto(a) + limit
        # The last block boundary within the limit, from the table alone ...
        hi_k = bisect_right(self.block_sizes, bound, a // _BLOCK + 1) - 1
        lo = max(a, min(hi_k * _BLOCK, self.n))
        hi = min(self.n, (hi_k + 1) * _BLOCK)
        # ... then the exact position inside the next block.
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.upto(mid) <= bound:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # -- the loop ------------------------------------------------------------------------------
    def ranges(self) -> list[tuple[int, int]]:
        """The chunks as flat ranges, in order, covering the whole group."""
        out: list[tuple[int, int]] = []
        p, n = 0, self.n
        while True:
            rest = self.upto(n) - self.upto(p)
            if p >= n or rest <= self.target:
                out.append((p, n))
                break
            count = -(-rest // self.target)
            ideal_size = rest / count
            hi = self.reach(p, self.target)
            # The first position at or past the balanced size, so no chunk falls short of it.
            ideal = self.reach(p, ideal_size)
            if ideal < hi and self.upto(ideal) - self.upto(p) < ideal_size:
                ideal += 1
            # Windows, narrowest first: cuts that keep the chunk count at its minimum (the rest
            # still fits in count - 1 full chunks) and leave no chunk under half the balanced
            # size; then cuts that only avoid tiny chunks.
            keep = self.reach(p, math.ceil(rest - (count - 1) * self.target) - 1) + 1
            half = self.reach(p, ideal_size / 2)
            cut = self.choose(p, (max(keep, half), half), hi, ideal)
            if cut is None and self.target < self.max_chars:
                cut = self.choose(p, (hi + 1,), self.reach(p, self.max_chars), hi)
            if cut is None:
                raise self.error(p)
            out.append((p, cut))
            p = cut
        self.check_bgm(out)
        return out

    def choose(self, p: int, lows: tuple[int, ...], hi: int, ideal: int) -> int | None:
        """The best cut in (p, hi].

        The best kind of cut point in any window [low, hi] (narrowest window first within a
        kind), nearest ``ideal``; else, when the window holds only a run of CJK characters, a cut between two
        of them nearest ``ideal``; else the furthest cut point before the window (a short
        chunk); else the furthest cut between two characters before it.
        """
        lows = tuple(max(lo, p + 1) for lo in lows)
        # The kind of cut outranks the chunk count: a cut between <speak> elements or after a
        # sentence in the wider window beats a cut between words in the narrow one, at the price
        # of at most a chunk more (no chunk ever falls under half the balanced size).
        for level in range(len(_LEVELS)):
            for lo in lows:
                best: int | None = None
                for c in self.candidates(level, lo, hi):
                    if best is None or abs(c - ideal) <= abs(best - ideal):
                        best = c
                if best is not None:
                    return best
        for lo in lows:
            cut = self.char_cut(lo, hi, ideal)
            if cut is not None:
                return cut
        furthest: int | None = None
        for level in range(len(_LEVELS)):
            for c in self.candidates(level, p + 1, lows[-1] - 1):
                if furthest is None or c > furthest:
                    furthest = c
        if furthest is not None:
            return furthest
        for c in range(min(lows[-1] - 1, hi), p, -1):
            if self.char_ok(c):
                return c
        return None

    def candidates(self, level: int, x: int, y: int) -> list[int]:
        """Cut positions of kind ``level`` in [x, y] (0 < c < n)."""
        y = min(y, self.n - 1)
        if x > y:
            return []
        flat = self.flat
        start = max(0, x - _SLACK)
        found: list[int] = []
        for m in _pattern(_SCAN_LEVELS[level]).finditer(flat, start, min(self.n, y + _SLACK)):
            c = m.end()
            if c < x or c > y or c == m.start():
                continue
            if not self.grapheme_ok(c):
                continue
            if level == 4 and not self.space_ok(m.start(), c):
                continue
            found.append(c)
        return found

    def space_ok(self, start: int, c: int) -> bool:
        """No cut at the whitespace between a number and its unit, or a currency and a number."""
        flat = self.flat
        while start > 0 and flat[start - 1] in _WS_SET:
            start -= 1
        if start == 0:
            return True
        left, right = flat[start - 1], flat[c]
        if left.isdigit() and not right.isdigit() and right not in _BRK + _SND + _JCT:
            return False
        return not (unicodedata.category(left) == "Sc" and right.isdigit())

    def grapheme_ok(self, c: int) -> bool:
        """Whether a cut before flat[c] keeps every grapheme cluster whole (approximation)."""
        flat = self.flat
        left, right = flat[c - 1], flat[c]
        r = ord(right)
        if (
            unicodedata.category(right)[0] == "M"
            or r == 0x200D
            or 0xFE00 <= r <= 0xFE0F
            or 0x1F3FB <= r <= 0x1F3FF
            or r == 0x20E3
            or 0xE0020 <= r <= 0xE007F
            or 0xE0100 <= r <= 0xE01EF
            or 0x1160 <= r <= 0x11FF
            or 0xD7B0 <= r <= 0xD7FF
        ):
            return False
        if left == "\u200d" or (left == "\r" and right == "\n"):
            return False
        if _is_ri(left) and _is_ri(right):
            k = c - 1
            while k >= 0 and _is_ri(flat[k]):
                k -= 1
            return (c - 1 - k) % 2 == 0
        return True

    def char_ok(self, c: int) -> bool:
        """Whether ``c`` is an acceptable last-resort cut between two characters."""
        if not 0 < c < self.n:
            return False
        left, right = self.flat[c - 1], self.flat[c]
        if left in _WRD + _CJK and right in _WRD + _CJK:
            return True  # between two inline elements
        lc, rc = _is_cjkish(left), _is_cjkish(right)
        # Emoji and other pictographs (category So) stand apart like CJK characters do.
        lc = lc or unicodedata.category(left) == "So"
        rc = rc or unicodedata.category(right) == "So"
        if not (lc or rc) or (left.isdigit() and rc):
            return False
        if right in _CLOSERS or unicodedata.category(right) in ("Pe", "Pf", "Po"):
            return False
        if unicodedata.category(left) in ("Ps", "Pi"):
            return False
        return self.grapheme_ok(c)

    def char_cut(self, lo: int, hi: int, ideal: int) -> int | None:
        """A cut between two characters in [lo, hi], nearest ``ideal``."""
        hi = min(hi, self.n - 1)
        if lo > hi:
            return None
        ideal = min(max(ideal, lo), hi)
        for d in range(max(hi - ideal, ideal - lo) + 1):
            for c in (ideal + d, ideal - d):
                if lo <= c <= hi and self.char_ok(c):
                    return c
        return None

    # -- reporting -----------------------------------------------------------------------------
    def check_bgm(self, ranges: list[tuple[int, int]]) -> None:
        """Warn once for every <speak bgm> that a cut falls inside."""
        group = self.group
        if not any(name == "bgm" for name, _ in group.attrs):
            return
        warned: set[int] = set()
        for _, b in ranges[:-1]:
            k = group.piece_at(b)
            inside = group.starts[k] < b < group.starts[k] + len(group.pieces[k].flat)
            if inside and k not in warned:
                warned.add(k)
                speak = group.pieces[k].speak
                group.bgm_warnings.append(
                    SplitWarning(
                        BGM_RESTARTS,
                        "a <speak> with bgm was split; the background music restarts in every chunk",
                        speak.start_tag if speak is not None else None,
                    )
                )

    def error(self, p: int) -> SplitError:
        """The error for the unit starting at ``p``, which no cut point can shorten enough."""
        group = self.group
        k = bisect_left(group.epos, p)
        if k < len(group.epos) and group.epos[k] == p:
            el = group.enodes[k]
            if el is not None and measure(el) > self.max_chars:
                return SplitError(
                    f"<{el.name}> cannot be cut and is larger than the limit",
                    span=el.span,
                    size=measure(el),
                    limit=self.max_chars,
                )
        horizon = min(self.n, p + 4 * self.max_chars + 2)
        end = horizon
        for level in range(len(_LEVELS)):
            found = self.candidates(level, p + 1, horizon)
            if found:
                end = min(end, found[0])
        for c in range(p + 1, end):
            if self.char_ok(c):
                end = c
                break
        while end > p + 1 and self.flat[end - 1] in _WS_SET:
            end -= 1  # report the word, not the space after it
        return SplitError(
            "this run has no safe cut point and is larger than the limit",
            span=self.locate(p),
            size=self.upto(end) - self.upto(p),
            limit=self.max_chars,
        )

    def locate(self, p: int) -> Span | None:
        """The source position of flat offset ``p`` (inside a text node), best effort."""
        found = self.group.text_before(p)
        if found is None:
            return None
        start, node = found
        if node.span is None:
            return None
        offset = p - start
        raw = node.span.start
        if self.source is not None:
            for i, m in enumerate(_RAW_CHAR.finditer(self.source, raw, node.span.end)):
                if i == offset:
                    raw = m.start()
                    break
            source = self.source
            line = source.count("\n", 0, raw) + 1
            column = raw - (source.rfind("\n", 0, raw) + 1) + 1
            return Span(raw, raw + 1, line, column, line, column + 1)
        return node.span


_RAW_CHAR = re.compile(r"&[^;&<]*;|\r\n|[\s\S]")


def _is_ri(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
