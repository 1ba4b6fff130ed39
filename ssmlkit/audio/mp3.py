"""Join MP3 parts: the MPEG audio frames of every part, in order, and nothing else.

Each part's ID3v2 tags (at the start), ID3v1 tag (the last 128 bytes), APEv2 tag, and its
Xing/Info/VBRI header frame (a silent frame that carries the part's own length and seek table,
which would be wrong for the joined file) are dropped; bytes between frames that are not a frame
are skipped. All parts must share MPEG version, layer, sample rate and channel count, else
:class:`~ssmlkit.errors.AudioError`.

The joined file starts with a fresh Xing/Info frame (``Info`` when every frame has one bit rate,
``Xing`` when they differ) holding the frame count, the byte count and a 100-entry seek table, as
LAME writes it: players and tag readers then report the true duration and seek correctly, for
constant and variable bit rate parts alike (without it they estimate the length of a VBR file from
its first frame). The frame is written first as a placeholder and filled in by
:meth:`Mp3Writer.finish`, so the output must be seekable; to a stream that is not, no header is
written.
"""

from __future__ import annotations

import io
import struct
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ssmlkit.errors import AudioError

__all__ = [
    "FrameHeader",
    "Mp3Writer",
    "iter_frames",
    "join_mp3",
    "parse_header",
    "strip_tags",
    "xing_frame",
]

