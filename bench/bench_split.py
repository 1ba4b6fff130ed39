"""Benchmark: split time for 100 KB and 10 MB documents against a bare lxml parse of the same text.

Run ``python bench/bench_split.py``. Both are measured in the same run on the same generated text
(Han sentences with clause punctuation, some English with numbers and units, breaks, ``<sub>`` and
``<say-as>``), so the ratio, not the absolute time, is the number to watch. ``split`` is timed two
ways: from text (it parses with ssmlkit's position-exact parser first) and from an already parsed
:class:`~ssmlkit.model.Document`.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial

from lxml import etree

from ssmlkit.parse import parse
from ssmlkit.splitter import split

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说"
ENGLISH = ["Hello world.", "It weighs 5 kg,", "and costs $ 20.", "Read chapter 3 again!"]


def document(size_bytes: int, seed: int = 4) -> str:
    """A reproducible SSML document of about ``size_bytes`` UTF-8 bytes."""
    rng = random.Random(seed)
    parts: list[str] = ['<speak voice="longxiaochun_v2" rate="1.1">']
    total = 0
    while total < size_bytes:
        sentence = "".join(rng.choices(HAN, k=rng.randint(6, 24)))
        roll = rng.random()
        if roll < 0.05:
            piece = f'{sentence}<break time="500ms"/>'
        elif roll < 0.10:
            piece = f'{sentence}，<sub alias="万维网联盟">W3C</sub>。'
        elif roll < 0.15:
            piece = f'<say-as interpret-as="digits">{rng.randint(100, 99999)}</say-as>{sentence}。'
        elif roll < 0.25:
            piece = " " + rng.choice(ENGLISH) + " "
        else:
            piece = sentence + rng.choice("。，！？；")
        parts.append(piece)
        total += len(piece.encode("utf-8"))
    parts.append("</speak>")
    return "".join(parts)


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Print one table row per size; the exit status is 0."""
    print(
        f"{'size':>8} {'lxml s':>8} {'split s':>8} {'ratio':>6} {'split(doc) s':>12} {'ratio':>6} {'chunks':>6} {'peak MB':>8}"
    )
    for label, size, runs in (("100 KB", 100_000, 5), ("10 MB", 9_900_000, 1)):
        text = document(size)
        data = text.encode("utf-8")
        lxml_s = best_of(runs, partial(etree.fromstring, data))
        split_s = best_of(runs, partial(split, text))
        doc = parse(text)
        doc_s = best_of(runs, partial(split, doc))
        tracemalloc.start()
        chunks = split(doc)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"{label:>8} {lxml_s:8.3f} {split_s:8.3f} {split_s / lxml_s:5.1f}x"
            f" {doc_s:12.3f} {doc_s / lxml_s:5.1f}x {len(chunks):6d} {peak:8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
