"""``ssmlkit lint`` as a program ends without the interpreter's teardown (``ssmlkit.cli.run``),
and loses nothing by it: every line of a long report reaches a pipe, ``--output-file`` is whole,
the exit status is the command's, ``atexit`` handlers run, and with another thread alive, or for
another command, the exit is Python's usual one. Real processes, real pipes, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: A document with one unescaped '&' per line: a finding a line, thousands of lines of report.
MANY = "<speak>" + "\n".join(f"R&D {k}" for k in range(3000)) + "</speak>\n"


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def test_a_long_report_reaches_the_pipe_whole(tmp_path: Path) -> None:
    # The same command through main() (Python's usual exit) and through run(): the same bytes.
    doc = tmp_path / "many.ssml"
    doc.write_text(MANY, encoding="utf-8")
    args = ["lint", "--format", "json-lines", str(doc)]
    quick = _python("-m", "ssmlkit", *args, cwd=tmp_path)
    usual = _python("-c", f"from ssmlkit.cli import main; main({args!r})", cwd=tmp_path)
    assert (quick.returncode, usual.returncode) == (1, 1), quick.stderr
    assert quick.stdout == usual.stdout
    findings = [json.loads(line) for line in quick.stdout.splitlines()]
    assert sum(f["code"] == "XM002" for f in findings) >= 1000
    assert len(quick.stdout) > 200_000  # more than a pipe buffer holds (64 KiB on Linux)


def test_the_output_file_is_whole_and_the_status_kept(tmp_path: Path) -> None:
    doc = tmp_path / "many.ssml"
    doc.write_text(MANY, encoding="utf-8")
    report = tmp_path / "report.json"
    proc = _python(
        "-m", "ssmlkit", "lint", "--format", "json", "-o", str(report), str(doc), cwd=tmp_path
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["files"][0]["diagnostics"]) == 1001
    clean = tmp_path / "clean.ssml"
    clean.write_text('<speak voice="longanyang">你好</speak>', encoding="utf-8")
    assert _python("-m", "ssmlkit", "lint", str(clean), cwd=tmp_path).returncode == 0


def _script(body: str) -> str:
    return "import sys\nfrom ssmlkit.cli import run\n" + body + "\nrun()\n"


def test_atexit_handlers_run_before_the_quick_exit(tmp_path: Path) -> None:
    doc = tmp_path / "a.ssml"
    doc.write_text("<speak>a & b</speak>", encoding="utf-8")
    body = (
        "import atexit\n"
        "atexit.register(lambda: print('atexit ran', flush=True))\n"
        f"sys.argv = ['ssmlkit', 'lint', {str(doc)!r}]"
    )
    proc = _python("-c", _script(body), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.rstrip().endswith("atexit ran")


def test_another_thread_alive_gets_the_usual_exit(tmp_path: Path) -> None:
    # A quick exit would kill the thread before it prints; Python's exit waits for it.
    doc = tmp_path / "a.ssml"
    doc.write_text("<speak>ok</speak>", encoding="utf-8")
    body = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done', flush=True)))"
        ".start()\n"
        f"sys.argv = ['ssmlkit', 'lint', {str(doc)!r}]"
    )
    proc = _python("-c", _script(body), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "thread done" in proc.stdout


def test_other_commands_exit_as_usual(tmp_path: Path) -> None:
    # An object whose finalizer prints: only an interpreter teardown runs it.
    body = (
        "class Last:\n"
        "    def __del__(self):\n"
        "        print('finalized', flush=True)\n"
        "keep = Last()\n"
        "sys.argv = ['ssmlkit', 'rule', 'XM002']"
    )
    proc = _python("-c", _script(body), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("finalized")
