"""Where each chunk, speech segment and break lands in rendered audio: JSON, WebVTT and SVG.

Usage::

    report = ssmlkit.render("talk.ssml", "talk.wav", engine="offline")
    tl = report.timeline
    tl.duration, tl.chunks[1].start          # 31.2, 14.87
    tl.write("talk.vtt")                     # or .json / .svg (by the file name)

Chunk times come from each chunk's decoded audio length (what the joiner counted). Inside a
chunk, a **segment** is the text of one ``<speak>`` between two breaks (or a chunk edge), with
its voice; a **break** is a run of ``<break>`` elements (joined as the service joins them).
When the engine reports where each sound lies (the offline engine's
``synthesize_timed``), segments and breaks take those times; otherwise the chunk's time is
shared out: breaks get their written length and segments the rest, in proportion to their
counted characters, and are marked ``estimated``. Where one stretch between breaks holds
several ``<speak>`` segments, they share that stretch in proportion and are marked too.

The JSON shape (seconds)::

    {"version": 1, "duration": 12.5,
     "chunks": [{"index": 0, "start": 0.0, "end": 6.1, "source_lines": [1, 9]}],
     "segments": [{"start": 0.05, "end": 2.4, "voice": "longanyang", "text": "...",
                   "estimated": false}],
     "breaks": [{"start": 2.4, "end": 4.4}]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    SoundEvent,
    Speak,
    Sub,
    Text,
)

__all__ = [
    "TIMELINE_SUFFIXES",
    "BreakSpan",
    "ChunkSpan",
    "Segment",
    "Timeline",
    "chunk_timeline",
]

#: The file name endings :meth:`Timeline.write` understands.
TIMELINE_SUFFIXES = (".json", ".vtt", ".svg")


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    """Chunk ``index`` sounds from ``start`` to ``end`` (seconds); ``source_lines`` = (first, last)."""

    index: int
    start: float
    end: float
    source_lines: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """Speech of one ``<speak>`` between breaks: ``text`` in ``voice`` from ``start`` to ``end``."""

    start: float
    end: float
    voice: str | None
    text: str
    estimated: bool


@dataclass(frozen=True, slots=True)
class BreakSpan:
    """Silence from ``<break>`` elements, from ``start`` to ``end`` (seconds)."""

    start: float
    end: float
    estimated: bool = False


def _r(x: float) -> float:
    return round(x, 3)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The timeline of one rendered file (see the module docstring)."""

    duration: float
    chunks: tuple[ChunkSpan, ...]
    segments: tuple[Segment, ...]
    breaks: tuple[BreakSpan, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object (``version`` 1), times in seconds rounded to the millisecond."""
        return {
            "version": 1,
            "duration": _r(self.duration),
            "chunks": [
                {
                    "index": c.index,
                    "start": _r(c.start),
                    "end": _r(c.end),
                    "source_lines": list(c.source_lines) if c.source_lines else None,
                }
                for c in self.chunks
            ],
            "segments": [
                {
                    "start": _r(s.start),
                    "end": _r(s.end),
                    "voice": s.voice,
                    "text": s.text,
                    "estimated": s.estimated,
                }
                for s in self.segments
            ],
            "breaks": [{"start": _r(b.start), "end": _r(b.end)} for b in self.breaks],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_vtt(self) -> str:
        """WebVTT subtitles: one cue per segment, with its spoken text."""
        out = ["WEBVTT", ""]
        n = 0
        for seg in self.segments:
            start, end = seg.start, max(seg.end, seg.start + 0.001)
            # "-->" would end the cue timing line's meaning inside a payload; blank lines end cues.
            text = " ".join(seg.text.replace("-->", "->").split())
            if not text:
                continue
            n += 1
            voice = f"<v {seg.voice}>" if seg.voice else ""
            out += [str(n), f"{_vtt_time(start)} --> {_vtt_time(end)}", voice + _vtt_text(text), ""]
        return "\n".join(out)

    def to_svg(self, width: int = 960) -> str:
        """A drawing: segments coloured by voice, breaks hatched, chunk boundaries dashed, on a time axis."""
        return _svg(self, width)

    def write(self, path: str | Path) -> Path:
        """Write the timeline in the format its name ends with (``.json``, ``.vtt``, ``.svg``).

        Raises :class:`ValueError` for another ending. The file is written whole or not at all.
        """
        from ssmlkit.rendering.cache import atomic_write

        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".json":
            text = self.to_json()
        elif suffix == ".vtt":
            text = self.to_vtt()
        elif suffix == ".svg":
            text = self.to_svg()
        else:
            raise ValueError(
                f"cannot tell the timeline format from {target.name!r}: name it "
                + ", ".join(TIMELINE_SUFFIXES)
            )
        atomic_write(target, text.encode("utf-8"))
        return target


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------- one chunk


@dataclass(slots=True)
class _Unit:
    """A segment (``ms`` None) or a joined run of breaks (``ms``) of a chunk, before timing."""

    voice: str | None
    text: str = ""
    ms: int | None = None
    sound: bool = False  # a segment holding a <soundEvent>: something sounds even without text


def _text_of(node: Node) -> str:
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Sub):
        return node.alias if node.alias is not None else node.text
    if isinstance(node, Element):
        return node.text
    return ""


def _units(doc: Document, voice: str | None) -> list[_Unit]:
    """The segments and breaks of ``doc`` in order, joined and dropped as the offline plan does."""
    from ssmlkit.offline.plan import break_ms
    from ssmlkit.profiles.values import add_pauses

    units: list[_Unit] = []
    for item in doc.items:
        if not isinstance(item, Speak):
            if isinstance(item, Text) and item.value.strip():
                units.append(_Unit(voice, item.value))
            continue
        v = item.voice or voice
        units.append(_Unit(v))  # a new <speak> starts a new segment
        for child in item.children:
            if isinstance(child, Comment | ProcessingInstruction):
                continue
            if isinstance(child, Break):
                # Nothing said since the last break (even across a </speak>): the breaks join.
                while units and units[-1].ms is None and not _spoken(units[-1]):
                    units.pop()
                if units and units[-1].ms is not None:
                    units[-1].ms = add_pauses(units[-1].ms, break_ms(child))
                else:
                    units.append(_Unit(v, ms=break_ms(child)))
                units.append(_Unit(v))
                continue
            if isinstance(child, SoundEvent):
                units[-1].sound = True
            units[-1].text += _text_of(child)
    return [u for u in units if u.ms is not None or _spoken(u)]


def _spoken(unit: _Unit) -> bool:
    return unit.sound or any(ch.isalnum() for ch in unit.text)


def _weight(unit: _Unit) -> int:
    from ssmlkit.measure import count_text

    return max(1, count_text(unit.text.strip()))


def _estimate(
    units: list[_Unit], start: float, end: float
) -> tuple[list[Segment], list[BreakSpan]]:
    total = max(0.0, end - start)
    pauses = sum(u.ms for u in units if u.ms is not None) / 1000
    scale = min(1.0, total / pauses) if pauses > 0 else 1.0
    speech_time = max(0.0, total - pauses * scale)
    weights = sum(_weight(u) for u in units if u.ms is None)
    segments: list[Segment] = []
    breaks: list[BreakSpan] = []
    at = start
    for u in units:
        if u.ms is not None:
            length = u.ms / 1000 * scale
            breaks.append(BreakSpan(at, at + length, estimated=True))
        else:
            length = speech_time * _weight(u) / weights if weights else 0.0
            segments.append(Segment(at, at + length, u.voice, _clean(u.text), True))
        at += length
    return segments, breaks


def _clean(text: str) -> str:
    return " ".join(text.split())


def _exact(
    units: list[_Unit], marks: Sequence[dict[str, Any]], start: float, end: float
) -> tuple[list[Segment], list[BreakSpan]] | None:
    """Place ``units`` with the engine's ``marks``; ``None`` when the two do not line up."""
    engine_breaks = [m for m in marks if m["kind"] == "break"]
    ours = [u for u in units if u.ms is not None]
    if len(engine_breaks) != len(ours):
        return None
    breaks = [
        BreakSpan(min(end, start + m["start"]), min(end, start + m["end"])) for m in engine_breaks
    ]
    # The sounding marks of each stretch between breaks (stretch k ends where break k starts).
    stretches: list[list[dict[str, Any]]] = [[]]
    for m in marks:
        if m["kind"] == "break":
            stretches.append([])
        elif m["kind"] in ("speech", "clip"):
            stretches[-1].append(m)
    groups: list[list[_Unit]] = [[]]
    for u in units:
        if u.ms is not None:
            groups.append([])
        else:
            groups[-1].append(u)
    segments: list[Segment] = []
    for group, sounds in zip(groups, stretches, strict=True):
        if not group:
            continue
        if not sounds:
            return None
        a = min(end, start + sounds[0]["start"])
        b = min(end, start + sounds[-1]["end"])
        if len(group) == 1:
            u = group[0]
            segments.append(Segment(a, b, u.voice, _clean(u.text), False))
            continue
        shares, _ = _estimate(group, a, b)
        segments.extend(shares)
    return segments, breaks


def chunk_timeline(
    doc: Document,
    start: float,
    end: float,
    *,
    voice: str | None = None,
    marks: Sequence[dict[str, Any]] | None = None,
) -> tuple[list[Segment], list[BreakSpan]]:
    """The segments and breaks of chunk ``doc``, which sounds from ``start`` to ``end`` seconds.

        >>> from ssmlkit.parse import parse
        >>> segs, brks = chunk_timeline(parse('<speak>一二<break time="2s"/>三四</speak>'), 0, 4)
        >>> [(s.start, s.end, s.text) for s in segs], [(b.start, b.end) for b in brks]
        ([(0, 1.0, '一二'), (3.0, 4.0, '三四')], [(1.0, 3.0)])

    ``voice`` is the request's voice (a ``<speak voice>`` overrides it); ``marks`` are the
    engine's (see :meth:`ssmlkit.offline.OfflineEngine.synthesize_timed`), in seconds from the
    chunk's start. Without them, or when they do not match the document, times are estimated.
    """
    units = _units(doc, voice)
    if marks is not None:
        placed = _exact(units, marks, start, end)
        if placed is not None:
            return placed
    return _estimate(units, start, end)


# ------------------------------------------------------------------------------------- SVG

_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9c755f")


def _svg(tl: Timeline, width: int) -> str:
    pad, top, bar = 40, 28, 36
    height = top + bar + 56
    span = max(tl.duration, 0.001)
    inner = width - 2 * pad

    def x(t: float) -> float:
        return round(pad + inner * min(max(t, 0.0), span) / span, 2)

    voices: list[str] = []
    for seg in tl.segments:
        name = seg.voice or "(default voice)"
        if name not in voices:
            voices.append(name)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>ssmlkit timeline</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs>',
        f'<rect x="{pad}" y="{top}" width="{inner}" height="{bar}" fill="#fafafa" stroke="#ccc"/>',
    ]
    for seg in tl.segments:
        colour = _PALETTE[voices.index(seg.voice or "(default voice)") % len(_PALETTE)]
        tip = f"{seg.start:.2f}-{seg.end:.2f}s {seg.voice or ''}: {seg.text[:80]}"
        dash = ' stroke-dasharray="3 2"' if seg.estimated else ""
        out.append(
            f'<rect class="segment" x="{x(seg.start)}" y="{top + 4}" '
            f'width="{max(0.5, x(seg.end) - x(seg.start))}" height="{bar - 8}" fill="{colour}" '
            f'stroke="#333" stroke-width="0.5"{dash}><title>{escape(tip)}</title></rect>'
        )
    for brk in tl.breaks:
        out.append(
            f'<rect class="break" x="{x(brk.start)}" y="{top}" '
            f'width="{max(0.5, x(brk.end) - x(brk.start))}" height="{bar}" fill="url(#hatch)">'
            f"<title>break {brk.end - brk.start:.2f}s</title></rect>"
        )
    for chunk in tl.chunks:
        lines = ""
        if chunk.source_lines:
            a, b = chunk.source_lines
            lines = f" (line {a})" if a == b else f" (lines {a}-{b})"
        out.append(
            f'<line class="chunk" x1="{x(chunk.start)}" y1="{top - 14}" x2="{x(chunk.start)}" '
            f'y2="{top + bar + 4}" stroke="#222" stroke-dasharray="4 3"/>'
            f'<text x="{x(chunk.start) + 3}" y="{top - 4}">chunk {chunk.index + 1}{escape(lines)}</text>'
        )
    axis = top + bar + 14
    step = _tick_step(span)
    t = 0.0
    while t <= span + 1e-9:
        out.append(
            f'<line x1="{x(t)}" y1="{axis - 6}" x2="{x(t)}" y2="{axis - 2}" stroke="#666"/>'
            f'<text x="{x(t)}" y="{axis + 8}" text-anchor="middle">{_clock(t)}</text>'
        )
        t += step
    legend_y = axis + 30
    lx = pad
    for i, name in enumerate(voices):
        out.append(
            f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{_PALETTE[i % len(_PALETTE)]}"/><text x="{lx + 14}" y="{legend_y}">'
            f"{escape(name)}</text>"
        )
        lx += 24 + 7 * len(name)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _tick_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if span / step <= 12:
            return float(step)
    return 7200.0


def _clock(t: float) -> str:
    whole = round(t)
    m, s = divmod(whole, 60)
    if t < 60 and t != whole:
        return f"{t:.1f}s"
    return f"{m}:{s:02d}"
