"""The output file name decides the audio format, and an unknown extension is refused up front."""

from __future__ import annotations

import pytest

from ssmlkit.errors import ConfigError
from ssmlkit.render import render


def test_unknown_extension_is_refused_before_anything_is_rendered(tmp_path) -> None:
    out = tmp_path / "speech.flac"
    with pytest.raises(ConfigError, match=r"speech\.flac.*--format"):
        render(
            "<speak>hi</speak>", out, voice="longanyang", api_key="k", base_url="http://127.0.0.1:9"
        )
    assert not out.exists()
