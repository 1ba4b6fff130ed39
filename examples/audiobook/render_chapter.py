"""Split a long audiobook chapter into requests the service accepts, then render it to one WAV.

Usage::

    python examples/audiobook/render_chapter.py -o chapter.wav                # the whole chapter
    python examples/audiobook/render_chapter.py --max-chars 2000 --chunks 2 -o preview.wav
    SSMLKIT_API_KEY=... SSMLKIT_BASE_URL=https://.../api/gpt/v1 \\
        python examples/audiobook/render_chapter.py -o chapter.mp3

With ``SSMLKIT_API_KEY`` set it renders through the speech endpoint (``SSMLKIT_BASE_URL``);
without a key it uses the offline preview voice (eSpeak NG, not CosyVoice) so the whole pipeline
runs with no account and no network. ``--chunks N`` renders only the first N chunks: a quick
preview of a long book. Finished chunks are cached, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import ssmlkit
from ssmlkit import RenderClient, lint, split
from ssmlkit.rendering import render_with

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Split the chapter, print the plan, render the chosen chunks, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", type=Path, default=HERE / "chapter.ssml")
    parser.add_argument("-o", "--output", type=Path, default=Path("chapter.wav"))
    parser.add_argument(
        "--max-chars", type=int, default=20_000, help="counted characters per request"
    )
    parser.add_argument("--chunks", type=int, default=None, help="render only the first N chunks")
    parser.add_argument("--engine", choices=["auto", "http", "offline"], default="auto")
    parser.add_argument("--no-cache", action="store_true", help="do not keep finished chunks")
    args = parser.parse_args(argv)

    doc = ssmlkit.parse_file(args.input)
    errors = [d for d in lint(doc) if d.severity == ssmlkit.Severity.ERROR]
    if errors:
        for d in errors:
            print(f"{args.input}:{d}", file=sys.stderr)
        return 1

    chunks = split(doc, max_chars=args.max_chars)
    print(f"{args.input.name}: {ssmlkit.measure(doc):,} counted characters -> {len(chunks)} chunks")
    for number, chunk in enumerate(chunks, 1):
        print(
            f"  chunk {number:3}: {ssmlkit.measure(chunk):6,} characters, {len(chunk.speaks)} <speak>"
        )
    chosen = chunks[: args.chunks] if args.chunks else chunks
    # The chosen chunks, back to back, are one document again; the renderer keeps each chunk's cut.
    to_render = ssmlkit.Document(tuple(item for chunk in chosen for item in chunk.items))

    engine_name = args.engine
    if engine_name == "auto":
        engine_name = "http" if os.environ.get("SSMLKIT_API_KEY") else "offline"
    if engine_name == "offline":
        from ssmlkit.offline import NOTICE, OfflineEngine

        print(f"engine: {NOTICE}")
        report = render_with(
            OfflineEngine(),
            to_render,
            args.output,
            max_chars=args.max_chars,
            cache=not args.no_cache,
        )
    else:
        print("engine: the speech endpoint at", os.environ.get("SSMLKIT_BASE_URL", "(no base URL)"))
        with RenderClient() as client:
            report = render_with(
                client, to_render, args.output, max_chars=args.max_chars, cache=not args.no_cache
            )
    print(report.summary(), "->", report.result)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except ssmlkit.SSMLKitError as exc:
        print(f"render_chapter: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
