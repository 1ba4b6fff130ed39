"""``ssmlkit render``'s progress bar, seen on a real pseudo-terminal and on a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

pytest.importorskip("espeakng_loader")  # the offline engine speaks: the [offline] extra

# Distinct sentences: chunks with the same text share one request (and one progress step).
DOC = "<speak>" + " ".join(f"This is sentence number {n}." for n in range(40)) + "</speak>\n"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _render(tmp_path: Path, *, columns: int, tty: bool) -> str:
    """Standard error of an offline render of a many-chunk document."""
    src = tmp_path / "doc.ssml"
    src.write_text(DOC, encoding="utf-8")
    cmd = [
        sys.executable, "-m", "ssmlkit", "render", str(src), "-o", str(tmp_path / "out.wav"),
        "--engine", "offline", "--max-chars", "120", "--no-cache",
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    if not tty:
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stderr
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # EIO: the other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(primary)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.slow
def test_the_bar_fits_the_terminal_and_leaves_no_stale_tail(tmp_path: Path) -> None:
    out = _render(tmp_path, columns=72, tty=True)
    bar_frames = [f for f in out.replace("\n", "\r").split("\r") if "rendering" in f]
    assert len(bar_frames) > 2, out  # it was drawn, and redrawn as chunks finished
    for frame in bar_frames:
        assert len(ANSI.sub("", frame).rstrip("\n")) <= 72, frame
    last = ANSI.sub("", bar_frames[-1])
    # every redraw is padded to the longest so far: what is left on screen is the last frame
    assert re.search(r"(\d+)/\1\b", last), last  # all chunks done
    assert "ETA" not in last  # click drops the ETA once finished, and pads over the old one
    widths = {len(ANSI.sub("", f)) for f in bar_frames[1:]}
    assert len(widths) == 1, bar_frames  # each redraw covers the whole previous one


@pytest.mark.slow
def test_no_bar_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    err = _render(tmp_path, columns=72, tty=False)
    assert "\r" not in err
    assert "rendering" not in err
