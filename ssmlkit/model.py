"""The document model: immutable nodes that the parser produces and the builder composes.

A :class:`Document` holds a sequence of top-level items, because the CosyVoice dialect allows
several sibling ``<speak>`` elements in one input (which is not a single-rooted XML document) and
because text or comments may stand outside ``<speak>``. The six dialect elements have their own
classes (:class:`Speak`, :class:`Break`, :class:`Sub`, :class:`Phoneme`, :class:`SayAs`,
:class:`SoundEvent`); any other tag is kept as an :class:`UnknownElement` with its attributes and
children, so that later stages can report it instead of the parser dropping it.

Attribute values are kept as the strings the document holds (``rate="200"`` stays ``"200"``), so
the linter sees exactly what the service would see; the builder turns Python values into those
strings. Spans are position metadata: they never take part in equality, so a parsed document equals
the same document built by hand.

Example::

    >>> from ssmlkit.model import Document, Speak, Text, Break
    >>> doc = Document((Speak(attrs=(("rate", "1.2"),), children=(Text("hi"), Break())),))
    >>> doc.speaks[0].get("rate")
    '1.2'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple, TypeAlias

__all__ = [
    "KNOWN_ELEMENTS",
    "Break",
    "Comment",
    "Document",
    "Element",
    "Node",
    "Phoneme",
    "ProcessingInstruction",
    "SayAs",
    "SoundEvent",
    "Span",
    "Speak",
    "Sub",
    "Text",
    "UnknownElement",
    "element_class",
]


class Span(NamedTuple):
    """Where a node stands in the decoded source text.

    ``start``/``end`` are 0-based offsets (end exclusive) into the decoded ``str``; ``line`` and
    ``column`` (1-based, in code points) locate ``start``; ``end_line``/``end_column`` locate ``end``.
    (A named tuple: the parser makes one per node, and tuples are the cheapest records to build.)
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Text:
    """Character data, already decoded (``&amp;`` is held as ``&``)."""

    value: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Comment:
    """An XML comment; its value is the text between ``<!--`` and ``-->``."""

    value: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ProcessingInstruction:
    """A processing instruction ``<?target data?>`` (kept so nothing is lost on a round trip)."""

    target: str
    data: str = ""
    span: Span | None = field(default=None, compare=False, repr=False)


