"""Property tests for the splitter's fast paths: each agrees with the straightforward way.

The splitter classifies every character once (:func:`ssmlkit.measure.ideograph_mask`) and answers
size queries from that mask; :func:`ssmlkit.measure.count_text` counts BMP text from UTF-16 high
bytes. These tests check both against the definition (an ideograph counts 2, any other code point
1) on text that crowds the edges of the ideograph blocks, where a byte-level shortcut would go wrong.
"""

from __future__ import annotations

import itertools
import re
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.measure import _ideograph_mask_by_regex, count_text, ideograph_mask, is_cjk_ideograph
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Speak,
    Sub,
    Text,
)
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize
from ssmlkit.splitter import _LEVELS, _PH, _SCAN_LEVELS, _Cutter, _Group, _group
from tests.property.test_split_props import speaks

# Code points on both sides of every block edge the high-byte table relies on (U+4DC0-U+4DFF is
# the one non-ideograph range that shares a high byte with ideographs), astral ideographs,
# surrogate halves, and ordinary text.
_EDGES = [
    0x33FF, 0x3400, 0x34FF, 0x4CFF, 0x4D00, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF, 0xA000,
    0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFDD0, 0xFDD4, 0xFFFF, 0xD800, 0xDFFF,
    0x1FFFF, 0x20000, 0x2A6DF, 0x2A6E0, 0x2FA1F, 0x30000, 0x323AF, 0x323B0, 0x1F44D,
]  # fmt: skip
edge_chars = st.sampled_from([chr(c) for c in _EDGES])
texts = st.text(
    alphabet=st.one_of(
        edge_chars, st.sampled_from("中文。，abc 1\u3000ひらがな한"), st.characters()
    ),
    max_size=60,
)


def _reference_count(text: str) -> int:
    return sum(2 if is_cjk_ideograph(ch) else 1 for ch in text)


@given(texts)
def test_count_text_matches_the_definition(text: str) -> None:
    assert count_text(text) == _reference_count(text)


@given(texts, st.integers(0, 60), st.integers(0, 60))
def test_mask_answers_every_slice(text: str, a: int, b: int) -> None:
    mask = ideograph_mask(text)
    assert mask == _ideograph_mask_by_regex(text)
    assert mask == bytes(1 if is_cjk_ideograph(ch) else 0 for ch in text)
    a, b = min(a, len(text)), min(b, len(text))
    a, b = min(a, b), max(a, b)
    assert (b - a) + mask.count(1, a, b) == count_text(text[a:b])


def test_every_bmp_character_is_classified_as_the_definition_says() -> None:
    """Exhaustive over the BMP, one string per UTF-16 high byte (so the fast path sees each)."""
    for high in range(256):
        block = "".join(chr(high * 256 + low) for low in range(256))
        expected = bytes(1 if is_cjk_ideograph(ch) else 0 for ch in block)
        assert ideograph_mask(block) == expected, hex(high)
        assert count_text(block) == len(block) + sum(expected), hex(high)
        for ch in block:
            assert count_text(ch) == (2 if is_cjk_ideograph(ch) else 1), hex(ord(ch))


# Every character the cut-point patterns care about, and a few they do not.
_CUT_ALPHABET = "。！？｡…‥.!?，、；：﹐﹑﹔﹕,;:”’」』)\\]}\"'»› \t\r\n\u3000\u2028\u00a0a1中" + _PH


# Runs of one character (". . .", two breaks in a row) are where greedy patterns differ.
_cut_texts = st.lists(
    st.tuples(st.sampled_from(_CUT_ALPHABET), st.integers(1, 3)).map(lambda t: t[0] * t[1]),
    max_size=10,
).map("".join)


def _assert_same_matches(text: str, pos: int, endpos: int) -> None:
    for readable, scanned in zip(_LEVELS, _SCAN_LEVELS, strict=True):
        expected = [m.span() for m in re.compile(readable).finditer(text, pos, endpos)]
        assert [m.span() for m in re.compile(scanned).finditer(text, pos, endpos)] == expected, (
            readable,
            text,
        )


@given(_cut_texts, st.integers(0, 4), st.integers(0, 4))
def test_scan_patterns_match_what_the_readable_levels_match(
    text: str, skip: int, short: int
) -> None:
    """The splitter scans windows with _SCAN_LEVELS; _LEVELS is the readable definition."""
    _assert_same_matches(text, min(skip, len(text)), max(0, len(text) - short))


def test_scan_patterns_on_every_short_string() -> None:
    """Exhaustive over strings of up to three characters, one of each kind the patterns tell apart."""
    kinds = "。.，,” \u00a0a" + _PH
    for size in range(4):
        for chars in itertools.product(kinds, repeat=size):
            text = "".join(chars)
            _assert_same_matches(text, 0, len(text))
            if text:
                _assert_same_matches(text, 1, len(text))
                _assert_same_matches(text, 0, len(text) - 1)


# -- chunks are slices of the node list ------------------------------------------------------------


def _chunk_by_events(group: _Group, a: int, b: int) -> list[Node]:
    """The children of the chunk for flat range [a, b), built the straightforward way.

    Walk the comments and placeholders in [a, b) in position order (a comment before an element
    at the same offset; comments at ``b`` belong to the next chunk unless ``b`` is the end), and
    cut the text between them from the flat string, reusing a text node when the cut is exactly
    that node.
    """
    flat, last = group.flat, b == len(group.flat)
    events: list[tuple[int, int, Node | None]] = []
    texts: dict[int, Text] = {}
    for pos, node in zip(group.nstarts, group.nodes, strict=True):
        if isinstance(node, Text):
            texts[pos] = node
        elif node is None or isinstance(node, Element):
            if a <= pos < b:
                events.append((pos, 1, node))
        elif a <= pos and (pos < b or last):
            events.append((pos, 0, node))
    events.sort(key=lambda e: (e[0], e[1]))

    def text(x: int, y: int) -> Text:
        node = texts.get(x)
        return node if node is not None and len(node.value) == y - x else Text(flat[x:y])

    out: list[Node] = []
    cur = a
    for pos, kind, node in events:
        if pos > cur:
            out.append(text(cur, pos))
            cur = pos
        if kind == 1:
            cur = pos + 1
        if node is not None:
            out.append(node)
    if b > cur:
        out.append(text(cur, b))
    return out


def _same_nodes(left: tuple[Node, ...], right: tuple[Node, ...]) -> bool:
    """Equal, and each node the same object or an equal text with the same span."""
    return len(left) == len(right) and all(
        x is y or (isinstance(x, Text) and x == y and x.span == y.span)
        for x, y in zip(left, right, strict=True)
    )


_other_items = st.sampled_from(
    [
        Text("界外的文字。More text, here."),
        Comment(" top "),
        ProcessingInstruction("pi", "data"),
        Break(),
        Sub(attrs=(("alias", "甲"),), children=(Text("乙"),)),
    ]
)


@given(
    st.lists(st.one_of(speaks, speaks, _other_items), min_size=1, max_size=5),
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=8),
)
def test_chunk_slices_agree_with_the_event_walk(
    items: list[Node], cuts: list[tuple[float, float]]
) -> None:
    """Group.chunk slices the node list; the event walk is the definition it must match."""
    doc = parse(serialize(Document(tuple(items))))
    for group in _group(doc, []):
        if not group.pieces:
            continue
        n = len(group.flat)
        for u, v in [(0.0, 1.0), *cuts]:
            a, b = sorted((round(u * n), round(v * n)))
            if a == b:
                continue
            expected = Speak(attrs=group.attrs, children=tuple(_chunk_by_events(group, a, b)))
            got = group.chunk(a, b)
            assert got == expected
            assert _same_nodes(got.children, expected.children)


# -- sizes from the block tables --------------------------------------------------------------------


@given(
    st.lists(st.one_of(speaks, speaks, _other_items), min_size=1, max_size=4),
    st.sampled_from([1, 3, 16, 256]),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 60)), min_size=1, max_size=6),
)
def test_sizes_and_reach_agree_with_counting_the_text(
    items: list[Node], block: int, probes: list[tuple[float, int]]
) -> None:
    """upto() and reach() use a block table and a bisect; counting the prefix is the definition.

    Small blocks make generated documents span many blocks, so the table path is exercised.
    """
    doc = parse(serialize(Document(tuple(items))))
    with patch("ssmlkit.splitter._BLOCK", block):
        for group in _group(doc, []):
            if not group.pieces:
                continue
            cutter = _Cutter(group, 200, 200, doc.source)
            n = len(group.flat)

            def size(x: int, group: _Group = group) -> int:
                extras = sum(e for p, e in zip(group.epos, group.extras, strict=True) if p < x)
                return count_text(group.flat[:x]) + extras

            for x in range(n + 1):
                assert cutter.upto(x) == size(x)
            for where, limit in probes:
                a = round(where * n)
                expected = max(b for b in range(a, n + 1) if size(b) - size(a) <= limit)
                assert cutter.reach(a, limit) == expected


def test_a_long_text_is_classified_slice_by_slice_like_a_short_one() -> None:
    """ideograph_mask works in slices past 65,536 characters; the slices must join seamlessly."""
    unit = "中A文，\U00020000 \u4dc0\u4dbf"
    text = unit * (70_000 // len(unit) + 1)
    assert len(text) > 65_536
    assert ideograph_mask(text) == _ideograph_mask_by_regex(text)
    assert ideograph_mask(text[1:]) == _ideograph_mask_by_regex(text[1:])
    bmp = "中A文，\u3000".join(["x"] * 20_000)
    assert ideograph_mask(bmp) == bytes(1 if is_cjk_ideograph(ch) else 0 for ch in bmp)
