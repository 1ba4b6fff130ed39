"""Every hostile input is refused cleanly by every entry point.

For each case in :data:`tests.hardening.hostile.HOSTILE`: ``lint`` returns an error finding and
never raises; ``parse`` and ``split`` raise an :class:`~ssmlkit.errors.SSMLKitError`; the CLI's
``lint`` exits 1 with a finding (not 2, not a traceback), ``split`` and ``render`` exit non-zero
with one clear message; the secret file's content appears nowhere; nothing takes long.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ssmlkit.errors import InputError, SSMLKitError
from ssmlkit.linter import fix, lint
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.parse import parse
from ssmlkit.splitter import split
from tests.hardening.cli import run_cli
from tests.hardening.hostile import HOSTILE, SECRET

CASES = sorted(HOSTILE)

#: Seconds one library call may take on a hostile input (the largest is 2 MB).
FAST = 10.0


def _data(name: str, secret_url: str) -> bytes:
    return HOSTILE[name](secret_url)


@pytest.mark.parametrize("name", CASES)
def test_lint_reports_an_error_and_never_raises(name: str, secret_url: str) -> None:
    started = time.monotonic()
    diagnostics = lint(_data(name, secret_url))
    assert time.monotonic() - started < FAST
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert errors, f"{name}: no error finding"
    assert all(d.message.strip() and d.line >= 1 and d.column >= 1 for d in errors)
    assert SECRET not in repr(diagnostics)


@pytest.mark.parametrize("name", CASES)
def test_parse_raises_an_input_error(name: str, secret_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        parse(_data(name, secret_url))
    assert time.monotonic() - started < FAST
    assert str(info.value).strip()
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("name", CASES)
def test_split_refuses(name: str, secret_url: str) -> None:
    with pytest.raises(SSMLKitError) as info:
        split(_data(name, secret_url), max_chars=100)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("name", CASES)
def test_fix_leaves_what_it_cannot_read_with_its_errors(name: str, secret_url: str) -> None:
    data = _data(name, secret_url)
    text = data.decode("utf-8", errors="replace")
    result = fix(text, unsafe=True)
    assert SECRET not in result.text
    # Whatever fix changed, it never claims success on input that stays broken.
    if not any(d.severity is Severity.ERROR for d in result.remaining):
        parse(result.text)


@pytest.mark.parametrize("name", CASES)
def test_cli_lint_exits_1_with_a_finding(name: str, secret_url: str, tmp_path: Path) -> None:
    doc = tmp_path / "input.ssml"
    doc.write_bytes(_data(name, secret_url))
    fmt = "json" if CASES.index(name) % 2 else "text"  # both formats, without doubling the runs
    proc = run_cli("lint", "--isolated", "--format", fmt, doc.name, cwd=tmp_path)
    assert proc.returncode == 1, (name, fmt, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert "XM0" in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["external-entity", "billion-laughs", "nul", "invalid-utf8"])
def test_cli_lint_from_stdin(name: str, secret_url: str, tmp_path: Path) -> None:
    proc = run_cli("lint", "--isolated", "-", cwd=tmp_path, stdin=_data(name, secret_url))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", CASES)
def test_cli_split_refuses(name: str, secret_url: str, tmp_path: Path) -> None:
    doc = tmp_path / "input.ssml"
    doc.write_bytes(_data(name, secret_url))
    out = tmp_path / "chunks"
    proc = run_cli("split", doc.name, "--out-dir", out.name, cwd=tmp_path)
    assert proc.returncode == 1, (name, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert "input.ssml" in proc.stderr  # the message names the file
    assert not out.exists() or not any(out.iterdir())
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", CASES)
def test_cli_render_refuses_before_sending(name: str, secret_url: str, tmp_path: Path) -> None:
    doc = tmp_path / "input.ssml"
    doc.write_bytes(_data(name, secret_url))
    # Port 1 on loopback: should anything be sent, the error would be a connection failure, not
    # the finding asserted below.
    proc = run_cli(
        "render",
        doc.name,
        "-o",
        "out.wav",
        "--engine",
        "http",
        "--base-url",
        "http://127.0.0.1:1/v1",
        "--api-key",
        "sk-test-not-a-key",
        "--voice",
        "longxiaochun",
        "--no-cache",
        "--quiet",
        cwd=tmp_path,
    )
    assert proc.returncode == 1, (name, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert "XM0" in proc.stderr, proc.stderr[-2000:]
    assert not (tmp_path / "out.wav").exists()
    assert SECRET not in proc.stdout + proc.stderr


def test_xinclude_is_an_unknown_element_never_followed(secret_url: str, tmp_path: Path) -> None:
    data = (
        '<speak xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{secret_url}" parse="text"/>hello</speak>'
    ).encode()
    doc = parse(data)
    assert SECRET not in repr(doc)
    assert any(d.severity is Severity.ERROR for d in lint(data))
    (tmp_path / "input.ssml").write_bytes(data)
    proc = run_cli("lint", "--isolated", "input.ssml", cwd=tmp_path)
    assert proc.returncode == 1
    assert SECRET not in proc.stdout + proc.stderr
    proc = run_cli("split", "input.ssml", cwd=tmp_path)
    assert SECRET not in proc.stdout + proc.stderr
