"""WAV joining, checked with the stdlib ``wave`` reader."""

from __future__ import annotations

import io
import struct
import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.audio import join, join_wav
from ssmlkit.audio.wav import read_wav
from ssmlkit.errors import AudioError
from tests.audio_samples import make_wav


def _frames(data: bytes) -> tuple[int, bytes, tuple[int, int, int]]:
    with wave.open(io.BytesIO(data)) as w:
        return (
            w.getnframes(),
            w.readframes(w.getnframes()),
            (w.getnchannels(), w.getsampwidth(), w.getframerate()),
        )


@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=5))
def test_joined_duration_and_samples_are_the_sum(lengths: list[int]) -> None:
    parts = [make_wav(n) for n in lengths]
    joined = join_wav(parts)
    frames, samples, params = _frames(joined)
    assert frames == sum(lengths)
    assert samples == b"".join(_frames(p)[1] for p in parts)
    assert params == (1, 2, 24000)


def test_stereo_8_bit() -> None:
    parts = [
        make_wav(101, channels=2, width=1, rate=8000),
        make_wav(50, channels=2, width=1, rate=8000),
    ]
    frames, _, params = _frames(join("wav", parts))
    assert frames == 151
    assert params == (2, 1, 8000)


def test_odd_data_length_is_padded_and_riff_size_is_right() -> None:
    parts = [make_wav(3, channels=1, width=1, rate=8000)] * 3
    joined = join_wav(parts)
    assert len(joined) % 2 == 0
    assert struct.unpack_from("<I", joined, 4)[0] == len(joined) - 8
    assert _frames(joined)[0] == 9


def test_streamed_placeholder_size_reads_to_the_end() -> None:
    part = bytearray(make_wav(100))
    data_at = part.find(b"data")
    part[data_at + 4 : data_at + 8] = b"\xff\xff\xff\xff"
    part[4:8] = b"\xff\xff\xff\xff"
    _fmt, samples = read_wav(bytes(part))
    assert len(samples) == 200
    assert _frames(join_wav([bytes(part), make_wav(10)]))[0] == 110


def test_extra_chunks_are_dropped() -> None:
    part = make_wav(10)
    riff = part[12:]
    extra = b"LIST" + struct.pack("<I", 5) + b"abcde\0"
    tagged = b"RIFF" + struct.pack("<I", 4 + len(extra) + len(riff)) + b"WAVE" + extra + riff
    joined = join_wav([tagged, part])
    assert b"LIST" not in joined
    assert _frames(joined)[0] == 20


@pytest.mark.parametrize(
    ("other", "word"),
    [
        (make_wav(10, rate=16000), "16000 Hz"),
        (make_wav(10, channels=2), "2 channel"),
        (make_wav(10, width=1), "8-bit"),
    ],
)
def test_mismatched_parts_are_refused(other: bytes, word: str) -> None:
    with pytest.raises(AudioError, match=word):
        join_wav([make_wav(10), other])


@pytest.mark.parametrize(
    "bad", [b"", b"RIFF\0\0\0\0WAVE", b"not a wav file at all", make_wav(5)[:30]]
)
def test_garbage_is_an_audio_error(bad: bytes) -> None:
    with pytest.raises(AudioError):
        join_wav([bad])


def test_no_parts() -> None:
    with pytest.raises(AudioError):
        join_wav([])
