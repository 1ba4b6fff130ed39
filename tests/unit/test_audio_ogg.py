"""Ogg Opus joining on synthetic streams, checked with mutagen and a page walker of our own."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.audio import join_ogg_opus
from ssmlkit.audio.ogg import ogg_crc, opus_packet_samples
from ssmlkit.errors import AudioError
from tests.audio_samples import make_opus, ogg_page, opus_duration, opus_head, opus_tags, table_crc

oggopus = pytest.importorskip("mutagen.oggopus")


def _pages(data: bytes) -> list[tuple[int, int, int, int]]:
    """(flags, granule, serial, sequence) of every page, checking each CRC with the table CRC."""
    out = []
    pos = 0
    while pos < len(data):
        assert data[pos : pos + 4] == b"OggS"
        _, _, flags, granule, serial, seq, crc, nsegs = struct.unpack_from("<4sBBqIIIB", data, pos)
        lacing = data[pos + 27 : pos + 27 + nsegs]
        end = pos + 27 + nsegs + sum(lacing)
        raw = data[pos : 22 + pos] + b"\0\0\0\0" + data[pos + 26 : end]
        assert table_crc(raw) == crc
        out.append((flags, granule, serial, seq))
        pos = end
    return out


@given(
    st.lists(
        st.tuples(st.integers(1, 40), st.integers(0, 960), st.sampled_from([0, 120, 312, 3840])),
        min_size=1,
        max_size=4,
    ),
    st.integers(1, 7),
)
def test_one_stream_with_continuous_granules(
    specs: list[tuple[int, int, int]], per_page: int
) -> None:
    parts = [
        make_opus(n, trim=trim, pre_skip=skip, serial=1000 + i, per_page=per_page, fill=i)
        for i, (n, trim, skip) in enumerate(specs)
    ]
    joined = join_ogg_opus(parts)
    pages = _pages(joined)
    assert [p[3] for p in pages] == list(range(len(pages)))
    assert {p[2] for p in pages} == {1000}
    assert [bool(p[0] & 2) for p in pages] == [True] + [False] * (len(pages) - 1)
    assert [bool(p[0] & 4) for p in pages] == [False] * (len(pages) - 1) + [True]
    granules = [p[1] for p in pages[2:]]
    assert granules == sorted(granules)
    # Earlier parts' end trimming and later parts' pre-skip stay in the stream (see ssmlkit.audio.ogg).
    expected = sum(opus_duration(skip, n, trim) for n, trim, skip in specs)
    expected += sum(trim for _, trim, _ in specs[:-1]) / 48000
    expected += sum(skip for _, _, skip in specs[1:]) / 48000
    info = oggopus.OggOpus(io.BytesIO(joined)).info
    assert info.length == pytest.approx(expected, abs=1e-9)
    assert info.channels == 1


def test_headers_come_from_the_first_part_only() -> None:
    joined = join_ogg_opus([make_opus(3), make_opus(3, serial=9), make_opus(3, serial=7)])
    assert joined.count(b"OpusHead") == 1
    assert joined.count(b"OpusTags") == 1
    assert len(_pages(joined)) == 2 + 3


def test_single_part_round_trips() -> None:
    part = make_opus(17, trim=100)
    assert join_ogg_opus([part]) == part


def test_multi_page_tags() -> None:
    tags = opus_tags(vendor=b"v" * 600)
    big = [ogg_page([opus_head()], granule=0, serial=5, seq=0, flags=2)]
    # The 616-byte tags packet over two pages: 255 + 255 on the first, the rest on the second.
    lacing_first = tags[:510]
    raw1 = struct.pack("<4sBBqIIIB", b"OggS", 0, 0, -1, 5, 1, 0, 2) + b"\xff\xff" + lacing_first
    rest = tags[510:]
    raw2 = struct.pack("<4sBBqIIIB", b"OggS", 0, 1, 0, 5, 2, 0, 1) + bytes([len(rest)]) + rest
    for raw in (raw1, raw2):
        big.append(raw[:22] + struct.pack("<I", table_crc(raw)) + raw[26:])
    big.append(ogg_page([b"\xf8" + b"x" * 30], granule=960, serial=5, seq=3, flags=4))
    joined = join_ogg_opus([b"".join(big), make_opus(2)])
    assert len(_pages(joined)) == 5
    assert oggopus.OggOpus(io.BytesIO(joined)).info.length == pytest.approx((960 * 3 - 312) / 48000)


@pytest.mark.parametrize(
    ("toc", "samples"),
    [
        (bytes([0xF8]), 960),  # CELT FB 20 ms, one frame
        (bytes([0xF9]), 1920),  # two frames
        (bytes([0xE3, 0x05]), 600),  # CELT FB 2.5 ms, code 3, five frames
        (bytes([0x18]), 2880),  # SILK NB 60 ms
        (bytes([0x60]), 480),  # hybrid SWB 10 ms
        (b"", 0),
    ],
)
def test_packet_durations(toc: bytes, samples: int) -> None:
    assert opus_packet_samples(toc) == samples


@given(st.binary(max_size=300))
def test_crc_matches_the_table_definition(data: bytes) -> None:
    assert ogg_crc(data) == table_crc(data)


def test_bad_crc_is_refused() -> None:
    part = bytearray(make_opus(3))
    part[-1] ^= 0xFF
    with pytest.raises(AudioError, match="checksum"):
        join_ogg_opus([bytes(part)])


def test_channel_mismatch_is_refused() -> None:
    with pytest.raises(AudioError, match="channel"):
        join_ogg_opus([make_opus(3), make_opus(3, channels=2)])


def test_two_streams_in_one_part_are_refused() -> None:
    with pytest.raises(AudioError, match="more than one logical stream"):
        join_ogg_opus([make_opus(2) + make_opus(2, serial=99)])


@pytest.mark.parametrize("bad", [b"", b"OggS", b"not ogg", make_opus(3)[:-5]])
def test_garbage_is_an_audio_error(bad: bytes) -> None:
    with pytest.raises(AudioError):
        join_ogg_opus([bad])


def test_missing_opus_head() -> None:
    part = ogg_page([b"NotOpus" + b"\0" * 20], granule=0, serial=1, seq=0, flags=2)
    with pytest.raises(AudioError, match="OpusHead"):
        join_ogg_opus([part])
