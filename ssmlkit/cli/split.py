"""``ssmlkit split``: cut a long SSML document into chunks the service accepts."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from ssmlkit.cli.errors import CLIError, unreadable

__all__ = ["split_command"]

_CHUNK_FILE = re.compile(r"chunk-\d{4,}\.ssml")


@click.command("split")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=20000,
    show_default=True,
    help="Hard limit per chunk, in counted characters (CJK ideographs count 2).",
)
@click.option(
    "--target-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Size to fill chunks toward (default: --max-chars).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ssml", "json"]),
    default="ssml",
    show_default=True,
    help='ssml: chunks separated by blank lines; json: {"chunks": [{"ssml", "chars", '
    '"source_lines"}]} (chars: counted characters; source_lines: [first, last] line of INPUT).',
)
@click.option(
    "--plan",
    is_flag=True,
    help="Print a chunk map instead of the chunks: one bar per chunk against --max-chars, with "
    "its counted characters and INPUT's line range.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write chunk-0001.ssml, ... into this directory instead of printing them.",
)
def split_command(
    input_path: str,
    max_chars: int,
    target_chars: int | None,
    fmt: str,
    out_dir: str | None,
    plan: bool,
) -> None:
    """Split INPUT (a file, or - for stdin) into chunks of at most --max-chars.

    \b
    Examples:
      ssmlkit split book.ssml --out-dir chunks/
      ssmlkit split article.ssml --format json --max-chars 5000
      ssmlkit split book.ssml --plan        # where the cuts fall, without the text

    Cuts fall only at safe places (between <speak> elements, after breaks and
    punctuation, between words); every chunk repeats its <speak> attributes.
    With --out-dir, older chunk-NNNN.ssml files beyond the new count are removed.
    """
    from ssmlkit.chunkmap import chunk_map
    from ssmlkit.errors import SSMLKitError
    from ssmlkit.parse import parse

    if target_chars is not None and target_chars > max_chars:
        raise click.BadParameter("must not exceed --max-chars", param_hint="--target-chars")
    name = "<stdin>" if input_path == "-" else input_path
    try:
        data = sys.stdin.buffer.read() if input_path == "-" else Path(input_path).read_bytes()
    except OSError as exc:
        raise unreadable(name, exc) from exc
    try:
        doc = parse(data, path=name)
        entries, warnings = chunk_map(doc, max_chars=max_chars, target_chars=target_chars)
    except SSMLKitError as exc:
        message = str(exc)
        if not message.startswith(name):
            message = f"{name}:{message}" if message[:1].isdigit() else f"{name}: {message}"
        raise CLIError(message) from exc
    for w in warnings:
        where = f"{w.span.line}:{w.span.column}:" if w.span is not None else ""
        click.echo(f"{name}:{where} {w.severity} {w.code}: {w.message}", err=True)
    texts = [e.ssml for e in entries]
    if plan and fmt != "json":
        click.echo(_plan_text(name, entries, max_chars))
    elif out_dir is not None:
        _write(Path(out_dir), texts)
        click.echo(f"{name}: wrote {len(texts)} chunk(s) to {out_dir}", err=True)
    elif fmt == "json":
        payload = {"max_chars": max_chars, "chunks": [e.to_dict() for e in entries]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(texts))


def _plan_text(name: str, entries: list[Any], max_chars: int) -> str:
    """One bar per chunk, its fill against ``max_chars``, then a total line."""
    width = 40
    digits = len(f"{max_chars:,}")
    lines = [f"{name}: {len(entries)} chunk(s), limit {max_chars:,} counted characters"]
    for e in entries:
        filled = min(width, round(width * e.chars / max_chars))
        where = ""
        if e.source_lines is not None:
            a, b = e.source_lines
            where = f"  line {a}" if a == b else f"  lines {a}-{b}"
        lines.append(
            f"{e.index + 1:>4} |{'#' * filled}{'.' * (width - filled)}| "
            f"{e.chars:>{digits},} {100 * e.chars / max_chars:5.1f}%{where}"
        )
    total = sum(e.chars for e in entries)
    lines.append(f"total {total:,} counted characters")
    return "\n".join(lines)


def _write(directory: Path, texts: list[str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    names = {f"chunk-{i:04d}.ssml" for i in range(1, len(texts) + 1)}
    for i, text in enumerate(texts, 1):
        target = directory / f"chunk-{i:04d}.ssml"
        tmp = target.with_suffix(".ssml.tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(target)
    # A stale chunk from an earlier, longer run would otherwise be read as part of this one.
    for old in directory.iterdir():
        if _CHUNK_FILE.fullmatch(old.name) and old.name not in names:
            old.unlink()
