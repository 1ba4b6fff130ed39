"""``ssmlkit render``: a thin command over :func:`ssmlkit.rendering.render_with`.

``[tool.ssmlkit.render]`` (in the nearest ``pyproject.toml`` or ``ssmlkit.toml`` as ``[render]``)
supplies defaults with the option names spelled as in Python (``sample_rate = 24000``); flags win.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ssmlkit.cli.errors import CLIError, unreadable

__all__ = ["render_command"]

#: Keys ``[tool.ssmlkit.render]`` may set: the option names (underscores) of the command.
CONFIG_KEYS = (
    "engine",
    "base_url",
    "model",
    "voice",
    "format",
    "sample_rate",
    "bit_rate",
    "seed",
    "volume",
    "pitch",
    "speed",
    "max_chars",
    "concurrency",
    "max_retries",
    "timeout",
    "no_cache",
    "quiet",
    "retry_base_delay",
    "retry_max_delay",
)


def _render_defaults(start: Path) -> dict[str, Any]:
    """The ``[tool.ssmlkit.render]`` table of the nearest configuration file, checked."""
    import tomllib
    from difflib import get_close_matches

    from ssmlkit.config import find_config_file
    from ssmlkit.errors import ConfigError

    file = find_config_file(start)
    if file is None:
        return {}
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    section = "render"
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("ssmlkit", {})
        section = "tool.ssmlkit.render"
    table = data.get("render", {})
    if not isinstance(table, dict):
        raise ConfigError(f"[{section}] must be a table", file=str(file), key=section)
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in CONFIG_KEYS:
            close = get_close_matches(name, CONFIG_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown key {key!r} in [{section}]{hint}", file=str(file), key=key)
        out[name] = value
    return out


class _Bar:
    """A progress bar on standard error when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, p: Any) -> None:
        if not self.enabled or p.total == 0:
            return
        width = 30
        filled = width * p.done // p.total
        elapsed = time.monotonic() - self.started
        fresh = p.done - p.cached
        left = p.total - p.done
        eta = f"ETA {elapsed / fresh * left:4.0f}s" if fresh and left else ""
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} chunks, "
            f"{p.chars_done:,}/{p.chars_total:,} chars {eta}"
        )
        click.echo(line, nl=False, err=True)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            click.echo(err=True)


@contextlib.contextmanager
def _engine(name: str, client_kw: dict[str, Any], quiet: bool) -> Iterator[Any]:
    """The HTTP client, or the offline engine with its one-line notice."""
    from ssmlkit.rendering import RenderClient

    if name == "offline":
        from ssmlkit.offline import NOTICE, OfflineEngine

        engine = OfflineEngine()
        if not quiet:
            click.echo(f"ssmlkit: {NOTICE}", err=True)
        yield engine
        return
    with RenderClient(**client_kw) as client:
        yield client


@click.command("render")
@click.argument("input_", metavar="INPUT", required=False)
@click.option("-o", "--output", required=True, help="Output audio file ('-' for standard output).")
@click.option("--text", "text", help="Speak this plain text instead of reading INPUT.")
@click.option(
    "--engine",
    type=click.Choice(["auto", "http", "offline"]),
    default="auto",
    show_default=True,
    help="http: the speech endpoint; offline: the bundled eSpeak NG preview voice (not "
    "CosyVoice, no key needed); auto: http when an API key is set, else offline.",
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
@click.option("--voice", help="Voice id (a <speak voice=...> overrides it).")
@click.option(
    "--format",
    "fmt",
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
@click.option("--no-cache", is_flag=True, help="Do not keep finished chunks for a rerun.")
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
    from ssmlkit.errors import ConfigError, SSMLKitError
    from ssmlkit.rendering import render_with
    from ssmlkit.rendering.job import CheckFailed, plain_text_file_to_ssml, text_to_ssml

    try:
        defaults = _render_defaults(Path(input_).parent if input_ and input_ != "-" else Path.cwd())
    except (ConfigError, OSError, ValueError) as exc:
        raise CLIError(str(exc)) from exc
    for key, value in defaults.items():
        origin = ctx.get_parameter_source(key if key != "format" else "fmt")
        if origin in (None, click.core.ParameterSource.DEFAULT):
            opts["fmt" if key == "format" else key] = value

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
    client_kw = {
        k: opts.pop(k)
        for k in (
            "base_url",
            "api_key",
            "timeout",
            "max_retries",
            "retry_base_delay",
            "retry_max_delay",
            "concurrency",
        )
    }
    fmt = opts.pop("fmt")
    no_cache = opts.pop("no_cache")
    engine_name = opts.pop("engine")
    if engine_name == "auto":
        has_key = client_kw["api_key"] or os.environ.get("SSMLKIT_API_KEY")
        engine_name = "http" if has_key else "offline"
    to_stdout = output == "-"
    bar = _Bar(enabled=not quiet and sys.stderr.isatty())
    try:
        with _engine(engine_name, client_kw, quiet) as client:
            report = render_with(
                client,
                source,
                None if to_stdout else output,
                format=fmt,
                cache=not no_cache,
                path=path,
                progress=bar,
                **{k: v for k, v in opts.items() if v is not None},
            )
    except CheckFailed as exc:
        bar.close()
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    except SSMLKitError as exc:
        bar.close()
        click.echo(f"ssmlkit: error: {exc}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        bar.close()
        where = exc.filename if exc.filename is not None else output
        click.echo(f"ssmlkit: error: cannot write {where}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
    bar.close()
    if to_stdout:
        assert isinstance(report.result, bytes)
        sys.stdout.buffer.write(report.result)
        sys.stdout.flush()
    if not quiet:
        where = f" -> {os.fspath(report.result)}" if isinstance(report.result, Path) else ""
        summary = report.summary()
        if (
            engine_name == "offline"
        ):  # the preview voice is free: the count is what the service would bill
            summary = summary.replace(
                "characters billed", "characters (billed only by the service)"
            )
        click.echo(summary + where, err=True)
