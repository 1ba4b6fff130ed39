"""``ssmlkit cache`` and the render cache's policy, on real renders with the offline engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ssmlkit.cli import main

pytest.importorskip("espeakng_loader")  # the offline engine: the [offline] extra

DOC = "<speak>" + " ".join(f"Sentence number {n}." for n in range(12)) + "</speak>\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.ssml").write_text(DOC, encoding="utf-8")
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}


def _run(env: dict[str, str], *args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), env=env, input=input)
    return result


def _info(env: dict[str, str]) -> dict[str, Any]:
    result = _run(env, "cache", "info", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _render(env: dict[str, str], *flags: str):
    args = ["render", "doc.ssml", "-o", "out.wav", "--engine", "offline", "--max-chars", "80"]
    result = _run(env, *args, *flags)
    assert result.exit_code == 0, result.output
    return result


def test_offline_audio_is_not_cached_unless_asked(env: dict[str, str]) -> None:
    _render(env)
    assert _info(env)["entries"] == 0
    _render(env, "--cache")
    cached = _info(env)
    assert cached["entries"] > 1
    assert cached["path"] == str(Path(env["XDG_CACHE_HOME"]) / "ssmlkit")
    again = _render(env, "--cache")
    assert f"({cached['entries']} from cache)" in again.stderr


def test_info_prune_and_clear(env: dict[str, str]) -> None:
    _render(env, "--cache")
    before = _info(env)
    assert before["max_size"] == 2_000_000_000
    text = _run(env, "cache", "info")
    assert f"chunks:    {before['entries']}" in text.stdout
    assert "of 2.0 GB (cache-max-size)" in text.stdout
    size = int(before["size"])
    result = _run(env, "cache", "prune", "--max-size", str(size // 2))
    assert result.exit_code == 0, result.output
    after = _info(env)
    assert 0 < int(after["entries"]) < int(before["entries"])
    assert int(after["size"]) <= size // 2
    refused = _run(env, "cache", "clear", input="n\n")
    assert refused.exit_code == 1  # aborted: nothing removed
    assert _info(env)["entries"] == after["entries"]
    cleared = _run(env, "cache", "clear", "--yes")
    assert cleared.exit_code == 0, cleared.output
    assert _info(env)["entries"] == 0


def test_the_size_cap_is_enforced_after_each_render(env: dict[str, str]) -> None:
    _render(env, "--cache", "--cache-max-size", "1")
    assert _info(env)["entries"] == 0  # every chunk is over a byte: none stays
    Path("pyproject.toml").write_text(
        '[tool.ssmlkit.render]\ncache = true\ncache-max-size = "600kB"\n', encoding="utf-8"
    )
    _render(env)  # three chunks of about 250 kB each (WAV): the oldest one goes
    info = _info(env)
    assert info["max_size"] == 600_000
    assert info["entries"] == 2
    assert 0 < int(info["size"]) <= 600_000


def test_bad_sizes_name_what_is_expected(env: dict[str, str]) -> None:
    result = _run(env, "cache", "prune", "--max-size", "lots")
    assert result.exit_code == 2
    assert "--max-size" in result.output
    assert "2GB" in result.output
    Path("pyproject.toml").write_text(
        '[tool.ssmlkit.render]\ncache-max-size = "2 parsecs"\n', encoding="utf-8"
    )
    result = _run(env, "cache", "info")
    assert result.exit_code == 1
    assert "cache-max-size" in result.output
    assert "pyproject.toml" in result.output
