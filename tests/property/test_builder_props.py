"""Properties of ssmlkit.builder: built documents survive serialize -> parse exactly.

Arbitrary text (XML specials, control characters, emoji, astral CJK, CR/CRLF, lone surrogates)
either raises BuildError, and then only because XML 1.0 cannot carry one of its characters, or
builds a document with ``parse(serialize(doc)) == doc`` whose text is the input, unchanged.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.builder import brk, cmu, comment, document, pinyin, say_as, speak, sub
from ssmlkit.errors import BuildError
from ssmlkit.model import Phoneme, SayAs, Sub, Text
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize

# --- strategies ----------------------------------------------------------------------------------

_SPECIALS = ["&", "<", ">", '"', "'", "\r", "\r\n", "\n", "\t", "]]>", "&amp;", "<!--", "😀", "𠀀"]
_FORBIDDEN = ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800", "\udc00"]


def _xml_char(c: str) -> bool:
    code = ord(c)
    return (
        c in "\t\n\r"
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


any_char = st.characters(exclude_categories=())  # every code point, surrogates included
texts = st.lists(
    st.one_of(
        st.text(any_char, max_size=8),
        st.sampled_from(_SPECIALS),
        st.sampled_from(_FORBIDDEN),
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=4),
    ),
    max_size=6,
).map("".join)
carried_texts = texts.filter(lambda t: all(_xml_char(c) for c in t))
nonblank = carried_texts.filter(lambda t: t.strip() != "")

syllables = st.sampled_from(["dian3", "dang4", "hang2", "hao3", "lv4", "nv3", "er5", "zhuang1"])
phones = st.sampled_from(["S", "AY", "N", "T", "AH0", "EY1", "OW2", "HH", "ZH"])
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2"), places=3)
float_rates = st.floats(min_value=0.5, max_value=2.0, allow_nan=False, allow_infinity=False)
break_ms = st.integers(min_value=50, max_value=10_000)


@st.composite
def pinyin_nodes(draw: st.DrawFn) -> Phoneme:
    hanzi = draw(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1))
    other = draw(st.text(st.sampled_from("ABC123 ·、"), max_size=3))
    text = "".join(draw(st.permutations(list(hanzi + other))))
    ph = [draw(syllables) for _ in hanzi]
    return pinyin(text, " ".join(ph))


@st.composite
def children(draw: st.DrawFn) -> list[object]:
    kinds = st.one_of(
        carried_texts,
        break_ms.map(brk),
        st.builds(sub, nonblank, nonblank),
        st.builds(say_as, nonblank, st.sampled_from(["cardinal", "telephone", "date", "name"])),
        st.builds(cmu, nonblank, st.lists(phones, min_size=1, max_size=4)),
        pinyin_nodes(),
        carried_texts.filter(lambda t: "--" not in t and not t.endswith("-") and "\r" not in t).map(
            comment
        ),
    )
    return draw(st.lists(kinds, max_size=6))


def roundtrip(doc):
    return parse(serialize(doc))


# --- properties ------------------------------------------------------------------------------------


@given(texts)
def test_text_raises_only_for_xml_forbidden_chars_or_round_trips_exactly(text):
    if not all(_xml_char(c) for c in text):
        with pytest.raises(BuildError, match=r"U\+[0-9A-F]{4} at index \d+"):
            speak(text)
        return
    doc = document(speak(text))
    back = roundtrip(doc)
    assert back == doc
    assert back.text == text


@given(carried_texts, carried_texts)
def test_sub_alias_and_text_round_trip(text, alias):
    if not text.strip() or not alias.strip():
        return
    doc = document(speak(sub(text, alias)))
    back = roundtrip(doc)
    assert back == doc
    node = back.speaks[0].children[0]
    assert isinstance(node, Sub)
    assert node.alias == alias
    assert node.text == text


@given(nonblank)
def test_say_as_text_round_trips(text):
    doc = document(speak(say_as(text, "characters")))
    node = roundtrip(doc).speaks[0].children[0]
    assert isinstance(node, SayAs)
    assert node.text == text


@given(carried_texts)
def test_comment_round_trips_or_is_refused_for_dashes(text):
    try:
        node = comment(text)
    except BuildError:
        assert "--" in text or text.endswith("-") or "\r" in text
        return
    doc = document(speak("x", node))
    assert roundtrip(doc) == doc


@given(children(), st.one_of(st.none(), rates, float_rates), st.one_of(st.none(), break_ms))
def test_built_documents_round_trip(kids, rate, ms):
    s = speak(*kids, rate=rate, volume=50)
    doc = document(s, "\n", speak(brk(ms) if ms else "x", voice="longanyang"))
    back = roundtrip(doc)
    assert back == doc
    # and what was parsed is still valid for the builder, unchanged
    assert document(*back.items) == doc


@given(float_rates)
def test_float_rates_are_written_exactly(rate):
    written = speak(rate=rate).rate
    assert written is not None
    assert float(written) == rate
    assert len(written) <= len(repr(rate))


@given(rates)
def test_decimal_rates_keep_their_value(rate):
    written = speak(pitch=rate).pitch
    assert written is not None
    assert Decimal(written) == rate
    assert "E" not in written


@given(st.integers(min_value=-20_000, max_value=30_000))
def test_break_ms_accepted_exactly_in_range(ms):
    try:
        node = brk(ms)
    except BuildError:
        assert not 50 <= ms <= 10_000
        return
    assert 50 <= ms <= 10_000
    time = node.time
    assert time is not None
    value = int(time[:-2]) if time.endswith("ms") else int(time[:-1]) * 1000
    assert value == ms
    # normalising is a fixpoint: the written string builds the same node
    assert brk(time) == node


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_seconds_accepted_only_when_whole_ms_in_range(seconds):
    try:
        node = brk(seconds=seconds)
    except BuildError:
        return
    time = node.time
    assert time is not None
    ms = Decimal(time[:-2]) if time.endswith("ms") else Decimal(time[:-1]) * 1000
    assert ms == Decimal(repr(seconds)) * 1000
    assert 50 <= ms <= 10_000


@given(pinyin_nodes())
def test_pinyin_round_trips(node):
    doc = document(speak(node))
    back = roundtrip(doc)
    assert back == doc
    assert isinstance(back.speaks[0].children[0], Phoneme)


@given(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=5))
def test_pinyin_count_must_match(hanzi):
    with pytest.raises(BuildError, match="one syllable per Han character"):
        pinyin(hanzi, " ".join(["ma1"] * (len(hanzi) + 1)))
    with pytest.raises(BuildError, match="one syllable per Han character"):
        pinyin(hanzi + "x", " ".join(["ma1"] * (len(hanzi) - 1) or ["ma1", "ma1"]))


def test_text_node_value_is_kept():
    assert speak("a\r\nb").children == (Text("a\r\nb"),)
