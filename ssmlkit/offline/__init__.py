"""An offline preview engine: hear CosyVoice SSML with no API key, no network, no system package.

Usage::

    from ssmlkit.offline import OfflineEngine
    from ssmlkit.rendering import render_with
    render_with(OfflineEngine(), "examples/hello.ssml", "hello.wav")

**This is a preview voice, not CosyVoice.** It speaks with eSpeak NG (a small formant
synthesizer, bundled with its voice data by the ``espeakng-loader`` wheel), so it sounds robotic
and reads Chinese with eSpeak's Mandarin and Cantonese; what it gets right is the document's shape:
exact pauses, substitutions, say-as readings, pinyin and CMU pronunciations, speed, pitch, volume,
sound-event clips from local WAV files, and the switch between Chinese and English text. Use it
to check timing and markup, to develop offline, and behind ``ssmlkit serve`` as a stand-in for
the speech endpoint. :mod:`ssmlkit.offline.plan` documents the mapping element by element.

If the eSpeak NG library or its data is missing or broken, constructing :class:`OfflineEngine`
raises :class:`EngineUnavailableError` (a :class:`~ssmlkit.errors.RenderError`) whose message
says how to repair the installation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["NOTICE", "EngineUnavailableError", "OfflineEngine"]

if TYPE_CHECKING:
    from ssmlkit.offline._espeak import EngineUnavailableError
    from ssmlkit.offline.engine import NOTICE, OfflineEngine


def __getattr__(name: str) -> Any:
    """Import lazily: ``import ssmlkit.offline`` loads neither numpy nor eSpeak NG."""
    if name == "EngineUnavailableError":
        from ssmlkit.offline._espeak import EngineUnavailableError

        return EngineUnavailableError
    if name in ("OfflineEngine", "NOTICE"):
        try:
            from ssmlkit.offline import engine
        except ImportError as exc:  # numpy (soxr's dependency) missing or broken
            from ssmlkit.offline._espeak import EngineUnavailableError

            missing = exc.name or "a dependency"
            raise EngineUnavailableError(
                f"the offline engine needs {missing}, which cannot be imported ({exc}); "
                "reinstall ssmlkit with pip"
            ) from exc
        return getattr(engine, name)
    raise AttributeError(f"module 'ssmlkit.offline' has no attribute {name!r}")
