"""Every benchmark in one table of ratios, each against a baseline measured in the same run.

    python bench/run.py            # the full run (about a minute)
    python bench/run.py --quick    # a smoke run on smaller inputs (seconds; numbers are rough)
    python bench/run.py --strict   # exit 1 when a ratio misses its target

Rows (the measurements live in ``bench_lint``, ``bench_split`` and ``bench_render``; this file
only chooses sizes and prints):

- lint, one pass / fresh / warm: ``ssmlkit.lint`` per document of a varied corpus (every
  document of the shared reference corpus plus generated ones, each distinct: see
  ``bench_lint``) against ``lxml.etree.fromstring`` of the same bytes. *One pass* lints each
  document once in one configuration, as ``ssmlkit lint *.ssml`` does, in each of three fresh
  processes, with lxml timed in the same process right before, the best of the three for both
  (a pass is one shot, and the VM's speed drifts within seconds; target: at most 8x);
  *fresh* lints each under a configuration of its own, so the engine remembers nothing from
  other documents; *warm* is the best of repeated passes (both for information);
- lint against ssml-check-core, timed the same way as ssmlkit's one pass (fresh processes
  alternated with ours, warmed up on other documents, each document met once; target: at most
  0.5, i.e. at least twice as fast); then both warm (the best of later passes over the same
  documents), and ours against the peer's per-file mean (each file checked 21 times in a row, as
  ``../shared/peers`` does it), both for information. The peer is installed into
  ``bench/peers`` with ``npm ci`` when missing, except in ``--quick`` runs; when it cannot run,
  its rows say why and have no ratio;
- unknown voice: documents whose voice the catalogue does not know against the same documents
  with a known voice (target: at most 1.2x); and with a different unknown voice in each document,
  so that each pays for its "did you mean" suggestions (for information);
- split 100 KB and 10 MB: ``ssmlkit.split`` of the text (parse included) against
  ``lxml.etree.fromstring`` of the same text (target: at most 5x);
- start-up: ``ssmlkit lint one.ssml`` in a fresh process against ``python -c "import lxml.etree"``
  (median wall time of runs alternated with the baseline; target: at most 2x);
- render: wall time of N chunks at a fixed latency against ``ceil(N / concurrency) * latency``,
  against the local fake service (target: at most 1.2x);
- peak memory, 10 MB split: the maximum resident set of a fresh process that reads the file and
  splits it, against one that reads it and parses it with lxml (for information);
- peak memory, 1-hour render: the peak traced Python memory while rendering 60 one-minute PCM
  chunks, as a number of chunks held at once (target: at most ``2 * concurrency + 4``);
- lsp diagnostics: ``ssmlkit lsp`` over stdio, from a change of a 20,000-character document with
  errors to its diagnostics, less the debounce, against ``ssmlkit.lint`` of the same text
  in-process (target: at most 10x; the issue's absolute target, under 100 ms, is printed too).
- pronounce: ``ssmlkit.pronounce.transcribe`` of a 20,000-character text (CPP development
  sentences, shuffled) against pypinyin's ``lazy_pinyin`` of it (for information; the issue's
  absolute target, under 1 s, is printed), with the accuracy on the CPP development split of both
  in the row's name (``bench_pronounce``; without the split or the ``[pronounce]`` extra the row
  says so).
- annotate: ``ssmlkit.annotate`` of a 20,000-character document (the same sentences in 20
  ``<speak>``) against ``transcribe`` of its text: what the planner adds to the model (for
  information; the issue's absolute target, under 1 s, is printed; ``bench_annotate``).

The machine (CPU count, Python, platform) is printed above the table: ratios, not absolute
times, are comparable between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import bench_annotate  # noqa: E402  (the bench modules are scripts beside this one, not a package)
import bench_lint  # noqa: E402
import bench_lsp  # noqa: E402
import bench_pronounce  # noqa: E402
import bench_render  # noqa: E402
import bench_split  # noqa: E402
from lxml import etree  # noqa: E402


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, both numbers, and the target for their ratio."""

    name: str
    baseline: str
    ours: str
    ratio: float
    target: float | None

    @property
    def ok(self) -> bool | None:
        """Whether the ratio meets the target (``None`` when the row is for information)."""
        if self.target is None or self.ratio != self.ratio:  # no target, or not measured (NaN)
            return None
        return self.ratio <= self.target


