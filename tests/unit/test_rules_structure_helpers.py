"""The structure rules' fast helpers answer as the plain definitions they replace.

``empty-document`` (ST004) asks :func:`structure._speakable` instead of walking the document with
its ancestor chains; ``missing-required-attribute`` (ST008) builds its message through
:func:`structure._missing_message`, remembered per element name, attribute and attribute names.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.linter import lint
from ssmlkit.linter.rules import structure
from ssmlkit.model import Document, Element, SoundEvent, Text, UnknownElement
from ssmlkit.parse import parse
from ssmlkit.profiles.cosyvoice import ELEMENT_ATTRIBUTES, REQUIRED_ATTRIBUTES
from tests.property.strategies import documents


def _speakable_by_walk(document: Document) -> bool:
    """The definition ST004 used: any node of the walk that gives the service something to say."""
    for item, _ in document.walk():
        if isinstance(item, Text) and item.value.strip():
            return True
        if isinstance(item, UnknownElement | SoundEvent):
            return True
        if isinstance(item, Element) and item.name == "sub" and (item.get("alias") or ""):
            return True
    return False


@given(documents())
def test_speakable_answers_as_the_walk(document: Document) -> None:
    assert structure._speakable(document.items) == _speakable_by_walk(document)


@pytest.mark.parametrize(
    ("source", "speakable"),
    [
        ('<speak><sub><sub><sub alias="x"/></sub></sub></speak>', True),
        ('<speak> <sub alias=""> </sub><break time="1s"/>\n</speak>', False),
        ('<speak><say-as interpret-as="digits"> </say-as><soundEvent src="x"/></speak>', True),
        ("<speak><phoneme> <p/></phoneme></speak>", True),
        ("<speak>\n</speak> tail", True),
        ("<speak><sub> <sub>text</sub></sub></speak>", True),
        ("<speak/><!-- a comment -->", False),
    ],
)
def test_speakable_looks_everywhere(source: str, speakable: bool) -> None:
    document = parse(source)
    assert structure._speakable(document.items) is speakable
    assert _speakable_by_walk(document) is speakable


def _message_in_full(element: str, attribute: str, names: tuple[str, ...]) -> str:
    """ST008's message as the rule wrote it in place, without a memo."""
    message = f"<{element}> requires {attribute}"
    hint = structure._REQUIRED_HINT.get((element, attribute))
    if hint:
        message += f"; {hint}"
    strays = [a for a in names if a not in ELEMENT_ATTRIBUTES[element]]
    near = next((a for a in strays if structure._near_miss(a, (attribute,)) == attribute), None)
    if near is not None:
        message += f" ({near!r} looks like a misspelling of it)"
    return message


_REQUIRED = [(el, attr) for el, attrs in REQUIRED_ATTRIBUTES.items() for attr in attrs]
_NAMES = st.lists(
    st.one_of(
        st.sampled_from(["alais", "interpret_as", "alphabett", "ph", "srcc", "foo", "alias"]),
        st.from_regex(r"[a-z][a-z_-]{0,8}", fullmatch=True),
    ),
    max_size=4,
).map(tuple)


@given(st.sampled_from(_REQUIRED), _NAMES)
def test_the_remembered_message_is_the_message(
    required: tuple[str, str], names: tuple[str, ...]
) -> None:
    element, attribute = required
    assert structure._missing_message(element, attribute, names) == _message_in_full(
        element, attribute, names
    )


_ST006_NAMES = st.one_of(
    st.sampled_from(
        ["version", "xmlns", "xml:lang", "xmlns:mstts", "xmlns:xsi", "amazon:x", "strength"]
    ),
    st.sampled_from(["alais", "interpret_as", "effectvalue", "time", "src", "ph"]),
    st.from_regex(r"[a-zA-Z][a-zA-Z_-]{0,8}(:[a-z]{1,4})?", fullmatch=True),
)


@given(st.sampled_from(sorted(ELEMENT_ATTRIBUTES)), _ST006_NAMES)
def test_st006_reports_its_verdict(element: str, attribute: str) -> None:
    """The remembered verdict is the computed one, and the finding carries its message."""
    verdict = structure.UnsupportedAttribute.verdict(element, attribute)
    assert structure._attribute_verdict(element, attribute) == verdict
    body = "" if element == "speak" else f'<{element} {attribute}="1">x</{element}>'
    source = f'<speak {attribute}="1">x</speak>' if element == "speak" else f"<speak>{body}</speak>"
    found = [d.message for d in lint(source) if d.code == "ST006"]
    if attribute in ELEMENT_ATTRIBUTES[element]:
        assert found == []
    else:
        assert found == [verdict[0]]


@pytest.mark.parametrize(
    ("body", "used"),
    [
        ("x", False),
        ("<mstts:express-as>x</mstts:express-as>", True),
        ('<p mstts:x="1">x</p>', True),
        ("<p>a<s>b<mstts:silence/></s></p>", True),
        ('<p>a<s>b<x-mstts:silence mstts="1"/></s></p>', False),
        ("mstts: in the text, not in a name", False),
        ("<!-- mstts:x -->y", False),
    ],
)
def test_a_declared_prefix_is_removed_unless_used(body: str, used: bool) -> None:
    (finding,) = [d for d in lint(f'<speak xmlns:mstts="u">{body}</speak>') if d.code == "ST006"]
    assert finding.message.endswith(" together with the elements that use it") is used
    assert (finding.fix is None) is used
    if not used:
        assert finding.fix is not None
        assert finding.fix.edits[0].start == len("<speak")
