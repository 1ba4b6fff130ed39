"""The offline engine: CosyVoice SSML spoken by eSpeak NG, with no account and no network.

Usage::

    from ssmlkit.offline import OfflineEngine
    engine = OfflineEngine()                    # EngineUnavailableError if eSpeak NG is missing
    wav = engine.synthesize({"input": "<speak>你好<break time=\\"1s\\"/>hello</speak>",
                             "enable_ssml": True, "voice": "longanyang",
                             "response_format": "wav", "sample_rate": 24000})

This is a **preview voice**, not CosyVoice: a robotic formant synthesizer that follows the
document's structure (pauses, substitutions, say-as readings, pronunciations, speed, pitch,
volume, language switches) so that timing and markup can be checked before spending money on the
real service. It implements :class:`ssmlkit.engine.Engine`.

It needs no CosyVoice voice: a request without one is spoken in the language of its text
(:func:`voice_for_text`), and a CosyVoice voice name only chooses the language it speaks.

Unlike the service, the same request does not give byte-identical audio twice: eSpeak NG's pitch
flutter runs on from one utterance to the next, so lengths differ by a few samples (``seed`` is
passed to eSpeak's random generator but cannot pin that down).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np

from ssmlkit.engine import EngineTraits
from ssmlkit.errors import BadRequestError, ParseError
from ssmlkit.model import Document, Speak, Text
from ssmlkit.offline import encode as enc
from ssmlkit.offline._espeak import ESpeak
from ssmlkit.offline.plan import MISSING_CLIP_MS, Clip, Pause, Speech, plan, split_scripts
from ssmlkit.profiles import cosyvoice
from ssmlkit.profiles.voices import VOICES, language_of

__all__ = ["NOTICE", "OfflineEngine", "voice_for_text"]

#: The one line a command prints when it uses this engine.
NOTICE = (
    "offline engine: eSpeak NG preview voice, not CosyVoice "
    "(set SSMLKIT_API_KEY or pass --engine http for the real voice)"
)
#: A request may not ask for more silence than this (pauses and clips), in seconds.
MAX_SILENCE_S = 3600
_SENTENCE_END = frozenset("。！？.!?…")
_CLAUSE_END = frozenset("，、,;；:：")


# The language a script is read in when no voice says otherwise (Han: Mandarin).
_SCRIPT_LANGUAGE = {"han": "cmn", "latin": "en", "kana": "ja", "hangul": "ko"}


@cache
def _catalogue_voice(language: str) -> str:
    """The first catalogue voice whose primary language is ``language`` (Mandarin if none)."""
    return next((v for v in VOICES if language_of(v) == language), "longanyang")


def voice_for_text(doc: Document) -> str:
    """A CosyVoice voice speaking the language most of ``doc``'s text is written in.

        >>> from ssmlkit.parse import parse
        >>> language_of(voice_for_text(parse("<speak>Hello there, 你好</speak>")))
        'en'
        >>> voice_for_text(parse("<speak>123</speak>"))     # no script: Mandarin
        'longanyang'

    Counted in characters per script; Han wins a tie, as Mandarin is every model's language.
    """
    counts: Counter[str] = Counter()
    for node, _ in doc.walk():
        if isinstance(node, Text):
            for script, run in split_scripts(node.value):
                if script in _SCRIPT_LANGUAGE:
                    counts[script] += sum(1 for ch in run if ch.isalpha())
    best = max(counts, key=lambda s: (counts[s], s == "han"), default="han")
    return _catalogue_voice(_SCRIPT_LANGUAGE[best])


def _refuse(message: str) -> BadRequestError:
    return BadRequestError(400, message, message)


def _gap_ms(previous: str) -> int:
    """The pause between two speech runs with nothing marked between them."""
    tail = previous.rstrip()
    if tail and tail[-1] in _SENTENCE_END:
        return 400
    if tail and tail[-1] in _CLAUSE_END:
        return 200
    return 60


class OfflineEngine:
    """An :class:`~ssmlkit.engine.Engine` that speaks with eSpeak NG inside this process.

    Takes the speech API's request body (``input``, ``enable_ssml``, ``voice``,
    ``response_format``, ``sample_rate``, ``seed``, ``volume``, ``pitch``, ``speed``) and returns
    one complete file. Formats: those of :meth:`formats` (another is refused with
    :class:`~ssmlkit.errors.BadRequestError` naming them). Calls are serialised
    (``traits.max_concurrency == 1``): eSpeak NG is not thread-safe. ``voice`` may be missing
    (see :func:`voice_for_text`); the characters are not billed.
    """

    def __init__(self) -> None:
        self._espeak = ESpeak.get()
        #: Part of the render cache key: changes when eSpeak NG or this mapping changes.
        self.name = f"offline:espeak-ng-{self._espeak.version}:map-1"
        #: What the renderer may ask of it (see :class:`~ssmlkit.engine.EngineTraits`).
        self.traits = EngineTraits(
            formats=self.formats(), max_concurrency=1, needs_voice=False, billed=False
        )

    @staticmethod
    def formats() -> tuple[str, ...]:
        """The response formats this installation can produce."""
        return enc.available_formats()

    def check_format(self, fmt: object) -> None:
        """Raise :class:`~ssmlkit.errors.BadRequestError` unless ``fmt`` can be produced."""
        formats = self.formats()
        if fmt not in formats:
            raise _refuse(
                f"the offline engine cannot produce {fmt!r} audio "
                f"(no encoder for it is installed: pip install 'ssmlkit[offline]'); "
                f"use one of: {', '.join(formats)}"
            )

    def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """The audio file for one request body (see the class docstring)."""
        return self.synthesize_timed(payload)[0]

    def synthesize_timed(self, payload: Mapping[str, Any]) -> tuple[bytes, list[dict[str, Any]]]:
        """The audio file for ``payload`` and where each sound lies in it.

        Usage: ``audio, marks = engine.synthesize_timed(body)``; each mark is
        ``{"kind": "speech" | "break" | "pause" | "clip", "start": s, "end": s}`` in seconds, in
        order (``break``: from ``<break>`` elements, consecutive ones joined; ``pause``: the gap
        put between two speech runs, or silence for a clip that cannot be played).
        :mod:`ssmlkit.rendering.timeline` places segments and breaks with them.
        """
        fmt = payload.get("response_format", "mp3")
        rate = payload.get("sample_rate", cosyvoice.DEFAULT_SAMPLE_RATE)
        self.check_format(fmt)
        if rate not in cosyvoice.SAMPLE_RATES or isinstance(rate, bool):
            rates = ", ".join(str(r) for r in cosyvoice.SAMPLE_RATES)
            raise _refuse(f"sample_rate: {rate!r} Hz is not one of {rates}")
        text = payload.get("input")
        if not isinstance(text, str):
            raise _refuse("input: must be a string")
        doc = self._document(text, bool(payload.get("enable_ssml", False)))
        events = plan(
            doc,
            voice=payload.get("voice") or voice_for_text(doc),
            speed=payload.get("speed"),
            pitch=payload.get("pitch"),
            volume=payload.get("volume"),
        )
        silent_ms = sum(e.ms for e in events if isinstance(e, Pause))
        if silent_ms > MAX_SILENCE_S * 1000:
            raise _refuse(f"input: asks for over {MAX_SILENCE_S} s of pauses in one request")
        samples, marks = self._render(events, payload.get("seed"))
        native = self._espeak.sample_rate
        samples = enc.resample(samples, native, int(rate))
        try:
            audio = enc.encode(samples, int(rate), str(fmt))
        except ValueError as exc:
            raise _refuse(str(exc)) from exc
        return audio, [{"kind": k, "start": a / native, "end": b / native} for k, a, b in marks]

    @staticmethod
    def _document(text: str, ssml: bool) -> Document:
        if not ssml:
            return Document((Speak(children=(Text(text),)),))
        from ssmlkit.parse import parse

        try:
            return parse(text)
        except ParseError as exc:
            raise _refuse(f"SSML text is not supported at the moment! ({exc})") from exc

    def _render(
        self, events: list[Speech | Pause | Clip], seed: object
    ) -> tuple[enc.Samples, list[tuple[str, int, int]]]:
        """The samples of ``events`` and each part's (kind, first sample, end sample)."""
        native = self._espeak.sample_rate
        seed_value = seed if isinstance(seed, int) and not isinstance(seed, bool) else 0
        parts: list[enc.Samples] = []
        marks: list[tuple[str, int, int]] = []
        at = 0

        def add(kind: str, samples: enc.Samples) -> None:
            nonlocal at
            parts.append(samples)
            marks.append((kind, at, at + len(samples)))
            at += len(samples)

        previous: Speech | None = None  # the speech run just before, with nothing between
        for event in events:
            if isinstance(event, Speech):
                if previous is not None:
                    add("pause", enc.silence(_gap_ms(previous.text), native))
                add("speech", self._speak(event, seed_value))
                previous = event
                continue
            previous = None
            if isinstance(event, Pause):
                add("break" if event.from_break else "pause", enc.silence(event.ms, native))
            else:
                clip = enc.load_clip(event.path, native)
                if clip is not None:
                    add("clip", clip)
                else:
                    add("pause", enc.silence(MISSING_CLIP_MS, native))
        if not parts:
            return np.zeros(0, dtype=np.int16), marks
        return np.concatenate(parts), marks

    def _speak(self, event: Speech, seed: int) -> enc.Samples:
        # Synthesised at the normal amplitude so that trimming sees the same edges at any
        # volume, then scaled: volume 0 keeps the timing and makes it silent.
        raw = self._espeak.synthesize(
            event.text,
            voice=event.voice,
            rate=event.prosody.rate,
            pitch=event.prosody.pitch,
            volume=100,
            seed=seed,
            phonemes=event.phonemes,
        )
        samples = enc.trim(np.frombuffer(raw, dtype=np.int16))
        if event.prosody.volume != 100:
            scaled = samples.astype(np.float32) * (event.prosody.volume / 100.0)
            samples = np.clip(np.round(scaled), -32768, 32767).astype(np.int16)
        return samples
