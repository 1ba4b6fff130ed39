"""Lint speed against baselines measured in the same run.

    python bench/bench_lint.py

Prints two ratios:
- throughput: ``ssmlkit.lint`` over a set of documents against a bare ``lxml.etree.fromstring`` of the
  same documents (target: within 5x);
- start-up: wall time of ``ssmlkit lint one.ssml`` in a fresh process against
  ``python -c "import lxml.etree"`` (target: within 2x).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

SMALL = (
    '<speak voice="longanyang" rate="1.1" volume="60">今天天气怎么样？'
    '<break time="500ms"/>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme>'
    '把这个玩意<phoneme alphabet="py" ph="dang4 diao4">当掉</phoneme>。'
    '<say-as interpret-as="telephone">139 0000 5678</say-as>'
    '<sub alias="网络协议标准">W3C</sub> How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?'
    "</speak>"
)


def _documents() -> list[str]:
    paragraph = "这是一个用于基准测试的段落，包含中文和 English words, numbers 123 以及标点。"
    medium = (
        '<speak rate="1.2">'
        + "".join(f'{paragraph}<break time="{100 + i}ms"/>' for i in range(200))
        + "</speak>"
    )
    return [SMALL] * 200 + [medium] * 5


def _time(fn, repeat: int = 5) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return min(best)


def _startup(cmd: list[str], repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    from ssmlkit.linter.engine import lint

    docs = _documents()
    encoded = [d.encode() for d in docs]
    base = _time(lambda: [etree.fromstring(d) for d in encoded])
    ours = _time(lambda: [lint(d) for d in docs])
    print(f"{'measure':<34}{'baseline':>12}{'ssmlkit':>12}{'ratio':>8}  target")
    print(
        f"{'lint throughput (docs/s)':<34}{len(docs) / base:>12.0f}{len(docs) / ours:>12.0f}"
        f"{ours / base:>8.2f}  <= 5"
    )
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.ssml"
        one.write_text(SMALL, encoding="utf-8")
        lxml_import = _startup([sys.executable, "-c", "import lxml.etree"])
        lint_cli = _startup([sys.executable, "-m", "ssmlkit", "lint", str(one)])
    print(
        f"{'startup (s, median)':<34}{lxml_import:>12.3f}{lint_cli:>12.3f}"
        f"{lint_cli / lxml_import:>8.2f}  <= 2"
    )


if __name__ == "__main__":
    main()
