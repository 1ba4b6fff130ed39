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
from pathlib import Path
from typing import Final

from ssmlkit.pronounce._basics import HAN_RANGES, is_han, numbered, package_dir, unique

__all__ = ["HAN_CLASS", "HAN_RUN", "Table", "is_han", "numbered", "package_folder"]


def package_folder(name: str) -> Path:
    """The folder of an installed package, found without importing (running) it."""
    return Path(package_dir(name))


#: The CJK unified ideographs (with extensions and compatibility ideographs) and 〇: the
#: characters Mandarin readings are listed for (the ranges of :data:`_basics.HAN_RANGES`).
HAN_CLASS: Final = "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES)
HAN_RUN: Final = re.compile(f"[{HAN_CLASS}]+")


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
            found = unique([memo[r] for r in listed.split(",")])
            if found and is_han(char):  # a Han character's readings, nothing else's
                readings[char] = found
        candidates: dict[str, tuple[str, ...]] = {}
        for char, listed_readings in cedict.items():
            if len(char) != 1 or not is_han(char):
                continue
            found = unique([memo[r] for r in listed_readings])
            if not found:
                continue
            # Every candidate of the model is also a reading of the character.
            readings[char] = unique([*readings.get(char, ()), *found])
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
