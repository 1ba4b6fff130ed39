"""The quick test BR001 and BR002 ask before the lenient reading of an odd ``<break time>``.

``values._may_be_break_time`` may only say False where ``parse_break_time`` gives None: a wrong
False would hide a fixable time behind a "not a duration" finding.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.profiles import values as V
from ssmlkit.profiles.values import _may_be_break_time

# Near-times: the lenient grammar's parts and a few other characters, in any order and number.
_PARTS = ["", " ", "\u3000", "\t", "0", "5", "12", ".", "m", "M", "s", "S", "\u017f", "e", "x", "-"]
near_times = st.lists(st.sampled_from(_PARTS), max_size=8).map("".join)
# The lenient grammar itself, with any white space and any case of the unit.
spaces = st.text(alphabet=" \t\n\u00a0\u2003\u3000", max_size=2)
lenient_times = st.tuples(
    spaces,
    st.from_regex(r"[0-9]{1,5}(\.[0-9]{0,3})?|\.[0-9]{1,3}", fullmatch=True),
    spaces,
    st.sampled_from(["ms", "mS", "Ms", "MS", "m\u017f", "M\u017f", "s", "S", "\u017f"]),
    spaces,
).map("".join)


@given(st.one_of(near_times, lenient_times, st.text(max_size=12)))
def test_a_readable_time_is_never_turned_away(value: str) -> None:
    if V.parse_break_time(value) is not None:
        assert _may_be_break_time(value)


@given(lenient_times)
def test_the_lenient_grammar_is_readable_and_passes(value: str) -> None:
    assert V.parse_break_time(value) is not None
    assert _may_be_break_time(value)


@pytest.mark.parametrize("template", ["{}1s", "1{}s", "1m{}", "1{}"])
def test_no_character_that_a_time_may_hold_is_turned_away(template: str) -> None:
    # Every code point around, inside and as the unit of a short time: white space, digits, the
    # point and the unit's letters (re.IGNORECASE also matches "ſ" with "s") are all it takes.
    for code in range(sys.maxunicode + 1):
        value = template.format(chr(code))
        if V.parse_break_time(value) is not None:
            assert _may_be_break_time(value), repr(value)


@pytest.mark.parametrize("value", ["123 seconds", "medium", "fast", "5 sec", "1.5 sx", "2 m s"])
def test_text_that_is_no_time_is_turned_away(value: str) -> None:
    assert V.parse_break_time(value) is None
    assert not _may_be_break_time(value)


@pytest.mark.parametrize("value", ["0.5", "500", " 12 ", "5 0ms", "1..5s"])
def test_it_is_only_a_first_test(value: str) -> None:
    # Bare numbers and misplaced digits pass it and are settled by the lenient pattern.
    assert _may_be_break_time(value)
    assert V.parse_break_time(value) is None