@dataclass(frozen=True)
class Sizes:
    """How big each measurement is: the full run, or ``--quick``."""

    lint_generated: int  # generated documents added to the shared corpus
    lint_repeat: int
    peer_repeat: int  # timed check() calls per document; 0: use the peer only when installed
    voice_docs: int
    split: tuple[tuple[str, int, int], ...]  # (label, bytes, runs)
    startup_repeat: int
    render: tuple[int, int, float]  # (chunks, concurrency, latency s)
    memory_split: tuple[str, int]  # (label, bytes)
    pronounce_sentences: int | None = None  # CPP development sentences for accuracy (None: all)
    pronounce_runs: int = 3  # timings of the 20,000-character text, the best kept
    lint_processes: int = 3  # fresh processes for the one-pass row, the best kept


FULL = Sizes(
    200,
    5,
    20,
    100,
    (("100 KB", 100_000, 5), ("10 MB", 9_900_000, 1)),
    15,
    (40, 4, 0.2),
    ("10 MB", 9_900_000),
)
QUICK = Sizes(
    20,
    2,
    0,
    20,
    (("100 KB", 100_000, 2), ("1 MB", 1_000_000, 1)),
    3,
    (8, 4, 0.1),
    ("1 MB", 1_000_000),
    pronounce_sentences=300,
    pronounce_runs=1,
    lint_processes=1,
)


