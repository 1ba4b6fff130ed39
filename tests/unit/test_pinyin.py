"""The pinyin inventory and syllable checks, proved against pypinyin as an independent oracle."""

from __future__ import annotations

import doctest
import re
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pypinyin import Style, pinyin

import ssmlkit.phonetics
from ssmlkit.phonetics import closest, edit_distance
from ssmlkit.phonetics import pinyin as py


def _gb2312_level1() -> list[str]:
    """The 3,755 most common Han characters (GB 2312 level 1), decoded by the stdlib codec."""
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            if hi == 0xD7 and lo > 0xF9:
                continue  # the level ends at D7F9
            chars.append(bytes([hi, lo]).decode("gb2312"))
    return chars


COMMON = _gb2312_level1()


def _readings(chars: list[str], style: Style) -> set[str]:
    out: set[str] = set()
    for readings in pinyin(chars, style=style, heteronym=True, neutral_tone_with_five=True):
        out.update(readings)
    return out


def test_common_characters_sample_is_the_gb2312_first_level() -> None:
    assert len(COMMON) == 3755
    assert "啊" in COMMON  # the first character of the level
    assert "座" in COMMON  # the last one


def test_every_reading_of_a_common_character_is_in_the_inventory() -> None:
    readings = _readings(COMMON, Style.NORMAL)
    assert len(readings) > 380  # the oracle really covers the table
    missing = sorted(r for r in readings if r not in py.SYLLABLES)
    assert missing == []


def test_every_toned_reading_of_a_common_character_passes_the_check() -> None:
    failing = {r: py.check_syllable(r) for r in _readings(COMMON, Style.TONE3)}
    assert {r: m for r, m in failing.items() if m is not None} == {}


def test_every_syllable_in_the_inventory_is_some_characters_reading() -> None:
    """The inventory invents nothing: pypinyin reads some CJK ideograph as each syllable."""
    block = [chr(cp) for cp in range(0x4E00, 0xA000)]
    known = _readings(block, Style.NORMAL)
    assert sorted(py.SYLLABLES - known) == []


def test_inventory_size_and_spelling_rules() -> None:
    assert 400 <= len(py.SYLLABLES) <= 430
    for s in py.SYLLABLES:
        assert re.fullmatch(r"[a-zê]+", s), s
        # Pinyin never starts a syllable with i, u or ü: those are written y/w.
        assert s[0] not in "iuv", s
        # ü appears (as v) only after l and n; after j, q, x, y it is written u.
        if "v" in s:
            assert s[0] in "ln", s
        if s[0] in "jqx":
            assert s[1] in "iu", s


@pytest.mark.parametrize(
    "base",
    ["zhuang", "lv", "nve", "lve", "ê", "er", "m", "n", "ng", "hm", "hng", "yo", "lo", "dia", "ei"],
)
def test_edge_syllables_are_valid(base: str) -> None:
    assert py.is_valid_base(base)
    assert py.check_syllable(f"{base}4") is None


@pytest.mark.parametrize("base", ["biang", "lue", "nue", "jv", "qve", "wi", "yong2", "zhi3", ""])
def test_non_syllables_are_invalid(base: str) -> None:
    assert not py.is_valid_base(base)


@given(st.sampled_from(sorted(py.SYLLABLES)), st.integers(1, 5))
def test_valid_syllable_with_tone_passes_and_parses_back(base: str, tone: int) -> None:
    syllable = f"{base}{tone}"
    assert py.check_syllable(syllable) is None
    assert py.diagnose_syllable(syllable) is None
    assert py.parse_syllable(syllable) == (base, tone)


@given(st.sampled_from(sorted(py.SYLLABLES)), st.sampled_from("06789"))
def test_bad_tone_digits_are_rejected(base: str, digit: str) -> None:
    msg = py.check_syllable(f"{base}{digit}")
    assert msg is not None
    assert "tone" in msg
    assert py.parse_syllable(f"{base}{digit}") is None


def test_tone_zero_points_to_five() -> None:
    problem = py.diagnose_syllable("ma0")
    assert problem is not None
    assert problem.kind == "bad-tone"
    assert problem.replacement == "ma5"


def test_missing_tone_digit() -> None:
    msg = py.check_syllable("hao")
    assert msg is not None
    assert "no tone digit" in msg


