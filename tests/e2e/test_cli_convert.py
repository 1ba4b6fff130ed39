"""``ssmlkit convert`` end to end: files, stdin, reports, and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ssmlkit.cli import main
from ssmlkit.conversion import tables as T
from ssmlkit.linter import lint

POLLY = (
    '<speak>\n  <amazon:effect name="whispered">Quiet now</amazon:effect>\n'
    '  <prosody rate="x-fast">Quick!</prosody>\n</speak>\n'
)


def test_file_to_file_with_json_report(tmp_path: Path) -> None:
    src, out = tmp_path / "in.ssml", tmp_path / "out.ssml"
    src.write_text(POLLY, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src), "-o", str(out), "--report", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"] == "amazon"
    assert [(c["action"], c["line"], c["column"]) for c in report["changes"]] == [
        ("unwrapped", 2, 3),
        ("converted", 3, 3),
    ]
    converted = out.read_text(encoding="utf-8")
    assert f'<speak rate="{T.RATE_NAMED["x-fast"]:g}">' in converted
    assert not [d for d in lint(converted) if str(d.severity) == "error"]


def test_stdin_to_stdout_with_text_report() -> None:
    result = CliRunner().invoke(main, ["convert", "-"], input=POLLY)
    assert result.exit_code == 0
    assert result.stdout.startswith("<speak>")
    assert "<stdin>:2:3: unwrapped <amazon:effect>" in result.stderr
    assert "2 changes" in result.stderr


def test_cosyvoice_input_is_unchanged(tmp_path: Path) -> None:
    src = tmp_path / "cosy.ssml"
    text = '<speak rate="1.2">你好<break time="500ms"/></speak>'
    src.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src)])
    assert result.exit_code == 0
    assert result.stdout == text + "\n"
    assert "no changes" in result.stderr


def test_bad_input_fails_with_position(tmp_path: Path) -> None:
    src = tmp_path / "bad.ssml"
    src.write_text("<speak><p>open</speak>", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src)])
    assert result.exit_code == 1
    assert "bad.ssml:1:" in result.stderr
    missing = CliRunner().invoke(main, ["convert", str(tmp_path / "nope.ssml")])
    assert missing.exit_code == 2  # like `ssmlkit lint`: an unreadable input is exit 2
    assert "ssmlkit: error:" in missing.stderr
    assert "no such file or directory" in missing.stderr


def test_help_shows_the_tables() -> None:
    result = CliRunner().invoke(main, ["convert", "--help"])
    assert result.exit_code == 0
    for name, value in T.RATE_NAMED.items():
        assert f"{name}={value}" in result.stdout
    for name, ms in T.BREAK_STRENGTH_MS.items():
        assert f"{name}={ms}" in result.stdout


def test_as_a_subprocess(tmp_path: Path) -> None:
    src = tmp_path / "w3c.ssml"
    src.write_text(
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis"><s>Hi there</s>'
        "<s>again</s></speak>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "convert", str(src)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f'<speak>Hi there<break time="{T.BLOCK_PAUSE_MS["s"]}ms"/>again</speak>'
    )
