"""Benchmark: ``ssmlkit.annotate`` of a 20,000-character document (the issue's target: under 1 s).

Run ``python bench/bench_annotate.py [--chars N] [--speaks K]``. The document is the CPP
development split's sentences (``../shared/pronounce/cpp-dev.sent`` or
``$SSMLKIT_BENCH_PRONOUNCE``, read in place and never copied; generated text when missing) with
their marks removed, joined until N characters and spread over K ``<speak>`` elements with a
``<break>`` between sentences. Rows, best of a few runs (a shared machine only ever adds time):

* ``annotate`` (default selection) and ``annotate --all``: the whole call, parse and re-parse
  included, against ``pronounce.transcribe`` of the document's plain text (the engine alone, on
  the same characters): the ratio is what the planner costs on top of the model;
* ``lint --select PR009``: the rule on the same document, against ``ssmlkit.lint`` with the
  default rules.

The first call loads the engine's data (about a second, once per process); it is timed apart.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_split import best_of  # noqa: E402  (one timer for every bench script)

#: Common characters and polyphones, for generated sentences when the split is missing.
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说行长重得还"


def sentences() -> list[str]:
    """The CPP development sentences (marks removed), or generated ones."""
    env = os.environ.get("SSMLKIT_BENCH_PRONOUNCE")
    folder = Path(env) if env else ROOT.parent / "shared" / "pronounce"
    found = folder / "cpp-dev.sent"
    if found.is_file():
        lines = found.read_text(encoding="utf-8").splitlines()
        return [line.replace("\u2581", "") for line in lines if line.strip()]
    rng = random.Random(17)
    return ["".join(rng.choice(HAN) for _ in range(rng.randint(8, 30))) + "。" for _ in range(2000)]


def document(size: int, speaks: int) -> tuple[str, str]:
    """An SSML document of about ``size`` spoken characters, and its plain text."""
    pool = sentences()
    random.Random(5).shuffle(pool)
    chosen: list[str] = []
    total = 0
    for sentence in pool:
        if total >= size:
            break
        chosen.append(sentence)
        total += len(sentence)
    per = max(1, len(chosen) // speaks)
    parts = [
        "<speak>" + '<break time="200ms"/>'.join(chosen[i : i + per]) + "</speak>"
        for i in range(0, len(chosen), per)
    ]
    return "\n".join(parts), "".join(chosen)


def measure(size: int = 20_000, speaks: int = 20, runs: int = 3) -> tuple[float, float, int]:
    """``transcribe`` of the plain text and ``annotate`` of the document (default selection), in
    seconds (best of ``runs``, after a first use that loads the data), and the characters."""
    import ssmlkit
    from ssmlkit import pronounce

    source, plain = document(size, speaks)
    ssmlkit.annotate(source)  # loads the data and meets the document's characters once
    engine = best_of(runs, lambda: pronounce.transcribe(plain))
    ours = best_of(runs, lambda: ssmlkit.annotate(source))
    return engine, ours, len(plain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--chars", type=int, default=20_000, help="spoken characters")
    parser.add_argument("--speaks", type=int, default=20, help="<speak> elements")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    import ssmlkit
    from ssmlkit import pronounce
    from ssmlkit.config import Config

    if not pronounce.available():
        print(f"skipped: {pronounce.unavailable_reason()}")
        return 0
    source, plain = document(args.chars, args.speaks)
    start = time.perf_counter()
    pronounce.transcribe("行")
    print(f"first use (loads the data): {time.perf_counter() - start:.2f} s")
    print(
        f"document: {len(plain):,} spoken characters, {len(source):,} in all, "
        f"{source.count('<speak>')} <speak>"
    )

    engine = best_of(args.runs, lambda: pronounce.transcribe(plain))
    default = best_of(args.runs, lambda: ssmlkit.annotate(source))
    every = best_of(args.runs, lambda: ssmlkit.annotate(source, all_polyphones=True))
    plain_lint = best_of(args.runs, lambda: ssmlkit.lint(source))
    selected = Config(extend_select=("PR009",))
    rule = best_of(args.runs, lambda: ssmlkit.lint(source, config=selected))
    hints = len(ssmlkit.annotate(source).hints)
    hints_all = len(ssmlkit.annotate(source, all_polyphones=True).hints)

    print(f"{'row':<28}{'time':>10}{'baseline':>12}{'ratio':>8}")
    print(f"{'transcribe (baseline)':<28}{engine * 1000:>8.0f}ms")
    for name, value, base in (
        (f"annotate ({hints} hints)", default, engine),
        (f"annotate --all ({hints_all})", every, engine),
        ("lint --select PR009", rule, plain_lint),
    ):
        print(f"{name:<28}{value * 1000:>8.0f}ms{base * 1000:>10.0f}ms{value / base:>7.1f}x")
    verdict = "met" if default < 1.0 and every < 1.0 else "MISSED"
    print(f"target: annotate of {len(plain):,} characters under 1 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
