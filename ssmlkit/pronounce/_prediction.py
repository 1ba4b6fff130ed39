"""The record :func:`ssmlkit.pronounce.predict` returns (a module of its own: the engine makes
them and the package re-exports them, without either importing the other)."""

from __future__ import annotations

from ssmlkit._records import Record, record, setfield

__all__ = ["Prediction"]


# A Record (see ssmlkit._records): defined on the way to every ``ssmlkit lint`` and made by the
# thousand for a long document, so it writes its own constructor.
@record
class Prediction(Record):
    """The reading chosen for one polyphonic character in its context.

    ``index`` is the character's offset in the text given to :func:`predict`; ``confidence`` is the
    probability of ``reading`` among the character's ``candidates`` (0..1), which are listed best
    first, so ``candidates[0] == reading``.

        >>> Prediction(2, "行", "hang2", 0.98, ("hang2", "xing2")).reading
        'hang2'
    """

    index: int
    char: str
    reading: str
    confidence: float
    candidates: tuple[str, ...] = ()

    def __init__(
        self,
        index: int,
        char: str,
        reading: str,
        confidence: float,
        candidates: tuple[str, ...] = (),
    ) -> None:
        setfield(self, "index", index)
        setfield(self, "char", char)
        setfield(self, "reading", reading)
        setfield(self, "confidence", confidence)
        setfield(self, "candidates", candidates)
