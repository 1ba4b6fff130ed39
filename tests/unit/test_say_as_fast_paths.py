"""SA003's quick test of digit-reading text agrees with the letter and digit searches it skips."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.linter.rules import say_as

# ASCII digits and separators, with letters, other scripts' digits, "_" and "²" now and then.
texts = st.text(alphabet=say_as._DIGITS_AND_SEPARATORS + "a_²٣\u3000", max_size=14)


@given(texts)
def test_text_the_strips_pass_has_a_digit_and_no_letter(text: str) -> None:
    if not text.strip(say_as._DIGITS_AND_SEPARATORS) and text.strip(say_as._SEPARATORS):
        assert say_as._LETTER_LIKE.search(text) is None
        assert say_as._DIGIT_RUN.search(text) is not None


def test_the_separators_are_neither_letters_nor_digits() -> None:
    assert all(re.fullmatch(r"\W", ch) for ch in say_as._SEPARATORS)
