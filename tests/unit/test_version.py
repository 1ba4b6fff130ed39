"""The version lives in one place, ``ssmlkit/_version.py``; everything else reads it from there."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import ssmlkit
from ssmlkit import _version

ROOT = Path(__file__).resolve().parents[2]
# A version assigned in Python (``__version__ = "1.2"``) or declared in TOML (``version = "1.2"``);
# an XML declaration's ``version="1.0"`` is not one.
_VERSION_LITERAL = re.compile(r"""(?m)(?:__version__\s*=|^version\s*=)\s*["']\d+\.\d+""")


def test_version_is_a_pep440_release_string():
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.dev\d+)?", _version.__version__)
    assert ssmlkit.__version__ is _version.__version__


def test_pyproject_reads_the_version_from_the_one_file():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in data["project"]
    assert "version" in data["project"]["dynamic"]
    assert data["tool"]["hatch"]["version"]["path"] == "ssmlkit/_version.py"


def test_no_other_file_hard_codes_a_version():
    offenders = []
    for path in [*ROOT.joinpath("ssmlkit").rglob("*.py"), ROOT / "pyproject.toml"]:
        if path.name == "_version.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}" for m in _VERSION_LITERAL.finditer(text)
        ]
        # The literal value itself must not be repeated anywhere either.
        if f'"{_version.__version__}"' in text or f"'{_version.__version__}'" in text:
            offenders.append(f"{path.relative_to(ROOT)}: repeats {_version.__version__!r}")
    assert offenders == []


def test_cli_prints_the_version():
    done = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == _version.__version__


def test_changelog_mentions_the_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{_version.__version__}]" in changelog
