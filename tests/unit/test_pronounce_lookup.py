"""The model-free look-ups (:mod:`ssmlkit.pronounce._lookup`) answer as the engine's tables do.

``pronounce.readings`` and ``pronounce.cmu_pronunciations`` use them until the engine is loaded
(so that ``ssmlkit lint`` on a document with a ``<phoneme>`` does not load the model), and the
engine's tables after: both must give the same answers, for every character and word.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.pronounce._cmu import CmuDict
from ssmlkit.pronounce._engine import Engine
from ssmlkit.pronounce._lookup import CmuWords, Readings


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def quick() -> Readings:
    return Readings.load()


@pytest.fixture(scope="module")
def cmu_full() -> CmuDict:
    return CmuDict.load()


@pytest.fixture(scope="module")
def cmu_quick() -> CmuWords:
    return CmuWords.load()


def test_every_character_of_the_table_reads_the_same(engine: Engine, quick: Readings) -> None:
    table = engine.table.readings
    assert len(table) > 20_000
    differ = [ch for ch in table if quick.of(ch) != table[ch]]
    assert differ == []


@given(st.text(min_size=0, max_size=2))
@settings(max_examples=300, deadline=None)
def test_any_string_reads_the_same(engine: Engine, quick: Readings, text: str) -> None:
    assert quick.of(text) == engine.readings(text)


def test_has_answers_as_membership_in_the_readings(engine: Engine) -> None:
    # A fresh look-up: has() must answer right whether or not the digest is loaded yet.
    fresh = Readings.load()
    table = engine.table.readings
    wrong = ("a1", "ma1", "zhuang4", "er5", "lv4", "hang2")
    differ = [
        (ch, r)
        for ch in sorted(table)
        for r in (*table[ch], *wrong)
        if fresh.has(ch, r) != (r in table[ch])
    ]
    assert differ == []
    assert fresh.listed("行") == fresh.of("行")[: len(fresh.listed("行"))]


def test_the_digest_is_read_only_when_an_answer_needs_it() -> None:
    loads: list[int] = []

    def digest() -> dict[str, list[str]]:
        loads.append(1)
        return {"行": ["heng2"]}

    quick = Readings('{\n"34892": "xíng,háng"\n}', digest)
    assert quick.has("行", "hang2")  # pypinyin lists it: no digest
    assert loads == []
    assert quick.has("行", "heng2")  # only the digest has it
    assert not quick.has("行", "ma1")
    assert quick.of("行") == ("xing2", "hang2", "heng2")
    assert loads == [1]  # read once


@given(
    st.lists(st.sampled_from("行长了一不当好你重得地和为中还乐觉藏江a"), min_size=1, max_size=4),
    st.data(),
)
@settings(max_examples=300, deadline=None)
def test_misreadings_with_has_find_what_they_find_without(
    chars: list[str], data: st.DataObject
) -> None:
    from ssmlkit import pronounce
    from ssmlkit.linter.rules.pronounce import misreadings

    syllables = data.draw(
        st.lists(
            st.sampled_from(
                [
                    "hang2",
                    "xing2",
                    "zhang3",
                    "le5",
                    "yi2",
                    "bu2",
                    "ni2",
                    "hao3",
                    "dang4",
                    "ma1",
                    "zhong4",
                    "de5",
                    "he2",
                    "wei4",
                    "huan2",
                    "jiang1",
                ]
            ),
            min_size=len(chars),
            max_size=len(chars),
        )
    )
    plain = misreadings(chars, syllables, pronounce.readings)
    assert misreadings(chars, syllables, pronounce.readings, pronounce.has_reading) == plain


def test_every_dictionary_word_and_its_variants(cmu_full: CmuDict, cmu_quick: CmuWords) -> None:
    words = sorted(set(cmu_full.first) | set(cmu_full.variants))
    assert len(words) > 100_000
    differ = [w for w in words if cmu_quick.of(w) != cmu_full.lookup(w)]
    assert differ == []


def test_the_files_shape_that_the_search_relies_on() -> None:
    """ASCII words, and a word's lines (its variants) next to each other."""
    from ssmlkit.pronounce._basics import cmudict_path

    with open(cmudict_path(), "rb") as f:
        data = f.read()
    assert data.isascii()
    seen: set[bytes] = set()
    previous = b""
    for line in data.splitlines():
        base = line.split(b" ", 1)[0].split(b"(", 1)[0]
        assert base == previous or base not in seen, base
        seen.add(base)
        previous = base


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'(#) -\t2", max_size=8))
@settings(max_examples=300, deadline=None)
def test_any_word_looks_up_the_same(cmu_full: CmuDict, cmu_quick: CmuWords, word: str) -> None:
    assert cmu_quick.of(word) == cmu_full.lookup(word)


def test_a_lint_with_phonemes_does_not_load_the_model() -> None:
    """PR008 and PR010 answer from the look-ups: neither numpy nor the weights are loaded."""
    script = (
        "import sys, ssmlkit\n"
        'doc = \'<speak><phoneme alphabet="py" ph="ma1 ma1 ma1">典当行</phoneme>\''
        ' \'<phoneme alphabet="cmu" ph="K AE T">dog</phoneme></speak>\'\n'
        "codes = sorted(d.code for d in ssmlkit.lint(doc))\n"
        "import ssmlkit.pronounce as p\n"
        "print(codes.count('PR008'), codes.count('PR010'), 'numpy' in sys.modules,"
        " 'engine' not in p._loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["3", "1", "False", "True"]


def test_a_file_out_of_order_still_answers() -> None:
    """The binary search trusts no order: a line it cannot find that way is searched for."""
    lines = ['"34892": "xíng,háng"', '"19968": "yī"', '"38271": "cháng,zhǎng"']
    text = "{\n" + ",\n".join(lines) + "\n}"
    quick = Readings(text, {})
    assert quick.of("行") == ("xing2", "hang2")
    assert quick.of("一") == ("yi1",)
    assert quick.of("长") == ("chang2", "zhang3")
    assert quick.of("江") == ()


def test_a_dictionary_out_of_order_still_answers() -> None:
    data = b"dog D AO1 G\ncat K AE1 T\ncat(2) K AA1 T # odd\nant AE1 N T\n"
    quick = CmuWords(data)
    assert quick.of("Cat") == (("K", "AE1", "T"), ("K", "AA1", "T"))
    assert quick.of("dog") == (("D", "AO1", "G"),)
    assert quick.of("ant") == (("AE1", "N", "T"),)
    assert quick.of("cow") == ()
    assert CmuDict.parse(data.decode()).lookup("cat") == quick.of("cat")
