"""Join audio parts into one file, per format: pure bytes in, bytes out (or a stream out).

Usage::

    from ssmlkit.audio import join, open_writer
    joined = join("wav", [part1, part2])            # one WAV file, in memory

    with open("book.mp3", "wb") as out:             # streaming: one part in memory at a time
        writer = open_writer("mp3", out)
        for part in parts:
            writer.add(part)
        writer.finish()

Formats: ``wav`` (:mod:`.wav`), ``pcm`` (:mod:`.pcm`, 16-bit mono), ``mp3`` (:mod:`.mp3`) and
``opus`` (Ogg Opus, :mod:`.ogg`). Parts that cannot be joined raise
:class:`~ssmlkit.errors.AudioError`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import BinaryIO

from ssmlkit.audio.base import PartWriter
from ssmlkit.audio.mp3 import Mp3Writer, join_mp3
from ssmlkit.audio.ogg import OggOpusWriter, join_ogg_opus
from ssmlkit.audio.pcm import PcmWriter
from ssmlkit.audio.wav import WavWriter, join_wav
from ssmlkit.errors import AudioError

__all__ = [
    "FORMATS",
    "Mp3Writer",
    "OggOpusWriter",
    "PartWriter",
    "PcmWriter",
    "WavWriter",
    "join",
    "join_mp3",
    "join_ogg_opus",
    "join_wav",
    "open_writer",
]

#: The formats the service returns, which are the formats that can be joined.
FORMATS = ("mp3", "wav", "pcm", "opus")


def open_writer(fmt: str, out: BinaryIO, *, sample_rate: int | None = None) -> PartWriter:
    """A streaming joiner for ``fmt`` writing to ``out`` (seekable for ``wav``).

    ``sample_rate`` is only needed for the duration of ``pcm``, which carries no header.
    """
    if fmt == "wav":
        return WavWriter(out)
    if fmt == "pcm":
        return PcmWriter(out, sample_rate=sample_rate)
    if fmt == "mp3":
        return Mp3Writer(out)
    if fmt == "opus":
        return OggOpusWriter(out)
    raise AudioError(f"cannot join {fmt!r} audio; formats: {', '.join(FORMATS)}")


def join(fmt: str, parts: Iterable[bytes], *, sample_rate: int | None = None) -> bytes:
    """Join ``parts`` of format ``fmt`` in memory into one file's bytes."""
    out = io.BytesIO()
    writer = open_writer(fmt, out, sample_rate=sample_rate)
    for part in parts:
        writer.add(part)
    writer.finish()
    return out.getvalue()
