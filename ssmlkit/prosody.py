"""Prosody in the builder, and the ``<speak>`` segmenter the converter shares.

Usage::

    >>> from ssmlkit.builder import prosody, speak
    >>> from ssmlkit.serialize import serialize
    >>> doc = speak("平常，", prosody("快一点，", prosody("再高一点", pitch=1.2), rate=1.5), "又平常。")
    >>> print(serialize(doc))
    <speak>平常，</speak><speak rate="1.5">快一点，</speak><speak rate="1.5" pitch="1.2">再高一点</speak><speak>又平常。</speak>

CosyVoice has no ``<prosody>`` element: rate, pitch and volume are attributes of ``<speak>``, and
several sibling ``<speak>`` elements may follow one another. So :func:`ssmlkit.builder.prosody`
builds a :class:`Prosody` node that :func:`ssmlkit.builder.speak` turns into sibling ``<speak>``
segments whose attributes are the effective values (an inner prosody inherits what it does not
set); neighbouring segments with equal attributes merge, and the text is left exactly as it was.
This module knows nothing of the builder's checks: the builder imports it, never the reverse.
:func:`effective_prosody` reads back, for every piece of text of a document, the prosody it is
spoken with.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from ssmlkit.model import Attrs, Comment, Document, Node, Speak, Text

__all__ = [
    "PROSODY_ATTRIBUTES",
    "Prosody",
    "Stream",
    "effective_prosody",
    "segments",
    "speak_segments",
]

#: The ``<speak>`` attributes a prosody sets.
PROSODY_ATTRIBUTES = ("rate", "pitch", "volume")

#: A flat run of ``(speak attributes, inline node)`` pairs: what the segmenter groups.
Stream: TypeAlias = Iterable[tuple[Attrs, Node]]


@dataclass(frozen=True, slots=True)
class Prosody:
    """A builder-only node: its ``children`` are spoken with these attribute strings.

    Made by :func:`ssmlkit.builder.prosody`; never part of a :class:`~ssmlkit.model.Document`
    (``speak()`` turns it into ``<speak>`` segments). ``None`` means "inherit".
    """

    children: tuple[Node | Prosody, ...]
    rate: str | None = None
    pitch: str | None = None
    volume: str | None = None

    def attrs(self) -> dict[str, str]:
        """The attributes this prosody sets (only those not ``None``)."""
        values = {"rate": self.rate, "pitch": self.pitch, "volume": self.volume}
        return {k: v for k, v in values.items() if v is not None}


def _merge_attrs(base: Attrs, overrides: dict[str, str]) -> Attrs:
    """``base`` with ``overrides`` applied: existing names keep their place, new ones follow."""
    out = [(k, overrides.get(k, v)) for k, v in base]
    seen = {k for k, _ in base}
    out += [
        (k, overrides[k])
        for k in (*PROSODY_ATTRIBUTES, "voice")
        if k in overrides and k not in seen
    ]
    out += [
        (k, v)
        for k, v in overrides.items()
        if k not in seen and k not in (*PROSODY_ATTRIBUTES, "voice")
    ]
    return tuple(out)


def _flatten(attrs: Attrs, children: Iterable[Node | Prosody]) -> Iterator[tuple[Attrs, Node]]:
    stack: list[tuple[Attrs, Iterator[Node | Prosody]]] = [(attrs, iter(children))]
    while stack:
        current, it = stack[-1]
        for child in it:
            if isinstance(child, Prosody):
                stack.append((_merge_attrs(current, child.attrs()), iter(child.children)))
                break
            yield current, child
        else:
            stack.pop()


def _is_filler(node: Node) -> bool:
    """Whitespace and comments carry no prosody: they join a neighbouring segment."""
    return isinstance(node, Comment) or (isinstance(node, Text) and not node.value.strip())


def segments(stream: Stream, *, root: Attrs = ()) -> tuple[Speak, ...]:
    """Group ``(attributes, node)`` pairs into sibling ``<speak>`` elements.

    Consecutive nodes with equal attributes share one ``<speak>``; whitespace and comments join
    the segment before them (or after them, at the start). A stream with no node gives one
    empty ``<speak>`` with ``root`` attributes.
    """
    pairs = list(stream)
    if not pairs:
        return (Speak(attrs=root),)
    first = next((i for i, (_, n) in enumerate(pairs) if not _is_filler(n)), None)
    attrs_of: list[Attrs] = [a for a, _ in pairs]
    if first is not None:
        last = pairs[first][0]
        for i, (a, node) in enumerate(pairs):
            if _is_filler(node):
                attrs_of[i] = last  # leading fillers take the first content's attributes
            else:
                last = a
    out: list[Speak] = []
    group: list[Node] = []
    group_attrs: Attrs | None = None
    for a, (_, node) in zip(attrs_of, pairs, strict=True):
        if group_attrs is not None and a != group_attrs:
            out.append(Speak(attrs=group_attrs, children=tuple(group)))
            group = []
        group_attrs = a
        group.append(node)
    if group_attrs is not None:
        out.append(Speak(attrs=group_attrs, children=tuple(group)))
    return tuple(out)


def speak_segments(attrs: Attrs, children: Iterable[Node | Prosody]) -> Document:
    """The sibling ``<speak>`` segments for a ``<speak attrs>`` whose children hold prosodies."""
    return Document(segments(_flatten(attrs, children), root=attrs))


def effective_prosody(doc: Document) -> list[tuple[str, tuple[str | None, str | None, str | None]]]:
    """Every text node of ``doc`` inside ``<speak>``, with the (rate, pitch, volume) it is spoken
    with, as the attribute strings of its ``<speak>`` (``None``: not set, the request's value).

        >>> from ssmlkit.parse import parse
        >>> effective_prosody(parse('<speak rate="1.5">a<break/>b</speak><speak>c</speak>'))
        [('a', ('1.5', None, None)), ('b', ('1.5', None, None)), ('c', (None, None, None))]

    Text under an ``UnknownElement`` (say a W3C ``<prosody>``) is reported with the enclosing
    ``<speak>``'s values: this reads the CosyVoice dialect only.
    """
    out: list[tuple[str, tuple[str | None, str | None, str | None]]] = []
    for node, ancestors in doc.walk():
        if not isinstance(node, Text):
            continue
        speak = next((a for a in ancestors if isinstance(a, Speak)), None)
        if speak is None:
            continue
        out.append((node.value, (speak.get("rate"), speak.get("pitch"), speak.get("volume"))))
    return out
