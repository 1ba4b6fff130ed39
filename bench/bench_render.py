"""Benchmark the renderer against the local fake service.

    python bench/bench_render.py [--chunks 40] [--concurrency 4] [--latency 0.2]

1. Wall time of N chunks with a fixed per-request latency, against the ideal
   ``ceil(N / concurrency) * latency`` (target: within 1.2x).
2. Peak Python memory (tracemalloc) of rendering one hour of PCM audio in 60 one-minute chunks,
   against the total audio size (target: a few chunks per worker, not the whole file).

Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssmlkit.rendering import RenderClient, render_with
from tests.e2e.fake_service import FakeService

KEY = "sk-bench"


def _doc(n: int) -> str:
    return "".join(f"<speak>Paragraph {i} of the benchmark.</speak>" for i in range(n))


def wall_time(chunks: int, concurrency: int, latency: float) -> tuple[float, float]:
    """(measured seconds, ideal seconds) for ``chunks`` requests."""
    with (
        FakeService(KEY, latency=latency, audio=lambda body: b"\0\0" * 800) as svc,
        tempfile.TemporaryDirectory() as tmp,
        RenderClient(svc.base_url, KEY, concurrency=concurrency) as client,
    ):
        # Warm up (imports, lint rules, connections) so only the steady state is timed.
        render_with(
            client, _doc(concurrency), None, voice="v", max_chars=40, cache=False, format="pcm"
        )
        started = time.perf_counter()
        render_with(
            client, _doc(chunks), Path(tmp) / "out.pcm", voice="v", max_chars=40, cache=False
        )
        elapsed = time.perf_counter() - started
    return elapsed, math.ceil(chunks / concurrency) * latency


def peak_memory(concurrency: int) -> tuple[int, int]:
    """(peak traced bytes, total audio bytes) of a one-hour PCM render."""
    minute = b"\x01\x00" * 8000 * 60  # one minute of 8 kHz 16-bit mono, shared, not regenerated

    with (
        FakeService(KEY, audio=lambda body: minute) as svc,
        tempfile.TemporaryDirectory() as tmp,
        RenderClient(svc.base_url, KEY, concurrency=concurrency) as client,
    ):
        if True:
            tracemalloc.start()
            render_with(
                client,
                _doc(60),
                Path(tmp) / "hour.pcm",
                voice="v",
                max_chars=40,
                sample_rate=8000,
                cache_dir=os.path.join(tmp, "cache"),
            )
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            total = (Path(tmp) / "hour.pcm").stat().st_size
    return peak, total


def main() -> int:
    """Run both measurements and print them; non-zero exit when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    ok = True

    measured, ideal = wall_time(args.chunks, args.concurrency, args.latency)
    ratio = measured / ideal
    print(
        f"wall time: {measured:.2f}s for {args.chunks} chunks, ideal {ideal:.2f}s, ratio {ratio:.2f} (target <= 1.2)"
    )
    ok &= ratio <= 1.2

    peak, total = peak_memory(args.concurrency)
    chunk = total // 60
    print(
        f"peak memory: {peak / 1e6:.1f} MB for {total / 1e6:.1f} MB of audio "
        f"({peak / chunk:.1f} chunks; target <= {2 * args.concurrency + 4} chunks)"
    )
    ok &= peak <= (2 * args.concurrency + 4) * chunk
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
