"""The engine registry: which engine renders, chosen in one place for the CLI, Python and ``serve``.

Usage::

    choice = choose_engine("auto")            # EngineChoice("offline", "no API key ...") without a key
    with open_engine("auto", base_url=url) as engine:
        render_with(engine, doc, "a.wav")

Names: ``http`` (the speech endpoint, :class:`~ssmlkit.rendering.client.RenderClient`),
``offline`` (the eSpeak NG preview, :class:`~ssmlkit.offline.OfflineEngine`) and ``auto``: http
when an API key and an endpoint are configured (arguments or ``SSMLKIT_API_KEY`` and
``SSMLKIT_BASE_URL``), else offline. An engine object (anything with ``name``, ``traits`` and
``synthesize``) is used as given. When ``auto`` falls back to the preview voice, it says so once per
process on the ``ssmlkit.rendering.engines`` logger (a warning, which Python shows on standard error
when logging is not configured); a command line prints its own notice instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ssmlkit.config import ENGINES
from ssmlkit.engine import AsyncEngine, Engine
from ssmlkit.errors import ConfigError

__all__ = ["ENGINES", "EngineChoice", "choose_engine", "make_engine", "open_engine"]

log = logging.getLogger(__name__)

_announced = threading.Event()


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """The engine ``auto`` (or an explicit name) resolved to, and why in words for a notice."""

    name: str
    reason: str

    @property
    def is_preview(self) -> bool:
        """Whether this is the offline preview voice (not CosyVoice)."""
        return self.name == "offline"


def choose_engine(
    engine: str = "auto", *, api_key: str | None = None, base_url: str | None = None
) -> EngineChoice:
    """Resolve an engine name: ``auto`` is ``http`` with a key and an endpoint, else ``offline``.

    ``api_key`` and ``base_url`` default to ``SSMLKIT_API_KEY`` and ``SSMLKIT_BASE_URL``. Raises
    :class:`~ssmlkit.errors.ConfigError` (``key="engine"``) for an unknown name.
    """
    if engine not in ENGINES:
        raise ConfigError(
            f"engine: {engine!r} is not one of {', '.join(ENGINES)} (or an engine object)",
            key="engine",
            value=engine,
            expected=", ".join(ENGINES),
        )
    if engine != "auto":
        return EngineChoice(engine, "chosen")
    key = api_key if api_key is not None else os.environ.get("SSMLKIT_API_KEY")
    url = base_url or os.environ.get("SSMLKIT_BASE_URL")
    if key and url:
        return EngineChoice("http", "an API key and an endpoint are configured")
    if key:
        return EngineChoice("offline", "no endpoint (base_url= or SSMLKIT_BASE_URL)")
    return EngineChoice("offline", "no API key (api_key= or SSMLKIT_API_KEY)")


def make_engine(name: str, **client: Any) -> Engine:
    """A new engine by name (``http`` or ``offline``); ``client`` are RenderClient settings.

    The caller closes an ``http`` engine (``with make_engine("http", ...) as client``). Raises
    :class:`~ssmlkit.offline.EngineUnavailableError` when eSpeak NG cannot be loaded, and, without
    the ``[offline]`` extra, with one line ending in ``pip install 'ssmlkit[offline]'`` (the
    offline stack is imported here, at first use, never before).
    """
    if name == "offline":
        from ssmlkit.offline import OfflineEngine

        engine: Engine = OfflineEngine()
        return engine
    if name == "http":
        from ssmlkit.rendering.client import RenderClient

        return RenderClient(**client)
    raise ConfigError(f"engine: {name!r} is not one of http, offline", key="engine", value=name)


@contextlib.contextmanager
def open_engine(
    engine: str | Engine | AsyncEngine = "auto", *, announce: bool = True, **client: Any
) -> Iterator[Engine]:
    """The engine to render with, closed afterwards if it was made here.

    ``engine`` is a name (see :func:`choose_engine`) or an engine object, which is yielded as is
    and left open. ``client`` are :class:`~ssmlkit.rendering.client.RenderClient` settings
    (``base_url``, ``api_key``, ``timeout``...), used only by ``http``. With ``announce``, falling
    back to the preview voice is logged once per process.
    """
    if not isinstance(engine, str):
        yield engine  # type: ignore[misc]  # an AsyncEngine goes to render_with_async
        return
    choice = choose_engine(engine, api_key=client.get("api_key"), base_url=client.get("base_url"))
    if engine == "auto" and choice.is_preview and announce and not _announced.is_set():
        _announced.set()
        log.warning(
            "ssmlkit: rendering with the offline eSpeak NG preview voice, not CosyVoice: %s; "
            "pass engine='http' for the service",
            choice.reason,
        )
    made = make_engine(choice.name, **client)
    if isinstance(made, contextlib.AbstractContextManager):
        with made:
            yield made
    else:
        yield made
