"""Join Ogg Opus parts into one logical stream.

Each part is a complete Ogg Opus file (RFC 7845): an ``OpusHead`` page, ``OpusTags`` page(s), then
audio pages. The joined file keeps the first part's header pages and appends the audio pages of
every part, rewritten into one stream: one serial number (the first part's), page sequence numbers
counting up from 0, fresh CRCs, BOS on the first page only and EOS on the last page only.

Granule positions are continuous and honest: a page's granule position is the number of 48 kHz
samples the decoder has produced by the end of that page, counted from the durations in each
packet's TOC byte. The first part's pre-skip is the stream's pre-skip; the last part's end trimming
(a last granule smaller than its packets decode to) is kept. Opus cannot drop samples in the middle
of a stream, so each later part's pre-skip samples (the encoder's priming, typically 3.25-6.5 ms of
near-silence) and any end trimming of earlier parts stay in the joined audio: its duration is the
sum of the parts' durations plus those few milliseconds per joint. All parts must have the same
channel count and channel mapping family, else :class:`~ssmlkit.errors.AudioError`.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ssmlkit.errors import AudioError

__all__ = [
    "OggOpusWriter",
    "OggPage",
    "join_ogg_opus",
    "ogg_crc",
    "opus_packet_samples",
    "read_pages",
    "write_page",
]

_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, type, granule, serial, seq, crc, nsegs
_CONTINUED, _BOS, _EOS = 0x01, 0x02, 0x04
_REVERSE = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _reverse32(value: int) -> int:
    return int(f"{value:032b}"[::-1], 2)


def ogg_crc(data: bytes) -> int:
    """The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, not reflected, initial value 0).

    Computed with :func:`zlib.crc32` on bit-reversed bytes: a reflected CRC of reflected input is the
    reflection of the unreflected CRC, and zlib runs at C speed.
    """
    reflected = zlib.crc32(data.translate(_REVERSE), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return _reverse32(reflected)


@dataclass(slots=True)
class OggPage:
    """One Ogg page: header fields, lacing values and body."""

    header_type: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    body: bytes

    def packets_ending(self) -> int:
        """How many packets end on this page (lacing values below 255)."""
        return sum(1 for v in self.lacing if v < 255)


def read_pages(data: bytes, *, index: int = 1) -> Iterator[OggPage]:
    """Every page of an Ogg file, checksums verified; ``index`` names the part in errors."""
    pos = 0
    size = len(data)
    while pos < size:
        if pos + _HEADER.size > size or data[pos : pos + 4] != b"OggS":
            raise AudioError(f"Ogg part {index}: no page at byte {pos}")
        _capture, version, htype, granule, serial, seq, crc, nsegs = _HEADER.unpack_from(data, pos)
        if version != 0:
            raise AudioError(f"Ogg part {index}: unsupported page version {version}")
        lacing_end = pos + _HEADER.size + nsegs
        lacing = data[pos + _HEADER.size : lacing_end]
        end = lacing_end + sum(lacing)
        if len(lacing) != nsegs or end > size:
            raise AudioError(f"Ogg part {index}: truncated page at byte {pos}")
        raw = bytearray(data[pos:end])
        raw[22:26] = b"\0\0\0\0"
        if ogg_crc(bytes(raw)) != crc:
            raise AudioError(f"Ogg part {index}: bad checksum on page {seq}")
        yield OggPage(htype, granule, serial, seq, lacing, data[lacing_end:end])
        pos = end


def write_page(page: OggPage) -> bytes:
    """The bytes of ``page`` with its checksum computed."""
    head = _HEADER.pack(
        b"OggS",
        0,
        page.header_type,
        page.granule,
        page.serial,
        page.sequence,
        0,
        len(page.lacing),
    )
    raw = head + page.lacing + page.body
    crc = ogg_crc(raw)
    return raw[:22] + struct.pack("<I", crc) + raw[26:]


def opus_packet_samples(packet: bytes) -> int:
    """How many 48 kHz samples (per channel) an Opus packet decodes to, from its TOC byte."""
    if not packet:
        return 0
    toc = packet[0]
    config = toc >> 3
    if config < 12:
        frame = (480, 960, 1920, 2880)[config & 3]
    elif config < 16:
        frame = (480, 960)[config & 1]
    else:
        frame = (120, 240, 480, 960)[config & 3]
    code = toc & 3
    if code == 0:
        count = 1
    elif code in (1, 2):
        count = 2
    else:
        if len(packet) < 2:
            raise AudioError("Opus packet with frame-count code 3 but no count byte")
        count = packet[1] & 0x3F
    return frame * count


@dataclass(frozen=True, slots=True)
class _Head:
    channels: int
    pre_skip: int
    mapping_family: int


def _parse_head(packet: bytes, index: int) -> _Head:
    if len(packet) < 19 or packet[:8] != b"OpusHead":
        raise AudioError(f"Ogg part {index} does not start with an OpusHead packet")
    return _Head(packet[9], struct.unpack_from("<H", packet, 10)[0], packet[18])


@dataclass(slots=True)
class _Pending:
    page: OggPage
    honest: int  # granule counted from packet durations
    stated: int  # the part's own granule, offset into the joined stream


class OggOpusWriter:
    """Stream Ogg Opus parts into ``out`` as one logical stream (see the module docstring)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.head: _Head | None = None
        self.serial = 0
        self.sequence = 0
        self.offset = 0  # samples decoded from all earlier parts
        self.final_granule = 0
        self._pending: _Pending | None = None
        self._parts = 0

    def _emit(self, page: OggPage) -> None:
        page.serial = self.serial
        page.sequence = self.sequence
        self.sequence += 1
        self.out.write(write_page(page))

    def _flush_pending(self, *, last: bool) -> None:
        pending = self._pending
        if pending is None:
            return
        page = pending.page
        page.granule = pending.stated if last else pending.honest
        page.header_type = (page.header_type & _CONTINUED) | (_EOS if last else 0)
        self.final_granule = page.granule
        self._emit(page)
        self._pending = None

    def add(self, part: bytes) -> None:
        """Append the audio pages of one Ogg Opus part."""
        self._parts += 1
        index = self._parts
        packet_no = 0  # index of the packet currently being assembled
        partial = bytearray()
        samples = 0
        serial: int | None = None
        head: _Head | None = None
        saw_audio = False
        for page in read_pages(part, index=index):
            if serial is None:
                serial = page.serial
                if not page.header_type & _BOS:
                    raise AudioError(f"Ogg part {index}: the first page is not a BOS page")
            elif page.serial != serial:
                raise AudioError(f"Ogg part {index} holds more than one logical stream")
            header_page = packet_no < 2
            pos = 0
            for value in page.lacing:
                partial += page.body[pos : pos + value]
                pos += value
                if value == 255:
                    continue
                packet = bytes(partial)
                partial.clear()
                if packet_no == 0:
                    head = _parse_head(packet, index)
                elif packet_no == 1:
                    if packet[:8] != b"OpusTags":
                        raise AudioError(f"Ogg part {index}: the second packet is not OpusTags")
                else:
                    if header_page:
                        raise AudioError(
                            f"Ogg part {index}: audio begins on a header page (RFC 7845 forbids it)"
                        )
                    samples += opus_packet_samples(packet)
                packet_no += 1
            if header_page and packet_no >= 2 and partial:
                raise AudioError(
                    f"Ogg part {index}: audio begins on a header page (RFC 7845 forbids it)"
                )
            if header_page:
                if index == 1:
                    if packet_no >= 1 and self.head is None and head is not None:
                        self.head = head
                        self.serial = page.serial
                    page.header_type &= _CONTINUED | _BOS
                    self._emit(page)
                continue
            saw_audio = True
            self._flush_pending(last=False)
            completes = page.packets_ending() > 0
            honest = self.offset + samples if completes else -1
            stated = self.offset + page.granule if completes else -1
            page.header_type &= _CONTINUED
            self._pending = _Pending(page, honest, stated)
        if head is None:
            raise AudioError(f"Ogg part {index} holds no pages")
        assert self.head is not None
        if (head.channels, head.mapping_family) != (self.head.channels, self.head.mapping_family):
            raise AudioError(
                f"Ogg part {index} has {head.channels} channel(s), mapping family "
                f"{head.mapping_family}, but part 1 has {self.head.channels}, "
                f"{self.head.mapping_family}; parts must agree"
            )
        if partial:
            raise AudioError(f"Ogg part {index} ends inside a packet")
        if not saw_audio:
            return
        self.offset += samples

    def finish(self) -> None:
        """Write the last page with the EOS flag and the last part's own final granule."""
        if self.head is None:
            raise AudioError("no Ogg Opus parts to join")
        self._flush_pending(last=True)

    @property
    def duration(self) -> float | None:
        """Seconds of audio, by the final granule position less the pre-skip."""
        if self.head is None:
            return 0.0
        return max(0, self.final_granule - self.head.pre_skip) / 48000


def join_ogg_opus(parts: Iterable[bytes]) -> bytes:
    """Join Ogg Opus parts in memory and return one Ogg Opus file."""
    out = io.BytesIO()
    writer = OggOpusWriter(out)
    for part in parts:
        writer.add(part)
    writer.finish()
    return out.getvalue()
