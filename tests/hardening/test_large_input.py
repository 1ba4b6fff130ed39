"""A 30 MB document is refused before it is parsed, quickly and in bounded memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ssmlkit.errors import InputTooLargeError
from ssmlkit.parse import DEFAULT_MAX_BYTES
from tests.hardening.cli import TIMEOUT, clean_env

pytestmark = pytest.mark.slow

#: Peak resident memory allowed for a process handling the 30 MB input.
MEMORY_LIMIT = 1024 * 1024 * 1024

_BIG = 30_000_000


def _write_big(path: Path) -> None:
    unit = '<s>第一句话。</s><break time="200ms"/>'.encode()
    body = unit * (_BIG // len(unit) + 1)
    path.write_bytes(b"<speak>" + body + b"</speak>")


def _peak_rss(
    code: str, tmp_path: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``code`` in a fresh interpreter; its output and its peak RSS in bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far, in KiB on Linux: only a new maximum is this child's.
    assert peak >= before
    return proc, peak * 1024


def test_the_cap_is_10_mb() -> None:
    assert DEFAULT_MAX_BYTES == 10_000_000


def test_parse_refuses_over_the_cap_before_decoding() -> None:
    # Not even valid UTF-8: a refusal that decoded first would be a ParseError instead.
    from ssmlkit.parse import parse

    with pytest.raises(InputTooLargeError) as info:
        parse(b"\xff" * (DEFAULT_MAX_BYTES + 1))
    assert info.value.size == DEFAULT_MAX_BYTES + 1


@pytest.mark.parametrize(
    "entry", ["lint-bytes", "lint-str", "parse", "split", "cli-lint", "cli-split"]
)
def test_30_mb_is_refused_fast_in_bounded_memory(entry: str, tmp_path: Path) -> None:
    big = tmp_path / "big.ssml"
    _write_big(big)
    code = f"""
        import sys, time
        from pathlib import Path
        entry = {entry!r}
        data = Path("big.ssml").read_bytes()
        started = time.monotonic()
        if entry == "lint-bytes":
            from ssmlkit.linter import lint
            print(",".join(d.code for d in lint(data)))
        elif entry == "lint-str":
            from ssmlkit.linter import lint
            print(",".join(d.code for d in lint(data.decode())))
        elif entry in ("parse", "split"):
            from ssmlkit.errors import InputTooLargeError
            from ssmlkit.parse import parse
            from ssmlkit.splitter import split
            try:
                parse(data) if entry == "parse" else split(data, max_chars=1000)
            except InputTooLargeError as exc:
                print("XM007", exc)
        else:
            del data
            from ssmlkit.cli import main
            sys.argv = ["ssmlkit", *(["lint", "--isolated"] if entry == "cli-lint" else ["split"]), "big.ssml"]
            try:
                main()
            except SystemExit as exc:
                print("exit", exc.code, file=sys.stderr)
        print("seconds", time.monotonic() - started, file=sys.stderr)
    """
    proc, peak = _peak_rss(code, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert peak < MEMORY_LIMIT, f"{entry}: peak RSS {peak / 2**20:.0f} MiB"
    seconds = float(proc.stderr.rsplit("seconds", 1)[1])
    assert seconds < 10, f"{entry}: {seconds:.1f}s"
    if entry == "cli-split":
        assert "exit 1" in proc.stderr
        assert "over the 10,000,000-byte cap" in proc.stderr
    elif entry == "cli-lint":
        assert "exit 1" in proc.stderr
        assert "XM007" in proc.stdout
    else:
        assert "XM007" in proc.stdout


def test_cli_lint_of_a_2_gb_file_reads_only_the_cap(tmp_path: Path) -> None:
    huge = tmp_path / "huge.ssml"
    with huge.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(2_000_000_000)
    code = """
        import sys
        from ssmlkit.cli import main
        sys.argv = ["ssmlkit", "lint", "--isolated", "huge.ssml"]
        try:
            main()
        except SystemExit as exc:
            print("exit", exc.code, file=sys.stderr)
        print("seconds 0", file=sys.stderr)
    """
    proc, peak = _peak_rss(code, tmp_path)
    assert "exit 1" in proc.stderr, proc.stderr[-2000:]
    assert "XM007" in proc.stdout
    assert "2,000,000,000 bytes" in proc.stdout
    assert peak < MEMORY_LIMIT
