"""The output file name decides the audio format, and an unknown extension is refused up front."""

from __future__ import annotations

import pytest

from ssmlkit.errors import ConfigError
from ssmlkit.rendering import render


def test_unknown_extension_is_refused_before_anything_is_rendered(tmp_path) -> None:
    out = tmp_path / "speech.flac"
    with pytest.raises(ConfigError, match=r"speech\.flac.*format="):
        render(
            "<speak>hi</speak>", out, voice="longanyang", api_key="k", base_url="http://127.0.0.1:9"
        )
    assert not out.exists()


def test_output_file_gets_the_usual_mode_not_a_private_temp_files(tmp_path) -> None:
    import os
    import stat

    out = tmp_path / "hello.wav"
    from ssmlkit.offline import OfflineEngine
    from ssmlkit.rendering.job import render_with

    render_with(OfflineEngine(), "<speak>hi</speak>", out, voice="longanyang")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