def test_two_tone_digits() -> None:
    problem = py.diagnose_syllable("hao33")
    assert problem is not None
    assert problem.kind == "bad-tone"


def test_tone_marks_give_the_digit_form() -> None:
    assert py.check_syllable("hǎo") == "'hǎo' uses a tone mark; write the tone as a digit: 'hao3'"
    problem = py.diagnose_syllable("lǜ")
    assert problem is not None
    assert (problem.kind, problem.replacement) == ("tone-mark", "lv4")


def test_tone_marks_agree_with_the_oracle() -> None:
    """For every common character, our reading of its tone-marked pinyin equals pypinyin's TONE3."""
    marked = pinyin(COMMON, style=Style.TONE, heteronym=False)
    digits = pinyin(COMMON, style=Style.TONE3, heteronym=False, neutral_tone_with_five=True)
    checked = 0
    for (with_mark,), (with_digit,) in zip(marked, digits, strict=True):
        if with_digit.endswith("5"):
            continue  # a neutral tone has no mark to read
        problem = py.diagnose_syllable(with_mark)
        assert problem is not None
        assert (problem.kind, problem.replacement) == ("tone-mark", with_digit), with_mark
        checked += 1
    assert checked > 3500


def test_unknown_syllable_names_the_nearest() -> None:
    msg = py.check_syllable("shii3")
    assert msg is not None
    assert msg.startswith("'shii3' is not a Mandarin syllable; did you mean 'shi3'")
    problem = py.diagnose_syllable("shii3")
    assert problem is not None
    assert problem.kind == "unknown"
    assert problem.suggestions[0] == "shi3"
    assert len(problem.suggestions) <= 3


def test_unknown_syllable_far_from_everything_has_no_suggestion() -> None:
    msg = py.check_syllable("zzzzzz1")
    assert msg == "'zzzzzz1' is not a Mandarin syllable"


def test_swapped_letters_rank_first() -> None:
    assert py.suggest("hoa")[0] == "hao"
    assert py.suggest("zhaung")[0] == "zhuang"


@pytest.mark.parametrize(
    ("written", "spelling", "fix"),
    [
        ("lv4", "v", None),
        ("nve4", "v", None),
        ("lu:4", "u:", "lv4"),
        ("lü4", "ü", "lv4"),
        ("nu:e4", "u:", "nve4"),
        ("xu:e2", "u:", "xue2"),
        ("yü2", "ü", "yu2"),
        ("ju3", None, None),
        ("hao3", None, None),
    ],
)
def test_umlaut_spellings(written: str, spelling: str | None, fix: str | None) -> None:
    assert py.umlaut_spelling(written) == spelling
    problem = py.diagnose_syllable(written)
    if spelling in py.ACCEPTED_UMLAUT_SPELLINGS or spelling is None:
        assert problem is None
    else:
        assert spelling in py.REJECTED_UMLAUT_SPELLINGS
        assert problem is not None
        assert (problem.kind, problem.replacement) == ("umlaut-spelling", fix)


@pytest.mark.parametrize(("written", "fix"), [("lue4", "lve4"), ("nue4", "nve4"), ("jv3", "ju3")])
def test_u_and_v_mixed_up_get_the_rule(written: str, fix: str) -> None:
    problem = py.diagnose_syllable(written)
    assert problem is not None
    assert problem.kind == "umlaut-spelling"
    assert problem.replacement == fix
    assert fix in problem.message


@pytest.mark.parametrize(
    ("written", "base"), [("huar1", "hua"), ("yidianr3", None), ("nar4", "na")]
)
def test_erhua_is_rejected_and_explained(written: str, base: str | None) -> None:
    assert py.erhua_base(written) == base
    problem = py.diagnose_syllable(written)
    assert problem is not None
    if base is not None:
        assert problem.kind == "erhua"
        assert "er5" in problem.message


def test_er_itself_is_not_erhua() -> None:
    assert py.erhua_base("er2") is None
    assert py.check_syllable("er2") is None


def test_upper_case_is_rejected_but_parses() -> None:
    problem = py.diagnose_syllable("Hao3")
    assert problem is not None
    assert (problem.kind, problem.replacement) == ("upper-case", "hao3")
    assert py.parse_syllable("Hao3") == ("hao", 3)


