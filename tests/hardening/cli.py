"""Run the ``ssmlkit`` CLI as a subprocess, the way a user's CI does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Seconds any one command may take on hostile input before the test calls it a hang.
TIMEOUT = 30


def clean_env() -> dict[str, str]:
    """The current environment without keys, proxies, ssmlkit settings or colour."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().endswith(("_PROXY", "API_KEY")) and not k.startswith("SSMLKIT_")
    }
    env.update(NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return env


def run_cli(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m ssmlkit ARGS`` in ``cwd``; output decoded leniently (it may quote bad input)."""
    proc = subprocess.run(
        [sys.executable, "-m", "ssmlkit", *args],
        cwd=cwd,
        env=env or clean_env(),
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )
