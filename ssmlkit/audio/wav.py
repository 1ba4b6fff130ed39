"""Join WAV parts into one RIFF/WAVE file: one header, then the sample data of every part.

All parts must agree on the ``fmt `` chunk's encoding, sample rate, sample width and channel count,
else :class:`~ssmlkit.errors.AudioError`. Chunks other than ``fmt `` and ``data`` (``LIST``,
``fact``...) are dropped. Streaming services often write a placeholder size (0 or 0xFFFFFFFF) in the
``data`` chunk; such a chunk is read to the end of the part.

    >>> import io, wave
    >>> def tone(frames):
    ...     buf = io.BytesIO()
    ...     with wave.open(buf, "wb") as w:
    ...         w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    ...         w.writeframes(b"\\0\\0" * frames)
    ...     return buf.getvalue()
    >>> joined = join_wav([tone(800), tone(1600)])
    >>> wave.open(io.BytesIO(joined)).getnframes()
    2400
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from ssmlkit.errors import AudioError

__all__ = ["WavFormat", "WavWriter", "join_wav", "read_wav"]

_MAX_RIFF = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class WavFormat:
    """What a part's ``fmt `` chunk says; ``raw`` is the chunk body, copied into the output."""

    format_tag: int
    channels: int
    sample_rate: int
    block_align: int
    bits_per_sample: int
    raw: bytes

    def describe(self) -> str:
        """A short human description (``24000 Hz, 16-bit, 1 channel(s)``)."""
        return f"{self.sample_rate} Hz, {self.bits_per_sample}-bit, {self.channels} channel(s)"

    def same_audio(self, other: WavFormat) -> bool:
        """Whether samples of ``other`` can follow samples of this format unchanged."""
        return (
            self.format_tag,
            self.channels,
            self.sample_rate,
            self.block_align,
            self.bits_per_sample,
        ) == (
            other.format_tag,
            other.channels,
            other.sample_rate,
            other.block_align,
            other.bits_per_sample,
        )


def read_wav(data: bytes, *, index: int = 1) -> tuple[WavFormat, memoryview]:
    """Parse a WAV part: its format and a view of its sample data (whole frames only).

    ``index`` (1-based) names the part in error messages.
    """
    view = memoryview(data)
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError(f"WAV part {index} is not a RIFF/WAVE file")
    fmt: WavFormat | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = pos + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + size > len(data):
                raise AudioError(f"WAV part {index} has a truncated fmt chunk")
            tag, channels, rate, _byte_rate, align, bits = struct.unpack_from("<HHIIHH", data, body)
            if channels == 0 or align == 0 or rate == 0:
                raise AudioError(f"WAV part {index} has an invalid fmt chunk")
            fmt = WavFormat(tag, channels, rate, align, bits, bytes(data[body : body + size]))
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError(f"WAV part {index} has its data chunk before the fmt chunk")
            end = body + size
            if size in (0, _MAX_RIFF) or end > len(data):
                end = len(data)  # a streamed placeholder size: the data runs to the end
            end -= (end - body) % fmt.block_align
            return fmt, view[body:end]
        pos = body + size + (size & 1)
    raise AudioError(f"WAV part {index} has no {'data' if fmt else 'fmt'} chunk")


class WavWriter:
    """Stream WAV parts into ``out`` (seekable): the header is written first and patched at the end."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.format: WavFormat | None = None
        self.data_bytes = 0
        self._start = 0
        self._parts = 0

    def add(self, part: bytes) -> None:
        """Append the sample data of one WAV part."""
        self._parts += 1
        fmt, samples = read_wav(part, index=self._parts)
        if self.format is None:
            self.format = fmt
            self._start = self.out.tell()
            self.out.write(self._header(0))
        elif not self.format.same_audio(fmt):
            raise AudioError(
                f"WAV part {self._parts} is {fmt.describe()} (format {fmt.format_tag}) but part 1 "
                f"is {self.format.describe()} (format {self.format.format_tag}); parts must agree"
            )
        if self.data_bytes + len(samples) + len(self._header(0)) > _MAX_RIFF:
            raise AudioError("the joined WAV would exceed the format's 4 GiB limit")
        self.out.write(samples)
        self.data_bytes += len(samples)

    def _header(self, data_bytes: int) -> bytes:
        assert self.format is not None
        fmt = self.format.raw
        fmt_chunk = b"fmt " + struct.pack("<I", len(fmt)) + fmt + (b"\0" if len(fmt) & 1 else b"")
        riff_size = 4 + len(fmt_chunk) + 8 + data_bytes + (data_bytes & 1)
        return (
            b"RIFF"
            + struct.pack("<I", riff_size)
            + b"WAVE"
            + fmt_chunk
            + b"data"
            + struct.pack("<I", data_bytes)
        )

    def finish(self) -> None:
        """Pad the data chunk to an even length and write the final sizes into the header."""
        if self.format is None:
            raise AudioError("no WAV parts to join")
        if self.data_bytes & 1:
            self.out.write(b"\0")
        end = self.out.tell()
        self.out.seek(self._start)
        self.out.write(self._header(self.data_bytes))
        self.out.seek(end)

    @property
    def duration(self) -> float | None:
        """Seconds of audio written."""
        if self.format is None:
            return 0.0
        return self.data_bytes / self.format.block_align / self.format.sample_rate


def join_wav(parts: Iterable[bytes]) -> bytes:
    """Join WAV parts in memory and return one WAV file."""
    out = io.BytesIO()
    writer = WavWriter(out)
    for part in parts:
        writer.add(part)
    writer.finish()
    return out.getvalue()
