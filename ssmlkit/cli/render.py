"""``ssmlkit render``: a thin command over :func:`ssmlkit.rendering.render_report`.

Its flag defaults come from ``[tool.ssmlkit.render]`` (in the nearest ``pyproject.toml``, or
``[render]`` in ``ssmlkit.toml``), read by :func:`ssmlkit.config.load_settings` and handed to click
as the command's ``default_map`` (as black does), so flags and environment variables still win.
The engine is chosen by :mod:`ssmlkit.rendering.engines`, as for a Python call; errors from the
library name Python parameters (``base_url=``), which this command shows as its flags.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from ssmlkit.cli.cache import SIZE
from ssmlkit.cli.complete import complete_voices
from ssmlkit.cli.errors import CLIError, unreadable
from ssmlkit.config import ENGINES

__all__ = ["render_command"]


def _load_defaults(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Eager INPUT callback: the configuration next to INPUT becomes the flags' defaults."""
    from ssmlkit.config import load_settings
    from ssmlkit.errors import ConfigError

    start = Path(value).parent if value and value != "-" else Path.cwd()
    try:
        settings = load_settings(start=start)
    except (ConfigError, OSError) as exc:
        raise CLIError(str(exc)) from exc
    ctx.default_map = {**(ctx.default_map or {}), **settings.render.changed()}
    return value


def _as_flags(ctx: click.Context, message: str) -> str:
    """``message`` with the Python parameters this command has as flags (``base_url=``) as flags."""
    flags = {
        p.name: p.opts[0]
        for p in ctx.command.params
        if isinstance(p, click.Option) and p.name and p.opts[0].startswith("--")
    }

    def flag(match: re.Match[str]) -> str:
        return flags.get(match.group(1), match.group(0))

    # A parameter is written `name=` followed by a space, punctuation or the end; an attribute in
    # SSML (`<speak voice="...">`) is followed by a quote and stays.
    return re.sub(r"\b([a-z_]+)=(?=$|[\s,;:)])", flag, message)


