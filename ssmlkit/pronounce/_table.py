"""The Mandarin data behind :mod:`ssmlkit.pronounce`: readings of each character, and phrases.

    >>> from ssmlkit.pronounce._model import Model
    >>> table = Table.load(Model.load().cedict)
    >>> table.readings["行"][:2], table.candidates["行"], table.phrases["行长"]
    (('xing2', 'hang2'), ('xing2', 'hang2'), ('hang2', 'zhang3'))

Sources, read as data files without running the packages' code:

* pypinyin's ``pinyin_dict.json`` (code point -> readings with tone marks, most common first, about
  42,000 characters) and ``phrases_dict.json`` (about 47,000 words, one reading per character);
* g2pM's CC-CEDICT digest (``digest_cedict.pkl``): the readings its model chooses among. A
  character with more than one there is a *polyphone* for :func:`ssmlkit.pronounce.predict`.

Every reading is converted to numbered pinyin as :mod:`ssmlkit.phonetics.pinyin` writes it (tone
marks to a digit 1-5, no mark = 5, ü and ``u:`` to ``v``) and kept only if
:func:`~ssmlkit.phonetics.pinyin.check_syllable` would accept it: a source's oddities (``xx5``, ``r5``,
``ging1``, ``m̀``…) are dropped rather than handed to a document.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import Final

from ssmlkit.phonetics.pinyin import is_valid_base, parse_syllable

__all__ = ["HAN_CLASS", "HAN_RUN", "Table", "is_han", "numbered", "package_folder"]

_MARKS: Final = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def package_folder(name: str) -> Path:
    """The folder of an installed package, found without importing (running) it."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


#: The CJK unified ideographs (with extensions and compatibility ideographs) and 〇: the
#: characters Mandarin readings are listed for.
HAN_CLASS: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_RUN: Final = re.compile(f"[{HAN_CLASS}]+")
_HAN_CHAR: Final = re.compile(f"[{HAN_CLASS}]")


def is_han(ch: str) -> bool:
    """Whether ``ch`` is one Han character (see :data:`HAN_CLASS`).

    >>> is_han("行"), is_han("a"), is_han("。"), is_han("𠀀"), is_han("行长")
    (True, False, False, True, False)
    """
    return _HAN_CHAR.fullmatch(ch) is not None


def numbered(reading: str) -> str | None:
    """A reading in any of the sources' spellings as numbered pinyin, or None if it is not one.

    >>> numbered("lǜ"), numbered("de"), numbered("nu:e4"), numbered("xx5"), numbered("Háng")
    ('lv4', 'de5', 'nve4', None, 'hang2')
    """
    text = reading.strip().lower().replace("u:", "v")
    if text and text[-1].isdigit():
        out = text.replace("ü", "v")
    else:
        tone = "5"
        letters: list[str] = []
        for ch in unicodedata.normalize("NFD", text):
            if ch in _MARKS:
                tone = _MARKS[ch]
            elif ch == "\u0308":  # diaeresis: ü
                if letters and letters[-1] == "u":
                    letters[-1] = "v"
            elif ch == "\u0302":  # circumflex: ê
                if letters and letters[-1] == "e":
                    letters[-1] = "ê"
            else:
                letters.append(ch)
        out = "".join(letters) + tone
    # The same verdict as check_syllable for a lower-case, digit-toned spelling, without the
    # suggestions it computes for a wrong one (edit distances: most of the table's load time).
    shape = parse_syllable(out)
    valid = shape is not None and is_valid_base(shape[0]) and out == f"{shape[0]}{shape[1]}"
    return out if valid else None


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i is not None))


