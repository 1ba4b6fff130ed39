"""``ssmlkit annotate``: add pinyin hints to polyphonic characters, and say what was decided."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from ssmlkit.cli.errors import CLIError, unreadable

if TYPE_CHECKING:
    from ssmlkit.annotation import AnnotateResult, PolyphoneDecision

__all__ = ["annotate_command"]


class _MissingExtra(CLIError):
    """The ``[pronounce]`` extra is not installed: exit 2, like other unusable invocations."""

    exit_code = 2


@click.command("annotate", context_settings={"max_content_width": 100})
@click.argument("input_path", metavar="IN", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write the annotated document here (atomically; default: standard output).",
)
@click.option(
    "--chars",
    default=None,
    metavar="CHARS",
    help="Hint only these characters, e.g. --chars 行长 (default: the polyphones whose reading "
    "in context differs from their reading out of context).",
)
@click.option("--all", "all_polyphones", is_flag=True, help="Hint every polyphonic character.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the decisions (to standard error; to standard output with -o FILE).",
)
def annotate_command(
    input_path: str, output: str | None, chars: str | None, all_polyphones: bool, fmt: str
) -> None:
    """Add pinyin hints to the polyphonic characters (多音字) of IN (a file, or - for stdin).

    Each chosen polyphone's reading is predicted from its sentence, and the word around it is
    wrapped in <phoneme alphabet="py" ph="..."> with one syllable per character. Every other
    byte is kept: existing hints, comments, spacing, character references. Only text right
    inside <speak> is hinted (<say-as> text and <sub>'s shown text never); a polyphone that
    cannot be hinted is listed with the reason.

    \b
    Example:
      $ echo '<speak>他在银行工作，行长很忙。</speak>' | ssmlkit annotate -
      <speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作，<phoneme ...
      <stdin>:1:11: 行 hang2 (88%; also xing2) 他在银[行]工作，行长很忙。: hinted 银行 "yin2 hang2"
      <stdin>:1:15: 行 hang2 (53%; also xing2) 他在银行工作，[行]长很忙。: hinted 行长 "hang2 zhang3"
      <stdin>: 2 hints added for 2 polyphones

    \b
    More:
      ssmlkit annotate story.ssml -o story.hinted.ssml   decisions on stdout
      ssmlkit annotate story.ssml --chars 行长 --format json
      ssmlkit annotate story.ssml --all                  every polyphone, even 的 and 了

    Needs the pronunciation engine: pip install 'ssmlkit[pronounce]'. Exit status 0, 1 when IN
    is not well-formed XML, 2 when it cannot be read or the engine is missing.
    """
    from ssmlkit import pronounce

    if chars is not None and all_polyphones:
        raise click.UsageError("give either --chars or --all, not both")
    missing = pronounce.unavailable_reason()
    if missing is not None:
        raise _MissingExtra(missing)
    from ssmlkit._files import write_atomic
    from ssmlkit.annotation import annotate
    from ssmlkit.errors import SSMLKitError
    from ssmlkit.parse import decode

    name = "<stdin>" if input_path == "-" else input_path
    try:
        if input_path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(input_path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise unreadable(name, exc) from exc
    try:
        decoded = decode(data, path=name)  # once: annotate takes the text, BOM and all
        encoding = decoded.encoding
        text = ("\ufeff" if decoded.bom else "") + decoded.text
        result = annotate(text, chars, all_polyphones=all_polyphones)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--chars'") from exc
    except SSMLKitError as exc:
        message = str(exc)
        if not message.startswith(name):
            message = f"{name}:{message}" if message[:1].isdigit() else f"{name}: {message}"
        raise CLIError(message) from exc
    # Written back in the input's own encoding (the tags are ASCII), with its byte-order mark.
    out = result.text.encode(encoding)
    to_stdout = output is None or output == "-"
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(out)
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        try:
            write_atomic(output, out)
        except OSError as exc:
            raise CLIError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    report_to_stderr = to_stdout
    if fmt == "json":
        payload = {
            "file": name,
            "changed": result.changed,
            "decisions": [d.to_dict() for d in result.decisions],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2), err=report_to_stderr)
    else:
        for decision in result.decisions:
            click.echo(f"{name}:{_describe(decision)}", err=report_to_stderr)
        click.echo(f"{name}: {_summary(result)}", err=report_to_stderr)


def _describe(d: PolyphoneDecision) -> str:
    """``1:11: 行 hang2 (88%; also xing2) 他在银[行]工作: hinted 银行 "yin2 hang2"``."""
    others = [c for c in d.candidates if c != d.reading]
    also = f"; also {' '.join(others)}" if others else ""
    shown = d.context[: d.context_at] + f"[{d.char}]" + d.context[d.context_at + 1 :]
    what = f'hinted {d.word} "{d.ph}"' if d.applied else f"not hinted: {d.reason}"
    return f"{d.line}:{d.column}: {d.char} {d.reading} ({d.confidence:.0%}{also}) {shown}: {what}"


def _summary(result: AnnotateResult) -> str:
    count = len(result.decisions)
    if not count:
        return "no polyphone to hint"
    words = len(result.hints)
    left = sum(1 for d in result.decisions if not d.applied)
    text = f"{words} hint{'s' if words != 1 else ''} added for {count} polyphone" + (
        "s" if count != 1 else ""
    )
    return text + (f", {left} left unhinted" if left else "")