class _Bar:
    """click's progress bar on standard error, drawn only on a terminal.

    It is made at the first chunk (when the total is known), spans the terminal's width, and
    click pads each redraw to the longest line drawn, so no stale tail is left behind.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, p: Any) -> None:
        if not self.enabled or p.total == 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=p.total,
                label="rendering",
                file=sys.stderr,
                width=0,  # as wide as the terminal leaves room for
                show_pos=True,
                show_percent=False,
                show_eta=True,
                item_show_func=_chars,
            )
            self.bar.__enter__()
        self.bar.update(max(0, p.done - self.bar.pos), p)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _chars(p: Any) -> str | None:
    return None if p is None else f"{p.chars_done:,}/{p.chars_total:,} chars"


@click.command("render")
@click.argument("input_", metavar="INPUT", required=False, is_eager=True, callback=_load_defaults)
@click.option("-o", "--output", required=True, help="Output audio file ('-' for standard output).")
@click.option("--text", "text", help="Speak this plain text instead of reading INPUT.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="http: the speech endpoint; offline: the bundled eSpeak NG preview voice (not "
    "CosyVoice, no key or voice needed); auto: http when an API key and an endpoint are set, "
    "else offline.",
)
@click.option(
    "--base-url",
    envvar="SSMLKIT_BASE_URL",
    help="OpenAI-compatible base URL (ends in /api/gpt/v1). Env: SSMLKIT_BASE_URL.",
)
@click.option(
    "--api-key",
    help="API key; prefer env SSMLKIT_API_KEY: a flag is visible to other users of the machine.",
)
@click.option("--model", default=None, help="Model id [default: tongyi/cosyvoice-v3-flash].")
@click.option(
    "--voice",
    shell_complete=complete_voices,
    help="Voice id (a <speak voice=...> overrides it).",
)
@click.option(
    "--format",
    "format",
    type=click.Choice(["mp3", "wav", "pcm", "opus"]),
    help="Audio format [default: from OUTPUT's extension, else mp3].",
)
@click.option(
    "--sample-rate",
    type=int,
    help="Hz: 8000, 16000, 22050, 24000, 44100 or 48000 [default: 22050].",
)
@click.option("--bit-rate", type=int, help="kbps 6-510 (opus only).")
@click.option("--seed", type=int, help="0-65535: same seed and parameters give the same audio.")
@click.option("--volume", type=int, help="0-100.")
@click.option("--pitch", type=float, help="0.5-2.0.")
@click.option("--speed", type=float, help="0.5-2.0.")
@click.option("--max-chars", type=int, help="Split limit in counted characters [default: 20000].")
@click.option("--concurrency", type=int, default=4, show_default=True, help="Requests in flight.")
@click.option("--max-retries", type=int, default=5, show_default=True, help="Retries per chunk.")
@click.option(
    "--timeout",
    type=float,
    default=120.0,
    show_default=True,
    help="Seconds to wait for one answer.",
)
@click.option("--retry-base-delay", type=float, default=0.5, hidden=True)
@click.option("--retry-max-delay", type=float, default=8.0, hidden=True)
@click.option(
    "--cache/--no-cache",
    default=None,
    help="Keep finished chunks for a rerun [default: --cache for the HTTP engine, whose audio "
    "is billed; --no-cache for the offline preview]. See `ssmlkit cache`.",
)
@click.option(
    "--cache-max-size",
    type=SIZE,
    default=None,
    metavar="SIZE",
    help="After the render, remove the least recently used chunks until the cache holds at most "
    "SIZE (2GB, 500MiB, bytes) [default: 2GB].",
)
@click.option(
    "--timeline",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write where each chunk, segment and break lies in the audio: FILE.json (data), "
    "FILE.vtt (subtitles, one cue per segment) or FILE.svg (a drawing). Times come from the "
    "rendered audio; inside a chunk, estimated unless the engine reports them (offline does).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def render_command(
    ctx: click.Context, /, input_: str | None, output: str, text: str | None, **opts: Any
) -> None:
    """Render INPUT (SSML, a .txt file, or '-' for standard input) to one audio file.

    \b
    The input is checked first (lint errors and parameters): nothing is sent if it would fail.
    Long documents are split; finished chunks are cached, so a rerun sends only what is missing.
    The output file appears only when complete.

    \b
    Example:
      SSMLKIT_API_KEY=... ssmlkit render book.ssml -o book.mp3 --voice longanyang \\
          --base-url https://gateway.example/api/gpt/v1
      ssmlkit render examples/hello.ssml -o hello.wav    # no key: offline preview voice
    """
    from ssmlkit.errors import SSMLKitError
    from ssmlkit.rendering import render_report
    from ssmlkit.rendering.engines import choose_engine
    from ssmlkit.rendering.job import CheckFailed, plain_text_file_to_ssml, text_to_ssml

    if (text is None) == (input_ is None):
        raise click.UsageError("give either INPUT or --text")
    path: str | None = None
    source: str | bytes
    if text is not None:
        try:
            source = text_to_ssml(text)
        except SSMLKitError as exc:
            raise CLIError(f"--text: {exc}") from exc
    elif input_ == "-":
        source = sys.stdin.buffer.read()
        path = "<stdin>"
    else:
        assert input_ is not None
        try:
            data = Path(input_).read_bytes()
        except OSError as exc:
            raise unreadable(str(input_), exc) from exc
        path = input_
        if input_.lower().endswith(".txt"):
            try:
                source = plain_text_file_to_ssml(data, input_)
            except SSMLKitError as exc:
                raise CLIError(str(exc)) from exc
        else:
            source = data

    if output != "-" and Path(output).is_dir():
        raise CLIError(
            f"cannot write {output}: it is a directory; give a file name, e.g. -o {Path(output) / 'out.mp3'}"
        )
    quiet = opts.pop("quiet")
    timeline_path = opts.pop("timeline")
    if timeline_path is not None:
        from ssmlkit.rendering.timeline import TIMELINE_SUFFIXES

        if Path(timeline_path).suffix.lower() not in TIMELINE_SUFFIXES:
            raise click.BadParameter(
                f"{timeline_path!r}: name it .json, .vtt or .svg", param_hint="--timeline"
            )
    options = {k: v for k, v in opts.items() if v is not None}
    try:
        choice = choose_engine(
            options.pop("engine"), api_key=opts["api_key"], base_url=opts["base_url"]
        )
    except SSMLKitError as exc:
        raise CLIError(_as_flags(ctx, str(exc))) from exc
    if choice.is_preview and not quiet:
        try:  # without the [offline] extra: one line naming the install command, no traceback
            from ssmlkit.offline import NOTICE
        except SSMLKitError as exc:
            raise CLIError(str(exc)) from exc

        if opts["engine"] == "auto":  # say why, in this command's words
            notice = f"{NOTICE.split(' (')[0]} ({_as_flags(ctx, choice.reason)}; or --engine http)"
        else:
            notice = NOTICE
        click.echo(f"ssmlkit: {notice}", err=True)
    to_stdout = output == "-"
    bar = _Bar(enabled=not quiet and sys.stderr.isatty())
    try:
        report = render_report(
            source,
            None if to_stdout else output,
            engine=choice.name,
            path=path,
            progress=bar,
            **options,
        )
    except CheckFailed as exc:
        bar.close()
        report_text = str(exc)
        for problem in exc.problems:  # the lint findings above them are left as they are
            report_text = report_text.replace(problem, _as_flags(ctx, problem))
        click.echo(report_text, err=True)
        raise SystemExit(1) from None
    except SSMLKitError as exc:
        bar.close()
        click.echo(f"ssmlkit: error: {_as_flags(ctx, str(exc))}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        bar.close()
        where = exc.filename if exc.filename is not None else output
        click.echo(f"ssmlkit: error: cannot write {where}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
    bar.close()
    if timeline_path is not None:
        _write_timeline(report, timeline_path, quiet)
    if to_stdout:
        assert isinstance(report.result, bytes)
        sys.stdout.buffer.write(report.result)
        sys.stdout.flush()
    if not quiet:
        where = f" -> {os.fspath(report.result)}" if isinstance(report.result, Path) else ""
        click.echo(report.summary() + where, err=True)


def _write_timeline(report: Any, path: str, quiet: bool) -> None:
    """Write ``report``'s timeline to ``path``; the audio is already safe, so only warn."""
    if report.timeline is None:
        click.echo(
            f"ssmlkit: warning: no timeline written to {path}: the {report.fmt} parts do not "
            "say their length",
            err=True,
        )
        return
    try:
        report.timeline.write(path)
    except OSError as exc:
        click.echo(f"ssmlkit: error: cannot write {path}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
    if not quiet:
        click.echo(f"ssmlkit: timeline -> {path}", err=True)
