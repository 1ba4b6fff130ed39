"""``python bench/run.py --quick`` runs to the end and prints the machine and every row, so the
benchmark cannot rot unnoticed. The numbers themselves are not checked: a loaded CI machine would
make that flaky; ``--strict`` on a quiet machine is the way to check the targets."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ROWS = (
    "lint, one pass (",
    "lint, fresh configuration",
    "lint, warm",
    "lint vs ssml-check-core, one pass each",
    "lint vs ssml-check-core, warm each",
    "lint one pass vs ssml-check-core per-file mean",
    "unknown voice vs known",
    "unknown voices, one per doc",
    "split 100 KB",
    "split 1 MB",
    "CLI start-up",
    "render 8 chunks",
    "peak RSS, split 1 MB",
    "peak memory, 1-hour render",
    "lsp diagnostics, 20,000 chars",
    "pronounce, 20,000 chars",
    "annotate, 20,000 chars",
)


def test_quick_bench_prints_the_whole_table(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("machine: nproc ")
    assert f"Python {sys.version.split()[0]}" in lines[0]
    header = next(i for i, line in enumerate(lines) if line.startswith("measure"))
    assert lines[header].split() == ["measure", "baseline", "ssmlkit", "ratio", "target"]
    body = [line for line in lines[header + 2 :] if not line.startswith("missed:")]
    assert len(body) == len(ROWS)
    for name, line in zip(ROWS, body, strict=True):
        assert line.startswith(name), line
        if "unavailable: " in line:  # the npm peer could not run here: the row says why
            assert "ssml-check-core" in name, line
            continue
        ratio = float(_ratio(line))
        assert math.isfinite(ratio)
        assert ratio > 0


def _ratio(line: str) -> str:
    # Cells are separated by at least two spaces: name, baseline, ssmlkit, ratio, target, verdict.
    cells = [c.strip() for c in line.split("  ") if c.strip()]
    return cells[3]


def test_the_peer_row_says_why_when_node_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A machine without node: the benchmark reports the reason instead of failing.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_lint
    finally:
        sys.path.remove(str(ROOT / "bench"))
    doc = tmp_path / "one.ssml"
    doc.write_text("<speak>x</speak>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert bench_lint.peer_ms_per_doc((doc,), 1) in ("node not found", "node/npm not found")


def test_generated_documents_are_distinct_down_to_their_elements() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_lint
    finally:
        sys.path.remove(str(ROOT / "bench"))
    import re

    docs = bench_lint.generated_documents(40)
    assert len(set(docs)) == len(docs)
    # No start tag with attributes repeats between two documents of one kind: the verdict memo
    # cannot answer for a document it has not seen.
    tags = [set(re.findall(r"<(?:break|sub|say-as) [^>]*>[^<]*", d)) for d in docs]
    for i, a in enumerate(tags):
        for b in tags[i + 1 :]:
            assert not (a & b)
