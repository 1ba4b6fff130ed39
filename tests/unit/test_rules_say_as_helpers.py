"""The say-as rules' fast helpers answer as the plain definitions they replace.

``say-as-content-mismatch`` (SA003) looks for a letter with one regex search before it walks the
text character by character, and for a digit with ``\\d``; ``say-as-number-too-long`` (SA004)
passes over text too short to hold too many digits; ``invalid-interpret-as`` (SA001) asks difflib
only about the values that pass difflib's own cheap filters.
"""

from __future__ import annotations

import difflib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.linter.rules import say_as
from ssmlkit.profiles.cosyvoice import INTERPRET_AS

# Letters, digits of several scripts, numbers that are not digits ("²", "½", "Ⅻ"), CJK, the
# extension words and exponent letters the readings allow, separators.
_PIECES = st.sampled_from(
    [
        "a",
        "E",
        "e",
        "x",
        "t",
        "ext",
        "转",
        "分机",
        "一",
        "年",
        "0",
        "7",
        "٣",
        "²",
        "½",
        "Ⅻ",
        "_",
        " ",
        ".",
        "-",
        "+",
        ":",
    ]
)
texts = st.lists(_PIECES, max_size=12).map("".join)


def _first_letter_by_loop(text: str, kind: str) -> int | None:
    """The definition SA003 used: the first ``isalpha`` character outside the allowed words."""
    allowed: list[tuple[int, int]] = []
    if kind == "cardinal":
        allowed = [(m.start(), m.end()) for m in re.finditer(say_as._CARDINAL_EXPONENT, text)]
    elif kind == "telephone":
        allowed = [(m.start(), m.end()) for m in re.finditer(say_as._PHONE_WORDS, text)]
    for i, ch in enumerate(text):
        if ch.isalpha() and not any(a <= i < b for a, b in allowed):
            return i
    return None


@given(texts, st.sampled_from(["digits", "cardinal", "telephone"]))
def test_first_letter_answers_as_the_loop(text: str, kind: str) -> None:
    assert say_as._first_letter(text, kind) == _first_letter_by_loop(text, kind)


@given(texts)
def test_has_digit_is_isdecimal(text: str) -> None:
    assert say_as._has_digit(text) == any(ch.isdecimal() for ch in text)


def test_letter_candidates_cover_every_letter() -> None:
    # The pre-check may only skip text without letters: every isalpha character is a candidate.
    import sys

    missed = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if chr(cp).isalpha() and not say_as._LETTER_LIKE.match(chr(cp))
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        ("cardinal", "1" * 20, False),
        ("cardinal", "1" * 21, True),
        ("digits", "1" * 20, False),
        ("digits", "1" * 21, True),
        ("digits", "1234567890 12345678901", True),
    ],
)
def test_number_too_long_at_the_limit(kind: str, text: str, found: bool) -> None:
    source = f'<speak><say-as interpret-as="{kind}">{text}</say-as></speak>'
    assert any(d.code == "SA004" for d in ssmlkit.lint(source)) is found


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A value with a few characters changed, dropped or added: what difflib is asked about."""
    chars = list(draw(st.sampled_from(INTERPRET_AS)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(chars)))
        edit = draw(st.sampled_from(["change", "drop", "add"]))
        ch = draw(st.sampled_from("acdeilmnoprstu-_3 "))
        if edit == "add":
            chars.insert(at, ch)
        elif at < len(chars):
            chars[at : at + 1] = [] if edit == "drop" else [ch]
    return "".join(chars)


@given(near_misses() | st.text(alphabet="acdeilmnoprstu-3", max_size=16))
def test_suggestions_are_difflibs(word: str) -> None:
    expected = difflib.get_close_matches(word, INTERPRET_AS, n=1, cutoff=0.75)
    candidates = say_as._plausible(word)
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75) if candidates else []
    assert found == expected