class Table:
    """Readings by character, polyphone candidates, and the phrase dictionary (immutable)."""

    def __init__(
        self,
        readings: dict[str, tuple[str, ...]],
        candidates: dict[str, tuple[str, ...]],
        phrases: dict[str, tuple[str, ...]],
    ) -> None:
        self.readings = readings
        self.candidates = candidates
        self.phrases = phrases
        self.longest_phrase = max((len(p) for p in phrases), default=1)
        # The lengths of the phrases starting with each character, longest first: most characters
        # start none or a few, so segmentation tries a slice or two a character.
        lengths: dict[str, set[int]] = {}
        for phrase in phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self.lengths_from = {ch: tuple(sorted(n, reverse=True)) for ch, n in lengths.items()}
        # A phrase's first two characters: most places in a text start no phrase, which one
        # look-up of the next two characters tells.
        self.pairs = frozenset(phrase[:2] for phrase in phrases)

    @classmethod
    def load(cls, cedict: dict[str, list[str]]) -> Table:
        """Build the table from pypinyin's data files and g2pM's CEDICT digest (``cedict``)."""
        folder = package_folder("pypinyin")
        with (folder / "pinyin_dict.json").open(encoding="utf-8") as f:
            raw_chars: dict[str, str] = json.load(f)
        with (folder / "phrases_dict.json").open(encoding="utf-8") as f:
            raw_phrases: dict[str, list[list[str]]] = json.load(f)
        # About 2,000 distinct spellings among 200,000 readings: each is converted once.
        spellings = {r for listed in raw_chars.values() for r in listed.split(",")}
        spellings.update(o[0] for per_char in raw_phrases.values() for o in per_char if o)
        spellings.update(r for listed in cedict.values() for r in listed)
        memo = {r: numbered(r) for r in spellings}

        readings: dict[str, tuple[str, ...]] = {}
        for point, listed in raw_chars.items():
            char = chr(int(point))
            found = _unique([memo[r] for r in listed.split(",")])
            if found and is_han(char):  # a Han character's readings, nothing else's
                readings[char] = found
        candidates: dict[str, tuple[str, ...]] = {}
        for char, listed_readings in cedict.items():
            if len(char) != 1 or not is_han(char):
                continue
            found = _unique([memo[r] for r in listed_readings])
            if not found:
                continue
            # Every candidate of the model is also a reading of the character.
            readings[char] = _unique([*readings.get(char, ()), *found])
            if len(found) > 1:
                candidates[char] = found
        phrases: dict[str, tuple[str, ...]] = {}
        for phrase, per_char in raw_phrases.items():
            if len(phrase) < 2 or len(per_char) != len(phrase) or not all(per_char):
                continue
            spelled = [memo[options[0]] for options in per_char]
            if None in spelled or not HAN_RUN.fullmatch(phrase):
                continue
            phrases[phrase] = tuple(spelled)  # type: ignore[arg-type]
        return cls(readings, candidates, phrases)

    def segment(self, text: str) -> list[tuple[int, int]]:
        """Word spans over each run of Han characters: the longest dictionary phrase starting at
        each point (forward maximum matching), else a single character.

            >>> Table({}, {}, {"银行": ("yin2", "hang2")}).segment("在银行,行")
            [(0, 1), (1, 3), (4, 5)]
        """
        spans: list[tuple[int, int]] = []
        words = self.words(text)
        k = 0
        for run in HAN_RUN.finditer(text):
            i, end = run.span()
            while i < end:
                if k < len(words) and words[k][0] == i:
                    spans.append(words[k])
                    i = words[k][1]
                    k += 1
                else:
                    spans.append((i, i + 1))
                    i += 1
        return spans

    def words(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The spans of :meth:`segment` longer than one character, within ``[start, end)``.

            >>> Table({}, {}, {"银行": ("yin2", "hang2"), "行长": ("hang2", "zhang3")}).words("银行行长")
            [(0, 2), (2, 4)]

        The same forward maximum matching, trying the phrase lengths only where the next two
        characters begin a phrase. Phrases hold Han characters only, so no word crosses the end
        of a run of them.
        """
        stop_at = len(text) if end is None else end
        phrases = self.phrases
        pairs = self.pairs
        lengths_from = self.lengths_from
        found: list[tuple[int, int]] = []
        i = start
        while i < stop_at - 1:
            if text[i : i + 2] in pairs:
                for size in lengths_from[text[i]]:
                    if i + size <= stop_at and text[i : i + size] in phrases:
                        found.append((i, i + size))
                        i += size
                        break
                else:
                    i += 1
            else:
                i += 1
        return found
