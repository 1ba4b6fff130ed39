"""ST008 (missing-required-attribute) words each finding as :func:`structure._missing_message` does.

The rule takes a message built once per element and attribute when every attribute of the element
is one it accepts, and asks ``_missing_message`` (which may point at a misspelling among the
others) only otherwise; the finding's message must not tell the two paths apart.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.linter import lint
from ssmlkit.linter.rules import structure
from ssmlkit.profiles.cosyvoice import ELEMENT_ATTRIBUTES, REQUIRED_ATTRIBUTES

_ELEMENTS = sorted(element for element, required in REQUIRED_ATTRIBUTES.items() if required)
_NAMES = st.lists(
    st.one_of(
        st.sampled_from(["alias", "alphabet", "ph", "interpret-as", "src", "time", "voice"]),
        st.sampled_from(["alais", "interpret_as", "alphabett", "srcc", "phh", "foo"]),
    ),
    unique=True,
    max_size=3,
)


@given(st.sampled_from(_ELEMENTS), _NAMES)
def test_each_message_is_the_remembered_one(element: str, names: list[str]) -> None:
    attributes = "".join(f' {name}="v"' for name in names)
    source = f"<speak><{element}{attributes}>一</{element}></speak>"
    if element == "soundEvent":
        source = f"<speak><soundEvent{attributes}/></speak>"
    expected = [
        structure._missing_message(element, attribute, tuple(names))
        for attribute in REQUIRED_ATTRIBUTES[element]
        if attribute not in names
    ]
    found = [d.message for d in lint(source) if d.code == "ST008"]
    assert found == expected


def test_a_stray_attribute_names_the_misspelling() -> None:
    assert set(ELEMENT_ATTRIBUTES["sub"]) == {"alias"}
    (finding,) = [d for d in lint('<speak><sub alais="x">1</sub></speak>') if d.code == "ST008"]
    assert finding.message.endswith("('alais' looks like a misspelling of it)")
    (plain,) = [d for d in lint("<speak><sub>1</sub></speak>") if d.code == "ST008"]
    assert "misspelling" not in plain.message
