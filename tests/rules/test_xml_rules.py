"""XML rules (XM): where findings point, and what XM004's needs promise.

XM002 and XM003 report a syntax problem at a span made from the problem's own line and column
(the context then need not build the document's line index); these tests hold those positions
to the line index's, whatever the line ends, and whichever scanner (the C fast path takes
documents whose only problems are bare ``&`` in text) found the problem.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import ssmlkit
from ssmlkit._syntax import LineIndex
from ssmlkit.config import Config
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.rules.xml import UnescapedGreaterThan
from ssmlkit.model import Document, Element, Text
from ssmlkit.parse import scan_source
from ssmlkit.serialize import serialize
from tests.property.strategies import documents

_PIECES = [
    "R&D ",
    "a & b",
    "&amp;",
    "1 < 2",
    "<",
    "&",
    "\n",
    "\r\n",
    "\r",
    "你好",
    "2 > 1",
    '<sub alias="R&D">x</sub>',
    '<sub alias="a<b">x</sub>',
    "<break/>",
    "<p>",
    "</p>",
]

bodies = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(bodies, st.sampled_from(["", "\n", "\r\n", '<?xml version="1.0"?>\n']))
def test_bare_ampersand_and_less_than_point_where_the_line_index_says(
    body: str, before: str
) -> None:
    source = f"{before}<speak>{body}</speak>"
    index = LineIndex(source)
    found = [d for d in ssmlkit.lint(source) if d.code in ("XM002", "XM003")]
    if "<" not in body and "\r" not in source:  # a document the C fast path takes
        assert len(found) == source.count("&") - source.count("&amp;")
    for d in found:
        assert source[d.start] == ("&" if d.code == "XM002" else "<")
        assert (d.line, d.column) == index.position(d.start)
        assert (d.end_line, d.end_column) == index.position(d.end)
        assert d.fix is not None
        (edit,) = d.fix.edits
        assert (edit.start, edit.end) == (d.start, d.start + 1)


def test_a_bare_ampersand_after_crlf_lines() -> None:
    source = "<speak>\r\na\r\nR&D\r\n</speak>"
    (d,) = [d for d in ssmlkit.lint(source) if d.code == "XM002"]
    assert (d.line, d.column, d.end_line, d.end_column, d.start, d.end) == (3, 2, 3, 3, 13, 14)


def _visits(node: Text | Element, text: str, document: Document) -> int:
    """How many findings XM004's visit of ``node`` reports."""
    ctx = LintContext(text, document, Config(), None)
    ctx.rule = UnescapedGreaterThan()
    ctx.rule.visit(node, ctx)
    return ctx.reported


@settings(max_examples=200, deadline=None)
@given(st.one_of(documents().map(serialize), bodies.map(lambda b: f"<speak>{b}</speak>")))
def test_unescaped_greater_than_needs_a_greater_than_sign(source: str) -> None:
    # Needs(chars=">"): a text node without '>' in its text, or an element without '>' in any
    # attribute value, gets no finding; and each finding is at a '>' of the source.
    decoded, scanned = scan_source(source)
    document = scanned.document
    for node, _ancestors in document.walk():
        no_sign = (isinstance(node, Text) and ">" not in node.value) or (
            isinstance(node, Element) and not any(">" in v for _, v in node.attrs)
        )
        if no_sign:
            assert _visits(node, decoded.text, document) == 0
    for d in ssmlkit.lint(source):
        if d.code == "XM004":
            assert source[d.start] == ">"
