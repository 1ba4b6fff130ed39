"""Shell completion: click's ``_SSMLKIT_COMPLETE`` protocol produces scripts and completes commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SSMLKIT = BIN / ("ssmlkit.exe" if os.name == "nt" else "ssmlkit")


def _ssmlkit(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    # The console script: click names the variable after the program (``_SSMLKIT_COMPLETE``).
    return subprocess.run([str(SSMLKIT)], env=env, capture_output=True, text=True, check=False)


def _candidates(out: str) -> list[str]:
    """Values from the ``type,value`` lines of click's bash protocol."""
    return [line.split(",", 1)[1] for line in out.splitlines() if "," in line]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F"),
        ("zsh", "#compdef ssmlkit"),
        ("fish", "complete --no-files --command ssmlkit"),
    ],
)
def test_source_script_is_produced(shell, marker):
    done = _ssmlkit({"_SSMLKIT_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout
    assert "_SSMLKIT_COMPLETE" in done.stdout


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("ssmlkit li", "1", ["lint"]),
        ("ssmlkit r", "1", ["render", "rule", "rules"]),
        ("ssmlkit s", "1", ["serve", "split"]),
        ("ssmlkit lint --fo", "2", ["--format"]),
        ("ssmlkit lint --format ", "3", ["auto", "text", "json", "github", "sarif"]),
        ("ssmlkit render --engine o", "3", ["offline"]),
    ],
)
def test_bash_protocol_completes(words, cword, expected):
    done = _ssmlkit(
        {"_SSMLKIT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    )
    assert done.returncode == 0, done.stderr
    assert _candidates(done.stdout) == expected


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_completes_in_a_real_bash():
    """Source the generated script in bash and call its function as bash's completion would."""
    script = (
        'eval "$(_SSMLKIT_COMPLETE=bash_source ssmlkit)"\n'
        "COMP_WORDS=(ssmlkit li); COMP_CWORD=1\n"
        "_ssmlkit_completion ssmlkit\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["lint"]
