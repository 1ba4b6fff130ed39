"""The language server's pure parts never fail: any text, any edit sequence, any position.

A document in an editor is mostly broken; these properties feed random SSML-ish text through
random ``didChange`` edits (positions in any encoding, past line ends, past the end, backwards
ranges) and then ask every feature at random positions. Each must answer with ranges inside the
document. The server runs exactly these functions, behind a guard that turns a failure into an
empty answer; these tests make sure the guard is never what saves it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from ssmlkit.lsp.features import complete, fold, hover, symbols
from ssmlkit.lsp.findings import code_actions, lint_text, to_lsp
from ssmlkit.lsp.outline import context_at, outline
from ssmlkit.lsp.text import ENCODINGS, LineIndex, apply_change

FRAGMENTS = [
    "<speak>",
    "</speak>",
    '<speak voice="longanyang" rate="',
    "<break",
    ' time="20s"/>',
    "<sub alias='x'>",
    "</sub>",
    "<say-as interpret-as=",
    '"date">',
    '<phoneme alphabet="py" ph="ni3">',
    "<!--",
    "-->",
    "<!-- ssmlkit: disable-next-line=BR002 -->",
    "<?xml version='1.0'?>",
    "<![CDATA[",
    "<prosody>",
    "<",
    "</",
    ">",
    "/>",
    "&",
    "&amp;",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "你好",
    "😀",
    "é",
    "text",
    "\ufeff",
]

texts = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)
positions = st.tuples(st.integers(0, 8), st.integers(0, 40))
edits = st.lists(
    st.tuples(st.one_of(st.none(), st.tuples(positions, positions)), texts), max_size=6
)
encodings = st.sampled_from(ENCODINGS)


def _inside(index: LineIndex, r: lsp.Range) -> bool:
    last = len(index.starts) - 1
    for p in (r.start, r.end):
        if not 0 <= p.line <= last:
            return False
    return (r.start.line, r.start.character) <= (r.end.line, r.end.character)


def _roundtrips(index: LineIndex, r: lsp.Range) -> bool:
    """A range the server sends names positions that exist in the text."""
    for p in (r.start, r.end):
        offset = index.offset(p.line, p.character)
        if index.position(offset) != (p.line, p.character):
            return False
    return True


@settings(deadline=None)
@given(text=texts, steps=edits, encoding=encodings)
def test_edits_apply_as_offsets_would(text, steps, encoding):
    for rng, new in steps:
        index = LineIndex(text, encoding)
        if rng is None:
            expected = new
        else:
            a = index.offset(*rng[0])
            b = max(a, index.offset(*rng[1]))
            expected = text[:a] + new + text[b:]
        text = apply_change(text, new, *(rng if rng else (None, None)), encoding)
        assert text == expected


@settings(deadline=None)
@given(text=texts, encoding=encodings)
def test_offsets_and_positions_roundtrip(text, encoding):
    index = LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # between CR and LF: no position names it
        assert index.offset(*index.position(offset)) == offset


@settings(deadline=None)
@given(text=texts, steps=edits, encoding=encodings, at=st.lists(positions, min_size=1, max_size=4))
def test_every_feature_answers_at_any_position(text, steps, encoding, at):
    for rng, new in steps:
        text = apply_change(text, new, *(rng if rng else (None, None)), encoding)
    index = LineIndex(text, encoding)
    found = lint_text(text)
    for d in found:
        diagnostic = to_lsp(d, index)
        assert _inside(index, diagnostic.range)
        assert _roundtrips(index, diagnostic.range)
    for line, character in at:
        offset = index.offset(line, character)
        assert 0 <= offset <= len(text)
        context_at(text, offset)
        result = hover(text, index, offset, found)
        if result is not None and result.range is not None:
            assert _inside(index, result.range)
        for item in complete(text, index, offset).items:
            assert isinstance(item.text_edit, lsp.TextEdit)
            assert _roundtrips(index, item.text_edit.range)
        for action in code_actions("file:///x.ssml", text, found, index, (offset, offset)):
            assert action.edit is not None
    outline(text)
    for symbol in symbols(text, index):
        assert _roundtrips(index, symbol.range)
        assert _roundtrips(index, symbol.selection_range)
    for folding in fold(text, index):
        assert folding.start_line < folding.end_line < len(index.starts)
