"""``ssmlkit annotate`` end to end: real files, stdin, both report formats, a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssmlkit import pronounce
from ssmlkit.cli import main

needs_engine = pytest.mark.skipif(
    not pronounce.available(), reason=str(pronounce.unavailable_reason())
)

DOC = "<speak>\n  他在银行工作。<!-- keep -->\n  我们要重新开始。\n</speak>\n"
HINTED = (
    '<speak>\n  他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。<!-- keep -->\n'
    '  我们要<phoneme alphabet="py" ph="chong2 xin1">重新</phoneme>开始。\n</speak>\n'
)


@needs_engine
def test_file_to_file_with_decisions_on_stdout(tmp_path: Path) -> None:
    src, out = tmp_path / "in.ssml", tmp_path / "out.ssml"
    src.write_text(DOC, encoding="utf-8")
    result = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out), "--chars", "行重"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == HINTED
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{src}:2:6: 行 hang2 (")
    assert "在银[行]工作" in lines[0]
    assert lines[0].endswith('hinted 银行 "yin2 hang2"')
    assert lines[1].startswith(f"{src}:3:6: 重 chong2 (")
    assert lines[2] == f"{src}: 2 hints added for 2 polyphones"
    assert result.stderr == ""
    assert src.read_text(encoding="utf-8") == DOC  # the input is never touched
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@needs_engine
def test_stdin_to_stdout_with_json_decisions_on_stderr() -> None:
    result = CliRunner().invoke(
        main, ["annotate", "-", "--chars", "行", "--format", "json"], input=DOC
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == DOC.replace("银行", HINTED.split("他在")[1].split("工作")[0], 1)
    report = json.loads(result.stderr)
    assert report["file"] == "<stdin>"
    assert report["changed"] is True
    (decision,) = report["decisions"]
    assert decision["char"] == "行"
    assert decision["reading"] == "hang2"
    assert (decision["line"], decision["column"], decision["applied"]) == (2, 6, True)
    assert decision["context"][decision["context_at"]] == "行"


@needs_engine
def test_the_encoding_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    src, out = tmp_path / "in.ssml", tmp_path / "out.ssml"
    declared = '<?xml version="1.0" encoding="GBK"?>\n' + DOC
    src.write_bytes(declared.encode("gbk"))
    result = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out), "--chars", "行"])
    assert result.exit_code == 0, result.output
    assert "yin2 hang2" in out.read_bytes().decode("gbk")
    bom = tmp_path / "bom.ssml"
    bom.write_bytes(b"\xef\xbb\xbf" + DOC.encode("utf-8"))
    result = CliRunner().invoke(main, ["annotate", str(bom), "-o", str(out), "--chars", "行"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf<speak>")


@needs_engine
def test_an_existing_output_keeps_its_permissions(tmp_path: Path) -> None:
    src, out = tmp_path / "in.ssml", tmp_path / "out.ssml"
    src.write_text(DOC, encoding="utf-8")
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    result = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o640
    assert "银行</phoneme>" in out.read_text(encoding="utf-8")


@needs_engine
def test_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["annotate", str(tmp_path / "nope.ssml")])
    assert missing.exit_code == 2
    assert "nope.ssml" in missing.stderr
    bad = tmp_path / "bad.ssml"
    bad.write_text("<speak>行", encoding="utf-8")
    broken = runner.invoke(main, ["annotate", str(bad)])
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"ssmlkit: error: {bad}:1:")
    both = runner.invoke(main, ["annotate", "-", "--chars", "行", "--all"], input=DOC)
    assert both.exit_code == 2
    assert "either --chars or --all" in both.stderr
    not_polyphone = runner.invoke(main, ["annotate", "-", "--chars", "我"], input=DOC)
    assert not_polyphone.exit_code == 2
    assert "not a polyphonic character" in not_polyphone.stderr


def test_help_teaches_with_an_example() -> None:
    result = CliRunner().invoke(main, ["annotate", "--help"])
    assert result.exit_code == 0
    assert "ssmlkit annotate -" in result.stdout
    assert '<phoneme alphabet="py"' in result.stdout
    assert "pip install 'ssmlkit[pronounce]'" in result.stdout
    assert "annotate" in CliRunner().invoke(main, ["--help"]).stdout


def test_without_the_extra_one_line_and_exit_2(tmp_path: Path) -> None:
    # A real process in which pypinyin cannot be imported, as on an installation without the extra.
    src = tmp_path / "in.ssml"
    src.write_text(DOC, encoding="utf-8")
    code = (
        "import sys; sys.modules['pypinyin'] = None\n"
        "from ssmlkit.cli import main\n"
        "main(['annotate', sys.argv[1]])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(src)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ssmlkit: error: ")
    assert line.endswith("pip install 'ssmlkit[pronounce]'")


@needs_engine
def test_the_console_script_as_a_subprocess(tmp_path: Path) -> None:
    src = tmp_path / "in.ssml"
    src.write_text(DOC, encoding="utf-8")
    script = Path(sys.executable).parent / ("ssmlkit.exe" if os.name == "nt" else "ssmlkit")
    done = subprocess.run(
        [str(script), "annotate", str(src), "--chars", "行重"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == HINTED
    assert "2 hints added" in done.stderr.decode("utf-8")


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [("ssmlkit an", "1", ["annotate"]), ("ssmlkit annotate --f", "2", ["--format"])],
)
def test_shell_completion_knows_the_command(words: str, cword: str, expected: list[str]) -> None:
    script = Path(sys.executable).parent / ("ssmlkit.exe" if os.name == "nt" else "ssmlkit")
    env = {
        **os.environ,
        "_SSMLKIT_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert [line.split(",", 1)[1] for line in done.stdout.splitlines()] == expected
