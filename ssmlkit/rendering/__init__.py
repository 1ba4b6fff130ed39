"""Render SSML to one audio file through a speech engine (the HTTP endpoint by default).

Usage::

    import ssmlkit.rendering as r
    path = r.render(doc, "book.mp3", voice="longanyang", base_url="https://.../api/gpt/v1")
    audio = r.render("<speak>你好</speak>", voice="longanyang", format="wav")   # bytes

The API key comes from ``SSMLKIT_API_KEY`` (or ``api_key=``). See :mod:`ssmlkit.rendering.job` for
the steps and guarantees, :mod:`ssmlkit.rendering.policy` for retries and
:mod:`ssmlkit.rendering.engine` for plugging in another engine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ssmlkit.rendering.cache import AudioCache, default_cache_dir
from ssmlkit.rendering.client import AsyncRenderClient, RenderClient
from ssmlkit.rendering.engine import AsyncEngine, Engine
from ssmlkit.rendering.job import (
    CheckFailed,
    Progress,
    RenderReport,
    render_with,
    render_with_async,
    split_options,
)
from ssmlkit.rendering.payload import SpeechParams
from ssmlkit.rendering.policy import RetryPolicy

__all__ = [
    "AsyncEngine",
    "AsyncRenderClient",
    "AudioCache",
    "CheckFailed",
    "Engine",
    "Progress",
    "RenderClient",
    "RenderReport",
    "RetryPolicy",
    "SpeechParams",
    "default_cache_dir",
    "render",
    "render_report",
    "render_with",
    "render_with_async",
]


def render_report(
    source: Any, output: str | os.PathLike[str] | None = None, **options: Any
) -> RenderReport:
    """Like :func:`render`, returning the :class:`RenderReport` (counts, duration, wall time)."""
    _params, client_kw, _job = split_options(options)
    with RenderClient(**client_kw) as client:
        return render_with(client, source, output, **options)


def render(
    source: Any, output: str | os.PathLike[str] | None = None, **options: Any
) -> bytes | Path:
    """Render ``source`` (a Document, SSML text or bytes, plain text, or a Path) to audio.

    Returns the output :class:`~pathlib.Path` when ``output`` is given, else the audio bytes.

    Options: request parameters ``voice``, ``model``, ``format`` (default from ``output``'s
    extension, else mp3), ``sample_rate``, ``bit_rate``, ``seed``, ``volume``, ``pitch``, ``speed``;
    client settings ``base_url`` (default ``SSMLKIT_BASE_URL``), ``api_key`` (default
    ``SSMLKIT_API_KEY``), ``timeout``, ``max_retries``, ``retry_base_delay``, ``retry_max_delay``,
    ``concurrency``, ``transport``; and ``max_chars`` (split limit), ``cache`` (False: no cache),
    ``cache_dir``, ``progress`` (a callback taking :class:`Progress`), ``check`` (False skips the
    lint step; parameters are still validated).
    """
    return render_report(source, output, **options).result