_BITRATES = {  # kbps by (MPEG-1?, layer) for bitrate index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_VERSION_NAMES = {3: "MPEG-1", 2: "MPEG-2", 0: "MPEG-2.5"}


@dataclass(frozen=True, slots=True)
class FrameHeader:
    """The fields of one MPEG audio frame header that joining needs."""

    version: int  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    layer: int  # 1, 2 or 3
    bitrate: int  # kbps
    sample_rate: int
    padding: int
    channels: int
    length: int  # bytes, header included
    samples: int  # per channel

    def stream_key(self) -> tuple[int, int, int, int]:
        """What must not change between frames of one stream."""
        return (self.version, self.layer, self.sample_rate, self.channels)

    def describe(self) -> str:
        """``MPEG-1 layer 3, 44100 Hz, 2 channel(s)``."""
        return (
            f"{_VERSION_NAMES[self.version]} layer {self.layer}, {self.sample_rate} Hz, "
            f"{self.channels} channel(s)"
        )


def parse_header(data: bytes | memoryview, pos: int = 0) -> FrameHeader | None:
    """The frame header at ``data[pos:]``, or ``None`` when those 4 bytes are not one.

    Free-format frames (bitrate index 0) are not supported and read as ``None``.
    """
    if pos + 4 > len(data):
        return None
    b0, b1, b2, b3 = data[pos], data[pos + 1], data[pos + 2], data[pos + 3]
    if b0 != 0xFF or (b1 & 0xE0) != 0xE0:
        return None
    version = (b1 >> 3) & 3
    layer_bits = (b1 >> 1) & 3
    bitrate_index = b2 >> 4
    rate_index = (b2 >> 2) & 3
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index - 1]
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (b2 >> 1) & 1
    channels = 1 if (b3 >> 6) == 3 else 2
    if layer == 1:
        length = (12 * bitrate * 1000 // sample_rate + padding) * 4
        samples = 384
    elif layer == 2 or mpeg1:
        length = 144 * bitrate * 1000 // sample_rate + padding
        samples = 1152
    else:
        length = 72 * bitrate * 1000 // sample_rate + padding
        samples = 576
    return FrameHeader(version, layer, bitrate, sample_rate, padding, channels, length, samples)


def _syncsafe(data: bytes | memoryview, pos: int) -> int:
    b = data[pos : pos + 4]
    return (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3]


def strip_tags(data: bytes) -> memoryview:
    """``data`` without leading ID3v2 tags and trailing ID3v1/APEv2 tags."""
    view = memoryview(data)
    start, end = 0, len(data)
    while end - start >= 10 and bytes(view[start : start + 3]) == b"ID3":
        flags = view[start + 5]
        size = 10 + _syncsafe(view, start + 6) + (10 if flags & 0x10 else 0)
        start += size
    start = min(start, end)
    if end - start >= 128 and bytes(view[end - 128 : end - 125]) == b"TAG":
        end -= 128
    if end - start >= 32 and bytes(view[end - 32 : end - 24]) == b"APETAGEX":
        (size,) = struct.unpack_from("<I", view, end - 20)
        (flags,) = struct.unpack_from("<I", view, end - 12)
        total = size + (32 if flags & 0x80000000 else 0)
        if total <= end - start:
            end -= total
    return view[start:end]


def _side_info(header: FrameHeader) -> int:
    """Bytes of layer III side information after the 4-byte header (no CRC)."""
    if header.version == 3:
        return 17 if header.channels == 1 else 32
    return 9 if header.channels == 1 else 17


def _is_vbr_header(view: memoryview, pos: int, header: FrameHeader) -> bool:
    """Whether the frame at ``pos`` is a Xing/Info or VBRI header frame rather than audio."""
    if header.layer != 3:
        return False
    side = _side_info(header)
    frame = bytes(view[pos : pos + header.length])
    return frame[4 + side : 8 + side] in (b"Xing", b"Info") or frame[36:40] == b"VBRI"


def _confirmed(buf: bytes, pos: int, header: FrameHeader) -> bool:
    """Whether a frame of the same stream follows ``pos``, allowing a little junk in between."""
    nxt = parse_header(buf, pos)
    if nxt is not None:
        return True
    limit = pos + 2 * header.length
    pos = buf.find(b"\xff", pos + 1, limit)
    while pos >= 0:
        nxt = parse_header(buf, pos)
        if nxt is not None and nxt.stream_key() == header.stream_key():
            return True
        pos = buf.find(b"\xff", pos + 1, limit)
    return False


def iter_frames(data: bytes) -> Iterator[tuple[FrameHeader, memoryview]]:
    """Every audio frame of an MP3 part, tags and Xing/Info/VBRI frames left out.

    The first frame counts only when it is complete and followed by another frame header (or the
    end of the part), so stray bytes that happen to look like a header are skipped; after that, any
    complete frame of the same stream counts, so junk after a frame does not lose the frame.
    """
    buf = bytes(strip_tags(data))
    view = memoryview(buf)
    pos = 0
    size = len(view)
    first = True
    key: tuple[int, int, int, int] | None = None
    while pos + 4 <= size:
        header = parse_header(view, pos)
        if header is not None and pos + header.length <= size:
            nxt = pos + header.length
            locked = key is not None and header.stream_key() == key
            if locked or nxt + 4 > size or _confirmed(buf, nxt, header):
                key = header.stream_key()
                if not (first and _is_vbr_header(view, pos, header)):
                    yield header, view[pos:nxt]
                first = False
                pos = nxt
                continue
        # Not a frame here: look for the next sync byte.
        pos = buf.find(b"\xff", pos + 1)
        if pos < 0:
            break


_XING_FLAGS = 0x0F  # frames, bytes, TOC and quality fields present
_XING_SIZE = 4 + 4 + 4 + 4 + 100 + 4  # tag, flags, frames, bytes, TOC, quality


def _frame_with_room(first: bytes, header: FrameHeader, room: int) -> tuple[bytes, int]:
    """A frame header like ``first``'s (no CRC, no padding) at the lowest bit rate whose frame
    holds ``room`` bytes after the header and side info, and that frame's length."""
    b1 = first[1] | 0x01  # protection bit set: no CRC, so the side info starts right after
    rate_index = (first[2] >> 2) & 3
    for index in range(1, 15):
        b2 = (index << 4) | (rate_index << 2)
        candidate = bytes((0xFF, b1, b2, first[3]))
        parsed = parse_header(candidate)
        if parsed is not None and parsed.length >= 4 + _side_info(header) + room:
            return candidate, parsed.length
    raise AudioError(f"no {header.describe()} frame is large enough for a Xing header")


def xing_frame(first: bytes, frames: int, total_bytes: int, toc: bytes, *, vbr: bool) -> bytes:
    """A silent layer III frame shaped like ``first`` (an audio frame's bytes) carrying a Xing
    (``vbr``) or Info header: ``frames`` audio frames, ``total_bytes`` in the file (this frame
    included) and the 100-byte seek table ``toc``."""
    header = parse_header(first)
    if header is None or header.layer != 3:
        raise AudioError("a Xing header needs an MPEG layer III frame to copy")
    head, length = _frame_with_room(first, header, _XING_SIZE)
    body = bytearray(length - 4)
    side = _side_info(header)
    body[side : side + _XING_SIZE] = (
        (b"Xing" if vbr else b"Info")
        + struct.pack(">III", _XING_FLAGS, frames, total_bytes)
        + toc
        + struct.pack(">I", 0)
    )
    return head + bytes(body)


def _toc(offsets: array[int], audio_bytes: int) -> bytes:
    """The Xing seek table: for each percent of the duration, the byte position in the audio
    frames (after the Xing frame, as FFmpeg writes it) in 1/256ths of their size.

    Every frame holds the same number of samples, so ``i`` percent of the time is the start of
    frame ``i * frames / 100``.
    """
    frames = len(offsets)
    out = bytearray(100)
    for i in range(100):
        offset = offsets[min(frames - 1, i * frames // 100)]
        out[i] = min(255, offset * 256 // max(1, audio_bytes))
    return bytes(out)


class Mp3Writer:
    """Stream MP3 parts into ``out``: frames only, checked to form one stream, after a Xing/Info
    frame that :meth:`finish` fills in (when ``out`` is seekable and the stream is layer III)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.first: FrameHeader | None = None
        self.frames = 0
        self.samples = 0
        self._parts = 0
        self._xing_at: int | None = None  # where the placeholder frame starts in ``out``
        self._xing_length = 0
        self._first_frame = b""
        self._offsets: array[int] = array("Q")  # each audio frame's start, in the audio
        self._written = 0  # bytes written, the Xing frame included
        self._bitrates: set[int] = set()

    def _start(self, header: FrameHeader, frame: memoryview) -> None:
        self._first_frame = bytes(frame[:4])
        seekable = getattr(self.out, "seekable", None)
        if header.layer != 3 or not (seekable and seekable()):
            return
        placeholder = xing_frame(self._first_frame, 0, 0, bytes(100), vbr=False)
        self._xing_at = self.out.tell()
        self._xing_length = len(placeholder)
        self.out.write(placeholder)
        self._written = len(placeholder)

    def add(self, part: bytes) -> None:
        """Append the audio frames of one MP3 part."""
        self._parts += 1
        found = False
        for header, frame in iter_frames(part):
            if self.first is None:
                self.first = header
                self._start(header, frame)
            elif header.stream_key() != self.first.stream_key():
                raise AudioError(
                    f"MP3 part {self._parts} is {header.describe()} but part 1 is "
                    f"{self.first.describe()}; parts must agree"
                )
            self._offsets.append(self._written - self._xing_length)
            self._written += len(frame)
            self._bitrates.add(header.bitrate)
            self.out.write(frame)
            self.frames += 1
            self.samples += header.samples
            found = True
        if not found:
            raise AudioError(f"MP3 part {self._parts} holds no MPEG audio frames")

    def finish(self) -> None:
        """Fill in the Xing/Info frame (frames, bytes, seek table); check something was written."""
        if self.first is None:
            raise AudioError("no MP3 parts to join")
        if self._xing_at is None:
            return
        frame = xing_frame(
            self._first_frame,
            self.frames,
            self._written,
            _toc(self._offsets, self._written - self._xing_length),
            vbr=len(self._bitrates) > 1,
        )
        assert len(frame) == self._xing_length  # same shape as the placeholder
        end = self.out.tell()
        self.out.seek(self._xing_at)
        self.out.write(frame)
        self.out.seek(end)

    @property
    def duration(self) -> float | None:
        """Seconds of audio in the frames written (encoder delay and padding included)."""
        if self.first is None:
            return 0.0
        return self.samples / self.first.sample_rate


def join_mp3(parts: Iterable[bytes]) -> bytes:
    """Join MP3 parts in memory and return one MP3 stream."""
    out = io.BytesIO()
    writer = Mp3Writer(out)
    for part in parts:
        writer.add(part)
    writer.finish()
    return out.getvalue()