def machine() -> str:
    """One line naming the machine: CPUs usable and present, Python, platform, CPU model."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"machine: nproc {usable} (of {os.cpu_count()}), Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.platform()}"
        + (f", {model}" if model else "")
    )


def lint_rows(sizes: Sizes) -> list[Row]:
    """ssmlkit.lint per document of the varied corpus against lxml, ssml-check-core and itself."""
    nan = float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = bench_lint.build_corpus(Path(tmp), sizes.lint_generated)
        data = [f.read_bytes() for f in corpus.files]
        n = len(data)
        bench_lint.warm_up_process()
        passes = bench_lint.side_by_side(
            corpus, sizes.lint_processes, sizes.lint_repeat, install=sizes.peer_repeat > 0
        )
        base, one = passes.lxml / n * 1e3, passes.one / n * 1e3
        fresh = bench_lint.lint_fresh_seconds(data) / n * 1e3
        warm = bench_lint.lint_warm_seconds(data, sizes.lint_repeat) / n * 1e3
        per_file = bench_lint.peer_ms_per_doc(
            corpus.files, sizes.peer_repeat or 2, install=sizes.peer_repeat > 0
        )
    slow, fast = bench_lint.voice_pair_seconds(sizes.voice_docs)
    slow_each, fast_each = bench_lint.voice_pair_seconds(sizes.voice_docs, distinct=True)
    ms = "{:.3f} ms/doc".format
    rows = [
        Row(f"lint, one pass ({corpus.label()})", ms(base), ms(one), one / base, 8.0),
        Row("lint, fresh configuration per document", ms(base), ms(fresh), fresh / base, None),
        Row("lint, warm (best of repeated passes)", ms(base), ms(warm), warm / base, None),
    ]

    # The target's row: both tools meet each document once (see bench_lint.side_by_side); then
    # both warm, and ours against the peer's per-file mean (the method of ../shared/peers), for
    # information.
    def per_doc(seconds: float | str) -> float | str:
        return seconds if isinstance(seconds, str) else seconds / n * 1e3

    for name, peer, ours, target in (
        ("lint vs ssml-check-core, one pass each", per_doc(passes.peer_one), one, 0.5),
        ("lint vs ssml-check-core, warm each", per_doc(passes.peer_warm), warm, None),
        ("lint one pass vs ssml-check-core per-file mean", per_file, one, None),
    ):
        if isinstance(peer, str):
            rows.append(Row(name, f"unavailable: {peer}", ms(ours), nan, None))
        else:
            rows.append(Row(name, ms(peer), ms(ours), ours / peer, target))
    rows.append(
        Row(
            f"unknown voice vs known ({sizes.voice_docs} docs)",
            ms(fast / sizes.voice_docs * 1e3),
            ms(slow / sizes.voice_docs * 1e3),
            slow / fast,
            1.2,
        )
    )
    rows.append(
        Row(
            "unknown voices, one per doc (suggestions each)",
            ms(fast_each / sizes.voice_docs * 1e3),
            ms(slow_each / sizes.voice_docs * 1e3),
            slow_each / fast_each,
            None,
        )
    )
    return rows


def split_rows(sizes: Sizes) -> list[Row]:
    """ssmlkit.split of the text against lxml.etree.fromstring of the same text, per size."""
    from ssmlkit.splitter import split

    rows = []
    for label, size, runs in sizes.split:
        text = bench_split.document(size)
        data = text.encode("utf-8")
        base = bench_split.best_of(runs, lambda data=data: etree.fromstring(data))  # type: ignore[misc]
        ours = bench_split.best_of(runs, lambda text=text: split(text))  # type: ignore[misc]
        rows.append(Row(f"split {label}", f"{base:.3f} s", f"{ours:.3f} s", ours / base, 5.0))
    return rows


def startup_row(sizes: Sizes) -> Row:
    """``ssmlkit lint one.ssml`` against ``python -c "import lxml.etree"``, fresh processes.

    ssmlkit's modules are byte-compiled first, as a wheel install leaves them (lxml's always are):
    with ``PYTHONDONTWRITEBYTECODE`` set, every run would otherwise compile ~40 modules from source.
    """
    import compileall

    import ssmlkit

    compileall.compile_dir(str(Path(ssmlkit.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.ssml"
        one.write_text(bench_lint.SMALL, encoding="utf-8")
        # Alternated, baseline then ours, so that both see the same machine: on a shared VM the
        # speed drifts between runs, and timing all of one before the other measured the drift.
        base_runs: list[float] = []
        our_runs: list[float] = []
        for _ in range(sizes.startup_repeat):
            base_runs.append(bench_lint._startup([sys.executable, "-c", "import lxml.etree"], 1))
            our_runs.append(
                bench_lint._startup([sys.executable, "-m", "ssmlkit", "lint", str(one)], 1)
            )
        base, ours = statistics.median(base_runs), statistics.median(our_runs)
    return Row("CLI start-up (lint one.ssml)", f"{base:.3f} s", f"{ours:.3f} s", ours / base, 2.0)


def render_row(sizes: Sizes) -> Row:
    """Wall time of N chunks at a fixed latency against the ideal."""
    chunks, concurrency, latency = sizes.render
    measured, ideal = bench_render.wall_time(chunks, concurrency, latency)
    return Row(
        f"render {chunks} chunks x {latency:g} s, {concurrency} at once",
        f"{ideal:.2f} s ideal",
        f"{measured:.2f} s",
        measured / ideal,
        1.2,
    )


_MAXRSS = """
import json, resource, sys
data = open(sys.argv[2], "rb").read()
if sys.argv[1] == "lxml":
    from lxml import etree
    etree.fromstring(data)
else:
    from ssmlkit.splitter import split
    split(data)
# VmHWM is this program's own peak; ru_maxrss on Linux also keeps the peak of the process it was
# forked from (the benchmark itself), which would mask the difference.
try:
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
    print(json.dumps(int(hwm)))
