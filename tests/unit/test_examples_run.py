"""Every example runs: the audiobook chapter is split and rendered, the prompts render through a
local server, the CI configurations' commands run, and ``ssmlkit lint examples/`` finds no error."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest

import ssmlkit
from ssmlkit.linter import lint
from ssmlkit.model import Phoneme, SayAs
from ssmlkit.splitter import split

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent
SSMLKIT = str(BIN / "ssmlkit")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The caller's environment with the cache in ``tmp_path`` and the venv's scripts on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSMLKIT_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1
        return w.getnframes() / w.getframerate()


# -- every example lints clean -----------------------------------------------------------------


def test_ssmlkit_lint_examples_exits_0():
    done = subprocess.run(
        [SSMLKIT, "lint", "--format", "json", "examples/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] == 0
    linted = {Path(f["path"]).as_posix() for f in report["files"]}
    assert {"examples/newsletter_en.ssml", "examples/audiobook/chapter.ssml"} <= linted


def test_every_ssml_example_is_found_by_lint():
    files = sorted(EXAMPLES.rglob("*.ssml"))
    assert {p.name for p in files} >= {"newsletter_en.ssml", "chapter.ssml"}
    for path in files:
        diagnostics = lint(path.read_text(encoding="utf-8"))
        assert [d for d in diagnostics if d.severity == ssmlkit.Severity.ERROR] == [], path


# -- the English newsletter ----------------------------------------------------------------------


def test_newsletter_uses_cmu_phonemes_and_say_as():
    doc = ssmlkit.parse_file(EXAMPLES / "newsletter_en.ssml")
    phonemes = [n for n, _ in doc.walk() if isinstance(n, Phoneme)]
    readings = {n.interpret_as for n, _ in doc.walk() if isinstance(n, SayAs)}
    assert len(phonemes) >= 4
    assert {p.alphabet for p in phonemes} == {"cmu"}
    assert {"date", "time", "currency", "telephone", "digits"} <= readings
    # An English voice reads it, and it fits in one request.
    assert ssmlkit.measure(doc) < 20_000
    assert lint(doc) == []


# -- the customer-service script -----------------------------------------------------------------


def test_customer_service_script_is_built_with_the_builder_and_lints_clean(tmp_path):
    script = EXAMPLES / "build_customer_service.py"
    assert "from ssmlkit.builder import" in script.read_text(encoding="utf-8")
    out = tmp_path / "cs.ssml"
    done = _run([sys.executable, str(script), "-o", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    diagnostics = lint(out.read_text(encoding="utf-8"))
    assert [d for d in diagnostics if d.severity == ssmlkit.Severity.ERROR] == []


# -- the audiobook chapter -----------------------------------------------------------------------


def test_audiobook_chapter_is_long_enough_to_need_splitting():
    doc = ssmlkit.parse_file(EXAMPLES / "audiobook" / "chapter.ssml")
    size = ssmlkit.measure(doc)
    assert 30_000 <= size <= 60_000
    han = sum(1 for ch in doc.text if "\u4e00" <= ch <= "\u9fff")
    assert han > 12_000  # a Chinese text, not padding
    chunks = split(doc)
    assert len(chunks) >= 2
    assert all(ssmlkit.measure(c) <= 20_000 for c in chunks)
    assert len({s.voice for s in doc.speaks}) >= 2  # narration and dialogue voices


def test_render_chapter_splits_and_renders_a_wav_offline(tmp_path):
    script = EXAMPLES / "audiobook" / "render_chapter.py"
    out = tmp_path / "preview.wav"
    args = [sys.executable, str(script), "--max-chars", "1200", "--chunks", "2", "-o", str(out)]
    done = _run(args, tmp_path)  # no SSMLKIT_API_KEY: the offline preview voice
    assert done.returncode == 0, done.stderr
    expected = len(
        split(ssmlkit.parse_file(EXAMPLES / "audiobook" / "chapter.ssml"), max_chars=1200)
    )
    assert f"-> {expected} chunks" in done.stdout
    assert "not CosyVoice" in done.stdout
    assert re.search(r"^2 chunks \(0 from cache\)", done.stdout, re.M), done.stdout
    assert _wav_seconds(out) > 10
    # A rerun sends nothing: both chunks come from the cache and the audio is the same.
    first = out.read_bytes()
    out.unlink()
    again = _run(args, tmp_path)
    assert again.returncode == 0, again.stderr
    assert re.search(r"^2 chunks \(2 from cache\)", again.stdout, re.M), again.stdout
    assert out.read_bytes() == first


# -- many prompts through AsyncRenderClient ------------------------------------------------------


@pytest.fixture
def local_server():
    from ssmlkit.serve import make_server

    lines: list[str] = []
    server = make_server(port=0, log=lines.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, lines
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_many_prompts_async_renders_every_prompt_through_a_local_server(tmp_path, local_server):
    server, lines = local_server
    script = EXAMPLES / "many_prompts_async.py"
    env = {"SSMLKIT_BASE_URL": server.base_url, "SSMLKIT_API_KEY": "unused"}
    out_dir = tmp_path / "prompts"
    done = _run([sys.executable, str(script), "--out-dir", str(out_dir)], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    files = sorted(out_dir.glob("*.wav"))
    assert len(files) >= 10
    assert all(_wav_seconds(f) > 0.3 for f in files)
    posts = [line for line in lines if " POST " in line]
    assert len(posts) == len(files)
    assert all(" 200 " in line for line in posts)
    # A rerun finds every prompt in the cache and sends nothing.
    again = _run([sys.executable, str(script), "--out-dir", str(out_dir)], tmp_path, **env)
    assert again.returncode == 0, again.stderr
    assert len([line for line in lines if " POST " in line]) == len(files)


def test_many_prompts_async_says_what_to_set_without_an_endpoint(tmp_path):
    done = _run([sys.executable, str(EXAMPLES / "many_prompts_async.py")], tmp_path)
    assert done.returncode == 2
    assert "SSMLKIT_BASE_URL" in done.stderr
    assert "ssmlkit serve" in done.stderr


# -- the CI configurations -----------------------------------------------------------------------


def _yaml_values(text: str, key: str) -> list[str]:
    """The scalar values of ``key:`` lines (uncommented), enough for these flat configs."""
    pattern = re.compile(rf"^\s*(?:- )?{re.escape(key)}:\s*(.+?)\s*$", re.M)
    return [m.group(1) for m in pattern.finditer(text)]


def _check_yaml_shape(text: str) -> None:
    assert "\t" not in text  # YAML forbids tabs for indentation
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert (len(line) - len(line.lstrip())) % 2 == 0, line


def test_github_actions_job_lints_with_github_format_and_uploads_sarif(tmp_path):
    text = (EXAMPLES / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    _check_yaml_shape(text)
    runs = _yaml_values(text, "run")
    lint_runs = [r for r in runs if r.startswith("ssmlkit lint")]
    assert any("--format github" in r for r in lint_runs)
    sarif_runs = [r for r in lint_runs if "--format sarif" in r]
    assert len(sarif_runs) == 1
    target = sarif_runs[0].split(">")[-1].strip()
    assert _yaml_values(text, "sarif_file") == [target]
    assert any(
        u.startswith("github/codeql-action/upload-sarif@") for u in _yaml_values(text, "uses")
    )
    assert _yaml_values(text, "security-events") == ["write  # upload-sarif needs it"]

    # The commands themselves run, from the repository root, as the job would run them.
    for command in lint_runs:
        command = command.replace(f"> {target}", f"> {tmp_path / target}")
        done = subprocess.run(
            command,
            shell=True,
            cwd=ROOT,
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        if "--format github" in command:
            assert all(line.startswith("::") for line in done.stdout.splitlines() if line)
    sarif = json.loads((tmp_path / target).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "ssmlkit"


def test_pre_commit_config_runs_the_hook_ssmlkit_ships(tmp_path):
    text = (EXAMPLES / "ci" / "pre-commit-config.yaml").read_text(encoding="utf-8")
    _check_yaml_shape(text)
    hooks_file = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert _yaml_values(text, "id") == _yaml_values(hooks_file, "id") == ["ssmlkit-lint"]
    [entry] = _yaml_values(text, "entry")
    [files] = _yaml_values(text, "files")
    pattern = re.compile(files)
    # pre-commit passes the staged file names that match `files` to `entry`.
    staged = [
        str(p.relative_to(ROOT)) for p in sorted(EXAMPLES.rglob("*")) if pattern.search(p.name)
    ]
    assert staged
    cmd = [*shlex.split(entry), *staged]
    done = subprocess.run(
        cmd, cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / "bad.ssml"
    bad.write_text('<speak><break time="20s"/>Tom & Jerry</speak>', encoding="utf-8")
    assert pattern.search(bad.name)
    done = subprocess.run(
        [*shlex.split(entry), str(bad)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "BR00" in done.stdout
