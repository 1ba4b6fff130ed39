"""The interface every joiner implements: feed parts in order, then finish.

Usage::

    with open("out.wav", "w+b") as out:
        writer = WavWriter(out)
        for part in parts:
            writer.add(part)
        writer.finish()
    writer.duration  # seconds of audio written

Writers stream: each part is handled as it arrives and only the current part is held in memory, so
a joined hour of audio costs a few parts of memory, not the whole file. ``out`` must be seekable for
formats whose header holds the total length (WAV).
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

__all__ = ["PartWriter"]


class PartWriter(Protocol):
    """Joins audio parts of one format into ``out``.

    Usage: ``writer.add(part)`` for every part in order, then ``writer.finish()``; ``duration`` is
    the length in seconds of what was written (``None`` when the format cannot say).
    """

    out: BinaryIO

    def add(self, part: bytes) -> None:
        """Append one part (the whole bytes of one rendered chunk)."""
        ...

    def finish(self) -> None:
        """Complete the output (headers, end-of-stream flags); call once, after the last part."""
        ...

    @property
    def duration(self) -> float | None:
        """Seconds of audio written so far (final after :meth:`finish`)."""
        ...
