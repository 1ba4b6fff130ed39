"""The shipped pre-commit hook, run by pre-commit itself (``try-repo`` on this checkout), offline.

pre-commit builds the hook's environment with ``pip install .`` of this repository. The test lets
that pip use only what this venv already has: no index (``PIP_NO_INDEX``), no isolated build
environment (``PIP_NO_BUILD_ISOLATION=0`` is pip's spelling of ``--no-build-isolation``), and
this venv's site-packages on ``PYTHONPATH`` for the build backend and the dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.slow


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def _write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "NO_COLOR": "1",
        "GITHUB_ACTIONS": "",
    }
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "ssmlkit-lint", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_try_repo_skips_pom_xml_and_ignored_files_and_fails_on_bad_ssml(tmp_path: Path) -> None:
    assert PRE_COMMIT.exists(), "pre-commit is a [dev] dependency"
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q", ".")
    _git(repo, "config", "user.email", "dev@example.invalid")
    _git(repo, "config", "user.name", "dev")
    _write(repo, "pom.xml", '<?xml version="1.0"?>\n<project><modelVersion/></project>\n')
    _write(repo, ".gitignore", "build/\n")
    _write(repo, "build/generated.ssml", "<speak>Tom & Jerry</speak>\n")
    _write(repo, "docs/intro.ssml", "<speak>你好</speak>\n")
    _write(repo, "docs/outro.xml", "<speak>再见</speak>\n")
    _git(repo, "add", "-A")
    _git(repo, "add", "-f", "build/generated.ssml")  # tracked, yet ignored: pre-commit names it
    _git(repo, "commit", "-q", "-m", "init")

    home = tmp_path / "pre-commit-home"
    done = _try_repo(repo, home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ssmlkit lint" in done.stdout
    assert "Passed" in done.stdout

    _write(repo, "docs/bad.ssml", "<speak>Tom & Jerry</speak>\n")
    _git(repo, "add", "docs/bad.ssml")
    done = _try_repo(repo, home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "docs/bad.ssml:1:12: XM002" in done.stdout
    assert "pom.xml" not in done.stdout
    assert "generated.ssml" not in done.stdout
