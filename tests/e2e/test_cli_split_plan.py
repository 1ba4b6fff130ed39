"""``ssmlkit split --plan`` and ``--format json``: the chunk map, run as a subprocess."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.chunkmap import source_lines
from ssmlkit.measure import measure
from ssmlkit.parse import parse
from ssmlkit.splitter import split

LINES = [f"第{i}句话在这里。" for i in range(1, 13)]
DOC = '<speak voice="longanyang">\n' + "\n".join(LINES) + "\n</speak>\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ssmlkit", "split", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_json_gives_each_chunk_its_counted_chars_and_source_lines(tmp_path: Path) -> None:
    (tmp_path / "doc.ssml").write_text(DOC, encoding="utf-8")
    proc = run("doc.ssml", "--max-chars", "40", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    chunks = json.loads(proc.stdout)["chunks"]
    assert len(chunks) > 2
    covered: list[int] = []
    for chunk in chunks:
        assert chunk["chars"] == measure(chunk["ssml"]) <= 40
        a, b = chunk["source_lines"]
        # every sentence in the chunk sits on a line of the range, and the range has no extra line
        said = [n for n, text in enumerate(LINES, 2) if text in chunk["ssml"]]
        assert said
        assert (min(said), max(said)) == (a, b)
        covered += said
    assert covered == list(range(2, 2 + len(LINES)))


def test_plan_draws_one_bar_per_chunk_against_the_limit(tmp_path: Path) -> None:
    (tmp_path / "doc.ssml").write_text(DOC, encoding="utf-8")
    proc = run("doc.ssml", "--max-chars", "40", "--plan", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if re.match(r"\s*\d+ \|", line)]
    chunks = json.loads(
        run("doc.ssml", "--max-chars", "40", "--format", "json", cwd=tmp_path).stdout
    )["chunks"]
    assert len(rows) == len(chunks)
    for row, chunk in zip(rows, chunks, strict=True):
        bar = row.split("|")[1]
        assert len(bar) == 40
        assert bar.count("#") == round(40 * chunk["chars"] / 40)
        a, b = chunk["source_lines"]
        assert row.endswith(f"line {a}" if a == b else f"lines {a}-{b}")
    assert "<speak" not in proc.stdout
    assert (
        proc.stdout.splitlines()[0]
        == f"doc.ssml: {len(chunks)} chunk(s), limit 40 counted characters"
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["一二三。", "hello world. ", '<break time="1s"/>', "\n", "，"]),
        max_size=30,
    ),
    st.integers(8, 60),
)
def test_source_lines_are_ordered_and_inside_the_document(parts: list[str], limit: int) -> None:
    text = "<speak>\n" + "".join(parts) + "\n</speak>"
    doc = parse(text)
    chunks = split(doc, max_chars=limit)
    lines = [x for x in source_lines(doc, chunks) if x is not None]
    total = text.count("\n") + 1
    for a, b in lines:
        assert 1 <= a <= b <= total
    for (_, b), (a, _) in itertools.pairwise(lines):
        assert b <= a
