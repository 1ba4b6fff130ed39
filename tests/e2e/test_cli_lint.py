"""``ssmlkit lint``, ``rules`` and ``rule`` on real files: exit codes, formats, fixes, config."""

from __future__ import annotations

import builtins
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssmlkit.cli import main
from ssmlkit.linter.registry import all_rules

BAD = "<speak>\n  Tom & Jerry\n</speak>\n"
CLEAN = "<speak>你好</speak>\n"


def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_subprocess_reports_every_problem_with_positions(tmp_path: Path) -> None:
    # The must-hold: a bare '&', an unknown element and a 20 s break, all in one run.
    doc = _file(
        tmp_path,
        "all.ssml",
        '<speak>\n  Tom & Jerry\n  <prosody rate="fast">hi</prosody>\n  <break time="20s"/>\n</speak>\n',
    )
    proc = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "lint", "--format", "json", str(doc)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    diags = json.loads(proc.stdout)["files"][0]["diagnostics"]
    at = {(d["line"], d["column"]): d["code"] for d in diags}
    assert at.get((2, 7)) == "XM002"  # the bare '&'
    assert (3, 3) in at  # <prosody>, reported at its start tag
    assert at.get((4, 16), "").startswith("BR")  # the value "20s"
    assert all(d["severity"] == "error" for d in diags if (d["line"], d["column"]) in at)


