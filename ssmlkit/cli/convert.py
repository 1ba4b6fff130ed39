"""``ssmlkit convert``: rewrite W3C/Amazon/Azure/Google SSML as CosyVoice SSML, with a report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ssmlkit.cli.errors import CLIError, unreadable
from ssmlkit.conversion.docs import help_tables
from ssmlkit.conversion.tables import SOURCES

__all__ = ["convert_command"]


@click.command(
    "convert",
    epilog=help_tables(),
    context_settings={"max_content_width": 100},
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write the CosyVoice SSML here (default: standard output).",
)
@click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print what was changed or dropped (to standard error; json: to standard "
    "output when -o is given, else to standard error).",
)
@click.option(
    "--source",
    type=click.Choice(list(SOURCES)),
    default="auto",
    show_default=True,
    help="The dialect INPUT is written in (auto: read from prefixes and namespaces).",
)
def convert_command(input_path: str, output: str | None, report_format: str, source: str) -> None:
    """Convert INPUT (a file, or - for stdin) from W3C or vendor SSML to CosyVoice SSML.

    \b
    Examples:
      ssmlkit convert polly.ssml -o cosy.ssml
      ssmlkit convert azure.ssml --report json -o cosy.ssml > changes.json

    <prosody> becomes sibling <speak> segments with rate/pitch/volume; <p>, <s>,
    <emphasis>, vendor elements are unwrapped; <audio> becomes <soundEvent>; every
    change is reported with its line and column. Exit status 0 (also when things
    were changed), 1 when INPUT cannot be read or is not well-formed XML.
    """
    from ssmlkit.conversion import convert
    from ssmlkit.errors import SSMLKitError

    name = "<stdin>" if input_path == "-" else input_path
    try:
        data = sys.stdin.buffer.read() if input_path == "-" else Path(input_path).read_bytes()
    except OSError as exc:
        raise unreadable(name, exc) from exc
    try:
        from ssmlkit.parse import parse

        result = convert(parse(data, path=name), source=source)
    except SSMLKitError as exc:
        message = str(exc)
        if not message.startswith(name):
            message = f"{name}:{message}" if message[:1].isdigit() else f"{name}: {message}"
        raise CLIError(message) from exc
    text = result.text
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
    else:
        target = Path(output)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        tmp.replace(target)
    if report_format == "json":
        payload = {
            "file": name,
            "source": result.source,
            "changed": result.changed,
            "changes": [c.to_dict() for c in result.changes],
        }
        dump = json.dumps(payload, ensure_ascii=False, indent=2)
        click.echo(dump, err=output is None or output == "-")
    else:
        for change in result.changes:
            click.echo(f"{name}:{change}", err=True)
        count = len(result.changes)
        summary = "no changes" if not count else f"{count} change{'s' if count != 1 else ''}"
        click.echo(f"{name}: {summary} (read as {result.source})", err=True)
