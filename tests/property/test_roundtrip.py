"""Round trip, escaping and measure invariants over generated documents."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit import measure, parse, serialize
from ssmlkit.measure import is_cjk_ideograph
from ssmlkit.model import Document, Element, Node, Speak, Text

from .strategies import documents, xml_text


@given(documents())
def test_parse_serialize_round_trip(doc: Document) -> None:
    text = serialize(doc)
    assert parse(text) == doc


def _everything(node: Document | Node) -> tuple[Any, ...]:
    """Every field of a node and its descendants, position metadata included (== leaves it out)."""
    values = []
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name in ("children", "items"):
            value = tuple(_everything(child) for child in value)
        values.append(value)
    return (type(node).__name__, *values)


@given(documents())
def test_pickle_copy_and_replace_keep_every_field_of_a_parsed_document(doc: Document) -> None:
    parsed = parse(serialize(doc))  # with spans, source and encoding
    for again in (pickle.loads(pickle.dumps(parsed)), copy.deepcopy(parsed)):
        assert again == parsed
        assert _everything(again) == _everything(parsed)
    for node, _ in parsed.walk():
        if isinstance(node, Element):
            assert _everything(dataclasses.replace(node)) == _everything(node)


@given(documents())
def test_serialize_parse_is_a_fixpoint_and_keeps_spoken_text(doc: Document) -> None:
    once = serialize(parse(serialize(doc)))
    assert parse(once).text == doc.text
    assert serialize(parse(once)) == once


@given(xml_text)
def test_any_text_is_escaped_and_survives(value: str) -> None:
    doc = Document((Speak(children=(Text(value),)),))
    assert parse(serialize(doc)).text == value


@given(xml_text, xml_text)
def test_any_attribute_value_survives(name_value: str, other: str) -> None:
    doc = Document((Speak(attrs=(("voice", name_value), ("rate", other))),))
    assert parse(serialize(doc)).speaks[0].attrs == (("voice", name_value), ("rate", other))


@given(st.text())
def test_measure_counts_ideographs_twice(value: str) -> None:
    if "<" in value:
        return
    expected = sum(2 if is_cjk_ideograph(c) else 1 for c in value)
    assert measure(value) == expected


@given(documents())
def test_measure_ignores_markup_and_counts_entities_as_characters(doc: Document) -> None:
    text = doc.text
    assert measure(serialize(doc)) == sum(2 if is_cjk_ideograph(c) else 1 for c in text)
    assert measure(doc) == measure(serialize(doc))