@pytest.mark.parametrize("text", ["", "3", "hao 3", "h-ao3", "ha3o", "hao３"])
def test_malformed_input_is_reported(text: str) -> None:
    assert py.check_syllable(text) is not None
    assert py.parse_syllable(text) is None


@given(st.text(max_size=12))
def test_check_never_crashes_and_agrees_with_the_inventory(text: str) -> None:
    msg = py.check_syllable(text)
    parsed = py.parse_syllable(text)
    if msg is None:
        assert parsed is not None
        assert parsed[0] in py.SYLLABLES
        assert text == f"{parsed[0]}{parsed[1]}"
    else:
        assert isinstance(msg, str)
        assert msg


@given(st.lists(st.sampled_from(sorted(py.SYLLABLES)), max_size=6), st.data())
def test_split_syllables_on_any_whitespace(bases: list[str], data: st.DataObject) -> None:
    gaps = data.draw(st.lists(st.sampled_from([" ", "  ", "\t", "\n", " \u3000"]), min_size=1))
    text = gaps[0]
    for i, b in enumerate(bases):
        text += b + "1" + gaps[(i + 1) % len(gaps)]
    assert py.split_syllables(text) == [f"{b}1" for b in bases]


@given(st.sampled_from(sorted(py.SYLLABLES)), st.data())
def test_one_edit_away_is_found_again(base: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(base)))
    letter = data.draw(st.sampled_from(string.ascii_lowercase))
    mutated = base[:pos] + letter + base[pos:]
    assume(mutated not in py.SYLLABLES)
    everything = py.suggest(mutated, limit=len(py.SYLLABLES))
    assert base in everything
    top = py.suggest(mutated)
    assert 1 <= len(top) <= 3
    assert all(s in py.SYLLABLES for s in top)
    distances = [edit_distance(mutated, s) for s in top]
    assert distances == sorted(distances)
    assert max(distances) <= 2


def _levenshtein(a: str, b: str) -> int:
    """Plain Levenshtein distance, written independently as a reference."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        new = [i]
        for j, cb in enumerate(b, 1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (ca != cb)))
        row = new
    return row[-1]


@given(st.text("abcde", max_size=7), st.text("abcde", max_size=7))
def test_edit_distance_against_levenshtein(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    # Swaps cost 1 instead of 2, so the distance never exceeds Levenshtein nor falls below half.
    lev = _levenshtein(a, b)
    assert lev / 2 <= d <= lev


@given(st.text("abcdef", min_size=2, max_size=8), st.data())
def test_one_swap_costs_one(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 2))
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    assume(swapped != word)
    assert edit_distance(word, swapped) == 1


def test_closest_respects_limit_and_distance() -> None:
    # Equal distance and shared beginning: the candidate of the same length ranks first.
    assert closest("abc", ["abd", "xyz", "abc", "ab"], limit=5) == ["abd", "ab"]
    assert closest("abc", ["abd"], limit=0) == []
    assert closest("abc", ["xyzw"], max_distance=2) == []


@pytest.mark.parametrize("module", [py, ssmlkit.phonetics])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


_UMLAUTS = ["ü", "ǖ", "ǘ", "ǚ", "ǜ", "u:", "u\u0308", "u\u0308\u030c", "v", "u"]


@given(
    st.sampled_from(["l", "n", "j", "q", "x", "y", "", "L"]),
    st.sampled_from(_UMLAUTS),
    st.sampled_from(["", "e", "an", "n", "e:"]),
    st.sampled_from(["", "1", "3", "4", "5", "0", "44"]),
)
def test_every_spelling_of_u_umlaut_is_diagnosed_without_end(
    initial: str, umlaut: str, final: str, tone: str
) -> None:
    # 'lǚ4' (a tone mark and a digit) once sent diagnose_syllable into endless recursion.
    text = initial + umlaut + final + tone
    problem = py.diagnose_syllable(text)
    if problem is not None and problem.replacement is not None:
        assert py.diagnose_syllable(problem.replacement) is None


def test_a_marked_u_umlaut_with_a_digit_is_an_umlaut_spelling() -> None:
    problem = py.diagnose_syllable("lǚ4")
    assert problem is not None
    assert (problem.kind, problem.replacement) == ("umlaut-spelling", "lv4")
