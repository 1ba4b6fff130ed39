"""Both scanners build elements through the scanners' factory: they must be what the constructors build."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit._scan import scan, scan_python
from ssmlkit.model import (
    Break,
    Element,
    Node,
    Span,
    Speak,
    Text,
    UnknownElement,
    element,
    scanned_element,
)

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


_S = Span(0, 1, 1, 1, 1, 2)


def test_the_factory_sets_every_field_of_the_model() -> None:
    made = scanned_element("p", (("a", "1"),), (Text("x"),), _S, _S, None, (_S,), (_S,))
    assert isinstance(made, UnknownElement)
    assert [getattr(made, f.name) for f in dataclasses.fields(made)] == [
        (("a", "1"),),
        (Text("x"),),
        _S,
        _S,
        None,
        (_S,),
        (_S,),
        "p",
    ]
    known = scanned_element("speak", (), (), None, None, None, None, None)
    assert type(known) is Speak
    assert known == Speak()


def test_element_picks_the_class_and_normalises_like_the_constructors() -> None:
    assert element("break", [("time", "1s")]) == Break(attrs=(("time", "1s"),))
    assert type(element("break")) is Break
    merged = element("p", (), [Text("a"), Text(""), Text("b")])
    assert merged == UnknownElement(qname="p", children=(Text("ab"),))
    assert merged.children == (Text("ab"),)


def _check(source: str) -> None:
    for scanned in (scan(source), scan_python(source)):  # the C fast path and the reference
        for el in _elements(scanned.document.items):
            assert _same(el, _rebuilt(el)), source
            # the factory's contract, which _cscan.c's close_element keeps in C
            again = scanned_element(
                el.name,
                el.attrs,
                el.children,
                el.span,
                el.start_tag,
                el.end_tag,
                el.attr_spans,
                el.value_spans,
            )
            assert type(again) is type(el)
            assert _same(el, again), source
            texts = [c for c in el.children if isinstance(c, Text)]
            assert all(t.value for t in texts)
            kids = el.children
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
