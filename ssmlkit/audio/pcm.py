"""Join raw PCM parts: signed 16-bit little-endian samples, concatenated.

>>> import io
>>> out = io.BytesIO()
>>> w = PcmWriter(out, sample_rate=8000)
>>> w.add(b"\\x01\\x00" * 4000); w.add(b"\\x02\\x00" * 4000); w.finish()
>>> len(out.getvalue()), w.duration
(16000, 1.0)
"""

from __future__ import annotations

from typing import BinaryIO

from ssmlkit.errors import AudioError

__all__ = ["PcmWriter"]


class PcmWriter:
    """Concatenate PCM parts; every part must hold whole frames of ``sample_width * channels``.

    The service sends PCM as 16-bit mono, the defaults. ``sample_rate`` (Hz) is only used for
    :attr:`duration`; without it the duration is ``None``.
    """

    def __init__(
        self,
        out: BinaryIO,
        *,
        sample_rate: int | None = None,
        sample_width: int = 2,
        channels: int = 1,
    ) -> None:
        self.out = out
        self.sample_rate = sample_rate
        self.frame_size = sample_width * channels
        self.bytes_written = 0
        self._parts = 0

    def add(self, part: bytes) -> None:
        """Append one part after checking it holds whole sample frames."""
        self._parts += 1
        if len(part) % self.frame_size:
            raise AudioError(
                f"PCM part {self._parts} is {len(part)} bytes, not a whole number of "
                f"{self.frame_size}-byte sample frames"
            )
        self.out.write(part)
        self.bytes_written += len(part)

    def finish(self) -> None:
        """Nothing to complete: raw PCM has no header."""

    @property
    def duration(self) -> float | None:
        """Seconds of audio written, when the sample rate is known."""
        if not self.sample_rate:
            return None
        return self.bytes_written / self.frame_size / self.sample_rate
