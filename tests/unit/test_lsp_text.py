"""Positions in the three encodings, line breaks as the protocol has them, and content changes."""

from __future__ import annotations

import pytest

from ssmlkit.lsp.text import LineIndex, OpenDocument, apply_change

TEXT = "<speak>\r\n你好😀&x\rnext\u2028same\nlast"


@pytest.mark.parametrize(
    ("encoding", "column"),
    [("utf-16", 4), ("utf-8", 10), ("utf-32", 3)],
)
def test_cjk_and_emoji_before_a_problem_count_in_the_negotiated_encoding(encoding, column):
    index = LineIndex(TEXT, encoding)
    amp = TEXT.index("&")
    assert index.position(amp) == (1, column)
    assert index.offset(1, column) == amp


def test_lines_break_at_lf_crlf_and_cr_only():
    index = LineIndex(TEXT)
    # U+2028 is a line break to str.splitlines, not to the protocol
    assert index.position(TEXT.index("same")) == (2, 5)
    assert index.position(TEXT.index("last")) == (3, 0)
    assert index.line_end(0) == TEXT.index("\r\n")


def test_positions_outside_the_text_are_clamped():
    index = LineIndex("ab\ncd")
    assert index.offset(0, 99) == 2
    assert index.offset(7, 0) == 5
    assert index.offset(-1, 0) == 0
    assert index.position(99) == (1, 2)


def test_a_position_inside_a_surrogate_pair_means_the_character_start():
    index = LineIndex("😀x", "utf-16")
    assert index.offset(0, 1) == 0
    assert index.offset(0, 2) == 1
    assert LineIndex("é", "utf-8").offset(0, 1) == 0


def test_apply_change_replaces_a_range_and_a_whole_text():
    assert apply_change("ab\ncd", "X", (1, 0), (1, 1), "utf-16") == "ab\nXd"
    assert apply_change("ab", "new", None, None, "utf-16") == "new"
    # an end before the start inserts at the start, nothing is lost
    assert apply_change("abcd", "X", (0, 3), (0, 1), "utf-16") == "abcXd"
    assert apply_change("😀b", "X", (0, 2), (0, 3), "utf-16") == "😀X"


def test_open_document_rebuilds_its_index_when_the_text_changes():
    doc = OpenDocument("file:///a.ssml", "a\nb", 1)
    first = doc.index("utf-16")
    assert doc.index("utf-16") is first
    doc.text = "a\nb\nc"
    assert doc.index("utf-16").position(4) == (2, 0)
    assert doc.index("utf-8").encoding == "utf-8"