except (OSError, IndexError):
    print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def _maxrss_mb(kind: str, path: Path) -> float:
    """Peak resident set, in MB, of a fresh process that reads ``path`` and parses or splits it."""
    proc = subprocess.run(
        [sys.executable, "-c", _MAXRSS, kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    size = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(size) / (2**20 if sys.platform == "darwin" else 2**10)  # bytes there, KiB here


def memory_rows(sizes: Sizes) -> list[Row]:
    """Peak memory of the large cases (see the module docstring)."""
    label, size = sizes.memory_split
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.ssml"
        path.write_bytes(bench_split.document(size).encode("utf-8"))
        base = _maxrss_mb("lxml", path)
        ours = _maxrss_mb("split", path)
    rows = [Row(f"peak RSS, split {label}", f"{base:.0f} MB", f"{ours:.0f} MB", ours / base, None)]
    concurrency = sizes.render[1]
    peak, total = bench_render.peak_memory(concurrency)
    chunk = total / 60
    rows.append(
        Row(
            f"peak memory, 1-hour render (in chunks of {chunk / 1e6:.2f} MB)",
            f"{total / 1e6:.1f} MB audio",
            f"{peak / 1e6:.1f} MB",
            peak / chunk,
            float(2 * concurrency + 4),
        )
    )
    return rows


def lsp_row(sizes: Sizes) -> Row:
    """``ssmlkit lsp`` diagnostics after the debounce against in-process lint of the same text."""
    base, ours, _ = bench_lsp.measure(runs=sizes.startup_repeat)
    verdict = "under" if ours < 0.1 else "OVER"
    return Row(
        f"lsp diagnostics, 20,000 chars ({verdict} 100 ms)",
        f"{base * 1000:.1f} ms lint",
        f"{ours * 1000:.1f} ms",
        ours / base,
        10.0,
    )


def pronounce_row(sizes: Sizes) -> Row:
    """``transcribe`` of 20,000 characters against ``lazy_pinyin``, accuracies in the name."""
    from ssmlkit import pronounce

    nan = float("nan")
    if not pronounce.available():
        reason = pronounce.unavailable_reason() or ""
        return Row("pronounce, 20,000 chars", f"unavailable: {reason}", "-", nan, None)
    got = bench_pronounce.summary(sizes.pronounce_sentences, sizes.pronounce_runs)
    acc = got.accuracy
    named = (
        "no CPP split"
        if acc is None
        else f"CPP dev {acc.ours:.2f}% vs pypinyin {acc.pypinyin:.2f}%, {acc.sentences} sent."
    )
    verdict = "under" if got.ours < 1.0 else "OVER"
    return Row(
        f"pronounce, {got.document_chars:,} chars ({verdict} 1 s; {named})",
        f"{got.pypinyin * 1000:.0f} ms pypinyin",
        f"{got.ours * 1000:.0f} ms",
        got.ours / got.pypinyin,
        None,
    )


def annotate_row(sizes: Sizes) -> Row:
    """``ssmlkit.annotate`` of a 20,000-character document against ``transcribe`` of its text."""
    from ssmlkit import pronounce

    if not pronounce.available():
        reason = pronounce.unavailable_reason() or ""
        return Row("annotate, 20,000 chars", f"unavailable: {reason}", "-", float("nan"), None)
    engine, ours, _chars = bench_annotate.measure(20_000, runs=2 if sizes is QUICK else 3)
    verdict = "under" if ours < 1.0 else "OVER"
    return Row(
        f"annotate, 20,000 chars ({verdict} 1 s)",
        f"{engine * 1000:.0f} ms transcribe",
        f"{ours * 1000:.0f} ms",
        ours / engine,
        None,
    )


def table(rows: list[Row]) -> str:
    """The rows as an aligned text table."""
    head = ("measure", "baseline", "ssmlkit", "ratio", "target", "")
    cells = [
        (
            r.name,
            r.baseline,
            r.ours,
            "-" if r.ratio != r.ratio else f"{r.ratio:.2f}",
            "-" if r.target is None else f"<= {r.target:g}",
            {True: "ok", False: "MISS", None: ""}[r.ok],
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in (head, *cells)) for i in range(len(head))]
    lines = []
    for c in (head, *cells):
        left = c[0].ljust(widths[0])
        rest = "  ".join(v.rjust(w) for v, w in zip(c[1:5], widths[1:5], strict=True))
        lines.append(f"{left}  {rest}  {c[5]}".rstrip())
    lines.insert(1, "-" * len(max(lines, key=len)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure, print the machine and the table; with ``--strict``, 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs: a smoke run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    print(machine())
    print("mode: quick (rough numbers)" if args.quick else "mode: full", flush=True)
    rows: list[Row] = []
    steps: list[Callable[[Sizes], Row | list[Row]]] = [
        lint_rows,
        split_rows,
        startup_row,
        render_row,
        memory_rows,
        lsp_row,
        pronounce_row,
        annotate_row,
    ]
    for step in steps:
        print(
            f"  measuring {step.__name__.removesuffix('_row').removesuffix('_rows')}...",
            file=sys.stderr,
        )
        got = step(sizes)
        rows.extend(got if isinstance(got, list) else [got])
    print(table(rows))
    missed = [r.name for r in rows if r.ok is False]
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
