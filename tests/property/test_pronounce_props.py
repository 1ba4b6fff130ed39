"""Invariants of ssmlkit.pronounce on arbitrary text: lengths, validity, determinism, and batching.

The model's numbers must not depend on what a sentence is batched with or padded to, and a text's
predictions must not depend on the text around its sentences; every reading handed out is a valid
syllable and one of the character's readings.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit import pronounce
from ssmlkit.phonetics.pinyin import check_syllable
from ssmlkit.pronounce import _get_engine

ENGINE = _get_engine()
POLYPHONES = sorted(ENGINE.candidate_ids)
# Common characters, polyphones, punctuation (sentence ends included), Latin, digits, space.
ALPHABET = [
    *"的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说",
    *POLYPHONES[:200],
    *"，。！？；：、“”（）\n abcXYZ019",
    "𠀀",
    "😀",
]
texts = st.lists(st.sampled_from(ALPHABET), max_size=80).map("".join)
any_text = st.one_of(texts, st.text(max_size=40))
sentences = st.lists(st.sampled_from(ALPHABET[:240]), min_size=1, max_size=60).map("".join)


@given(any_text)
def test_transcribe_gives_one_valid_reading_per_character(text: str) -> None:
    out = pronounce.transcribe(text)
    assert len(out) == len(text)
    for ch, reading in zip(text, out, strict=True):
        if reading is None:
            assert not pronounce.readings(ch)
        else:
            assert check_syllable(reading) is None
            # One of the character's readings, or a word's neutral later syllable (意思 si5).
            assert reading in pronounce.readings(ch) or reading.endswith("5")


@given(any_text)
def test_predict_covers_the_polyphones_in_order_with_valid_candidates(text: str) -> None:
    found = pronounce.predict(text)
    assert [p.index for p in found] == [
        i for i, ch in enumerate(text) if pronounce.is_polyphone(ch)
    ]
    for p in found:
        assert p.char == text[p.index]
        assert p.reading == p.candidates[0]
        assert len(set(p.candidates)) == len(p.candidates) > 1
        assert set(p.candidates) <= set(pronounce.readings(p.char))
        assert 0.0 < p.confidence <= 1.0
        assert all(check_syllable(c) is None for c in p.candidates)


@given(any_text)
def test_everything_is_deterministic(text: str) -> None:
    assert pronounce.predict(text) == pronounce.predict(text)
    assert pronounce.transcribe(text) == pronounce.transcribe(text)
    assert pronounce.segment(text) == pronounce.segment(text)


@given(any_text)
def test_segments_cover_each_han_character_once_in_order(text: str) -> None:
    spans = pronounce.segment(text)
    covered = [i for a, b in spans for i in range(a, b)]
    assert covered == sorted(set(covered))
    assert covered == [i for i, ch in enumerate(text) if pronounce.readings(ch) or _han(ch)]
    for a, b in spans:
        assert b - a == 1 or text[a:b] in ENGINE.table.phrases


def _han(ch: str) -> bool:
    from ssmlkit.pronounce._table import is_han

    return is_han(ch)


@given(st.lists(sentences, min_size=1, max_size=12), st.data())
def test_batching_and_padding_change_no_number(batch: list[str], data: st.DataObject) -> None:
    model = ENGINE.model
    encoded = model.encode(batch)
    targets = [(row, data.draw(st.integers(0, len(s) - 1))) for row, s in enumerate(batch)]
    together = model.states(encoded, targets)
    for n, (row, offset) in enumerate(targets):
        alone = model.states([encoded[row]], [(0, offset)])
        np.testing.assert_allclose(together[n], alone[0], rtol=1e-5, atol=1e-6)


ENDS = st.sampled_from(["。", "\n", "？\r\n", "！ \n ", "\n\n", "；"])


@given(st.lists(st.tuples(sentences, ENDS), min_size=1, max_size=8))
def test_sentences_predict_the_same_alone_and_in_one_text(pieces: list[tuple[str, str]]) -> None:
    # Each part ends a sentence, so the text is cut exactly there and read in one batch; white
    # space around a sentence is no part of it.
    parts = [p + end for p, end in pieces]
    joined = pronounce.predict("".join(parts))
    offset = 0
    expected = []
    for part in parts:
        for p in pronounce.predict(part):
            expected.append((p.index + offset, p.reading, p.candidates))
        offset += len(part)
    assert [(p.index, p.reading, p.candidates) for p in joined] == expected
    alone = [p.confidence for part in parts for p in pronounce.predict(part)]
    np.testing.assert_allclose([p.confidence for p in joined], alone, rtol=1e-5)


@given(st.lists(st.sampled_from(ALPHABET[:240]), min_size=130, max_size=400).map("".join))
def test_a_long_run_on_sentence_is_read_in_windows_with_every_polyphone(text: str) -> None:
    found = pronounce.predict(text)
    assert [p.index for p in found] == [
        i for i, ch in enumerate(text) if pronounce.is_polyphone(ch)
    ]


def _plain_segmentation(text: str) -> list[tuple[int, int]]:
    """Forward maximum matching written the plain way: at each Han character, the longest
    dictionary phrase starting there, else the character alone."""
    phrases = ENGINE.table.phrases
    longest = max(len(p) for p in phrases)
    spans = []
    i = 0
    while i < len(text):
        if not _han(text[i]):
            i += 1
            continue
        size = next(
            (n for n in range(min(longest, len(text) - i), 1, -1) if text[i : i + n] in phrases),
            1,
        )
        spans.append((i, i + size))
        i += size
    return spans


# Text made of the dictionary's own phrases, glued and cut anywhere, so that words overlap.
PHRASES = sorted(ENGINE.table.phrases)[::40]
phrase_soup = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.sampled_from(ALPHABET)), max_size=30
).map("".join)


@given(phrase_soup)
def test_segmentation_is_forward_maximum_matching(text: str) -> None:
    spans = pronounce.segment(text)
    assert spans == _plain_segmentation(text)
    assert ENGINE.table.words(text) == [(a, b) for a, b in spans if b - a > 1]
