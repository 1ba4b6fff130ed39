"""Render SSML to one audio file through a speech engine (the HTTP endpoint by default).

Usage::

    import ssmlkit
    path = ssmlkit.render(doc, "book.mp3", voice="longanyang", base_url="https://.../api/gpt/v1")
    audio = ssmlkit.render("<speak>你好</speak>", format="wav")   # bytes; no key: offline preview

The API key comes from ``SSMLKIT_API_KEY`` (or ``api_key=``); without one, ``engine="auto"``
renders with the offline preview voice, as ``ssmlkit render`` does. See
:mod:`ssmlkit.rendering.job` for the steps and guarantees, :mod:`ssmlkit.rendering.policy` for
retries, :mod:`ssmlkit.engine` for plugging in another engine and
:mod:`ssmlkit.rendering.engines` for how one is chosen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ssmlkit.engine import AsyncEngine, Engine, EngineTraits
from ssmlkit.rendering.cache import AudioCache, default_cache_dir
from ssmlkit.rendering.client import AsyncRenderClient, RenderClient
from ssmlkit.rendering.engines import open_engine
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
    "EngineTraits",
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
    source: Any,
    output: str | os.PathLike[str] | None = None,
    *,
    engine: str | Engine = "auto",
    **options: Any,
) -> RenderReport:
    """Like :func:`render`, returning the :class:`RenderReport` (counts, duration, wall time).

    Usage::

        report = render_report(doc, "a.wav")
        report.summary()    # "1 chunk (0 from cache), 12 characters billed, 0:02 of audio, 0.4s"
    """
    options.pop("quiet", None)  # a setting of the command line; a Python call prints nothing
    _params, client_kw, _job = split_options(options)
    with open_engine(engine, **client_kw) as chosen:
        return render_with(chosen, source, output, **options)


def render(
    source: Any,
    output: str | os.PathLike[str] | None = None,
    *,
    engine: str | Engine = "auto",
    **options: Any,
) -> bytes | Path:
    """Render ``source`` to one audio file (``output``) or to bytes, as ``ssmlkit render`` does.

    Usage::

        ssmlkit.render(b.speak("你好"), "hello.wav")          # no key: the offline preview voice
        ssmlkit.render(doc, "book.mp3", voice="longanyang")   # with SSMLKIT_API_KEY: the service
        audio = ssmlkit.render("Plain text works too.", format="wav")

    ``source`` is what :func:`ssmlkit.lint` takes (a Document, a Speak or other element, a list of
    them, SSML ``str`` or ``bytes``), plain text, or a path (``os.PathLike``; ``.txt`` is plain
    text). Returns the output :class:`~pathlib.Path` when ``output`` is given, else the bytes.

    ``engine``: ``"auto"`` (the service when an API key and endpoint are configured, else the
    offline preview voice, which is logged once as a warning), ``"http"``, ``"offline"`` or an
    engine object (:class:`Engine`). The offline preview needs no voice: without one it speaks
    the text's language, and a CosyVoice voice name picks the language that voice speaks.

    Options (:class:`~ssmlkit.config.RenderSettings` names, so ``**settings.options()`` works):
    request parameters ``voice``, ``model``, ``format`` (default from ``output``'s extension,
    else mp3), ``sample_rate``, ``bit_rate``, ``seed``, ``volume``, ``pitch``, ``speed``; client
    settings ``base_url`` (default ``SSMLKIT_BASE_URL``), ``api_key`` (default
    ``SSMLKIT_API_KEY``), ``timeout``, ``max_retries``, ``retry_base_delay``, ``retry_max_delay``,
    ``concurrency``, ``transport``; and ``max_chars`` (split limit), ``cache`` (False: no cache),
    ``cache_dir``, ``progress`` (a callback taking :class:`Progress`), ``check`` (False skips the
    lint step; parameters are still validated). Errors name these parameters (``base_url=``).
    """
    return render_report(source, output, engine=engine, **options).result
