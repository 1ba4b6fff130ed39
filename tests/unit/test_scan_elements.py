"""The scanner builds elements without the dataclass constructor: they must be what it would build."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit._pyscan import ELEMENT_FIELDS
from ssmlkit._scan import scan
from ssmlkit.model import Element, Node, Text, UnknownElement

SAMPLES = [
    '<speak voice="longxiaochun_v2" rate="1.1">你好<break time="500ms"/>世界</speak>',
    '<speak>a<sub alias="x">b</sub>c<phoneme alphabet="py" ph="hao3">好</phoneme></speak>',
    "<speak>one</b>two</speak>",  # a stray end tag between two runs of text
    "<speak>x<?xml version='1.0'?>y</speak>",  # a misplaced declaration between two texts
    "<speak><p>un<s>known</s></p><amazon:effect>x</amazon:effect></speak>",
    "<speak><sub alias='a'>unclosed",
    "<speak>a &amp; b<!-- c -->d<![CDATA[<e>]]>f</speak>",
    "<speak>\r\nline\rtwo</speak>",
    "text <speak>a</speak> tail",
]


def _elements(nodes: tuple[Node, ...]) -> list[Element]:
    out: list[Element] = []
    for node in nodes:
        if isinstance(node, Element):
            out.append(node)
            out.extend(_elements(node.children))
    return out


def _rebuilt(element: Element) -> Element:
    """The same element through the public constructor (which merges text, checks types)."""
    values = {f.name: getattr(element, f.name) for f in dataclasses.fields(element)}
    return type(element)(**values)


def _same(a: Element, b: Element) -> bool:
    """Equal, and equal in every position field too (those take no part in ==)."""
    return a == b and all(getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a))


def test_the_scanner_sets_every_field_of_the_model() -> None:
    assert {f.name for f in dataclasses.fields(Element)} == set(ELEMENT_FIELDS)
    assert {f.name for f in dataclasses.fields(UnknownElement)} == {*ELEMENT_FIELDS, "qname"}


def _check(source: str) -> None:
    for element in _elements(scan(source).document.items):
        assert _same(element, _rebuilt(element)), source
        texts = [c for c in element.children if isinstance(c, Text)]
        assert all(t.value for t in texts)
        kids = element.children
        assert not any(isinstance(x, Text) and isinstance(y, Text) for x, y in pairwise(kids))


def test_scanned_elements_equal_constructed_ones() -> None:
    for source in SAMPLES:
        _check(source)


_PIECES = st.sampled_from(
    [
        "a",
        "你好",
        " ",
        "\n",
        "\r\n",
        "&amp;",
        "&",
        "<",
        ">",
        "</b>",
        "</speak>",
        "<sub alias='x'>",
        "</sub>",
        "<break/>",
        "<p>",
        "</p>",
        "<!--c-->",
        "<![CDATA[z]]>",
        "<?pi d?>",
        "<?xml v?>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=20))
def test_scanned_elements_equal_constructed_ones_for_any_mix(pieces: list[str]) -> None:
    _check("<speak>" + "".join(pieces) + "</speak>")
