"""The quick start with no key (offline engine) and ``ssmlkit render`` against ``ssmlkit serve``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from ssmlkit.serve import SpeechServer, make_server

EXAMPLE = Path(__file__).parents[2] / "examples" / "hello.ssml"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SSMLKIT_")}
    clean.update(env, XDG_CACHE_HOME=str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "ssmlkit", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_quick_start_renders_the_example_with_no_key(tmp_path: Path) -> None:
    proc = run(["render", str(EXAMPLE), "-o", "hello.wav"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    notices = [line for line in proc.stderr.splitlines() if "not CosyVoice" in line]
    assert len(notices) == 1
    with wave.open(str(tmp_path / "hello.wav")) as w:
        assert w.getframerate() == 22050
        assert w.getnframes() / w.getframerate() > 2
    assert "Traceback" not in proc.stderr


def test_engine_offline_can_be_chosen_even_with_a_key(tmp_path: Path) -> None:
    proc = run(
        ["render", "--text", "hi", "-o", "hi.mp3", "--engine", "offline", "--voice", "longanyang"],
        tmp_path,
        SSMLKIT_API_KEY="sk-unused",
        SSMLKIT_BASE_URL="http://127.0.0.1:9/v1",  # never contacted
    )
    assert proc.returncode == 0, proc.stderr
    data = (tmp_path / "hi.mp3").read_bytes()
    assert data[:1] == b"\xff"


def test_opus_offline_renders_ogg_opus(tmp_path: Path) -> None:
    proc = run(["render", "--text", "hi", "-o", "hi.opus", "--voice", "longanyang"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "hi.opus").read_bytes()[:4] == b"OggS"
    assert "Traceback" not in proc.stderr


def test_an_unknown_format_offline_is_one_clear_error(tmp_path: Path) -> None:
    proc = run(["render", "--text", "hi", "-o", "hi.wav", "--format", "flac"], tmp_path)
    assert proc.returncode in (1, 2)
    assert "flac" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def server() -> Iterator[SpeechServer]:
    srv = make_server("127.0.0.1", 0, log=lambda _line: None)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_render_over_http_against_serve(server: SpeechServer, tmp_path: Path) -> None:
    proc = run(
        ["render", str(EXAMPLE), "-o", "out.wav", "--sample-rate", "16000"],
        tmp_path,
        SSMLKIT_API_KEY="sk-local",
        SSMLKIT_BASE_URL=server.base_url,
    )
    assert proc.returncode == 0, proc.stderr
    assert "not CosyVoice" not in proc.stderr  # the http engine was used; serve said nothing
    with wave.open(str(tmp_path / "out.wav")) as w:
        assert w.getframerate() == 16000
        assert w.getnframes() > 16000


def test_a_broken_engine_library_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "espeakng_loader"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "def get_library_path():\n    return '/nonexistent/libespeak-ng.so'\n"
        "def get_data_path():\n    return '/nonexistent'\n",
        encoding="utf-8",
    )
    for command in (["render", "--text", "hi", "-o", "x.wav", "--voice", "v"], ["serve"]):
        proc = run(command, tmp_path, PYTHONPATH=str(tmp_path))
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        errors = [line for line in proc.stderr.splitlines() if "error" in line]
        assert len(errors) == 1
        assert "espeakng-loader" in errors[0]
