"""The pronunciation rules' cheap verdicts equal the full checks they stand in for.

:func:`ssmlkit.linter.phoneme_ph.syllable_ok` answers ``diagnose_syllable(s) is None`` and
:func:`~ssmlkit.linter.phoneme_ph.phone_verdict` answers ``check_phone(p)`` by a look-up for the
usual, valid input; PR007's ``_v_for_umlaut`` answers "valid and ü written v" without
normalizing. Each must agree with the full check on anything, valid or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from ssmlkit.linter.phoneme_ph import phone_verdict, syllable_ok
from ssmlkit.linter.rules.pronunciation import _v_for_umlaut
from ssmlkit.phonetics import cmu, pinyin

_BASES = sorted(pinyin.SYLLABLES)


def _outcome(check: Callable[[str], Any], value: str) -> tuple[str, Any]:
    """What ``check(value)`` gives, or the type of what it raises: a fast path must agree on
    both (``diagnose_syllable`` recurses without end on some ü spellings with tone marks)."""
    try:
        return ("value", check(value))
    except RecursionError as exc:
        return ("raises", type(exc))


_PHONES = sorted(cmu.PHONES)

#: Syllable-like text: inventory letters, digits, case, ü spellings, tone marks, ê, erhua.
_SYLLABLE_CHARS = "abcdeghijklmnopqrstuvwxyzAVZ0123456789:üǚǘêě\u0304\u0301\u030c\u0300\u0308 "


@st.composite
def syllables(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(_SYLLABLE_CHARS, max_size=8))
    base = draw(st.sampled_from(_BASES))
    tail = draw(st.sampled_from(["", "0", "1", "2", "3", "4", "5", "6", "12", "r1", ":3", "V"]))
    word = base + tail
    if draw(st.booleans()):
        word = draw(st.sampled_from([word.upper(), word.capitalize(), word.replace("v", "u:")]))
    return word


def _diagnosed_fine(syllable: str) -> bool:
    return pinyin.diagnose_syllable(syllable) is None


def _v_and_fine(syllable: str) -> bool:
    return pinyin.umlaut_spelling(syllable) == "v" and pinyin.diagnose_syllable(syllable) is None


@given(syllables())
@example("lǚ4")
def test_syllable_ok_is_diagnose_syllable_finding_nothing(syllable: str) -> None:
    assert _outcome(syllable_ok, syllable) == _outcome(_diagnosed_fine, syllable)


@given(syllables())
@example("vǚ1")  # holds a v, but its ü is written ǚ: not asked further, as before
@example("lv4")
@example("LV4")
def test_v_for_umlaut_is_valid_pinyin_spelling_u_umlaut_as_v(syllable: str) -> None:
    assert _outcome(_v_for_umlaut, syllable) == _outcome(_v_and_fine, syllable)


def test_every_syllable_of_the_inventory_with_every_tone() -> None:
    for base in _BASES:
        for tone in "0123456":
            syllable = base + tone
            assert syllable_ok(syllable) == (pinyin.diagnose_syllable(syllable) is None)
            assert _v_for_umlaut(syllable) == (
                pinyin.umlaut_spelling(syllable) == "v"
                and pinyin.diagnose_syllable(syllable) is None
            )


@st.composite
def phones(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text("ABDEGHIKLMNOPRSTUVWXYZaehy0123456789 ", max_size=5))
    phone = draw(st.sampled_from([*_PHONES, "AX", "DX", "EL"]))
    phone += draw(st.sampled_from(["", "0", "1", "2", "3", "01", "x"]))
    return phone.lower() if draw(st.booleans()) else phone


@given(phones())
def test_phone_verdict_is_check_phone(phone: str) -> None:
    assert phone_verdict(phone) == cmu.check_phone(phone)


def test_every_phone_with_every_digit() -> None:
    for phone in _PHONES:
        for digits in ("", "0", "1", "2", "3", "10"):
            assert phone_verdict(phone + digits) == cmu.check_phone(phone + digits)
