"""The CMU ARPAbet phone set and the per-phone check."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.phonetics import cmu

# Written out here from the CMUdict documentation's phone table, independently of the module.
DOC_VOWELS = "AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW"
DOC_CONSONANTS = "B CH D DH F G HH JH K L M N NG P R S SH T TH V W Y Z ZH"


def test_inventory_sizes() -> None:
    assert len(cmu.VOWELS) == 15
    assert len(cmu.CONSONANTS) == 24
    assert len(cmu.PHONES) == 39
    assert cmu.VOWELS.isdisjoint(cmu.CONSONANTS)
    assert cmu.PHONES == cmu.VOWELS | cmu.CONSONANTS


def test_inventory_matches_the_documented_table() -> None:
    assert set(DOC_VOWELS.split()) == cmu.VOWELS
    assert set(DOC_CONSONANTS.split()) == cmu.CONSONANTS


def test_vendor_example_is_clean() -> None:
    assert [cmu.check_phone(p) for p in cmu.split_phones("S AY N")] == [None, None, None]


def test_dictionary_style_entry_gives_only_warnings() -> None:
    # "PETER" as the CMU dictionary writes it: stress digits on the two vowels.
    found = [cmu.check_phone(p) for p in cmu.split_phones("P IY1 T ER0")]
    assert found[0] is None
    assert found[2] is None
    assert found[1] is not None
    assert found[1][0] == "warning"
    assert found[3] is not None
    assert found[3][0] == "warning"


@pytest.mark.parametrize("vowel", sorted(cmu.VOWELS))
@pytest.mark.parametrize("digit", ["0", "1", "2"])
def test_vowel_with_stress_is_a_warning(vowel: str, digit: str) -> None:
    found = cmu.check_phone(vowel + digit)
    assert found is not None
    severity, message = found
    assert severity == "warning"
    assert f"'{vowel}'" in message


@given(st.sampled_from(sorted(cmu.VOWELS)), st.integers(3, 99))
def test_vowel_with_out_of_range_digit_is_an_error(vowel: str, digit: int) -> None:
    found = cmu.check_phone(f"{vowel}{digit}")
    assert found is not None
    assert found[0] == "error"


@given(st.sampled_from(sorted(cmu.CONSONANTS)), st.integers(0, 9))
def test_consonant_with_digit_is_an_error(consonant: str, digit: int) -> None:
    found = cmu.check_phone(f"{consonant}{digit}")
    assert found is not None
    assert found[0] == "error"
    assert "no stress digit" in found[1]


@pytest.mark.parametrize("phone", sorted(cmu.PHONES))
def test_lower_case_is_an_error_with_a_case_hint(phone: str) -> None:
    found = cmu.check_phone(phone.lower())
    assert found is not None
    assert found[0] == "error"
    assert f"'{phone}'" in found[1]


def test_lower_case_ay_hint() -> None:
    assert cmu.check_phone("ay") == (
        "error",
        "'ay' is not a CMU phone; phones are upper case: 'AY'",
    )


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [("AX", "AH"), ("AXR", "ER"), ("IX", "IH"), ("DX", "T"), ("EL", "AH L"), ("H", "HH")],
)
def test_wider_arpabet_symbols_point_to_cmu(symbol: str, expected: str) -> None:
    found = cmu.check_phone(symbol)
    assert found is not None
    assert found[0] == "error"
    assert f"'{expected}'" in found[1]
    assert all(p in cmu.PHONES for p in expected.split())


@pytest.mark.parametrize(
    ("typo", "meant"), [("ZZ", "Z"), ("SHH", "SH"), ("J", "JH"), ("AYY", "AY")]
)
def test_unknown_phone_suggests_the_nearest(typo: str, meant: str) -> None:
    found = cmu.check_phone(typo)
    assert found is not None
    assert found[0] == "error"
    assert "did you mean" in found[1]
    assert meant in cmu.suggest_phone(typo)


def test_no_suggestion_when_nothing_is_close() -> None:
    assert cmu.check_phone("QQQQ") == ("error", "'QQQQ' is not a CMU phone")


@pytest.mark.parametrize("junk", ["", "AY-1", "1", "AY 1", "ÅY"])
def test_malformed_phones_are_errors(junk: str) -> None:
    found = cmu.check_phone(junk)
    assert found is not None
    assert found[0] == "error"


@given(st.text(max_size=6))
def test_check_never_crashes_and_none_means_a_bare_phone(text: str) -> None:
    found = cmu.check_phone(text)
    if found is None:
        assert text in cmu.PHONES
    else:
        assert found[0] in {"warning", "error"}
        assert found[1]
        if found[0] == "warning":
            assert text[:-1] in cmu.VOWELS
            assert text[-1] in "012"


@given(
    st.lists(st.sampled_from(sorted(cmu.PHONES)), max_size=8),
    st.sampled_from([" ", "\t", "  ", "\n"]),
)
def test_split_phones_round_trip(phones: list[str], gap: str) -> None:
    assert cmu.split_phones(gap + gap.join(phones) + gap) == phones


def test_docstring_examples() -> None:
    result = doctest.testmod(cmu, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0
