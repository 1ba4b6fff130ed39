"""The converter: W3C SSML and vendor dialects → CosyVoice SSML, with a report of every change.

    >>> r = convert('<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis">'
    ...             'Hi <prosody rate="fast">there</prosody></speak>')
    >>> r.text
    '<speak>Hi </speak><speak rate="1.5">there</speak>'
    >>> [c.action for c in r.changes]
    ['dropped', 'dropped', 'converted']

One walk over each ``<speak>``: every node is emitted into a flat stream of
``(speak attributes, node)`` pairs, prosody and voice changing the attributes, and
:func:`ssmlkit.prosody.segments` groups the stream into sibling ``<speak>`` elements. All numbers
come from :mod:`ssmlkit.conversion.tables`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

from ssmlkit.conversion import tables as T
from ssmlkit.conversion.values import (
    Mapped,
    map_break_strength,
    map_break_time,
    map_pinyin,
    map_pitch,
    map_rate,
    map_volume,
)
from ssmlkit.errors import BuildError
from ssmlkit.measure import is_cjk_ideograph
from ssmlkit.model import (
    Attrs,
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Span,
    Speak,
    Sub,
    Text,
    UnknownElement,
)
from ssmlkit.profiles import cosyvoice as P
from ssmlkit.profiles import values as V
from ssmlkit.prosody import segments

if TYPE_CHECKING:
    from ssmlkit.sources import Source

__all__ = ["Action", "Change", "ConversionResult", "convert", "detect_source", "element_action"]

Action = Literal[
    "converted", "normalized", "clamped", "unwrapped", "dropped", "inserted", "wrapped"
]

_W3C_NS: Final = "http://www.w3.org/2001/10/synthesis"
_URL: Final = re.compile(r"https?://[^\s]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Change:
    """One thing the conversion changed or dropped, at its place in the input.

    ``action`` is one of ``converted``, ``normalized``, ``clamped``, ``unwrapped``, ``dropped``,
    ``inserted``, ``wrapped``; ``element`` names what was touched (``<prosody>``,
    ``<break time>``, ``xml:lang``); ``line``/``column`` are 1-based (``None`` when unknown; a
    built document's refer to its serialized text).
    """

    action: Action
    element: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line is not None else ""
        return f"{where}{self.action} {self.element}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "action": self.action,
            "element": self.element,
            "message": self.message,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True, slots=True)
class ConversionResult:
    """What :func:`convert` returns: the CosyVoice ``document`` and the ``changes`` made.

    ``text`` is the document as SSML (the input text itself when nothing changed); ``source`` the
    dialect the input was read as.
    """

    document: Document
    changes: tuple[Change, ...]
    source: str = "cosyvoice"

    @property
    def changed(self) -> bool:
        """Whether anything was changed or dropped."""
        return bool(self.changes)

    @property
    def text(self) -> str:
        """The converted document as SSML text."""
        if not self.changes and self.document.source is not None:
            return self.document.source
        from ssmlkit.serialize import serialize

        return serialize(self.document)


def detect_source(doc: Document) -> str:
    """Which dialect ``doc`` looks written for: ``amazon``, ``azure``, ``google``, ``w3c`` or
    ``cosyvoice`` (from prefixes, namespaces and elements)."""
    found = "cosyvoice"
    for node, _ in doc.walk():
        if not isinstance(node, Element):
            continue
        names = [node.name, *(k for k, _ in node.attrs)]
        values = [v for _, v in node.attrs]
        if any(n.startswith(("amazon:", "xmlns:amazon")) for n in names):
            return "amazon"
        if any(n.startswith(("mstts:", "xmlns:mstts")) for n in names) or any(
            "microsoft.com" in v for v in values
        ):
            return "azure"
        if node.name in ("par", "seq", "media") or any(
            n.startswith(("google:", "xmlns:google")) for n in names
        ):
            return "google"
        if isinstance(node, UnknownElement) or any(
            n in ("version", "xmlns", "xml:lang") for n in names
        ):
            found = "w3c"
    return found


def element_action(name: str) -> Literal["segment", "unwrap", "drop", "audio", "unknown"]:
    """What the conversion does with a foreign element ``name`` (as written, with any prefix).

    ``segment``: ``<prosody>``/``<voice>`` become ``<speak>`` segments; ``unwrap``: the tags go,
    the content stays; ``drop``: removed with its content; ``audio``: becomes ``<soundEvent>``;
    ``unknown``: not in the tables (unwrapped when it has content, dropped when empty).
    """
    local = _local(name)
    if local in ("prosody", "voice"):
        return "segment"
    if local in T.AUDIO_ELEMENTS:
        return "audio"
    if name in T.DROP_ELEMENTS or local in T.DROP_ELEMENTS:
        return "drop"
    if name in T.UNWRAP_ELEMENTS or local in T.UNWRAP_ELEMENTS:
        return "unwrap"
    return "unknown"


def _local(name: str) -> str:
    prefix, colon, local = name.partition(":")
    # A W3C element written with a prefix bound to the SSML namespace (ssml:prosody).
    return local if colon and prefix in ("ssml", "s") else name


@dataclass(slots=True)
class _State:
    attrs: Attrs
    rate: Decimal | None = None
    pitch: Decimal | None = None
    volume: Decimal | None = None


@dataclass(slots=True)
class _Converter:
    source: str
    changes: list[Change] = field(default_factory=list)
    stream: list[tuple[Attrs, Node]] = field(default_factory=list)
    pending_pause: int = 0
    pending_span: Span | None = None
    last_char: str = ""  # the last character emitted in this <speak>
    last_content: str = ""  # the last non-space character (or "" before any content)
    after_break: bool = False

    # -- reporting ----------------------------------------------------------------------------
    def report(self, action: Action, element: str, message: str, where: Span | None) -> None:
        line, column = (where.line, where.column) if where is not None else (None, None)
        self.changes.append(Change(action, element, message, line, column))

    # -- output -------------------------------------------------------------------------------
    def emit(self, state: _State, node: Node) -> None:
        if isinstance(node, Break):
            self.pending_pause = 0
            self.after_break = True
        elif not (
            isinstance(node, Comment | SoundEvent)  # a clip keeps a pending pause for the text
            or (isinstance(node, Text) and not node.value.strip())
        ):
            self._settle_pause(state, node)
        self.stream.append((state.attrs, node))
        text = node.value if isinstance(node, Text) else ""
        if isinstance(node, Element) and not isinstance(node, Break):
            text = node.get("alias") or node.text if isinstance(node, Sub) else node.text
            if isinstance(node, SoundEvent):
                text = "."  # a clip separates like punctuation
        if text:
            self.last_char = text[-1]
            if text.strip():
                self.last_content = text.rstrip()[-1]
                self.after_break = False

    def _settle_pause(self, state: _State, node: Node) -> None:
        """Before new content: stand a break in for a <p>/<s> boundary that has no punctuation."""
        pause, where = self.pending_pause, self.pending_span
        self.pending_pause, self.pending_span = 0, None
        if not pause or not self.last_content or self.after_break:
            return
        if self.last_content in T.FINAL_PUNCTUATION:
            first = node.value[:1] if isinstance(node, Text) else ""
            if isinstance(node, Element):
                first = node.text[:1]
            apart = bool(self.last_char) and not self.last_char.isspace()
            apart = apart and bool(first) and not first.isspace()
            if apart and not (is_cjk_ideograph(self.last_char) and is_cjk_ideograph(first)):
                self.stream.append((state.attrs, Text(" ")))  # keep the words apart
                self.last_char = " "
            return
        time = V.format_break_time(pause)
        self.stream.append((state.attrs, Break(attrs=(("time", time),))))
        self.after_break = True
        self.report(
            "inserted",
            "<break>",
            f'<break time="{time}"/> stands in for the pause of a sentence/paragraph boundary '
            "(the text before it has no final punctuation)",
            where,
        )

    def boundary(self, name: str, where: Span | None) -> None:
        pause = T.BLOCK_PAUSE_MS.get(name, 0)
        if pause > self.pending_pause:
            self.pending_pause, self.pending_span = pause, where

    # -- speak ------------------------------------------------------------------------------
    def speak(self, node: Speak) -> tuple[Speak, ...]:
        self.stream = []
        self.pending_pause, self.pending_span = 0, None
        self.last_char = self.last_content = ""
        self.after_break = False
        state = _State(())
        kept: list[tuple[str, str]] = []
        for name, value in node.attrs:
            where = node.attr_span(name) or node.start_tag or node.span
            if name in ("rate", "pitch", "volume"):
                mapped = self._prosody_value(name, value, None, where)
                if mapped.text is not None:
                    kept.append((name, mapped.text))
                    setattr(state, name, mapped.value)
            elif name == "voice":
                if self._voice_ok(value):
                    kept.append((name, value))
                else:
                    self.report(
                        "dropped",
                        "voice",
                        f"voice {value!r} does not take SSML; the request's voice is used",
                        where,
                    )
            elif name in P.ELEMENT_ATTRIBUTES["speak"]:
                kept.append((name, value))
            else:
                self.report("dropped", name, _dropped_attribute(name), where)
        state.attrs = tuple(kept)
        self.children(node.children, state)
        return segments(self.stream, root=state.attrs)

    def _prosody_value(
        self,
        name: str,
        value: str,
        parent: Decimal | None,
        where: Span | None,
        *,
        quiet: bool = False,
    ) -> Mapped:
        if name == "rate":
            named = T.AZURE_RATE_NAMED if self.source == "azure" else None
            mapped = map_rate(value, parent, named)
        elif name == "pitch":
            mapped = map_pitch(value, parent)
        else:
            mapped = map_volume(value, parent)
        if mapped.text is None:
            self.report("dropped", name, f"{name}={value!r} cannot be read; it is ignored", where)
        elif mapped.clamped:
            self.report(
                "clamped",
                name,
                f"{name}={value!r} is outside CosyVoice's range; clamped to {mapped.text}",
                where,
            )
        elif mapped.text != value and not quiet:
            self.report("normalized", name, f"{name}={value!r} → {mapped.text}", where)
        return mapped

    @staticmethod
    def _voice_ok(name: str) -> bool:
        voice = V.get_voice(name)
        return voice is not None and voice.ssml is not False

    # -- children -----------------------------------------------------------------------------
    def children(self, nodes: tuple[Node, ...], state: _State) -> None:
        for child in nodes:
            self.node(child, state)

    def node(self, node: Node, state: _State) -> None:
        if isinstance(node, Text | Comment):
            self.emit(state, node)
        elif isinstance(node, ProcessingInstruction):
            self.report("dropped", f"<?{node.target}?>", "processing instruction", node.span)
        elif isinstance(node, UnknownElement):
            self.foreign(node, state)
        elif isinstance(node, Speak):
            self.report("unwrapped", "<speak>", "a <speak> may not nest", node.start_tag)
            self.prosody(node, state)
        else:
            handler: Callable[[Element, _State], None] = {
                Break: self.brk,
                Sub: self.sub,
                Phoneme: self.phoneme,
                SayAs: self.say_as,
                SoundEvent: self.sound_event,
            }[type(node)]
            handler(node, state)

    def _drop_attrs(self, node: Element, allowed: frozenset[str] | set[str]) -> Attrs:
        kept = []
        for name, value in node.attrs:
            if name in allowed:
                kept.append((name, value))
            else:
                where = node.attr_span(name) or node.start_tag
                self.report("dropped", f"<{node.name} {name}>", _dropped_attribute(name), where)
        return tuple(kept)

    def _as_text(self, node: Element, state: _State, action: Action, why: str) -> None:
        self.report(action, f"<{node.name}>", why, node.start_tag or node.span)
        self.children(node.children, state)

    # -- dialect elements -----------------------------------------------------------------
    def brk(self, node: Element, state: _State) -> None:
        time, strength = node.get("time"), node.get("strength")
        where = node.start_tag or node.span
        for name, _ in node.attrs:
            if name not in ("time", "strength"):
                self.report("dropped", f"<break {name}>", _dropped_attribute(name), where)
        if time is not None:
            if strength is not None:
                self.report("dropped", "<break strength>", "time is given; it wins", where)
            mapped = map_break_time(time)
            if mapped.value is None:
                self.report("dropped", "<break>", f"time={time!r} cannot be read", where)
                return
            if mapped.text is None:
                self.report("dropped", "<break>", f"time={time!r} is no pause", where)
                return
            if mapped.clamped:
                self.report(
                    "clamped",
                    "<break time>",
                    f"time={time!r} is outside 50 ms-10 s; clamped to {mapped.text}",
                    where,
                )
            elif mapped.text != time and not V.is_break_time(time):
                self.report("normalized", "<break time>", f"time={time!r} → {mapped.text}", where)
            else:
                mapped = Mapped(mapped.value, time)
            out = Break(attrs=(("time", mapped.text or time),))
        elif strength is not None:
            mapped = map_break_strength(strength)
            if mapped.value is None:
                self.report(
                    "converted",
                    "<break strength>",
                    f"strength={strength!r} is not a W3C strength; a bare break (1 s) is used",
                    where,
                )
                out = Break()
            elif mapped.text is None:
                self.report("dropped", "<break>", 'strength="none" means no pause', where)
                return
            else:
                self.report(
                    "converted",
                    "<break strength>",
                    f'strength="{strength}" → time="{mapped.text}"',
                    where,
                )
                out = Break(attrs=(("time", mapped.text),))
        else:
            out = Break()
        if node.children:
            self.report("dropped", "<break>", "content inside <break>", where)
        self.emit(state, out)

    def sub(self, node: Element, state: _State) -> None:
        attrs = self._drop_attrs(node, {"alias"})
        if not dict(attrs).get("alias", "").strip() or not node.text.strip():
            self._as_text(node, state, "unwrapped", "a <sub> needs an alias and text")
            return
        self.emit(state, Sub(attrs=attrs, children=(Text(node.text),), span=node.span))

    def phoneme(self, node: Element, state: _State) -> None:
        from ssmlkit.builder import phoneme

        alphabet, ph = node.get("alphabet") or "", node.get("ph") or ""
        key = alphabet.strip().lower()
        where = node.start_tag or node.span
        for name, _ in node.attrs:
            if name not in ("alphabet", "ph"):
                self.report("dropped", f"<phoneme {name}>", _dropped_attribute(name), where)
        if key in T.PINYIN_ALPHABETS:
            target, value = "py", map_pinyin(ph)
        elif key in T.CMU_ALPHABETS:
            target, value = "cmu", " ".join(ph.split())
        else:
            what = f"alphabet={alphabet!r}" if alphabet else "no alphabet"
            self._as_text(node, state, "dropped", f"{what}: CosyVoice reads only py and cmu")
            return
        try:
            built = phoneme(node.text, alphabet=target, ph=value or "")
        except BuildError as exc:
            self._as_text(node, state, "dropped", f"the pronunciation cannot be used ({exc})")
            return
        if built.attrs != node.attrs or built.text != node.text:
            self.report(
                "converted",
                "<phoneme>",
                f'alphabet={alphabet!r} ph={ph!r} → alphabet="{target}" ph="{built.ph}"',
                where,
            )
        self.emit(state, built)

    def say_as(self, node: Element, state: _State) -> None:
        from ssmlkit.builder import say_as

        value = node.get("interpret-as") or ""
        where = node.start_tag or node.span
        for name, _ in node.attrs:
            if name != "interpret-as":
                self.report("dropped", f"<say-as {name}>", _dropped_attribute(name), where)
        target = T.INTERPRET_AS_MAP.get(value.strip().lower())
        if target is None:
            self._as_text(
                node, state, "dropped", f"interpret-as={value!r} has no CosyVoice equivalent"
            )
            return
        try:
            built = say_as(node.text, target)
        except BuildError as exc:
            self._as_text(node, state, "dropped", f"cannot be kept ({exc})")
            return
        if target != value:
            self.report("converted", "<say-as>", f'interpret-as="{value}" → "{target}"', where)
        self.emit(state, built)

    def sound_event(self, node: Element, state: _State) -> None:
        src = node.get("src") or ""
        attrs = self._drop_attrs(node, {"src"})
        if not _URL.fullmatch(src.strip()):
            self.report("dropped", "<soundEvent>", f"src={src!r} is not an http(s) URL", node.span)
            return
        self.emit(state, SoundEvent(attrs=attrs))

    # -- foreign elements -----------------------------------------------------------------
    def foreign(self, node: UnknownElement, state: _State) -> None:
        action = element_action(node.name)
        local = _local(node.name)
        where = node.start_tag or node.span
        label = f"<{node.name}>"
        if action == "segment":
            if local == "prosody":
                self.prosody(node, state)
            else:
                self.voice(node, state)
        elif action == "audio":
            src = (node.get("src") or "").strip()
            if not _URL.fullmatch(src):
                self.report("dropped", label, f"src={src!r} is not an http(s) URL", where)
                return
            self.report("converted", label, f'→ <soundEvent src="{src}"/>', where)
            if node.text.strip() or any(isinstance(c, Element) for c in node.children):
                self.report("dropped", f"{label} content", "the fallback content", where)
            self.emit(state, SoundEvent(attrs=(("src", src),)))
        elif action == "drop" or (action == "unknown" and not node.children):
            why = T.DROP_ELEMENTS.get(node.name) or T.DROP_ELEMENTS.get(local) or "not in CosyVoice"
            self.report("dropped", label, why, where)
        else:
            kept = T.UNWRAP_ELEMENTS.get(node.name) or T.UNWRAP_ELEMENTS.get(local)
            self.report("unwrapped", label, kept or "not in CosyVoice; its content is kept", where)
            block = local in T.BLOCK_PAUSE_MS
            if block:
                self.boundary(local, where)
            self.children(node.children, state)
            if block:
                self.boundary(local, node.end_tag or where)

    def prosody(self, node: Element, state: _State) -> None:
        inner = _State(state.attrs, state.rate, state.pitch, state.volume)
        overrides: dict[str, str] = {}
        mapped_from: list[str] = []
        quiet = isinstance(node, UnknownElement)
        for name, value in node.attrs:
            where = node.attr_span(name) or node.start_tag
            if name in ("rate", "pitch", "volume"):
                parent = getattr(state, name)
                mapped = self._prosody_value(name, value, parent, where, quiet=quiet)
                if mapped.text is not None:
                    overrides[name] = mapped.text
                    setattr(inner, name, mapped.value)
                    mapped_from.append(f'{name}="{value}"')
            elif isinstance(node, Speak) and name in P.ELEMENT_ATTRIBUTES["speak"]:
                overrides[name] = value
            else:
                self.report("dropped", f"<{node.name} {name}>", _dropped_attribute(name), where)
        inner.attrs = _override(state.attrs, overrides)
        if quiet:
            effective = " ".join(f'{k}="{v}"' for k, v in inner.attrs)
            self.report(
                "converted",
                f"<{node.name}>",
                f"{' '.join(mapped_from) or 'no readable value'} → <speak {effective}>"
                if effective
                else f"{' '.join(mapped_from) or 'no readable value'} → <speak>",
                node.start_tag or node.span,
            )
        self.children(node.children, inner)

    def voice(self, node: UnknownElement, state: _State) -> None:
        name = node.get("name")
        where = node.start_tag or node.span
        label = f"<{node.name}>"
        for attr, _ in node.attrs:
            if attr != "name":
                self.report("dropped", f"{label} {attr}", _dropped_attribute(attr), where)
        if name is not None and self._voice_ok(name):
            self.report("converted", label, f'→ <speak voice="{name}">', where)
            inner = _State(
                _override(state.attrs, {"voice": name}), state.rate, state.pitch, state.volume
            )
            self.children(node.children, inner)
            return
        why = f"{name!r} is not a CosyVoice voice" if name else "no voice name"
        self.report("unwrapped", label, f"{why}; the request's voice is used", where)
        self.children(node.children, state)


def _override(attrs: Attrs, overrides: dict[str, str]) -> Attrs:
    out = [(k, overrides.get(k, v)) for k, v in attrs]
    names = {k for k, _ in attrs}
    out += [(k, v) for k, v in overrides.items() if k not in names]
    return tuple(out)


def _dropped_attribute(name: str) -> str:
    if name in ("version", "xmlns") or name.startswith(("xmlns:", "xsi:")):
        return "W3C/XML boilerplate CosyVoice does not use"
    if name == "xml:lang":
        return "CosyVoice takes the language from the voice"
    return "not a CosyVoice attribute"


def _is_blank(node: Node) -> bool:
    return isinstance(node, Comment | ProcessingInstruction) or (
        isinstance(node, Text) and not node.value.strip()
    )


def convert(ssml: Source, *, source: str = "auto") -> ConversionResult:
    """Convert W3C SSML 1.0/1.1 or Amazon/Azure/Google SSML into the CosyVoice dialect.

        >>> convert('<speak>你好<break strength="strong"/></speak>').text
        '<speak>你好<break time="1s"/></speak>'
        >>> convert('<speak>你好</speak>').changes
        ()

    ``source`` is ``auto`` (read from prefixes and namespaces), ``w3c``, ``amazon``, ``azure``,
    ``google`` or ``cosyvoice``; it selects vendor-specific tables (Azure's named rates).
    Raises :class:`~ssmlkit.errors.ParseError` for input that is not well-formed and
    :class:`ValueError` for an unknown ``source``. A document that is already CosyVoice comes
    back unchanged with no changes.

    ``ssml`` is SSML text or bytes, a :class:`~ssmlkit.model.Document`, a node such as a
    ``<speak>``, or a list or tuple of them; anything else raises :class:`TypeError`. A document
    without positions (built by hand) is serialized and re-parsed first, so that the changes'
    lines and columns refer to its serialized text, as :func:`ssmlkit.lint` and
    :func:`ssmlkit.validate` report them.
    """
    from ssmlkit.parse import parse
    from ssmlkit.serialize import serialize
    from ssmlkit.sources import as_document

    if source not in T.SOURCES:
        raise ValueError(f"source must be one of {', '.join(T.SOURCES)}, not {source!r}")
    doc = ssml if isinstance(ssml, Document) else as_document(ssml, "convert")
    if doc.source is None and any(getattr(i, "span", None) is None for i in doc.items):
        doc = parse(serialize(doc))
    read_as = detect_source(doc) if source == "auto" else source
    conv = _Converter(read_as)
    items: list[Node] = []
    loose: list[Node] = []

    def flush() -> None:
        if not loose:
            return
        body = list(loose)
        tail: list[Node] = []
        while body and _is_blank(body[-1]):
            tail.insert(0, body.pop())
        first = body[0]
        where = first.start_tag if isinstance(first, Element) else None
        conv.report(
            "wrapped",
            "<speak>",
            "content outside <speak> is wrapped in a <speak> of its own",
            where or getattr(first, "span", None),
        )
        items.extend(conv.speak(Speak(children=tuple(body))))
        items.extend(tail)
        loose.clear()

    for item in doc.items:
        if isinstance(item, Speak):
            flush()
            items.extend(conv.speak(item))
        elif _is_blank(item) and not loose:
            items.append(item)
        else:
            loose.append(item)
    if any(not _is_blank(n) for n in loose):
        flush()
    else:
        items.extend(loose)
    if not conv.changes:
        return ConversionResult(doc, (), read_as)
    changes = sorted(conv.changes, key=lambda c: (c.line or 0, c.column or 0))
    return ConversionResult(Document(tuple(items)), tuple(changes), read_as)
