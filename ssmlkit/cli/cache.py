"""``ssmlkit cache info|prune|clear``: what the render cache holds, and making room.

The cache keeps each finished chunk of ``ssmlkit render`` so a rerun sends only what changed
(see :mod:`ssmlkit.rendering.cache`). Only click is imported at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

__all__ = ["SIZE", "SizeType", "cache_command"]

if TYPE_CHECKING:  # click 8.2+ types ParamType by the value it converts to; older click does not
    _ParamType = click.ParamType[int]
else:
    _ParamType = click.ParamType


class SizeType(_ParamType):
    """A byte size on the command line: ``2GB``, ``500MiB``, ``1.5G`` or a number of bytes."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """``value`` as bytes; a usage error naming the option when it is not a size."""
        from ssmlkit._sizes import parse_size

        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SIZE = SizeType()


def _cache() -> Any:
    from ssmlkit.rendering.cache import AudioCache

    return AudioCache()


def _configured_max_size() -> int:
    """``cache-max-size`` of the nearest configuration file, else the default (2 GB)."""
    from ssmlkit.config import load_settings
    from ssmlkit.errors import ConfigError
    from ssmlkit.rendering.cache import DEFAULT_MAX_SIZE

    try:
        configured = load_settings().render.cache_max_size
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return DEFAULT_MAX_SIZE if configured is None else int(configured)


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "-"
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


@click.group("cache")
def cache_command() -> None:
    """Show and shrink the render cache (finished chunks kept for a rerun).

    The cache lives in $XDG_CACHE_HOME/ssmlkit (else ~/.cache/ssmlkit) on Linux,
    ~/Library/Caches/ssmlkit on macOS and %LOCALAPPDATA%\\ssmlkit\\Cache on Windows. After each
    render it is held to cache-max-size ([tool.ssmlkit.render], default 2GB), the least recently
    used chunks going first. It holds audio only: no key, no request.

    \b
    Examples:
      ssmlkit cache info
      ssmlkit cache prune --max-size 500MB
      ssmlkit cache clear --yes
    """


@cache_command.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def info_command(as_json: bool) -> None:
    """Where the cache is, how many chunks it holds, their size and the size cap."""
    from ssmlkit._sizes import format_size

    stats = _cache().stats()
    limit = _configured_max_size()
    if as_json:
        import json

        data = {
            "path": str(stats.root),
            "entries": stats.entries,
            "size": stats.size,
            "max_size": limit,
            "oldest_use": stats.oldest,
            "newest_use": stats.newest,
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"path:      {stats.root}")
    click.echo(f"chunks:    {stats.entries}")
    click.echo(f"size:      {format_size(stats.size)} of {format_size(limit)} (cache-max-size)")
    click.echo(f"used:      {_when(stats.oldest)} to {_when(stats.newest)}")


@cache_command.command("prune")
@click.option(
    "--max-size",
    type=SIZE,
    default=None,
    metavar="SIZE",
    help="Keep at most SIZE (2GB, 500MiB, bytes) [default: cache-max-size, else 2GB].",
)
def prune_command(max_size: int | None) -> None:
    """Remove the least recently used chunks until the cache fits its size cap.

    \b
    Example:
      ssmlkit cache prune --max-size 200MB
    """
    from ssmlkit._sizes import format_size

    limit = _configured_max_size() if max_size is None else max_size
    result = _cache().prune(limit)
    click.echo(
        f"removed {result.removed} chunk{'s' if result.removed != 1 else ''} "
        f"({format_size(result.freed)}); {result.entries_left} left, "
        f"{format_size(result.size_left)} of {format_size(limit)}"
    )


@cache_command.command("clear")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def clear_command(yes: bool) -> None:
    """Remove every chunk from the cache (the next render sends everything again).

    \b
    Example:
      ssmlkit cache clear --yes
    """
    from ssmlkit._sizes import format_size

    cache = _cache()
    if not yes:
        stats = cache.stats()
        click.confirm(
            f"Remove {stats.entries} chunks ({format_size(stats.size)}) from {stats.root}?",
            abort=True,
            err=True,
        )
    result = cache.clear()
    click.echo(f"removed {result.removed} chunks ({format_size(result.freed)})")
