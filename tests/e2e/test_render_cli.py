"""``ssmlkit render`` as a subprocess against the local fake service."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import wave

import pytest

from tests.e2e.fake_service import FakeService

KEY = "sk-cli-secret-key-42"


@pytest.fixture
def service():
    with FakeService(api_key=KEY) as svc:
        yield svc


def _run(args, env_extra, cwd, input_=None):
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "ssmlkit", "render", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        input=input_,
        timeout=120,
    )


def test_cli_renders_resumes_and_keeps_the_key_secret(service, tmp_path):
    src = tmp_path / "doc.ssml"
    src.write_text(
        "".join(f"<speak>段落{i} some words here</speak>" for i in range(5)), encoding="utf-8"
    )
    env = {
        "SSMLKIT_API_KEY": KEY,
        "SSMLKIT_BASE_URL": service.base_url,
        "XDG_CACHE_HOME": str(tmp_path / "c"),
    }
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ssmlkit.render]\nvoice = 'longanyang'\nsample_rate = 8000\nmax_chars = 40\n"
        "retry_base_delay = 0.001\n",
        encoding="utf-8",
    )
    service.fail_when = lambda body: "段落2" in body["input"]
    first = _run([str(src), "-o", str(tmp_path / "out.wav"), "--concurrency", "1"], env, tmp_path)
    assert first.returncode == 1
    err = first.stderr.decode()
    assert "2 of 5 chunks done" in err
    assert "SSML text is not supported" in err
    assert not (tmp_path / "out.wav").exists()
    sent = len(service.requests)

    service.fail_when = None
    second = _run([str(src), "-o", str(tmp_path / "out.wav")], env, tmp_path)
    assert second.returncode == 0, second.stderr.decode()
    assert len(service.requests) - sent == 3
    summary = second.stderr.decode()
    assert "5 chunks (2 from cache)" in summary
    assert "characters billed" in summary
    with wave.open(str(tmp_path / "out.wav")) as w:
        assert w.getframerate() == 8000
        assert w.getnframes() > 0
    assert all(r["voice"] == "longanyang" for r in service.requests)
    for proc in (first, second):
        assert KEY.encode() not in proc.stdout + proc.stderr


def test_cli_quiet_stdout_and_text(service, tmp_path):
    env = {
        "SSMLKIT_API_KEY": KEY,
        "SSMLKIT_BASE_URL": service.base_url,
        "XDG_CACHE_HOME": str(tmp_path),
    }
    proc = _run(
        ["--text", "a < b", "-o", "-", "--format", "wav", "--voice", "v1", "-q", "--no-cache"],
        env,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    with wave.open(io.BytesIO(proc.stdout)) as w:
        assert w.getnframes() > 0
    assert service.requests[-1]["input"] == "<speak>a &lt; b</speak>"


def test_cli_check_failure_prints_lint_style(service, tmp_path):
    src = tmp_path / "bad.ssml"
    src.write_text('<speak rate="7">x</speak>', encoding="utf-8")
    env = {
        "SSMLKIT_API_KEY": KEY,
        "SSMLKIT_BASE_URL": service.base_url,
        "XDG_CACHE_HOME": str(tmp_path),
    }
    proc = _run(
        [str(src), "-o", str(tmp_path / "x.mp3"), "--voice", "v", "--sample-rate", "1234"],
        env,
        tmp_path,
    )
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{src}:1:" in err
    assert "sample_rate" in err
    assert service.requests == []


def test_cli_unknown_config_key(service, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ssmlkit.render]\nvoise = 'x'\n", encoding="utf-8"
    )
    proc = _run(["--text", "hi", "-o", "x.wav"], {"SSMLKIT_BASE_URL": service.base_url}, tmp_path)
    assert proc.returncode == 1
    assert "did you mean 'voice'" in proc.stderr.decode()


def test_no_key_and_no_voice_renders_with_the_preview_voice(tmp_path):
    src = tmp_path / "hi.ssml"
    src.write_text("<speak>你好</speak>", encoding="utf-8")
    proc = _run(
        [str(src), "-o", str(tmp_path / "hi.wav")], {"XDG_CACHE_HOME": str(tmp_path)}, tmp_path
    )
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    assert "not CosyVoice" in err
    assert "--api-key" in err  # why auto chose it, in flags
    assert "characters (billed only by the service)" in err
    with wave.open(str(tmp_path / "hi.wav")) as w:
        assert w.getnframes() > 0


def test_library_errors_are_shown_as_flags(service, tmp_path):
    env = {"SSMLKIT_API_KEY": KEY, "XDG_CACHE_HOME": str(tmp_path)}
    no_voice = _run(["--text", "hi", "-o", "a.wav", "--base-url", service.base_url], env, tmp_path)
    assert no_voice.returncode == 1
    assert "pass --voice or give <speak voice=" in no_voice.stderr.decode()
    assert service.requests == []
    no_url = _run(
        ["--text", "hi", "-o", "a.wav", "--engine", "http", "--voice", "v"], env, tmp_path
    )
    assert no_url.returncode == 1
    err = no_url.stderr.decode()
    assert "--base-url" in err
    assert "base_url=" not in err
    bad_name = _run(["--text", "hi", "-o", "a.flac", "--voice", "v"], env, tmp_path)
    assert "--format" in bad_name.stderr.decode()


def test_configuration_gives_defaults_and_flags_win(service, tmp_path):
    env = {
        "SSMLKIT_API_KEY": KEY,
        "SSMLKIT_BASE_URL": service.base_url,
        "XDG_CACHE_HOME": str(tmp_path),
    }
    (tmp_path / "ssmlkit.toml").write_text(
        "[render]\nvoice = 'from-file'\nsample-rate = 8000\nformat = 'wav'\nno_cache = true\n",
        encoding="utf-8",
    )
    first = _run(["--text", "hi", "-o", "-", "-q"], env, tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    with wave.open(io.BytesIO(first.stdout)) as w:
        assert w.getframerate() == 8000
    second = _run(["--text", "hi", "-o", "-", "-q", "--voice", "from-flag"], env, tmp_path)
    assert second.returncode == 0, second.stderr.decode()
    assert [r["voice"] for r in service.requests] == ["from-file", "from-flag"]
    assert not (tmp_path / "ssmlkit").exists()  # no_cache = true: nothing kept


def test_configuration_can_choose_the_offline_engine(service, tmp_path):
    env = {
        "SSMLKIT_API_KEY": KEY,
        "SSMLKIT_BASE_URL": service.base_url,
        "XDG_CACHE_HOME": str(tmp_path),
    }
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ssmlkit.render]\nengine = 'offline'\n", encoding="utf-8"
    )
    proc = _run(["--text", "hello", "-o", "a.wav"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert service.requests == []
    assert "not CosyVoice" in proc.stderr.decode()


def test_a_wrong_value_in_the_configuration_names_file_key_and_expected(tmp_path):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("[tool.ssmlkit.render]\nsample_rate = 'fast'\n", encoding="utf-8")
    proc = _run(["--text", "hi", "-o", "x.wav"], {}, tmp_path)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert str(cfg) in err
    assert "tool.ssmlkit.render.sample_rate" in err
    assert "an integer" in err


def test_python_parameters_become_this_commands_flags():
    import click

    from ssmlkit.cli.render import _as_flags, render_command

    ctx = click.Context(render_command)
    assert _as_flags(ctx, "pass base_url= or set SSMLKIT_BASE_URL") == (
        "pass --base-url or set SSMLKIT_BASE_URL"
    )
    assert _as_flags(ctx, "give format=") == "give --format"
    assert _as_flags(ctx, "(api_key=; or engine=)") == "(--api-key; or --engine)"
    kept = 'give <speak voice="..."> or path= or sample_rate: 7'
    assert _as_flags(ctx, kept) == kept  # an SSML attribute, a name with no flag, no "="
