"""Real and synthetic audio for the joiner and renderer tests, built independently of ssmlkit.

WAV comes from the stdlib ``wave`` module, MP3 from the LAME encoder (``lameenc``), and Ogg Opus is
assembled here page by page (with a table-driven CRC, not ssmlkit's) around synthetic Opus packets
whose TOC bytes give known durations.
"""

from __future__ import annotations

import array
import io
import math
import struct
import wave

# ----------------------------------------------------------------------------------------- WAV


def tone_samples(frames: int, *, freq: float = 440.0, rate: int = 24000, amp: int = 8000) -> bytes:
    """16-bit mono samples of a sine tone."""
    return array.array(
        "h", (int(amp * math.sin(2 * math.pi * freq * i / rate)) for i in range(frames))
    ).tobytes()


def make_wav(frames: int, *, rate: int = 24000, channels: int = 1, width: int = 2) -> bytes:
    """A WAV file of ``frames`` sample frames."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 2 and channels == 1:
            w.writeframes(tone_samples(frames, rate=rate))
        else:
            w.writeframes(
                bytes(range(256)) * (frames * width * channels // 256)
                + bytes(frames * width * channels % 256)
            )
    return buf.getvalue()


# ----------------------------------------------------------------------------------------- MP3


def make_mp3(frames: int, *, rate: int = 24000, bitrate: int = 64, channels: int = 1) -> bytes:
    """An MP3 (constant bit rate) of a tone ``frames`` samples long, encoded by LAME."""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(bitrate)
    enc.set_in_sample_rate(rate)
    enc.set_channels(channels)
    enc.set_quality(7)
    pcm = tone_samples(frames, rate=rate)
    if channels == 2:
        samples = array.array("h", pcm)
        pcm = array.array("h", (s for s in samples for _ in range(2))).tobytes()
    return bytes(enc.encode(pcm) + enc.flush())


def id3v2(payload: bytes = b"\0" * 30) -> bytes:
    """An ID3v2.4 tag with ``payload`` as its (opaque) body."""
    size = len(payload)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + syncsafe + payload


def id3v1() -> bytes:
    """A 128-byte ID3v1 tag."""
    return b"TAG" + b"title".ljust(30, b"\0") + b"\0" * 95


def info_frame(mp3: bytes, *, magic: bytes = b"Info") -> bytes:
    """A Xing/Info header frame shaped like the first frame of ``mp3`` (MPEG-2 mono: 9 bytes side info)."""
    header = mp3[:4]
    b1, b2 = header[1], header[2]
    assert (b1 >> 3) & 3 == 2, "helper expects MPEG-2"
    assert header[3] >> 6 == 3, "helper expects mono"
    bitrate = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)[(b2 >> 4) - 1]
    rate = (22050, 24000, 16000)[(b2 >> 2) & 3]
    length = 72 * bitrate * 1000 // rate + ((b2 >> 1) & 1)
    body = bytearray(length - 4)
    body[9:13] = magic
    body[13:17] = struct.pack(">I", 0x0F)
    return header + bytes(body)


# ------------------------------------------------------------------------------------ Ogg Opus

_CRC_TABLE: list[int] = []
for _i in range(256):
    _r = _i << 24
    for _ in range(8):
        _r = ((_r << 1) ^ 0x04C11DB7) if _r & 0x80000000 else _r << 1
        _r &= 0xFFFFFFFF
    _CRC_TABLE.append(_r)


def table_crc(data: bytes) -> int:
    """The Ogg CRC computed the slow, obvious way."""
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def ogg_page(packets: list[bytes], *, granule: int, serial: int, seq: int, flags: int = 0) -> bytes:
    """One Ogg page holding whole ``packets``."""
    lacing = bytearray()
    for p in packets:
        lacing += b"\xff" * (len(p) // 255) + bytes([len(p) % 255])
    assert len(lacing) <= 255
    head = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, serial, seq, 0, len(lacing))
    raw = head + bytes(lacing) + b"".join(packets)
    return raw[:22] + struct.pack("<I", table_crc(raw)) + raw[26:]


def opus_head(*, channels: int = 1, pre_skip: int = 312, family: int = 0) -> bytes:
    """An OpusHead packet."""
    return b"OpusHead" + struct.pack("<BBHIhB", 1, channels, pre_skip, 48000, 0, family)


def opus_tags(vendor: bytes = b"test") -> bytes:
    """An OpusTags packet with no comments."""
    return b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)


# TOC byte 0xF8: config 31 (CELT fullband, 20 ms = 960 samples), one frame per packet.
PACKET_SAMPLES = 960


def make_opus(
    packets: int,
    *,
    pre_skip: int = 312,
    trim: int = 0,
    serial: int = 0x1234,
    channels: int = 1,
    per_page: int = 5,
    fill: int = 0,
) -> bytes:
    """An Ogg Opus file of ``packets`` 20 ms packets; ``trim`` samples cut from the end."""
    out = [
        ogg_page(
            [opus_head(channels=channels, pre_skip=pre_skip)],
            granule=0,
            serial=serial,
            seq=0,
            flags=2,
        ),
        ogg_page([opus_tags()], granule=0, serial=serial, seq=1),
    ]
    seq = 2
    done = 0
    while done < packets:
        n = min(per_page, packets - done)
        body = [bytes([0xF8]) + bytes([(fill + done + i) % 256]) * 40 for i in range(n)]
        done += n
        last = done == packets
        granule = done * PACKET_SAMPLES - (trim if last else 0)
        out.append(ogg_page(body, granule=granule, serial=serial, seq=seq, flags=4 if last else 0))
        seq += 1
    return b"".join(out)


def opus_duration(pre_skip: int, packets: int, trim: int = 0) -> float:
    """What a player reports for :func:`make_opus` output."""
    return (packets * PACKET_SAMPLES - trim - pre_skip) / 48000
