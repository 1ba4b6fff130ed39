"""PCM joining: concatenation of whole 16-bit frames."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.audio import join, open_writer
from ssmlkit.errors import AudioError


@given(st.lists(st.binary(max_size=64).map(lambda b: b[: len(b) // 2 * 2]), max_size=6))
def test_concatenation(parts: list[bytes]) -> None:
    assert join("pcm", parts) == b"".join(parts)


def test_duration_from_sample_rate() -> None:
    writer = open_writer("pcm", io.BytesIO(), sample_rate=16000)
    writer.add(b"\0\0" * 8000)
    writer.add(b"\0\0" * 24000)
    writer.finish()
    assert writer.duration == pytest.approx(2.0)


def test_half_sample_is_refused() -> None:
    with pytest.raises(AudioError, match="part 2"):
        join("pcm", [b"\0\0", b"\0\0\0"])


def test_unknown_format() -> None:
    with pytest.raises(AudioError, match="flac"):
        join("flac", [b""])
