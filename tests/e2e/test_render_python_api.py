"""``ssmlkit.render`` from Python: the same engines and defaults as ``ssmlkit render``.

No key: real audio from the offline engine, decoded with :mod:`wave`. A key and an endpoint: the
requests reach a real HTTP server on 127.0.0.1. Errors name Python parameters, not flags.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import wave
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import ssmlkit
from ssmlkit import builder as b
from ssmlkit.errors import ConfigError
from ssmlkit.rendering import CheckFailed, EngineTraits
from ssmlkit.rendering.engines import choose_engine
from tests.e2e.fake_service import FakeService

KEY = "sk-python-api-key"


@pytest.fixture
def service() -> Iterator[FakeService]:
    with FakeService(api_key=KEY) as svc:
        yield svc


def _seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


def test_no_key_renders_a_built_speak_offline_without_a_voice(tmp_path: Path) -> None:
    out = ssmlkit.render(b.speak("你好，世界"), tmp_path / "a.wav", cache_dir=tmp_path / "c")
    assert out == tmp_path / "a.wav"
    assert _seconds(out.read_bytes()) > 0.3


def test_every_source_kind_renders_offline(tmp_path: Path) -> None:
    txt = tmp_path / "note.txt"
    txt.write_text("Plain words.", encoding="utf-8")

    class Where(os.PathLike[str]):  # any os.PathLike, not only pathlib
        def __fspath__(self) -> str:
            return str(txt)

    sources: list[Any] = [
        "<speak>hello</speak>",
        b"<speak>hello</speak>",
        "plain text, no markup",
        [b.speak("one"), b.speak("two")],
        ssmlkit.parse("<speak>three</speak>"),
        Where(),
    ]
    for source in sources:
        audio = ssmlkit.render(source, format="wav", engine="offline", cache=False)
        assert isinstance(audio, bytes)
        assert _seconds(audio) > 0.1, source


def test_a_wrong_type_names_what_render_takes() -> None:
    with pytest.raises(TypeError, match=r"render\(\) takes .*path"):
        ssmlkit.render(42, format="wav")


def test_a_cosyvoice_voice_picks_the_language_offline(tmp_path: Path) -> None:
    english = ssmlkit.render("<speak>hello</speak>", format="wav", voice="loongava_v3", cache=False)
    assert _seconds(english) > 0.1


def test_auto_with_key_and_endpoint_reaches_the_service(service: FakeService) -> None:
    audio = ssmlkit.render(
        b.speak("你好"),
        format="wav",
        voice="longanyang",
        api_key=KEY,
        base_url=service.base_url,
        cache=False,
    )
    assert _seconds(audio) > 0
    assert [r["voice"] for r in service.requests] == ["longanyang"]


def test_environment_key_and_endpoint_choose_http(
    service: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSMLKIT_API_KEY", KEY)
    monkeypatch.setenv("SSMLKIT_BASE_URL", service.base_url)
    report = ssmlkit.rendering.render_report(
        "<speak>hi</speak>", format="wav", voice="longanyang", cache=False
    )
    assert len(service.requests) == 1
    assert "2 characters billed" in report.summary()


def test_the_service_needs_a_voice_and_the_error_names_the_parameter(
    service: FakeService,
) -> None:
    with pytest.raises(CheckFailed) as info:
        ssmlkit.render("<speak>hi</speak>", format="wav", api_key=KEY, base_url=service.base_url)
    assert "voice=" in str(info.value)
    assert "--voice" not in str(info.value)
    assert service.requests == []


def test_http_without_an_endpoint_names_base_url() -> None:
    with pytest.raises(ConfigError, match="base_url=") as info:
        ssmlkit.render("<speak>hi</speak>", engine="http", api_key=KEY, voice="v")
    assert "--base-url" not in str(info.value)
    assert info.value.key == "base_url"


def test_an_unknown_engine_name() -> None:
    with pytest.raises(ConfigError, match="auto, http, offline"):
        ssmlkit.render("<speak>hi</speak>", engine="cosyvoice")


def test_offline_renders_opus_and_joins_its_chunks(tmp_path: Path) -> None:
    from mutagen.oggopus import OggOpus

    text = "<speak>" + "Hello there. " * 30 + "</speak>"
    out = tmp_path / "a.opus"
    report = ssmlkit.rendering.render_report(text, out, engine="offline", max_chars=150)
    assert report.chunks > 1
    info = OggOpus(str(out)).info
    assert info.length == pytest.approx(report.duration, abs=0.1)


def test_offline_refuses_an_unknown_format_before_rendering(tmp_path: Path) -> None:
    with pytest.raises((CheckFailed, ConfigError), match=r"flac"):
        ssmlkit.render("<speak>hi</speak>", tmp_path / "a.flac", engine="offline", format="flac")
    assert not (tmp_path / "a.flac").exists()


class _Silence:
    """A user's engine: half a second of silence per chunk, one call at a time."""

    name = "silence v1"
    traits = EngineTraits(formats=("wav",), max_concurrency=1, needs_voice=False, billed=False)

    def __init__(self) -> None:
        self.calls: list[Mapping[str, Any]] = []

    def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        self.calls.append(payload)
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(payload["sample_rate"])
            w.writeframes(b"\0\0" * (payload["sample_rate"] // 2))
        return buf.getvalue()


def test_an_engine_object_is_used_as_declared(tmp_path: Path) -> None:
    engine = _Silence()
    doc = [b.speak("一" * 30), b.speak("二" * 30)]
    report = ssmlkit.rendering.render_report(
        doc, tmp_path / "a.wav", engine=engine, max_chars=70, cache=False
    )
    assert len(engine.calls) == report.chunks == 2
    assert "characters (billed only by the service)" in report.summary()  # billed=False
    assert all(call["voice"] is None for call in engine.calls)  # needs_voice=False
    with pytest.raises(CheckFailed, match="cannot produce 'mp3'"):
        ssmlkit.render("<speak>x</speak>", tmp_path / "a.mp3", engine=engine)


def test_something_that_is_not_an_engine() -> None:
    with pytest.raises(TypeError, match="name, traits and synthesize"):
        ssmlkit.render("<speak>x</speak>", engine=object())  # type: ignore[arg-type]


def test_auto_resolves_like_the_command_line() -> None:
    assert choose_engine("auto").name == "offline"
    assert choose_engine("auto", api_key="k").name == "offline"  # a key but nowhere to send it
    assert choose_engine("auto", api_key="k", base_url="http://h/v1").name == "http"
    assert choose_engine("offline", api_key="k", base_url="http://h/v1").name == "offline"


def test_the_fallback_is_announced_once_on_the_logger(tmp_path: Path) -> None:
    script = (
        "import ssmlkit\n"
        "for _ in range(3):\n"
        "    ssmlkit.render('<speak>hi</speak>', format='wav', cache=False)\n"
        "print('done')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSMLKIT_")}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "done\n"  # nothing printed by the library
    lines = [line for line in proc.stderr.splitlines() if "not CosyVoice" in line]
    assert len(lines) == 1
    assert "api_key=" in lines[0]


def test_a_configuration_file_applies_to_a_python_call(tmp_path: Path) -> None:
    from ssmlkit.config import load_settings

    (tmp_path / "ssmlkit.toml").write_text(
        "[render]\nengine = 'offline'\nformat = 'wav'\nsample-rate = 16000\ncache = false\n",
        encoding="utf-8",
    )
    options = load_settings(start=tmp_path).render.options()
    audio = ssmlkit.render("<speak>hello</speak>", **options)
    assert isinstance(audio, bytes)
    with wave.open(io.BytesIO(audio)) as w:
        assert w.getframerate() == 16000
