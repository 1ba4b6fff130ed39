"""Pinyin hints for polyphonic characters (多音字): :func:`annotate`, and the planner behind it.

Usage::

    import ssmlkit
    result = ssmlkit.annotate("<speak>他在银行工作。</speak>")
    result.text         # '<speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。</speak>'
    for d in result.decisions:
        print(f"{d.line}:{d.column} {d.char} {d.reading} {d.confidence:.2f}")

One planner serves three callers: :func:`annotate` (and ``ssmlkit annotate``), the lint rule
``polyphone-without-hint`` (PR009), whose unsafe fix is the planner's edit for one word, and
:func:`ssmlkit.builder.auto_pinyin`. For each ``<speak>`` it reads the text the service speaks
(text, the text of ``<phoneme>`` and ``<say-as>``, the ``alias`` of ``<sub>``: across inline
tags, as the service hears it), predicts every polyphone's reading in that context
(:func:`ssmlkit.pronounce.predict`), and wraps the word around each chosen one
(:func:`ssmlkit.pronounce.segment`) in ``<phoneme alphabet="py" ph="...">`` with one syllable per
character. What is wrapped, and what is left alone:

- only text standing right inside ``<speak>`` (the one place the dialect allows ``<phoneme>``);
  a polyphone inside another element (``<prosody>``, ``<p>``) gets a decision that says why it
  was not hinted;
- never a character already inside ``<phoneme>`` (its hint is kept byte for byte), the shown
  text of ``<sub>`` (not spoken) or ``<say-as>`` text (its mode decides the reading, and it may
  hold no markup);
- a word is cut at the edge of its text node, so no tag is ever moved;
- text written with character references (``&#34892;``) is wrapped with its references as
  written; text in a CDATA section is left alone (markup cannot stand inside it), with a reason.

Which polyphones are hinted: ``chars`` (a string of characters) hints those; ``all_polyphones``
hints every one; by default (:data:`DEFAULT_SELECTION`) those whose reading in context differs
from their reading out of context, the engine's reading of the character on its own (银行's 行
háng, 很长's 长 cháng, 重要's 重 zhòng, with this engine): where the sentence decides, and so
where a reader or the service may go wrong, without a hint on every 的 and 了 (on 20,000
characters of the CPP development split: 256 of 4,632 polyphones).

Everything is an edit of the source text, so every byte outside the added tags is kept: removing
the added ``<phoneme ...>`` and ``</phoneme>`` gives the input back, and annotating the result
again changes nothing. The pronunciation engine is the optional extra ``[pronounce]``; without it
:func:`annotate` raises :class:`~ssmlkit.pronounce.PronounceUnavailable`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ssmlkit._records import Record, record
from ssmlkit._syntax import LineIndex
from ssmlkit.linter.diagnostic import Edit
from ssmlkit.measure import is_cjk_ideograph
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
)

if TYPE_CHECKING:
    from ssmlkit.pronounce import Prediction
    from ssmlkit.sources import Source

__all__ = [
    "CONTEXT_CHARS",
    "DEFAULT_SELECTION",
    "AnnotateResult",
    "Hint",
    "PolyphoneDecision",
    "annotate",
    "apply_hints",
    "plan_document",
    "plan_text",
    "selector",
    "source_offsets",
]

#: How many characters of spoken text a decision shows on each side of its character.
CONTEXT_CHARS = 8

#: What the default selection hints, in words.
DEFAULT_SELECTION = (
    "the polyphones whose reading in context differs from their reading out of context "
    "(the engine's reading of the character on its own): 银行's 行 hang2, 很长's 长 chang2, "
    "重要's 重 zhong4"
)

_OPEN = '<phoneme alphabet="py" ph="{}">'
_SPACES = re.compile(r"\s+")
_CLOSE = "</phoneme>"


@record
class PolyphoneDecision(Record):
    """What the planner decided for one polyphonic character.

    ``line`` and ``column`` (1-based, code points) locate the character in the source text,
    and ``start``/``end`` (0-based offsets) cover it as written (``&#34892;`` for a
    reference); ``context`` is the spoken text around it (``context_at`` is the character's
    index in it; a run of white space shown as one space). ``reading`` is the predicted
    reading in numbered pinyin, ``confidence`` its probability (0-1) and ``candidates`` the
    character's readings, best first. ``applied`` says whether a hint was added: then ``word``
    is the text wrapped and ``ph`` its syllables; otherwise ``reason`` says why not (and
    ``word``/``ph`` are what the hint would have been).
    """

    line: int
    column: int
    start: int
    end: int
    char: str
    context: str
    context_at: int
    reading: str
    confidence: float
    candidates: tuple[str, ...]
    applied: bool
    word: str
    ph: str
    reason: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``ssmlkit annotate --format json``."""
        return {
            "line": self.line,
            "column": self.column,
            "char": self.char,
            "context": self.context,
            "context_at": self.context_at,
            "reading": self.reading,
            "confidence": round(self.confidence, 4),
            "candidates": list(self.candidates),
            "applied": self.applied,
            "word": self.word,
            "ph": self.ph,
            "reason": self.reason,
        }


