"""What renders one chunk: the :class:`Engine` protocol and the :class:`EngineTraits` it declares.

The contract between the renderer (:mod:`ssmlkit.rendering`) and the engines, in a module of its
own so that an engine (the offline preview in :mod:`ssmlkit.offline`) can implement it without
importing the renderer, which builds engines by name.

An engine turns one request body into audio bytes. The HTTP endpoint
(:class:`~ssmlkit.rendering.client.RenderClient`) is one engine; the offline preview
(:class:`~ssmlkit.offline.OfflineEngine`) is another; :mod:`ssmlkit.rendering.engines` builds
either by name. The renderer does everything else (checking, splitting, caching, concurrency,
joining), so an engine stays small::

    class MyEngine:
        name = "my-engine v1"               # part of the cache key: change it when output changes
        traits = EngineTraits(formats=("wav",), max_concurrency=1, needs_voice=False)

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
* ``synthesize`` may be called from several threads at once (``concurrency=``); an engine that
  is not thread-safe says so with ``traits.max_concurrency = 1``.
* ``traits`` is everything the renderer asks of the engine besides ``synthesize``: which formats
  it produces (other formats are refused before anything is sent), how many calls it takes at
  once, whether a request needs a voice, whether the service bills the characters.

:class:`AsyncEngine` is the same contract with ``async def synthesize``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ssmlkit.profiles import cosyvoice

__all__ = ["AsyncEngine", "Engine", "EngineTraits"]


@dataclass(frozen=True, slots=True)
class EngineTraits:
    """What an engine declares to the renderer (the renderer reads nothing else of it).

    Usage::

        EngineTraits()                                   # the service: every format, needs a voice
        EngineTraits(formats=("wav", "pcm"), max_concurrency=1, needs_voice=False, billed=False)

    ``formats``: the ``response_format`` values it can produce. ``max_concurrency``: calls of
    ``synthesize`` at once (``None``: as many as the render asks for; it is also the default
    when the render does not say). ``needs_voice``: a request without a voice is refused before
    sending (``False``: the engine picks one). ``billed``: the characters sent cost money.
    """

    formats: tuple[str, ...] = cosyvoice.RESPONSE_FORMATS
    max_concurrency: int | None = None
    needs_voice: bool = True
    billed: bool = True


@runtime_checkable
class Engine(Protocol):
    """Renders one request body to audio bytes (see the module docstring for the contract)."""

    name: str
    traits: EngineTraits

    def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """The audio for one chunk's request body."""
        ...


@runtime_checkable
class AsyncEngine(Protocol):
    """The asynchronous form of :class:`Engine`."""

    name: str
    traits: EngineTraits

    async def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """The audio for one chunk's request body."""
        ...
