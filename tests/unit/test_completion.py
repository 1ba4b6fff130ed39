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
        ("ssmlkit lint --form", "2", ["--format"]),
        (
            "ssmlkit lint --format ",
            "3",
            ["auto", "text", "concise", "json", "json-lines", "github", "gitlab", "junit", "sarif"],
        ),
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


def _codes_with(prefix: str) -> list[str]:
    from ssmlkit.linter.registry import all_rules

    return sorted(r.code for r in all_rules() if r.code.startswith(prefix))


def test_rule_codes_complete_from_the_registry():
    done = _ssmlkit(
        {"_SSMLKIT_COMPLETE": "bash_complete", "COMP_WORDS": "ssmlkit rule BR", "COMP_CWORD": "2"}
    )
    assert done.returncode == 0, done.stderr
    assert sorted(_candidates(done.stdout)) == _codes_with("BR")
    assert _codes_with("BR")  # the test means something only while BR rules exist


def test_rule_names_complete_in_lower_case():
    from ssmlkit.linter.registry import all_rules

    name = next(r.name for r in all_rules() if r.code == "XM002")
    done = _ssmlkit(
        {
            "_SSMLKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": f"ssmlkit rule {name[:6]}",
            "COMP_CWORD": "2",
        }
    )
    assert name in _candidates(done.stdout)


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_selector_lists_complete_their_last_item(flag):
    done = _ssmlkit(
        {
            "_SSMLKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": f"ssmlkit lint {flag} XM,BR",
            "COMP_CWORD": "3",
        }
    )
    got = _candidates(done.stdout)
    assert got[0] == "XM,BR"  # the category itself
    assert sorted(got[1:]) == [f"XM,{c}" for c in _codes_with("BR")]


def test_zsh_shows_the_rule_summary_as_help():
    from ssmlkit.linter.registry import all_rules

    rule = next(r for r in all_rules() if r.code == "XM002")
    done = _ssmlkit(
        {"_SSMLKIT_COMPLETE": "zsh_complete", "COMP_WORDS": "ssmlkit rule XM002", "COMP_CWORD": "2"}
    )
    assert done.stdout.splitlines()[:3] == ["plain", "XM002", rule.summary]


def test_voices_complete_from_the_catalogue_and_follow_the_model():
    from ssmlkit.profiles.voices import VOICES, voices_for_model

    done = _ssmlkit(
        {
            "_SSMLKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": "ssmlkit render --voice longan",
            "COMP_CWORD": "3",
        }
    )
    got = _candidates(done.stdout)
    assert got == sorted(v for v in VOICES if v.startswith("longan"))
    assert "longanyang" in got
    plus = sorted(voices_for_model("cosyvoice-v3-plus"))
    done = _ssmlkit(
        {
            "_SSMLKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": "ssmlkit render --model cosyvoice-v3-plus --voice l",
            "COMP_CWORD": "5",
        }
    )
    assert _candidates(done.stdout) == [v for v in plus if v.startswith("l")]