@record
class Hint(Record):
    """One planned ``<phoneme>``: wrap ``source[start:end]`` (the word as written) with ``ph``.

    ``edit`` is the one :class:`~ssmlkit.linter.diagnostic.Edit` that does it; ``decisions`` are
    the polyphones of the word it settles (one, or more in a word such as 行长).
    """

    start: int
    end: int
    word: str
    ph: str
    edit: Edit
    decisions: tuple[PolyphoneDecision, ...]


@record
class AnnotateResult(Record):
    """What :func:`annotate` did: the new ``text``, its parsed ``document`` and the ``decisions``.

    ``decisions`` holds one :class:`PolyphoneDecision` per chosen polyphone in document order, applied or
    not (with the reason); ``hints`` the hints added (their offsets and edits refer to the input
    text, without a byte-order mark); ``changed`` says whether any was added.
    """

    text: str
    document: Document
    decisions: tuple[PolyphoneDecision, ...]
    hints: tuple[Hint, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether any hint was added."""
        return bool(self.hints)


#: A polyphone's reading out of context (the engine's reading of the character on its own),
#: filled as characters are met; the engine is deterministic, so this never goes stale.
_ALONE: dict[str, str] = {}

#: Picks the predictions to hint, in order, from all of a text's predictions.
Selection = Callable[[Sequence["Prediction"]], list["Prediction"]]


def selector(chars: str | None = None, *, all_polyphones: bool = False) -> Selection:
    """Which predictions get a hint: ``chars``' characters, all, or :data:`DEFAULT_SELECTION`.

    ``chars`` may hold spaces and commas between the characters (``"行, 长"``). Raises
    :class:`ValueError` when both are given, and when ``chars`` names a character that is not a
    polyphone (it could never be chosen), saying its readings.
    """
    from ssmlkit import pronounce

    if chars is not None and all_polyphones:
        raise ValueError("give either chars or all_polyphones, not both")
    if all_polyphones:
        return list
    if chars is not None:
        if not isinstance(chars, str):
            raise TypeError(f"chars must be a str of characters, not {type(chars).__name__}")
        wanted = frozenset(c for c in chars if not c.isspace() and c not in ",，、")
        if not wanted:
            raise ValueError("chars is empty: give the characters to hint, e.g. '行长'")
        for c in sorted(wanted):
            if not pronounce.is_polyphone(c):
                found = pronounce.readings(c)
                what = (
                    f"its only reading is {found[0]}"
                    if len(found) == 1
                    else f"the pronunciation engine does not disambiguate it ({', '.join(found)})"
                    if found
                    else "it has no Mandarin reading"
                )
                raise ValueError(f"{c!r} is not a polyphonic character: {what}")
        return lambda predictions: [p for p in predictions if p.char in wanted]

    def context_decides(predictions: Sequence[Prediction]) -> list[Prediction]:
        for char in {p.char for p in predictions} - _ALONE.keys():
            # One call per character, so that the reading cannot depend on the document's other
            # characters (the engine once read 重 alone chong2 but zhong4 among other lines, a
            # line break being a token then; now both agree). About 0.3 ms a character, once.
            alone = pronounce.predict(char)
            _ALONE[char] = alone[0].reading if alone else ""
        return [p for p in predictions if _ALONE.get(p.char, p.reading) != p.reading]

    return context_decides


# --- the planner on plain text ---------------------------------------------------------------


class _Word:
    """A planned word of the spoken text: ``[start, end)`` and its syllables."""

    __slots__ = ("end", "predictions", "start", "syllables")

    def __init__(self, start: int, end: int, syllables: list[str]) -> None:
        self.start = start
        self.end = end
        self.syllables = syllables
        self.predictions: list[Prediction] = []


def _plan_words(
    spoken: str,
    chosen: Selection,
    limits: Callable[[int], tuple[int, int] | None],
) -> list[tuple[Prediction, _Word | None]]:
    """Each chosen polyphone of ``spoken`` with the word to wrap around it (in order).

    ``limits(i)`` gives the range ``[lo, hi)`` a word around index ``i`` must stay within (its
    text node), or ``None`` when the character is not one to hint (then it is left out). The
    word is the segmenter's, cut to those limits; when one of its characters has no reading (or
    is not an ideograph the syllable count would see), only the polyphone itself.
    """
    from ssmlkit import pronounce

    predictions = pronounce.predict(spoken)
    if not predictions:
        return []
    picked = [p for p in chosen(predictions) if limits(p.index) is not None]
    if not picked:
        return []
    by_index = {p.index: p for p in predictions}
    spans = pronounce.segment(spoken)
    starts = [s for s, _ in spans]
    # What transcribe() would give the word's other characters (their first reading), without
    # running the model over the text a second time (transcribe predicts again: 200 ms of 370
    # on a 20,000-character document).
    readings = pronounce.readings
    words: dict[tuple[int, int], _Word] = {}
    out: list[tuple[Prediction, _Word | None]] = []
    for p in picked:
        i = p.index
        bounds = limits(i)
        assert bounds is not None
        lo, hi = bounds
        k = bisect_right(starts, i) - 1
        ws, we = spans[k] if k >= 0 and spans[k][0] <= i < spans[k][1] else (i, i + 1)
        ws, we = max(ws, lo), min(we, hi)
        syllables = _syllables(spoken, ws, we, by_index, readings)
        if syllables is None:
            ws, we = i, i + 1
            syllables = [p.reading]
        word = words.get((ws, we))
        if word is None:
            word = words[(ws, we)] = _Word(ws, we, syllables)
        word.predictions.append(p)
        out.append((p, word))
    return out


def _syllables(
    spoken: str,
    start: int,
    end: int,
    predicted: dict[int, Prediction],
    readings: Callable[[str], tuple[str, ...]],
) -> list[str] | None:
    """One syllable per character of ``spoken[start:end]``, or None when one has none: a
    polyphone's predicted reading, another character's first reading (as ``transcribe``)."""
    out: list[str] = []
    for j in range(start, end):
        p = predicted.get(j)
        reading = p.reading if p is not None else next(iter(readings(spoken[j])), None)
        if reading is None or not is_cjk_ideograph(spoken[j]):
            return None
        out.append(reading)
    return out


def plan_text(
    text: str, chars: str | None = None, *, all_polyphones: bool = False
) -> list[tuple[int, int, str]]:
    """The words of plain ``text`` to hint: ``(start, end, ph)``, in order, not overlapping.

        plan_text("银行行长")   # [(0, 2, 'yin2 hang2'), (2, 4, 'hang2 zhang3')]

    The planner of :func:`annotate` on text without markup (what
    :func:`ssmlkit.builder.auto_pinyin` builds on); ``chars`` and ``all_polyphones`` as there.
    """
    chosen = selector(chars, all_polyphones=all_polyphones)
    whole = (0, len(text))
    seen: dict[int, tuple[int, int, str]] = {}
    for _p, word in _plan_words(text, chosen, lambda i: whole):
        if word is not None and word.start not in seen:
            seen[word.start] = (word.start, word.end, " ".join(word.syllables))
    return [seen[k] for k in sorted(seen)]


# --- the planner on a document ---------------------------------------------------------------


class _Piece:
    """A text node's place in a ``<speak>``'s spoken text, and its map back to the source.

    ``at`` is where its value starts in the spoken text; ``starts[k]`` and ``ends[k]`` are where
    the value's character ``k`` is written in the source, and ``cdata[k]`` whether it stands in
    a CDATA section (see :func:`source_offsets`). ``why_not`` is set when nothing
    in the node can be hinted.
    """

    __slots__ = ("at", "cdata", "ends", "node", "starts", "why_not")

    def __init__(
        self,
        at: int,
        node: Text,
        starts: list[int] | None,
        ends: list[int] | None,
        cdata: list[bool] | None,
        why_not: str | None,
    ) -> None:
        self.at = at
        self.node = node
        self.starts = starts
        self.ends = ends
        self.cdata = cdata
        self.why_not = why_not


_REFERENCES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_CDATA_OPEN = "<![CDATA["


def source_offsets(
    raw: str, value: str, start: int
) -> tuple[list[int], list[int], list[bool]] | None:
    """Where each character of a text node's decoded ``value`` is written in the source.

    ``raw`` is the node's source text, which begins at offset ``start``. Returns, per
    character, the offsets where it starts and ends as written (``&#34892;`` is one character
    eight long) and whether it stands in a CDATA section; ``None`` when ``raw`` does not decode
    to ``value`` (then no offset is given rather than a wrong one). Character and entity
    references (``&#34892;``, ``&amp;``) and line ends (``\\r\\n`` and ``\\r`` read as ``\\n``)
    are mapped.
    """
    starts: list[int] = []
    ends: list[int] = []
    cdata: list[bool] = []
    decoded: list[str] = []
    j, n = 0, len(raw)
    while j < n:
        c = raw[j]
        if c == "&":
            semi = raw.find(";", j)
            name = raw[j + 1 : semi] if semi > 0 else ""
            try:
                char = (
                    chr(int(name[2:], 16))
                    if name[:2] in ("#x", "#X")
                    else chr(int(name[1:]))
                    if name[:1] == "#"
                    else _REFERENCES[name]
                )
            except (KeyError, ValueError, OverflowError):
                return None
            starts.append(start + j)
            ends.append(start + semi + 1)
            cdata.append(False)
            decoded.append(char)
            j = semi + 1
        elif c == "<" and raw.startswith(_CDATA_OPEN, j):
            close = raw.find("]]>", j)
            if close < 0:
                return None
            k = j + len(_CDATA_OPEN)
            while k < close:
                step = 2 if raw.startswith("\r\n", k) else 1
                starts.append(start + k)
                ends.append(start + k + step)
                cdata.append(True)
                decoded.append("\n" if raw[k] == "\r" else raw[k])
                k += step
            j = close + 3
        else:
            step = 2 if raw.startswith("\r\n", j) else 1
            starts.append(start + j)
            ends.append(start + j + step)
            cdata.append(False)
            decoded.append("\n" if c == "\r" else c)
            j += step
    if "".join(decoded) != value:
        return None
    return starts, ends, cdata


def _spoken(speak: Speak, source: str) -> tuple[str, list[_Piece]]:
    """The text the service speaks for ``speak``, and its text nodes' places in it."""
    parts: list[str] = []
    pieces: list[_Piece] = []
    size = 0

    def add(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(nodes: tuple[Node, ...], inside: Element | None) -> None:
        for node in nodes:
            if isinstance(node, Text):
                why_not = None
                starts = ends = cdata = None
                span = node.span
                if span is None:
                    why_not = "the text has no position in the source"
                else:
                    mapped = source_offsets(source[span.start : span.end], node.value, span.start)
                    if mapped is None:
                        why_not = "the text could not be mapped to the source"
                    else:
                        starts, ends, cdata = mapped
                if inside is not None:
                    why_not = (
                        f"inside <{inside.name}>: a <phoneme> may only stand right inside <speak>"
                    )
                pieces.append(_Piece(size, node, starts, ends, cdata, why_not))
                add(node.value)
            elif isinstance(node, Phoneme | SayAs):
                add(node.text)  # spoken, and read as its hint or mode says: context only
            elif isinstance(node, Sub):
                add(node.get("alias") or "")
            elif isinstance(node, Break | SoundEvent | Comment | ProcessingInstruction):
                continue
            elif isinstance(node, Element):
                walk(node.children, inside if inside is not None else node)

    walk(speak.children, None)
    return "".join(parts), pieces


def plan_document(
    source: str,
    document: Document,
    chars: str | None = None,
    *,
    all_polyphones: bool = False,
    index: LineIndex | None = None,
) -> tuple[list[Hint], list[PolyphoneDecision]]:
    """The hints to add to ``document`` (parsed from ``source``) and every decision, in order.

    ``source`` is the text the document's spans point into (``document.source`` for a parsed
    document). Each :class:`Hint` carries the one :class:`~ssmlkit.linter.diagnostic.Edit` that
    adds it; hints never overlap. ``chars`` and ``all_polyphones`` as for :func:`annotate`.
    """
    chosen = selector(chars, all_polyphones=all_polyphones)
    index = index or LineIndex(source)
    hints: list[Hint] = []
    decisions: list[PolyphoneDecision] = []
    for item in document.items:
        if not isinstance(item, Speak):
            continue
        spoken, pieces = _spoken(item, source)
        if not pieces or not any(is_cjk_ideograph(c) for c in spoken if c >= "\u3400"):
            continue
        at = [p.at for p in pieces]

        def piece_of(i: int, pieces: list[_Piece] = pieces, at: list[int] = at) -> _Piece | None:
            k = bisect_right(at, i) - 1
            if k < 0:
                return None
            piece = pieces[k]
            return piece if i < piece.at + len(piece.node.value) else None

        def limits(i: int) -> tuple[int, int] | None:
            piece = piece_of(i)
            if piece is None:
                return None  # in <phoneme>, <say-as> or a <sub> alias: not ours to hint
            return piece.at, piece.at + len(piece.node.value)

        planned = _plan_words(spoken, chosen, limits)
        made: dict[int, list[PolyphoneDecision]] = {}
        words: dict[int, tuple[int, str, str]] = {}
        for p, word in planned:
            assert word is not None
            piece = piece_of(p.index)
            assert piece is not None
            ph = " ".join(word.syllables)
            text = spoken[word.start : word.end]
            reason = piece.why_not
            start = end = -1
            if reason is None:
                assert piece.starts is not None
                assert piece.ends is not None
                assert piece.cdata is not None
                lo, hi = word.start - piece.at, word.end - piece.at
                if any(piece.cdata[lo:hi]):
                    reason = "written in a CDATA section, where markup cannot stand"
                else:
                    start, end = piece.starts[lo], piece.ends[hi - 1]
            if piece.starts is not None and piece.ends is not None:
                k = p.index - piece.at
                where, until = piece.starts[k], piece.ends[k]
            else:
                node_span = piece.node.span
                where, until = (node_span.start, node_span.end) if node_span else (0, 0)
            line, column = index.position(where)
            # White space runs (line breaks, indentation) shown as one space.
            before = _SPACES.sub(" ", spoken[max(0, p.index - CONTEXT_CHARS) : p.index]).lstrip()
            after = _SPACES.sub(" ", spoken[p.index + 1 : p.index + 1 + CONTEXT_CHARS]).rstrip()
            decision = PolyphoneDecision(
                line=line,
                column=column,
                start=where,
                end=until,
                char=p.char,
                context=before + p.char + after,
                context_at=len(before),
                reading=p.reading,
                confidence=float(p.confidence),
                candidates=tuple(p.candidates),
                applied=reason is None,
                word=text,
                ph=ph,
                reason=reason,
            )
            decisions.append(decision)
            if reason is None:
                made.setdefault(start, []).append(decision)
                words[start] = (end, text, ph)
        for start in sorted(words):
            end, text, ph = words[start]
            edit = Edit(start, end, _OPEN.format(ph) + source[start:end] + _CLOSE)
            hints.append(Hint(start, end, text, ph, edit, tuple(made[start])))
    return hints, decisions


def apply_hints(source: str, hints: Sequence[Hint]) -> str:
    """``source`` with every hint's edit applied (hints do not overlap)."""
    out: list[str] = []
    at = 0
    for hint in sorted(hints, key=lambda h: h.start):
        out.append(source[at : hint.start])
        out.append(hint.edit.replacement)
        at = hint.end
    out.append(source[at:])
    return "".join(out)


def annotate(
    source: Source, chars: str | None = None, *, all_polyphones: bool = False
) -> AnnotateResult:
    """Add pinyin hints to the polyphonic characters of ``source``; keep every other byte.

        >>> r = annotate("<speak>他在银行工作。</speak>")   # doctest: +SKIP
        >>> r.text
        '<speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。</speak>'
        >>> annotate(doc, "行长").decisions[0].reading   # doctest: +SKIP
        'hang2'

    ``source`` is SSML text or bytes or a model object (see :mod:`ssmlkit.sources`); a model
    object is annotated as the text it was parsed from, or else as its serialized text. Bytes
    are decoded as :func:`~ssmlkit.parse.parse` decodes them and a byte-order mark is kept (as
    U+FEFF at the start of ``text``).

    ``chars`` (a string: ``"行长"``) hints only those characters; ``all_polyphones=True`` every
    polyphone; by default the polyphones whose reading in context differs from their reading
    out of context (see :data:`DEFAULT_SELECTION` and the module docstring for what is never
    touched). Existing
    ``<phoneme>`` hints are kept byte for byte; the result lints clean of the pronunciation rules
    and annotating it again changes nothing.

    Raises :class:`~ssmlkit.errors.ParseError` for input that is not well-formed,
    :class:`~ssmlkit.pronounce.PronounceUnavailable` without the ``[pronounce]`` extra
    (``pip install 'ssmlkit[pronounce]'``), :class:`ValueError` for ``chars`` naming a
    character that is not a polyphone (or with ``all_polyphones``) and :class:`TypeError` for
    a ``source`` of another type.
    """
    from ssmlkit import pronounce
    from ssmlkit.parse import decode, parse
    from ssmlkit.serialize import serialize
    from ssmlkit.sources import as_source

    given = as_source(source, "annotate")
    if isinstance(given, Document):
        text = given.source if given.source is not None else serialize(given)
    elif isinstance(given, bytes):
        decoded = decode(given)
        text = ("\ufeff" if decoded.bom else "") + decoded.text
    else:
        text = given
    missing = pronounce.unavailable_reason()
    if missing is not None:
        raise pronounce.PronounceUnavailable(missing)
    document = parse(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = document.source if document.source is not None else text[len(bom) :]
    hints, decisions = plan_document(body, document, chars, all_polyphones=all_polyphones)
    if not hints:
        return AnnotateResult(text, document, tuple(decisions))
    new = bom + apply_hints(body, hints)
    return AnnotateResult(new, parse(new), tuple(decisions), tuple(hints))