def test_text_output_and_exit_codes(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    clean = _file(tmp_path, "clean.ssml", CLEAN)
    result = _run("lint", "--format", "text", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2:7: XM002 [error]" in result.output
    assert "  Tom & Jerry" in result.output
    assert _run("lint", str(clean)).exit_code == 0
    assert _run("lint", "--exit-zero", str(bad)).exit_code == 0


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    result = _run("lint", "--severity", "XM002=warning", str(bad))
    assert result.exit_code == 0
    assert "XM002 [warning]" in result.output


def test_missing_file_and_empty_directory_exit_2(tmp_path: Path) -> None:
    result = _run("lint", str(tmp_path / "absent.ssml"))
    assert result.exit_code == 2
    assert "ssmlkit: error:" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run("lint", str(empty))
    assert result.exit_code == 2
    assert "no *.ssml or *.xml files" in result.output


def test_unreadable_file_exits_2_without_traceback(tmp_path: Path, monkeypatch) -> None:
    locked = _file(tmp_path, "locked.ssml", CLEAN)
    if os.name == "posix" and os.geteuid() != 0:
        locked.chmod(0)
    else:  # root reads anything: make the OS refuse this one file instead
        real_open = builtins.open

        def refuse(file, *args, **kwargs):
            if os.path.basename(os.fspath(file)) == "locked.ssml":
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refuse)
    try:
        result = _run("lint", str(locked))
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 2
    assert "ssmlkit: error:" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_directories_are_searched_for_ssml_and_xml(tmp_path: Path) -> None:
    _file(tmp_path, "d/a.ssml", BAD)
    _file(tmp_path, "d/sub/b.xml", BAD)
    _file(tmp_path, "d/notes.txt", BAD)
    _file(tmp_path, "d/.hidden/c.ssml", BAD)
    result = _run("lint", "--format", "json", str(tmp_path / "d"))
    paths = sorted(Path(f["path"]).name for f in json.loads(result.output)["files"])
    assert paths == ["a.ssml", "b.xml"]


def test_stdin(tmp_path: Path) -> None:
    result = _run("lint", "-", input=BAD)
    assert result.exit_code == 1
    assert "<stdin>:2:7: XM002" in result.output


def test_not_xml_at_all_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ssml"
    junk.write_bytes(b"\xff\xfe\x00garbage<<<&&")
    result = _run("lint", str(junk))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_fix_writes_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    bad.chmod(0o640)
    result = _run("lint", "--fix", str(bad))
    assert result.exit_code == 0, result.output
    assert bad.read_text(encoding="utf-8") == "<speak>\n  Tom &amp; Jerry\n</speak>\n"
    assert stat.S_IMODE(bad.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ssml"]  # no temp file left


def test_fix_on_stdin_prints_the_fixed_text(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--fix", "-"], input=BAD)
    assert result.exit_code == 0
    assert result.stdout.startswith("<speak>\n  Tom &amp; Jerry\n</speak>\n")


def test_diff_shows_and_does_not_write(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    result = _run("lint", "--diff", str(bad))
    assert result.exit_code == 1
    assert "-  Tom & Jerry" in result.output
    assert "+  Tom &amp; Jerry" in result.output
    assert bad.read_text(encoding="utf-8") == BAD


def test_statistics(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", "<speak>a & b & c</speak>")
    result = _run("lint", "--statistics", str(bad))
    assert result.output.splitlines()[0].split()[:2] == ["2", "XM002"]


@pytest.mark.parametrize("fmt", ["github", "sarif", "json", "text"])
def test_every_format_runs(tmp_path: Path, fmt: str) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    result = _run("lint", "--format", fmt, str(bad))
    assert result.exit_code == 1
    if fmt in ("json", "sarif"):
        json.loads(result.output)


def test_auto_format_under_github_actions(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    result = _run("lint", str(bad), env={"GITHUB_ACTIONS": "true"})
    assert result.output.startswith("::error file=")
    result = _run("lint", str(bad), env={"GITHUB_ACTIONS": "false"})
    assert ": XM002 [error]" in result.output


def test_configuration_file_and_flags(tmp_path: Path) -> None:
    _file(tmp_path, "pyproject.toml", '[tool.ssmlkit]\nignore = ["XM002"]\n')
    bad = _file(tmp_path, "docs/bad.ssml", BAD)
    assert _run("lint", str(bad)).exit_code == 0
    assert _run("lint", "--isolated", str(bad)).exit_code == 1
    # A selection on the command line wins over the configured one.
    assert _run("lint", "--select", "XM002", str(bad)).exit_code == 1
    other = _file(tmp_path, "elsewhere/ssmlkit.toml", "select = ['XM004']\n")
    assert _run("lint", "--config", str(other), str(bad)).exit_code == 0


def test_per_file_ignores_are_relative_to_the_config(tmp_path: Path) -> None:
    _file(tmp_path, "ssmlkit.toml", 'per-file-ignores = { "legacy/*.ssml" = ["XM"] }\n')
    old = _file(tmp_path, "legacy/old.ssml", BAD)
    new = _file(tmp_path, "new/new.ssml", BAD)
    assert _run("lint", str(old)).exit_code == 0
    assert _run("lint", str(new)).exit_code == 1


def test_bad_configuration_exits_2(tmp_path: Path) -> None:
    _file(tmp_path, "ssmlkit.toml", "max-char = 3\n")
    bad = _file(tmp_path, "bad.ssml", BAD)
    result = _run("lint", str(bad))
    assert result.exit_code == 2
    assert "did you mean 'max-chars'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "NOPE1"],
        ["--ignore", "unescaped-ampersnd"],
        ["--severity", "XM002"],
        ["--severity", "XM002=fatal"],
        ["--format", "yaml"],
        ["--max-chars", "0"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    assert _run("lint", *args, str(bad)).exit_code == 2


def test_rules_lists_every_rule() -> None:
    result = _run("rules")
    assert result.exit_code == 0
    for rule in all_rules():
        assert rule.code in result.output
        assert rule.name in result.output
    rows = json.loads(_run("rules", "--format", "json").output)
    assert [r["code"] for r in rows] == [r.code for r in all_rules()]


def test_rule_documentation() -> None:
    for key in ("XM002", "unescaped-ampersand", "xm002"):
        result = _run("rule", key)
        assert result.exit_code == 0
        assert "XM002 unescaped-ampersand" in result.output
        assert "Severity: error" in result.output
        assert "<speak>Tom & Jerry</speak>" in result.output


def test_unknown_rule_suggests() -> None:
    result = _run("rule", "unescaped-ampersnd")
    assert result.exit_code == 2
    assert "did you mean unescaped-ampersand" in result.output


def test_lint_path_does_not_import_httpx(tmp_path: Path) -> None:
    doc = _file(tmp_path, "a.ssml", CLEAN)
    code = (
        "import sys\n"
        "from ssmlkit.cli import main\n"
        "try:\n"
        f"    main(['lint', {str(doc)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- discovery and flags


def _project(tmp_path: Path) -> Path:
    """A repository as a new user has one: a pom.xml, git-ignored output, SSML in two spellings."""
    _file(tmp_path, "pyproject.toml", '[tool.ssmlkit]\nextend-exclude = ["legacy/"]\n')
    _file(tmp_path, "pom.xml", '<?xml version="1.0"?>\n<project><modelVersion/></project>\n')
    _file(tmp_path, ".gitignore", "build/\n")
    _file(tmp_path, "build/generated.ssml", BAD)
    _file(tmp_path, "legacy/old.ssml", BAD)
    _file(tmp_path, "docs/intro.ssml", BAD)
    _file(tmp_path, "docs/outro.xml", CLEAN)
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_no_path_lints_the_project_root_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    monkeypatch.chdir(root / "docs")
    result = _run("lint", "--format", "json", "-v")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == ["intro.ssml", "outro.xml"]
    assert "skipped ../build/: ignored by .gitignore:1 (build/)" in result.stderr
    assert "skipped ../legacy/: excluded by 'legacy/'" in result.stderr
    assert "skipped ../pom.xml: not SSML: root element <project>" in result.stderr


def test_verbose_is_silent_without_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path))
    result = _run("lint", "--format", "json")
    assert result.stderr == ""


def test_exclude_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path))
    result = _run("lint", "--format", "json", "--extend-exclude", "intro.ssml")
    assert result.exit_code == 0, result.output
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/outro.xml"]
    # --exclude replaces the default exclusions (not the ignore files, nor extend-exclude)
    result = _run("lint", "--isolated", "--format", "json", "--exclude", "docs")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["legacy/old.ssml"]


def test_force_exclude_for_pre_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path))
    named = ["pom.xml", "build/generated.ssml", "legacy/old.ssml", "docs/outro.xml"]
    assert _run("lint", *named).exit_code == 1  # named files are linted...
    result = _run("lint", "--force-exclude", *named)
    assert result.exit_code == 0, result.output  # ...unless exclusions are forced
    result = _run("lint", "--force-exclude", "pom.xml")
    assert (result.exit_code, result.output) == (0, "")


def test_stdin_filename_names_and_places_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _file(
        root,
        "ssmlkit.toml",
        'extend-exclude = ["legacy/"]\nper-file-ignores = { "docs/*.ssml" = ["XM002"] }\n',
    )
    monkeypatch.chdir(root)
    result = _run("lint", "-", "--stdin-filename", "docs/new.ssml", input=BAD)
    assert result.exit_code == 0, result.output  # the per-file-ignores of docs/ apply
    result = _run("lint", "-", "--stdin-filename", "other/new.ssml", input=BAD)
    assert result.exit_code == 1
    assert "other/new.ssml:2:7: XM002" in result.stdout
    result = _run("lint", "--stdin-filename", "other/new.ssml", input=BAD)  # "-" implied
    assert result.exit_code == 1
    assert "other/new.ssml:2:7: XM002" in result.stdout
    result = _run("lint", "-", "--stdin-filename", "legacy/x.ssml", "--force-exclude", input=BAD)
    assert (result.exit_code, result.stdout) == (0, "")


def test_output_file_and_strict(tmp_path: Path) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    out = tmp_path / "report.json"
    result = _run("lint", "--format", "json", "--output-file", str(out), str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["errors"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    result = _run("lint", "--output-file", str(tmp_path / "no" / "such" / "dir.json"), str(bad))
    assert result.exit_code == 2
    assert "cannot write the report to" in result.stderr
    assert "Traceback" not in result.output
    warned = ("--severity", "XM002=warning", str(bad))
    assert _run("lint", *warned).exit_code == 0
    assert _run("lint", "--strict", *warned).exit_code == 1
    assert _run("lint", "--strict", "--exit-zero", *warned).exit_code == 0


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ((), {}, False),  # not a terminal
        (("--color", "always"), {}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "0"}, False),
    ],
)
def test_color_choice(tmp_path: Path, args, env, colored) -> None:
    bad = _file(tmp_path, "bad.ssml", BAD)
    base = {"NO_COLOR": "", "FORCE_COLOR": ""}
    result = _run("lint", "--format", "text", *args, str(bad), env={**base, **env})
    assert ("\x1b[" in result.stdout) is colored


def test_a_bad_configuration_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _file(tmp_path, "sub/ssmlkit.toml", "exclud = []\n")
    for name in "abc":
        _file(tmp_path, f"sub/{name}.ssml", CLEAN)
    monkeypatch.chdir(tmp_path)
    result = _run("lint", "sub")
    assert result.exit_code == 2
    assert result.stderr.count("unknown key 'exclud'") == 1
    assert "did you mean 'exclude'" in result.stderr
