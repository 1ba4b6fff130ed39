"""Request parameters: validation against the speech API and the JSON body of one request.

Usage::

    params = SpeechParams(voice="longanyang", response_format="wav", sample_rate=24000)
    params.problems()                      # [] when every value is one the service accepts
    body = params.payload("<speak>你好</speak>")
    cache_key(body)                        # sha256 of the canonical JSON

The body always carries ``model``, ``voice``, ``input``, ``enable_ssml: true``,
``response_format`` and ``sample_rate``; ``bit_rate`` (opus only), ``seed``, ``volume``, ``pitch``
and ``speed`` only when set; never ``stream``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ssmlkit.profiles import cosyvoice

__all__ = ["SpeechParams", "cache_key", "canonical_json", "format_for_path"]

_EXTENSIONS = {
    ".mp3": "mp3",
    ".wav": "wav",
    ".pcm": "pcm",
    ".raw": "pcm",
    ".opus": "opus",
    ".ogg": "opus",
}


@dataclass(frozen=True, slots=True)
class SpeechParams:
    """Everything but the input text that goes into a request to ``POST {base}/audio/speech``.

    ``voice`` may be ``None`` when every chunk's ``<speak voice=...>`` names one; ``sample_rate``
    defaults to the service's 22050 Hz. Values are checked by :meth:`problems`, not at
    construction, so that every problem can be reported at once.
    """

    model: str = cosyvoice.DEFAULT_MODEL
    voice: str | None = None
    response_format: str = "mp3"
    sample_rate: int = cosyvoice.DEFAULT_SAMPLE_RATE
    bit_rate: int | None = None
    seed: int | None = None
    volume: int | None = None
    pitch: float | None = None
    speed: float | None = None

    def problems(self) -> list[str]:
        """Every parameter value the service would refuse, as messages naming the parameter."""
        out: list[str] = []
        if not isinstance(self.model, str) or not self.model.strip():
            out.append("model: must be a non-empty model id")
        if self.voice is not None and (not isinstance(self.voice, str) or not self.voice.strip()):
            out.append("voice: must be a non-empty voice id")
        if self.response_format not in cosyvoice.RESPONSE_FORMATS:
            out.append(
                f"format: {self.response_format!r} is not one of "
                f"{', '.join(cosyvoice.RESPONSE_FORMATS)}"
            )
        if not _is_int(self.sample_rate) or self.sample_rate not in cosyvoice.SAMPLE_RATES:
            rates = ", ".join(str(r) for r in cosyvoice.SAMPLE_RATES)
            out.append(f"sample_rate: {self.sample_rate!r} Hz is not one of {rates}")
        _check_int(out, "bit_rate", self.bit_rate, cosyvoice.BIT_RATE_RANGE, "kbps")
        if self.bit_rate is not None and self.response_format != "opus":
            out.append("bit_rate: only applies to the opus format")
        _check_int(out, "seed", self.seed, cosyvoice.SEED_RANGE, "")
        _check_int(out, "volume", self.volume, cosyvoice.VOLUME_RANGE, "")
        _check_float(out, "pitch", self.pitch, cosyvoice.PITCH_RANGE)
        _check_float(out, "speed", self.speed, cosyvoice.SPEED_RANGE)
        return out

    def payload(self, text: str, *, voice: str | None = None) -> dict[str, Any]:
        """The JSON body for one chunk ``text``; ``voice`` replaces :attr:`voice` when given."""
        body: dict[str, Any] = {
            "model": self.model,
            "voice": voice or self.voice,
            "input": text,
            "enable_ssml": True,
            "response_format": self.response_format,
            "sample_rate": self.sample_rate,
        }
        if self.bit_rate is not None and self.response_format == "opus":
            body["bit_rate"] = self.bit_rate
        for name in ("seed", "volume", "pitch", "speed"):
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        return body

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The parameter names, as accepted by the constructor."""
        return tuple(f.name for f in fields(cls))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_int(
    out: list[str], name: str, value: object, bounds: tuple[int, int], unit: str
) -> None:
    if value is None:
        return
    lo, hi = bounds
    if not _is_int(value) or not lo <= value <= hi:  # type: ignore[operator]
        unit = f" {unit}" if unit else ""
        out.append(f"{name}: {value!r} is not a whole number from {lo} to {hi}{unit}")


def _check_float(out: list[str], name: str, value: object, bounds: tuple[float, float]) -> None:
    if value is None:
        return
    lo, hi = bounds
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not lo <= value <= hi:  # type: ignore[arg-type, operator]
        out.append(f"{name}: {value!r} is not a number from {lo} to {hi}")


def format_for_path(path: str) -> str | None:
    """The audio format an output file name implies (``book.mp3`` → ``mp3``), or ``None``."""
    lowered = path.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lowered.endswith(ext):
            return fmt
    return None


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    """The request as canonical JSON (sorted keys, no spaces, UTF-8): the cache's identity."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def cache_key(payload: Mapping[str, Any], *, namespace: str = "") -> str:
    """The sha256 (hex) of ``namespace`` and the canonical request; the API key is never part of it."""
    digest = hashlib.sha256(namespace.encode() + b"\n")
    digest.update(canonical_json(payload))
    return digest.hexdigest()
