"""Samples in, files out: trimming, resampling, sound-event clips and the audio encoders.

Usage::

    pcm = resample(samples, 22050, 24000)          # int16 numpy array
    data = encode(pcm, 24000, "wav")               # a complete WAV file
    available_formats()                            # ('wav', 'pcm', 'mp3', 'opus') with the extra

Formats: WAV and PCM (16-bit mono, little-endian) always; MP3 through the ``lameenc`` wheel
(LAME); Ogg Opus through the ``soundfile`` wheel, whose bundled libsndfile carries libopus (no
system library needed). Opus takes 8, 12, 16, 24 or 48 kHz only: another requested rate (22,050
or 44,100 Hz) is encoded at the next rate Opus takes (see :func:`opus_rate`), which the Ogg Opus
header records; players decode Opus at 48 kHz anyway. Resampling uses ``soxr`` (the SoX
resampler, high quality) because eSpeak NG speaks only at 22,050 Hz.
"""

from __future__ import annotations

import importlib
import io
import logging
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "OPUS_RATES",
    "Samples",
    "available_formats",
    "encode",
    "load_clip",
    "opus_rate",
    "resample",
    "silence",
    "trim",
]

log = logging.getLogger("ssmlkit.offline")

Samples = npt.NDArray[np.int16]

#: Below this absolute sample value (about -54 dBFS) a sample counts as silence when trimming.
SILENCE_THRESHOLD = 64
#: MP3 bit rate in kbps (valid for every MPEG version, so for every sample rate we offer).
MP3_BIT_RATE = 64
#: The sample rates an Opus encoder takes.
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
#: Largest sound-event file read, in bytes (the service allows 2 MB; a little slack).
MAX_CLIP_BYTES = 8 * 1024 * 1024


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _has_opus() -> bool:
    soundfile = _module("soundfile")
    if soundfile is None:
        return False
    try:
        return "OPUS" in soundfile.available_subtypes("OGG")
    except Exception:  # a libsndfile too old or broken to list: treat as missing
        return False


def available_formats() -> tuple[str, ...]:
    """The formats this installation can encode (``mp3`` needs ``lameenc``, ``opus`` needs
    ``soundfile`` with a libsndfile that has Opus)."""
    formats = ["wav", "pcm"]
    if _module("lameenc") is not None:
        formats.append("mp3")
    if _has_opus():
        formats.append("opus")
    return tuple(formats)


def opus_rate(rate: int) -> int:
    """The rate Opus encodes ``rate`` Hz audio at: ``rate`` itself when Opus takes it, else the
    next higher rate it takes (so nothing is lost: 22,050 → 24,000, 44,100 → 48,000)."""
    return next((r for r in OPUS_RATES if r >= rate), OPUS_RATES[-1])


def silence(ms: float, rate: int) -> Samples:
    """``ms`` milliseconds of digital silence at ``rate`` Hz."""
    return np.zeros(round(ms * rate / 1000), dtype=np.int16)


def trim(samples: Samples, threshold: int = SILENCE_THRESHOLD) -> Samples:
    """``samples`` without the near-silence at either end (all of it if nothing is louder)."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def resample(samples: Samples, rate_in: int, rate_out: int) -> Samples:
    """``samples`` converted from ``rate_in`` to ``rate_out`` Hz with soxr (high quality)."""
    if rate_in == rate_out or samples.size == 0:
        return samples
    soxr = _module("soxr")
    if soxr is None:
        from ssmlkit.offline._espeak import EngineUnavailableError

        raise EngineUnavailableError(
            "the offline engine needs the soxr package to change the sample rate; "
            "install it with: pip install 'ssmlkit[offline]'"
        )
    out: npt.NDArray[np.float32] = soxr.resample(
        samples.astype(np.float32) / 32768.0, rate_in, rate_out, quality="HQ"
    )
    return np.clip(np.round(out * 32768.0), -32768, 32767).astype(np.int16)


def encode(samples: Samples, rate: int, fmt: str) -> bytes:
    """One complete file of ``fmt`` (``wav``, ``pcm``, ``mp3`` or ``opus``) holding mono ``samples``.

    ``opus`` resamples to :func:`opus_rate` first when Opus does not take ``rate``.
    """
    pcm = samples.astype("<i2").tobytes()
    if fmt == "pcm":
        return pcm
    if fmt == "wav":
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        return buf.getvalue()
    if fmt == "mp3":
        lameenc = _module("lameenc")
        if lameenc is None:
            raise ValueError("mp3 needs the lameenc package: pip install 'ssmlkit[offline]'")
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(MP3_BIT_RATE)
        encoder.set_in_sample_rate(rate)
        encoder.set_out_sample_rate(rate)
        encoder.set_channels(1)
        encoder.set_quality(2)
        encoder.silence()
        return bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    if fmt == "opus":
        return _encode_opus(samples, rate)
    raise ValueError(f"cannot encode {fmt!r}")


def _encode_opus(samples: Samples, rate: int) -> bytes:
    if not _has_opus():
        raise ValueError("opus needs the soundfile package: pip install 'ssmlkit[offline]'")
    soundfile = _module("soundfile")
    target = opus_rate(rate)
    samples = resample(samples, rate, target)
    buf = io.BytesIO()
    soundfile.write(buf, samples, target, format="OGG", subtype="OPUS")
    return buf.getvalue()


def load_clip(path: Path, rate: int) -> Samples | None:
    """The WAV file at ``path`` as mono 16-bit samples at ``rate`` Hz; None (and a warning) if unusable.

    Any PCM WAV is accepted (8/16/24/32-bit, any rate, any channel count): channels are mixed down
    and the rate converted, so a clip need not follow the service's 16 kHz mono rule offline.
    """
    try:
        if path.stat().st_size > MAX_CLIP_BYTES:
            log.warning("<soundEvent> %s is larger than %d bytes; skipped", path, MAX_CLIP_BYTES)
            return None
        with wave.open(str(path), "rb") as w:
            channels, width, clip_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        log.warning("<soundEvent> %s cannot be played (%s); skipped", path, exc)
        return None
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw[: len(raw) // 3 * 3], dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / float(1 << 23)
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    else:  # pragma: no cover - the wave module rejects other widths
        log.warning("<soundEvent> %s has %d-byte samples; skipped", path, width)
        return None
    if channels > 1:
        data = data[: data.size // channels * channels].reshape(-1, channels).mean(axis=1)
    samples = np.clip(np.round(data * 32768.0), -32768, 32767).astype(np.int16)
    return resample(samples, clip_rate, rate)
