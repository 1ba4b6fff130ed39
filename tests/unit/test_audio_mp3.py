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


def _frames_seconds(data: bytes) -> float:
    """The true length: every audio frame's samples (what a Xing header must report)."""
    return sum(h.samples / h.sample_rate for h, _ in iter_frames(data))


def _audio(joined: bytes) -> bytes:
    """The joined file without its leading Xing/Info frame."""
    first = parse_header(joined)
    assert first is not None
    assert joined[4 + 9 : 4 + 13] in (b"Xing", b"Info")  # MPEG-2 mono: 9 bytes of side info
    return joined[first.length :]


def test_duration_is_the_sum_of_the_parts() -> None:
    parts = [make_mp3(n) for n in (12000, 24000, 5000)]
    joined = join_mp3(parts)
    info = mutagen_mp3.MP3(io.BytesIO(joined)).info
    assert info.sample_rate == 24000
    assert info.length == pytest.approx(sum(_length(p) for p in parts), abs=0.03)


def test_joined_is_exactly_the_frames_of_the_parts() -> None:
    parts = [make_mp3(6000), make_mp3(7000)]
    assert _audio(join_mp3(parts)) == b"".join(parts)


def test_tags_and_info_frames_are_dropped() -> None:
    raw = [make_mp3(12000), make_mp3(9000)]
    tagged = [id3v2() + info_frame(p) + p + id3v1() for p in raw]
    joined = join_mp3(tagged)
    assert _audio(joined) == b"".join(raw)
    assert b"ID3" not in joined[:10]
    assert b"TAG" not in joined[-128:-125]
    assert joined.count(b"Info") == 1  # only the joined file's own
    assert _length(joined) == pytest.approx(_length(raw[0]) + _length(raw[1]), abs=0.03)


def test_xing_and_footer_id3() -> None:
    raw = make_mp3(6000)
    tag = bytearray(id3v2())
    tag[5] = 0x10  # footer present
    part = bytes(tag) + b"3DI" + bytes(7) + info_frame(raw, magic=b"Xing") + raw
    assert _audio(join_mp3([part])) == raw


def test_junk_between_frames_is_skipped() -> None:
    raw = make_mp3(6000)
    first = parse_header(raw)
    assert first is not None
    for cut in (first.length, 3 * first.length):
        junked = raw[:cut] + b"\xff\x00junk\xff\xfb" + raw[cut:]
        assert _audio(join_mp3([junked])) == raw


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


def _vbr_mp3(frames: int) -> bytes:
    """A variable-bit-rate LAME MP3 (no Xing frame of its own): silence, then a loud tone."""
    import lameenc

    from tests.audio_samples import tone_samples

    enc = lameenc.Encoder()
    enc.set_in_sample_rate(24000)
    enc.set_channels(1)
    enc.set_quality(7)
    enc.set_vbr(4)
    enc.set_vbr_quality(2)
    pcm = bytes(frames) + tone_samples(frames, freq=3000, amp=20000)
    return bytes(enc.encode(pcm) + enc.flush())


@pytest.mark.parametrize(
    ("make", "mode"),
    [
        (lambda n: make_mp3(n), "CBR"),
        (lambda n: make_mp3(n, bitrate=32), "CBR"),
        (_vbr_mp3, "VBR"),
    ],
)
def test_mutagen_reports_the_true_duration_of_joined_parts(make, mode) -> None:
    parts = [make(n) for n in (12000, 20000, 4000)]
    truth = sum(_frames_seconds(p) for p in parts)
    joined = join_mp3(parts)
    info = mutagen_mp3.MP3(io.BytesIO(joined)).info
    assert info.length == pytest.approx(truth, abs=1e-6)
    assert info.bitrate_mode == getattr(mutagen_mp3.BitrateMode, mode)
    if mode == "VBR":
        # the point of the header: without it, mutagen guesses from the first frame
        assert _length(b"".join(parts)) != pytest.approx(truth, abs=0.1)


def test_xing_frame_counts_bytes_and_seeks() -> None:
    import struct

    parts = [_vbr_mp3(8000), _vbr_mp3(16000)]
    joined = join_mp3(parts)
    at = 4 + 9
    assert joined[at : at + 4] == b"Xing"
    flags, frames, size = struct.unpack(">III", joined[at + 4 : at + 16])
    toc = joined[at + 16 : at + 116]
    assert flags == 0x0F
    assert frames == sum(1 for p in parts for _ in iter_frames(p))
    assert size == len(joined)
    assert toc[0] == 0
    assert list(toc) == sorted(toc)  # positions grow with time
    # entry 50: the start of the frame at half the duration, in 1/256ths of the audio
    audio = _audio(joined)
    starts = []
    pos = 0
    for _, frame in iter_frames(audio):
        starts.append(pos)
        pos += len(frame)
    assert toc[50] == starts[len(starts) // 2] * 256 // len(audio)


def test_no_header_on_a_stream_that_cannot_seek() -> None:
    from ssmlkit.audio.mp3 import Mp3Writer

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    out = Pipe()
    writer = Mp3Writer(out)
    parts = [make_mp3(6000), make_mp3(7000)]
    for part in parts:
        writer.add(part)
    writer.finish()
    assert out.getvalue() == b"".join(parts)
