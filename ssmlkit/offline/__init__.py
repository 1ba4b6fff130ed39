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

The engine is an optional extra: ``pip install 'ssmlkit[offline]'`` brings eSpeak NG
(GPL-3.0-or-later), soxr (LGPL-2.1-or-later), lameenc (LGPL-3.0-or-later), soundfile (its
libsndfile is LGPL-2.1-or-later) and numpy (see THIRD_PARTY_NOTICES.md). Without it,
asking for :class:`OfflineEngine` or :data:`NOTICE` raises :class:`EngineUnavailableError` (a
:class:`~ssmlkit.errors.RenderError`) with one line naming that command; so does a missing or
broken eSpeak NG library or voice data, with how to repair it. ``import ssmlkit.offline`` imports
none of them: only the first use of the engine does.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

__all__ = ["INSTALL_HINT", "NOTICE", "EngineUnavailableError", "OfflineEngine", "missing_extra"]

#: What to run when the offline extra is missing (every such error message ends with it).
INSTALL_HINT = "pip install 'ssmlkit[offline]'"

# The modules the engine cannot start without (lameenc is needed only for MP3, and says so).
_REQUIRED = ("numpy", "soxr", "espeakng_loader")

if TYPE_CHECKING:
    from ssmlkit.offline._espeak import EngineUnavailableError
    from ssmlkit.offline.engine import NOTICE, OfflineEngine


def missing_extra() -> list[str]:
    """The modules of the ``[offline]`` extra that are not installed (found without importing them).

    Usage::

        if missing_extra():
            print("no offline preview here; pip install 'ssmlkit[offline]'")
    """
    missing = []
    for module in _REQUIRED:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a broken parent package or a None entry in sys.modules
            found = False
        if not found:
            missing.append(module)
    return missing


def __getattr__(name: str) -> Any:
    """Import lazily: ``import ssmlkit.offline`` loads neither numpy nor eSpeak NG."""
    if name == "EngineUnavailableError":
        from ssmlkit.offline._espeak import EngineUnavailableError

        return EngineUnavailableError
    if name in ("OfflineEngine", "NOTICE"):
        absent = ", ".join(m.replace("_", "-") for m in missing_extra())
        if absent:
            from ssmlkit.errors import EngineUnavailableError

            raise EngineUnavailableError(
                f"the offline preview engine is not installed (no {absent}); "
                f"install it with: {INSTALL_HINT}"
            )
        try:
            from ssmlkit.offline import engine
        except ImportError as exc:  # numpy (soxr's dependency) missing or broken
            from ssmlkit.offline._espeak import EngineUnavailableError

            missing = exc.name or "a dependency"
            raise EngineUnavailableError(
                f"the offline engine needs {missing}, which cannot be imported ({exc}); "
                f"reinstall it: {INSTALL_HINT}"
            ) from exc
        return getattr(engine, name)
    raise AttributeError(f"module 'ssmlkit.offline' has no attribute {name!r}")
