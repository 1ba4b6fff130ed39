"""A hostile file cannot drive the user's terminal through ``ssmlkit lint``'s report.

The text report quotes the offending source line; control characters in it (ESC starting an
OSC or CSI sequence, BEL, ...) must be shown as visible symbols, not written raw: an OSC sequence
can retitle the window or, in some terminals, write the clipboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.cli import run_cli

_ESCAPES = b"<speak>a\x1b]0;pwned\x07 b\x1b[2J\x1b]52;c;ZXZpbA==\x07 & c\xc2\x9b31m</speak>"  # the last: U+009B, the C1 CSI


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_lint_report_holds_no_raw_control_characters(fmt: str, tmp_path: Path) -> None:
    (tmp_path / "evil.ssml").write_bytes(_ESCAPES)
    proc = run_cli("lint", "--isolated", "--format", fmt, "evil.ssml", cwd=tmp_path)
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u009b" not in out


def test_json_report_escapes_control_characters(tmp_path: Path) -> None:
    (tmp_path / "evil.ssml").write_bytes(_ESCAPES)
    proc = run_cli("lint", "--isolated", "--format", "json", "evil.ssml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout
    assert "\x07" not in proc.stdout
