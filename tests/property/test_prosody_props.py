"""Builder prosody: what is built is what the service would read back, character by character."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.builder import brk, document, prosody, speak
from ssmlkit.model import Document, Speak
from ssmlkit.parse import parse
from ssmlkit.prosody import Prosody, effective_prosody
from ssmlkit.serialize import serialize

MULTIPLIERS = ["0.5", "0.8", "1", "1.25", "2"]
VOLUMES = ["0", "35", "50", "100"]
Values = tuple[str | None, str | None, str | None]


@dataclass
class Tree:
    """The test's own description of a prosody tree: text, None (a break) or a nested tree."""

    children: list[str | Tree | None]
    rate: str | None
    pitch: str | None
    volume: str | None


words = st.text(alphabet="ab 中文,.", min_size=1, max_size=6)
maybe = st.none() | st.sampled_from(MULTIPLIERS)
maybe_volume = st.none() | st.sampled_from(VOLUMES)


def trees(depth: int) -> st.SearchStrategy[Tree]:
    leaf = st.one_of(words, st.none())
    child = leaf if depth == 0 else st.one_of(leaf, st.deferred(lambda: trees(depth - 1)))
    return st.builds(Tree, st.lists(child, max_size=4), maybe, maybe, maybe_volume)


def build(tree: Tree) -> Prosody:
    kids = [brk(300) if c is None else c if isinstance(c, str) else build(c) for c in tree.children]
    return prosody(*kids, rate=tree.rate, pitch=tree.pitch, volume=tree.volume)


def expected(tree: Tree, inherited: Values) -> list[tuple[str, Values]]:
    """Each character with the values it must be spoken with (computed from the tree alone)."""
    rate = tree.rate if tree.rate is not None else inherited[0]
    pitch = tree.pitch if tree.pitch is not None else inherited[1]
    volume = tree.volume if tree.volume is not None else inherited[2]
    here: Values = (rate, pitch, volume)
    out: list[tuple[str, Values]] = []
    for c in tree.children:
        if isinstance(c, str):
            out += [(ch, here) for ch in c]
        elif isinstance(c, Tree):
            out += expected(c, here)
    return out


def per_char(doc: Document) -> list[tuple[str, Values]]:
    return [(ch, values) for text, values in effective_prosody(doc) for ch in text]


@given(trees(3), maybe, maybe_volume, words)
def test_round_trip_keeps_every_characters_prosody(
    tree: Tree, rate: str | None, volume: str | None, lead: str
) -> None:
    built = speak(lead, build(tree), rate=rate, volume=volume)
    doc = built if isinstance(built, Document) else Document((built,))
    back = parse(serialize(doc))
    want = [(ch, (rate, None, volume)) for ch in lead] + expected(tree, (rate, None, volume))
    got = per_char(back)
    # All text survives in order; whitespace carries no prosody, so only the rest is compared.
    assert "".join(ch for ch, _ in got) == "".join(ch for ch, _ in want)
    assert [v for ch, v in got if not ch.isspace()] == [v for ch, v in want if not ch.isspace()]


@given(trees(2), maybe)
def test_neighbouring_segments_never_share_attributes(tree: Tree, pitch: str | None) -> None:
    built = speak("x", build(tree), pitch=pitch)
    speaks = [s for s in document(built).items if isinstance(s, Speak)]
    assert speaks
    for a, b in itertools.pairwise(speaks):
        assert a.attrs != b.attrs