Attrs: TypeAlias = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    """Base of every element node.

    ``attrs`` keeps the attributes in document order as ``(name, value)`` pairs with decoded values;
    ``children`` are the child nodes. Adjacent text children are merged and empty ones dropped at
    construction, so two documents that serialize alike compare equal.

    Position metadata (never compared): ``span`` covers the whole element, ``start_tag`` and
    ``end_tag`` the two tags (``end_tag`` is ``None`` for ``<x/>``), ``attr_spans`` each attribute
    from its name to its closing quote, and ``value_spans`` each attribute value inside its quotes.
    """

    tag: ClassVar[str] = ""

    attrs: Attrs = ()
    children: tuple[Node, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    start_tag: Span | None = field(default=None, compare=False, repr=False)
    end_tag: Span | None = field(default=None, compare=False, repr=False)
    attr_spans: tuple[Span, ...] | None = field(default=None, compare=False, repr=False)
    value_spans: tuple[Span, ...] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        children = self.children
        if not isinstance(children, tuple):
            children = tuple(children)
        if any(isinstance(c, Text) for c in children):
            children = _merge_text(children)
        object.__setattr__(self, "children", children)
        if not isinstance(self.attrs, tuple):
            object.__setattr__(self, "attrs", tuple(self.attrs))

    @property
    def name(self) -> str:
        """The element's tag name as written (``"say-as"``, ``"prosody"``, ``"amazon:effect"``)."""
        return self.tag

    def get(self, attribute: str, default: str | None = None) -> str | None:
        """The value of ``attribute``, or ``default`` when it is absent."""
        for key, value in self.attrs:
            if key == attribute:
                return value
        return default

    def has(self, attribute: str) -> bool:
        """Whether the element carries ``attribute`` (even with an empty value)."""
        return any(key == attribute for key, _ in self.attrs)

    @property
    def attributes(self) -> dict[str, str]:
        """The attributes as a new ``dict`` (document order; a repeated name keeps its last value)."""
        return dict(self.attrs)

    def attr_span(self, attribute: str, *, value: bool = False) -> Span | None:
        """The span of ``attribute`` (or of its value inside the quotes), when parsed."""
        spans = self.value_spans if value else self.attr_spans
        if spans is None:
            return None
        for (key, _), span in zip(self.attrs, spans, strict=False):
            if key == attribute:
                return span
        return None

    @property
    def text(self) -> str:
        """The concatenated text of all descendant text nodes."""
        children = self.children
        if len(children) == 1 and type(children[0]) is Text:  # the usual case, without a walk
            return children[0].value
        return "".join(t.value for t in iter_text(children))


def _merge_text(children: tuple[Node, ...]) -> tuple[Node, ...]:
    out: list[Node] = []
    for child in children:
        if isinstance(child, Text):
            if not child.value:
                continue
            prev = out[-1] if out else None
            if isinstance(prev, Text):
                span = None
                if prev.span is not None and child.span is not None:
                    span = Span(
                        prev.span.start,
                        child.span.end,
                        prev.span.line,
                        prev.span.column,
                        child.span.end_line,
                        child.span.end_column,
                    )
                out[-1] = Text(prev.value + child.value, span)
                continue
        out.append(child)
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Speak(Element):
    """``<speak>``: the root of a CosyVoice SSML document; carries voice and prosody attributes."""

    tag: ClassVar[str] = "speak"

    @property
    def voice(self) -> str | None:
        """The ``voice`` attribute."""
        return self.get("voice")

    @property
    def rate(self) -> str | None:
        """The ``rate`` attribute (a multiplier 0.5-2 in the dialect)."""
        return self.get("rate")

    @property
    def pitch(self) -> str | None:
        """The ``pitch`` attribute (a multiplier 0.5-2 in the dialect)."""
        return self.get("pitch")

    @property
    def volume(self) -> str | None:
        """The ``volume`` attribute (an integer 0-100 in the dialect)."""
        return self.get("volume")


@dataclass(frozen=True, slots=True, kw_only=True)
class Break(Element):
    """``<break time="500ms"/>``: a pause (a bare break pauses 1 s)."""

    tag: ClassVar[str] = "break"

    @property
    def time(self) -> str | None:
        """The ``time`` attribute as written."""
        return self.get("time")


@dataclass(frozen=True, slots=True, kw_only=True)
class Sub(Element):
    """``<sub alias="spoken">shown</sub>``: speak ``alias`` instead of the text."""

    tag: ClassVar[str] = "sub"

    @property
    def alias(self) -> str | None:
        """The ``alias`` attribute: what is spoken."""
        return self.get("alias")


@dataclass(frozen=True, slots=True, kw_only=True)
class Phoneme(Element):
    """``<phoneme alphabet="py|cmu" ph="...">text</phoneme>``: an explicit pronunciation."""

    tag: ClassVar[str] = "phoneme"

    @property
    def alphabet(self) -> str | None:
        """The ``alphabet`` attribute (``py`` or ``cmu``)."""
        return self.get("alphabet")

    @property
    def ph(self) -> str | None:
        """The ``ph`` attribute: pinyin syllables or ARPAbet phones, space-separated."""
        return self.get("ph")


@dataclass(frozen=True, slots=True, kw_only=True)
class SayAs(Element):
    """``<say-as interpret-as="...">text</say-as>``: how to read the text."""

    tag: ClassVar[str] = "say-as"

    @property
    def interpret_as(self) -> str | None:
        """The ``interpret-as`` attribute."""
        return self.get("interpret-as")


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundEvent(Element):
    """``<soundEvent src="URL"/>``: insert an audio clip."""

    tag: ClassVar[str] = "soundEvent"

    @property
    def src(self) -> str | None:
        """The ``src`` attribute: the clip's URL."""
        return self.get("src")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownElement(Element):
    """Any element outside the dialect's six (``<prosody>``, ``<p>``, ``<amazon:effect>``, ...)."""

    qname: str

    @property
    def name(self) -> str:
        """The tag name as written, with its prefix if any."""
        return self.qname


Node: TypeAlias = Text | Comment | ProcessingInstruction | Element

KNOWN_ELEMENTS: dict[str, type[Element]] = {
    cls.tag: cls for cls in (Speak, Break, Sub, Phoneme, SayAs, SoundEvent)
}


def element_class(name: str) -> type[Element] | None:
    """The model class for tag ``name``, or ``None`` when it is not one of the dialect's six."""
    return KNOWN_ELEMENTS.get(name)


def iter_text(nodes: tuple[Node, ...]) -> Iterator[Text]:
    """Every text node below ``nodes``, in document order."""
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            if isinstance(node, Text):
                yield node
            elif isinstance(node, Element):
                stack.append(iter(node.children))
                break
        else:
            stack.pop()


def walk(nodes: tuple[Node, ...]) -> Iterator[tuple[Node, tuple[Element, ...]]]:
    """Every node below ``nodes`` in document order, with its chain of ancestor elements."""
    stack: list[tuple[Iterator[Node], tuple[Element, ...]]] = [(iter(nodes), ())]
    while stack:
        it, ancestors = stack[-1]
        for node in it:
            yield node, ancestors
            if isinstance(node, Element) and node.children:
                stack.append((iter(node.children), (*ancestors, node)))
                break
        else:
            stack.pop()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed or built SSML input: a sequence of top-level items.

    ``items`` holds top-level nodes: usually one or more :class:`Speak`, plus any whitespace,
    comments or stray text around them. ``source`` is the decoded text it was parsed from (``None``
    for built documents) and ``encoding`` the encoding the bytes were decoded with; neither takes
    part in equality.
    """

    items: tuple[Node, ...] = ()
    source: str | None = field(default=None, compare=False, repr=False)
    encoding: str | None = field(default=None, compare=False, repr=False)
    declared_encoding: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        items = self.items if isinstance(self.items, tuple) else tuple(self.items)
        object.__setattr__(self, "items", _merge_text(items))

    @property
    def speaks(self) -> tuple[Speak, ...]:
        """The top-level ``<speak>`` elements."""
        return tuple(i for i in self.items if isinstance(i, Speak))

    def walk(self) -> Iterator[tuple[Node, tuple[Element, ...]]]:
        """Every node in document order with its ancestor elements (outermost first)."""
        return walk(self.items)

    @property
    def text(self) -> str:
        """All character data in document order (inside and outside ``<speak>``), tags removed."""
        return "".join(t.value for t in iter_text(self.items))
