"""What renders one chunk: the :class:`Engine` protocol.

An engine turns one request body into audio bytes. The HTTP endpoint
(:class:`~ssmlkit.rendering.client.RenderClient`) is one engine; an offline engine can be another.
The renderer does everything else (checking, splitting, caching, concurrency, joining), so an engine
stays small::

    class MyEngine:
        name = "my-engine v1"               # part of the cache key: change it when output changes

        def synthesize(self, payload: Mapping[str, Any]) -> bytes:
            text = payload["input"]         # one chunk of SSML (enable_ssml is always true)
            fmt = payload["response_format"]  # "mp3" | "wav" | "pcm" | "opus"
            rate = payload["sample_rate"]
            ...                             # optional keys: voice, seed, volume, pitch, speed, bit_rate
            return audio_bytes              # one complete file of that format

Contract:

* ``payload`` is the JSON body described in ``docs``/speech-api (built by
  :meth:`~ssmlkit.rendering.payload.SpeechParams.payload`); do not mutate it.
* Return one complete audio file in ``payload["response_format"]`` at ``payload["sample_rate"]``.
* Raise :class:`~ssmlkit.errors.RenderError` subclasses only: ``BadRequestError`` for input the
  engine refuses (not retried), ``TransportError``/``ServerError`` for failures worth retrying.
* ``synthesize`` may be called from several threads at once (``--concurrency``); an engine that
  is not thread-safe should say so by setting ``max_concurrency = 1``.

:class:`AsyncEngine` is the same contract with ``async def synthesize``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["AsyncEngine", "Engine"]


@runtime_checkable
class Engine(Protocol):
    """Renders one request body to audio bytes (see the module docstring for the contract)."""

    name: str

    def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """The audio for one chunk's request body."""
        ...


@runtime_checkable
class AsyncEngine(Protocol):
    """The asynchronous form of :class:`Engine`."""

    name: str

    async def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """The audio for one chunk's request body."""
        ...
