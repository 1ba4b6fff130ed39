"""``ssmlkit serve``: the speech endpoint and a preview page on this machine (offline engine)."""

from __future__ import annotations

import ipaddress
import signal
import sys
from pathlib import Path
from types import FrameType

import click

__all__ = ["serve_command"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback exposes the server to the network "
    "(requests must then name this address or a loopback name in Host).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="0: any free port.",
)
def serve_command(host: str, port: int) -> None:
    """Answer POST /v1/audio/speech locally with the offline preview voice, and serve a preview page.

    \b
    Takes the same JSON as the real endpoint and validates it the same way, so speech code can be
    developed and tested offline. The voice is eSpeak NG, NOT CosyVoice. Ctrl-C stops it.

    \b
    Open http://127.0.0.1:8000/ in a browser: an editor with live diagnostics at their lines,
    the chunk map, and a Play button that renders the document and draws its timeline (where
    each segment, break and chunk falls). Nothing is fetched from the network.

    \b
    Endpoints: POST /v1/audio/speech, POST /v1/lint ({"input": ssml} -> lint --format json),
    POST /v1/chunks ({"input", "max_chars"} -> split --format json), GET /v1/models.
    Requests whose Host is not this machine, and POSTs from other origins, get 403.

    \b
    Example:
      ssmlkit serve --port 8000 &
      SSMLKIT_BASE_URL=http://127.0.0.1:8000/v1 SSMLKIT_API_KEY=unused \\
          ssmlkit render doc.ssml -o doc.wav --engine http
    """
    from ssmlkit.config import load_settings
    from ssmlkit.errors import ConfigError
    from ssmlkit.linter.registry import all_rules
    from ssmlkit.offline import EngineUnavailableError
    from ssmlkit.serve import make_server

    try:  # the page's diagnostics follow the project's [tool.ssmlkit] settings, as lint does
        settings = load_settings(start=Path.cwd(), rules=all_rules())
    except (ConfigError, OSError) as exc:
        click.echo(f"ssmlkit: error: {exc}", err=True)
        raise SystemExit(1) from None
    try:
        from ssmlkit.offline import NOTICE

        server = make_server(host, port, lint_config=settings.lint)
    except EngineUnavailableError as exc:
        click.echo(f"ssmlkit: error: {exc}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        click.echo(f"ssmlkit: error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise SystemExit(1) from None
    if not _is_loopback(host):
        click.echo(
            f"ssmlkit serve: warning: listening on {host}, reachable from other machines; "
            "it has no authentication",
            err=True,
        )
    click.echo(f"ssmlkit serve: {NOTICE.split(' (')[0]}", err=True)
    click.echo(
        f"ssmlkit serve: listening on {server.base_url} (POST /v1/audio/speech); "
        f"preview page: {server.base_url.removesuffix('/v1')}/ ; Ctrl-C stops",
        err=True,
    )
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
    click.echo("ssmlkit serve: stopped", err=True)
    sys.stderr.flush()
