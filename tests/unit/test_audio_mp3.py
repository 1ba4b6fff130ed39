"""MP3 joining, on LAME-encoded parts, checked with mutagen (an independent MP3 reader)."""

from __future__ import annotations

import io

import pytest

from ssmlkit.audio import join_mp3
from ssmlkit.audio.mp3 import iter_frames, parse_header
from ssmlkit.errors import AudioError
from tests.audio_samples import id3v1, id3v2, info_frame, make_mp3

mutagen_mp3 = pytest.importorskip("mutagen.mp3")


def _length(data: bytes) -> float:
    return float(mutagen_mp3.MP3(io.BytesIO(data)).info.length)


def test_duration_is_the_sum_of_the_parts() -> None:
    parts = [make_mp3(n) for n in (12000, 24000, 5000)]
    joined = join_mp3(parts)
    info = mutagen_mp3.MP3(io.BytesIO(joined)).info
    assert info.sample_rate == 24000
    assert info.length == pytest.approx(sum(_length(p) for p in parts), abs=0.03)


def test_joined_is_exactly_the_frames_of_the_parts() -> None:
    parts = [make_mp3(6000), make_mp3(7000)]
    assert join_mp3(parts) == b"".join(parts)


def test_tags_and_info_frames_are_dropped() -> None:
    raw = [make_mp3(12000), make_mp3(9000)]
    tagged = [id3v2() + info_frame(p) + p + id3v1() for p in raw]
    joined = join_mp3(tagged)
    assert joined == b"".join(raw)
    assert b"ID3" not in joined[:10]
    assert b"TAG" not in joined[-128:-125]
    assert b"Info" not in joined
    assert _length(joined) == pytest.approx(_length(raw[0]) + _length(raw[1]), abs=0.03)


def test_xing_and_footer_id3() -> None:
    raw = make_mp3(6000)
    tag = bytearray(id3v2())
    tag[5] = 0x10  # footer present
    part = bytes(tag) + b"3DI" + bytes(7) + info_frame(raw, magic=b"Xing") + raw
    assert join_mp3([part]) == raw


def test_junk_between_frames_is_skipped() -> None:
    raw = make_mp3(6000)
    first = parse_header(raw)
    assert first is not None
    for cut in (first.length, 3 * first.length):
        junked = raw[:cut] + b"\xff\x00junk\xff\xfb" + raw[cut:]
        assert join_mp3([junked]) == raw


def test_frame_count() -> None:
    raw = make_mp3(24000)
    frames = list(iter_frames(raw))
    assert sum(h.samples for h, _ in frames) / 24000 == pytest.approx(_length(raw), abs=1e-6)


def test_mismatched_sample_rate_is_refused() -> None:
    with pytest.raises(AudioError, match="part 2"):
        join_mp3([make_mp3(5000, rate=24000), make_mp3(5000, rate=22050)])


def test_mismatched_channels_are_refused() -> None:
    with pytest.raises(AudioError, match="channel"):
        join_mp3([make_mp3(5000), make_mp3(5000, channels=2, bitrate=96)])


def test_a_part_without_frames_is_refused() -> None:
    with pytest.raises(AudioError, match="part 2 holds no MPEG audio frames"):
        join_mp3([make_mp3(5000), id3v2() + b"\0" * 500])


def test_no_parts() -> None:
    with pytest.raises(AudioError):
        join_mp3([])
