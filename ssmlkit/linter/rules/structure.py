"""Structure rules (ST): the document's shape, its elements and their attributes.

CosyVoice SSML has six elements (``speak``, ``break``, ``sub``, ``phoneme``, ``say-as``,
``soundEvent``), all inside one or more sibling ``<speak>`` elements; ``sub``, ``phoneme`` and
``say-as`` hold text only and ``break`` and ``soundEvent`` are empty. The vendor does not say what
happens to anything else, so the strict policy makes every deviation an error.
"""

from __future__ import annotations

import functools
import re
from functools import partial as _partial

from ssmlkit._syntax import new_span
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Edit, Fix, LazyFix, Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.model import (
    KNOWN_ELEMENTS,
    Document,
    Element,
    Node,
    SoundEvent,
    Span,
    Speak,
    Text,
    UnknownElement,
    iter_nodes,
)
from ssmlkit.profiles.cosyvoice import (
    ELEMENT_ATTRIBUTES,
    EMPTY_ELEMENTS,
    FOREIGN_TAG_ADVICE,
    REQUIRED_ATTRIBUTES,
    TEXT_ONLY_ELEMENTS,
)

_KNOWN = tuple(ELEMENT_ATTRIBUTES)
_CHILD_KINDS = ("break", "sub", "phoneme", "say-as", "soundEvent")
#: Parent kinds (see ``Needs.parents``): every one, and every one but ``<speak>``.
_ANY_PARENT = frozenset({"document", "unknown", *_KNOWN})
_NOT_IN_SPEAK = _ANY_PARENT - {"speak"}
#: The classes of the empty elements (``<break>``, ``<soundEvent>``).
_EMPTY_CLASSES = frozenset(KNOWN_ELEMENTS[name] for name in EMPTY_ELEMENTS)

#: Elements of W3C SSML 1.0 and 1.1.
_W3C_ELEMENTS = frozenset(
    {
        "audio",
        "break",
        "desc",
        "emphasis",
        "lang",
        "lexicon",
        "lookup",
        "mark",
        "meta",
        "metadata",
        "p",
        "phoneme",
        "prosody",
        "s",
        "say-as",
        "speak",
        "sub",
        "token",
        "voice",
        "w",
    }
)

#: Namespace prefixes of vendor extensions, and what to call them.
_VENDOR_PREFIXES = {
    "amazon": "an Amazon Alexa/Polly extension",
    "alexa": "an Amazon Alexa extension",
    "mstts": "a Microsoft Azure extension",
    "google": "a Google Cloud extension",
    "ibm": "an IBM Watson extension",
}

#: Unprefixed elements that only one vendor defines.
_VENDOR_ELEMENTS = {
    "par": "a Google Cloud extension",
    "seq": "a Google Cloud extension",
    "media": "a Google Cloud extension",
    "bookmark": "a Microsoft Azure element",
    "emotion": "an element of Alibaba's older NLS (Intelligent Speech Interaction) dialect",
    "vhml": "an element of Alibaba's older NLS (Intelligent Speech Interaction) dialect",
}


def _has_speak_ancestor(ancestors: tuple[Element, ...]) -> bool:
    for a in ancestors:  # noqa: SIM110 (hot, every text node: a loop beats any() over a generator)
        if isinstance(a, Speak):
            return True
    return False


def _stripped(ctx: LintContext, span: Span | None) -> tuple[int, int] | None:
    """Offsets of the non-blank part of what ``span`` covers, or ``None`` when it is all blank."""
    if span is None:
        return None
    raw = ctx.raw(span)
    body = raw.strip()
    if not body:
        return None
    start = span.start + (len(raw) - len(raw.lstrip()))
    return start, start + len(body)


def _element_label(name: str) -> str:
    return f"<{name}>"


def _tag_name_edits(element: Element, ctx: LintContext, new: str) -> tuple[Edit, ...] | None:
    """Edits renaming ``element`` in its start and end tags, or ``None`` without positions."""
    start_tag = element.start_tag
    old = element.name
    if start_tag is None or ctx.source[start_tag.start + 1 : start_tag.start + 1 + len(old)] != old:
        return None
    edits = [Edit(start_tag.start + 1, start_tag.start + 1 + len(old), new)]
    end_tag = element.end_tag
    if end_tag is not None:
        if ctx.source[end_tag.start + 2 : end_tag.start + 2 + len(old)] != old:
            return None
        edits.append(Edit(end_tag.start + 2, end_tag.start + 2 + len(old), new))
    elif element.span is not None and element.span.end != start_tag.end:
        return None  # never closed: there is no end tag to rename
    return tuple(edits)


def _unwrap_edits(element: Element) -> tuple[Edit, ...] | None:
    """Edits that delete ``element``'s tags but keep its content, or ``None`` when unclosed."""
    start_tag, end_tag, span = element.start_tag, element.end_tag, element.span
    if start_tag is None or span is None:
        return None
    if end_tag is None:
        if span.end != start_tag.end:
            return None
        return (Edit(start_tag.start, start_tag.end, ""),)
    return (Edit(start_tag.start, start_tag.end, ""), Edit(end_tag.start, end_tag.end, ""))


def _deletion(span: Span) -> tuple[Edit, ...]:
    """The edit deleting what ``span`` covers (a lazy fix's build)."""
    return (Edit(span.start, span.end, ""),)


@functools.lru_cache(maxsize=1024)  # a document may repeat one unknown name thousands of times
def _near_miss(name: str, candidates: tuple[str, ...] | frozenset[str]) -> str | None:
    """The candidate ``name`` is most likely a misspelling of, if any."""

    def norm(s: str) -> str:
        return re.sub(r"[-_:.]", "", s.lower())

    ordered = sorted(candidates)
    for cand in ordered:
        if norm(cand) == norm(name) or _one_edit(norm(cand), norm(name)):
            return cand
    lowered = {c.lower(): c for c in ordered}
    import difflib  # only for a near miss: keeps `ssmlkit lint` start-up short

    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[match[0]] if match else None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` (3+ letters) differ by one insertion, deletion, change or swap."""
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# --------------------------------------------------------------------------------------------
@register
class TextOutsideSpeak(Rule):
    """Text that stands outside every ``<speak>`` element.

    All text of a CosyVoice SSML request must sit inside ``<speak>…</speak>``; white space
    between ``<speak>`` elements is fine. Whether the service reads stray text, ignores it or
    rejects the request is undocumented, so it is an error. The fix wraps the text in a
    ``<speak>`` of its own; it is unsafe because the text may then be spoken where it was not (and
    without the voice and prosody of the neighbouring ``<speak>``). A document with no
    ``<speak>`` at all is reported by ``missing-speak`` instead.

    Examples::

        pass: <speak>你好</speak>\\n<speak>再见</speak>
        fail: 你好<speak>世界</speak>  # 1:1
        fix: <speak>你好</speak><speak>世界</speak>
        fail: <speak>a</speak>\\n  tail text\\n  # 2:3
        fail: <speak>a</speak> b  # 1:18
        fix: <speak>a</speak> <speak>b</speak>
    """

    code = "ST001"
    name = "text-outside-speak"
    summary = "Text outside <speak>; all content must be inside a <speak> element"
    severity = Severity.ERROR
    targets = ("text",)
    fix_safety = "unsafe"
    # Text with a <speak> ancestor (nearly all of it: right inside <speak>, or in its <sub>, <p>
    # or <s>) is where it belongs.
    needs = Needs(parents=_NOT_IN_SPEAK, within_speak=False)

    def visit(self, node: Text, ctx: LintContext) -> None:
        ancestors = ctx.ancestors
        if ancestors and isinstance(ancestors[0], Speak):  # the usual case, without the loop
            return
        if _has_speak_ancestor(ancestors) or not node.value.strip():
            return
        if not ctx.document.speaks:
            return  # missing-speak covers a document without <speak>
        where = _stripped(ctx, node.span)
        if where is None:
            return
        start, end = where
        fix = None
        if not ctx.ancestors:
            fix = Fix(
                "wrap the text in its own <speak>",
                (Edit(start, start, "<speak>"), Edit(end, end, "</speak>")),
                "unsafe",
            )
        text = node.value.strip()
        shown = text if len(text) <= 30 else text[:27] + "..."
        ctx.report(
            where,
            f"text {shown!r} is outside <speak>; put it inside a <speak> element (or remove it)",
            fix=fix,
        )


@register
class NestedSpeak(Rule):
    """A ``<speak>`` inside another element.

    ``<speak>`` elements may follow one another but never nest (the vendor's documentation says
    so explicitly). Close the outer ``<speak>`` before opening the next one.

    Examples::

        pass: <speak rate="1.2">快</speak><speak rate="0.8">慢</speak>
        fail: <speak>外<speak rate="1.2">内</speak></speak>  # 1:9
        fail: <speak>\\n  <sub alias="x"><speak>y</speak></sub>\\n</speak>  # 2:18
    """

    code = "ST002"
    name = "nested-speak"
    summary = "A <speak> nested inside another element; <speak> elements may only be siblings"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(parents=_ANY_PARENT - {"document"})  # a top-level <speak> is where it belongs

    def visit(self, node: Speak, ctx: LintContext) -> None:
        parent = ctx.parent
        if parent is None:
            return
        outer = next((a for a in reversed(ctx.ancestors) if isinstance(a, Speak)), None)
        if outer is not None:
            where = ""
            if outer.span is not None:
                where = f" (the outer <speak> opens at {outer.span.line}:{outer.span.column})"
            message = (
                f"<speak> nested inside another <speak>{where}; close the first "
                "<speak> before opening the next: several <speak> may follow one another"
            )
        else:
            message = (
                f"<speak> inside <{parent.name}>; <speak> must stand at the top level "
                "(several may follow one another)"
            )
        ctx.report(node, message)


@register
class MissingSpeak(Rule):
    """A document with content but no top-level ``<speak>`` element.

    All SSML content must be wrapped in ``<speak>…</speak>``. The unsafe fix wraps the whole
    document (after any XML declaration) in one ``<speak>``; it is unsafe because markup that was
    read as plain text becomes SSML. An empty document is reported by ``empty-document``.

    Examples::

        pass: <speak>你好</speak>
        fail: 你好<break time="500ms"/>世界  # 1:1
        fix: <speak>你好<break time="500ms"/>世界</speak>
        fail: <?xml version="1.0"?>\\n<p>hello</p>  # 2:1
    """

    code = "ST003"
    name = "missing-speak"
    summary = "No <speak> element: SSML content must be wrapped in <speak>"
    severity = Severity.ERROR
    targets = ("document",)
    fix_safety = "unsafe"

    def visit(self, node: Document, ctx: LintContext) -> None:
        if _has_speak(node.items) or not _has_content(node.items):
            return
        first = next(
            (
                item
                for item in node.items
                if isinstance(item, Element) or (isinstance(item, Text) and item.value.strip())
            ),
            None,
        )
        where: tuple[int, int] | None = None
        if isinstance(first, Text):
            where = _stripped(ctx, first.span)
        elif first is not None:
            span = first.start_tag or first.span
            where = (span.start, span.end) if span is not None else None
        nested = next(
            (n for n, _ in node.walk() if isinstance(n, Speak) and n.span is not None), None
        )
        if nested is not None and nested.span is not None:
            message = (
                "no <speak> at the top level: the <speak> at "
                f"{nested.span.line}:{nested.span.column} is inside another element; "
                "<speak> must be the outermost element"
            )
            ctx.report(where or (0, 0), message)
            return
        fix = None
        last = _last_content_end(node.items)
        if where is not None and last is not None and last >= where[1]:
            start = where[0]
            fix = Fix(
                "wrap the document in <speak>",
                (Edit(start, start, "<speak>"), Edit(last, last, "</speak>")),
                "unsafe",
            )
        ctx.report(
            where or (0, 0),
            "the document has no <speak> element; wrap all content in <speak>…</speak>",
            fix=fix,
        )


def _has_speak(items: tuple[Node, ...]) -> bool:
    """``bool(document.speaks)``, without building the tuple."""
    for item in items:  # noqa: SIM110 (once per document: a loop beats any() over a generator)
        if isinstance(item, Speak):
            return True
    return False


def _has_content(items: tuple[Node, ...]) -> bool:
    return any(
        isinstance(item, Element) or (isinstance(item, Text) and item.value.strip())
        for item in items
    )


#: Elements that give the service something to speak whatever they hold (a tuple made once:
#: ``A | B`` in the loop would build a new union object at every node).
_SPOKEN_ELEMENTS = (UnknownElement, SoundEvent)


def _speakable(items: tuple[Node, ...]) -> bool:
    """Whether anything below ``items`` gives the service something to speak: text that is not
    blank, an element outside the dialect, a ``<soundEvent>`` or a ``<sub>`` with an alias.
    (Usually the first text inside the first <speak> answers.)"""
    for node in iter_nodes(items):
        if isinstance(node, Text):
            if node.value.strip():
                return True
        elif isinstance(node, _SPOKEN_ELEMENTS) or (
            isinstance(node, Element) and node.name == "sub" and node.get("alias")
        ):
            return True
    return False


def _last_content_end(items: tuple[Node, ...]) -> int | None:
    for item in reversed(items):
        if isinstance(item, Element) and item.span is not None:
            return item.span.end
        if isinstance(item, Text) and item.value.strip() and item.span is not None:
            raw_end = item.span.end
            return raw_end - (len(item.value) - len(item.value.rstrip()))
    return None


@register
class EmptyDocument(Rule):
    """A document with nothing to speak: no text, only white space, comments or empty ``<speak>``.

    The service refuses a request without text (``Please ensure input text is valid.``); a
    document made only of ``<break>`` elements is refused by the strict policy for the same reason.

    Examples::

        pass: <speak>你好</speak>
        pass: <speak><soundEvent src="https://a.oss-cn-beijing.aliyuncs.com/x.wav"/></speak>
        fail: <!-- nothing yet -->  # 1:1
        fail: <speak>\\n</speak>\\n<speak><break time="1s"/></speak>  # 1:1
    """

    code = "ST004"
    name = "empty-document"
    summary = "The document has no text to speak"
    severity = Severity.ERROR
    targets = ("document",)

    def visit(self, node: Document, ctx: LintContext) -> None:
        items = node.items
        if not _has_speak(items):
            if _has_content(items):
                return  # missing-speak
            ctx.report((0, 0), "the document is empty; the service needs text to speak")
            return
        if _speakable(items):
            return
        first = node.speaks[0]
        span = first.start_tag or first.span
        where = (span.start, span.end) if span is not None else (0, 0)
        ctx.report(
            where,
            "the document has no text to speak (only empty <speak> elements or pauses); "
            "the service refuses a request without text",
        )


@register
class UnsupportedElement(Rule):
    """An element that is not one of CosyVoice's six.

    Only ``speak``, ``break``, ``sub``, ``phoneme``, ``say-as`` and ``soundEvent`` exist; element
    names are case-sensitive. The message names W3C SSML elements and vendor extensions
    (``amazon:``, ``mstts:``, ``google:`` …) precisely and says what to use instead.

    Fixes (all unsafe, since they change what is spoken) come from :mod:`ssmlkit.conversion`, the
    same rewrites ``ssmlkit convert`` makes: a misspelt dialect element (``<soundevent>``) is
    renamed; ``<prosody>`` and ``<voice>`` turn the enclosing ``<speak>`` into ``<speak>``
    segments; ``<audio src="https://...">`` becomes ``<soundEvent>``; ``<p>``, ``<s>``, ``<w>``,
    ``<emphasis>``, ``<lang>``, ``<token>`` and vendor elements are unwrapped, keeping their
    content; ``<mark>``, ``<meta>``, ``<desc>`` and similar elements that carry nothing spoken
    are removed. ``<audio>`` without an http(s) ``src`` has no fix.

    Examples::

        pass: <speak>你好<break time="500ms"/></speak>
        fail: <speak><prosody rate="fast">快</prosody></speak>  # 1:8
        fix: <speak rate="1.5">快</speak>
        fail: <speak>\\n  <p>一段</p>\\n</speak>  # 2:3
        fail: <speak><p>一段</p><s>一句</s></speak>  # 1:8
        fix: <speak>一段一句</speak>
        fail: <speak><amazon:effect name="whispered">hi</amazon:effect></speak>  # 1:8
        fail: <speak>a<Break time="1s"/>b</speak>  # 1:9
        fix: <speak>a<break time="1s"/>b</speak>
    """

    code = "ST005"
    name = "unsupported-element"
    summary = "An element CosyVoice does not support"
    severity = Severity.ERROR
    targets = ("unknown",)
    fix_safety = "unsafe"

    def visit(self, node: UnknownElement, ctx: LintContext) -> None:
        name = node.qname  # ``name`` as the field, without the property's call
        message, action, near = _unsupported(name, bool(node.children))
        fix: Fix | LazyFix | None = None
        if action == "unwrap":  # the usual case (<p>, <s>, vendor elements), inline
            # Lazy: nearly every finding of a W3C or Azure document has this fix, and building
            # its edits cost as much as the rest of the finding; a lint run rarely reads them.
            fix = LazyFix(
                f"remove the <{name}> tags, keep the content",
                "unsafe",
                _partial(_unwrap_edits, node),
            )
        elif action == "rename":
            assert near is not None
            edits = _tag_name_edits(node, ctx, near)
            if edits:
                fix = Fix(f"rename {_element_label(name)} to <{near}>", edits, "unsafe")
        elif action is not None:
            fix = self._fix(node, action, ctx)
        ctx.report(node, message, fix=fix)

    @staticmethod
    def verdict(name: str, has_children: bool) -> tuple[str, str | None, str | None]:
        """What ST005 says of an element ``name`` (with content or not): the message, the fix's
        kind (``"rename"`` to ``near``, or a :meth:`_fix` action; ``None``: no fix), and the
        dialect name it is a near miss of. Remembered per name by :func:`_unsupported`."""
        label = _element_label(name)
        prefix, _, local = name.rpartition(":")
        near = _near_miss(name, _KNOWN) if not prefix else None
        if near is not None and near != name and near.lower() == name.lower():
            message = (
                f"{label} is not a CosyVoice element: names are case-sensitive; "
                f"did you mean <{near}>?"
            )
            return message, "rename", near
        if prefix:
            kind = _VENDOR_PREFIXES.get(prefix.lower(), f"a vendor extension ({prefix}:)")
            message = f"{label} is {kind}, not supported by CosyVoice; remove its tags"
            if local in FOREIGN_TAG_ADVICE and not FOREIGN_TAG_ADVICE[local].startswith("no "):
                message += f" ({FOREIGN_TAG_ADVICE[local]})"
            action = UnsupportedElement._action(name) if has_children else "remove"
            return message, action, near
        if name in _W3C_ELEMENTS:
            advice = FOREIGN_TAG_ADVICE.get(name, "remove it")
            message = f"{label} is W3C SSML but not supported by CosyVoice; {advice}"
            return message, UnsupportedElement._action(name), near
        if name in _VENDOR_ELEMENTS:
            advice = FOREIGN_TAG_ADVICE.get(name, "no equivalent; remove it")
            message = f"{label} is {_VENDOR_ELEMENTS[name]}, not supported by CosyVoice; {advice}"
            return message, UnsupportedElement._action(name), near
        message = (
            f"{label} is not a CosyVoice element (only speak, break, sub, phoneme, "
            "say-as and soundEvent exist)"
        )
        if near is None:
            return message, None, None
        return f"{message}; did you mean <{near}>?", "rename", near

    @staticmethod
    def _action(name: str) -> str:
        """The rewrite :mod:`ssmlkit.conversion` makes for ``name`` (its tables decide)."""
        from ssmlkit.conversion import element_action

        action = element_action(name)
        if action == "drop":
            return "remove"
        if action == "unknown":
            return "unwrap" if ":" in name else "none"
        return action

    @staticmethod
    def _fix(node: Element, action: str, ctx: LintContext) -> Fix | LazyFix | None:
        """The fix of a finding whose :meth:`verdict` action is ``action`` (``"unwrap"``, the usual
        one, is built in :meth:`visit`). All lazy, for the reason given there."""
        if action == "remove" and node.span is not None:
            return LazyFix(f"remove <{node.name}>", "unsafe", _partial(_deletion, node.span))
        if action == "audio":
            return _audio_fix(node)
        if action == "segment":
            return _segment_fix(node, ctx)
        return None


@functools.lru_cache(maxsize=1024)  # documents repeat a few foreign names in every paragraph
def _unsupported(name: str, has_children: bool) -> tuple[str, str | None, str | None]:
    """:meth:`UnsupportedElement.verdict`, remembered (its tables never change in a process)."""
    return UnsupportedElement.verdict(name, has_children)


def _audio_fix(node: Element) -> LazyFix | None:
    """``<audio src>`` → ``<soundEvent src>`` (the fallback content goes), as the converter does.

    Lazy: the conversion runs only when the fix is asked for, and finds no fix without a usable
    http(s) ``src``."""
    span = node.span
    if span is None:
        return None

    def build() -> tuple[Edit, ...] | None:
        from ssmlkit.conversion import convert
        from ssmlkit.serialize import serialize

        out = convert(Document((Speak(children=(node,)),))).document.speaks
        if len(out) != 1 or not any(isinstance(c, SoundEvent) for c in out[0].children):
            return None  # no usable http(s) src: nothing to convert to
        return (Edit(span.start, span.end, "".join(serialize(c) for c in out[0].children)),)

    return LazyFix(f"replace <{node.name}> by <soundEvent>", "unsafe", build)


#: The last enclosing ``<speak>`` converted for a segment fix, and its text (``None``: it could not
#: be converted). Every ``<prosody>``/``<voice>`` of one ``<speak>`` gets the same replacement, and
#: converting the whole ``<speak>`` again for each of them made ST005 quadratic (40 of them in a
#: 2 KB document: 75 ms). Held by identity, so a live ``<speak>`` is never mistaken for another.
_last_segment: tuple[Speak | None, str | None] = (None, None)


def _segment_fix(node: Element, ctx: LintContext) -> LazyFix | None:
    """``<prosody>``/``<voice>`` need sibling ``<speak>`` segments: the enclosing top-level
    ``<speak>`` is replaced by its conversion (:func:`ssmlkit.conversion.convert`).

    Lazy: converting a ``<speak>`` costs a hundred times finding the problem, and a lint run
    rarely asks for the edits (``--fix``, JSON output and code actions do)."""
    ancestors = ctx.ancestors
    speak = ancestors[0] if ancestors else None
    span = speak.span if isinstance(speak, Speak) else None
    if span is None:
        return None
    assert isinstance(speak, Speak)
    whole: Speak = speak

    def build() -> tuple[Edit, ...] | None:
        text = _converted(whole)
        return None if text is None else (Edit(span.start, span.end, text),)

    return LazyFix(
        f"convert the enclosing <speak> to CosyVoice (<{node.name}> becomes <speak> segments)",
        "unsafe",
        build,
    )


def _converted(speak: Speak) -> str | None:
    """``speak`` converted and serialized, ``None`` when it cannot be (remembered for the last)."""
    from ssmlkit.conversion import convert
    from ssmlkit.errors import SSMLKitError
    from ssmlkit.serialize import serialize

    global _last_segment
    last, text = _last_segment
    if last is speak:
        return text
    try:
        text = serialize(convert(Document((speak,))).document)
    except (SSMLKitError, ValueError):
        text = None
    _last_segment = (speak, text)
    return text


#: Why W3C SSML's or other dialects' attributes are refused, and what to do instead.
_ATTRIBUTE_ADVICE: dict[tuple[str, str], str] = {
    ("speak", "xmlns"): (
        "the W3C namespace declaration is not part of CosyVoice SSML (the vendor's examples "
        "never carry it; strict policy); remove it"
    ),
    ("speak", "version"): (
        "W3C SSML boilerplate that CosyVoice does not document (strict policy); remove it"
    ),
    ("speak", "xml:lang"): (
        "CosyVoice takes the language from the voice; remove it and choose a voice that "
        "speaks the language"
    ),
    ("speak", "encodeType"): (
        "it belongs to Alibaba's older NLS dialect; choose the audio format in the request "
        "(response_format) instead"
    ),
    ("speak", "sampleRate"): (
        "it belongs to Alibaba's older NLS dialect; set sample_rate in the request instead"
    ),
    ("speak", "speed"): "the speech rate is the rate attribute, a multiplier 0.5-2",
    ("speak", "name"): "the voice is chosen with the voice attribute",
    ("speak", "speech_rate"): "the SDK's speech_rate is the rate attribute here (0.5-2)",
    ("speak", "pitch_rate"): "the SDK's pitch_rate is the pitch attribute here (0.5-2)",
    ("speak", "bgmVolume"): "the background-music volume is backgroundMusicVolume",
    ("break", "strength"): (
        'the W3C strength attribute is not supported by CosyVoice; give a duration, e.g. time="500ms"'
    ),
    ("say-as", "format"): (
        "the W3C format attribute is not supported by CosyVoice: interpret-as is the only "
        "attribute and the format is read from the text"
    ),
    ("say-as", "detail"): (
        "the W3C detail attribute is not supported by CosyVoice: interpret-as is the only attribute"
    ),
}
#: Attributes whose removal cannot change what is spoken (boilerplate the service ignores or refuses).
_SAFE_REMOVAL = frozenset({"version", "xmlns", "xmlns:xsi", "xsi:schemaLocation"})


def _attribute_removal(source: str, span: Span) -> tuple[Edit, ...]:
    """The edit deleting the attribute ``span`` covers and the white space before it."""
    start = span.start
    while start > 0 and source[start - 1] in " \t\r\n":
        start -= 1
    return (Edit(start, span.end, ""),)


def _strength_fix(node: Element, ctx: LintContext) -> Fix | None:
    """``strength="medium"`` → ``time="750ms"`` by the converter's table (unsafe: the pause
    length is the table's choice)."""
    from ssmlkit.conversion.values import map_break_strength

    span = node.attr_span("strength")
    mapped = map_break_strength(node.get("strength") or "")
    if span is None or mapped.text is None:
        return None
    return Fix(
        f'write time="{mapped.text}" for the strength',
        (Edit(span.start, span.end, f'time="{mapped.text}"'),),
        "unsafe",
    )


def _prefix_used(document: Document, source: str, prefix: str) -> bool:
    """Whether an element or attribute name of ``document`` (scanned from ``source``) carries
    ``prefix``."""
    mark = prefix + ":"
    if mark not in source:  # names stand in the source as written: none can start with it
        return False
    for node in iter_nodes(document.items):  # plain loops: no generator per element
        if isinstance(node, Element):
            if node.name.startswith(mark):
                return True
            for name, _value in node.attrs:
                if name.startswith(mark):
                    return True
    return False


@register
class UnsupportedAttribute(Rule):
    """An attribute the element does not accept.

    Each element accepts only its documented attributes (``<speak>``: voice, rate, pitch, volume,
    effect, effectValue, bgm, backgroundMusicVolume; ``<break>``: time; ``<sub>``: alias;
    ``<phoneme>``: alphabet, ph; ``<say-as>``: interpret-as; ``<soundEvent>``: src). Names are
    case-sensitive. The strict policy also refuses the W3C boilerplate ``xmlns``, ``version`` and
    ``xml:lang`` on ``<speak>``, which the vendor never shows.

    Fixes: a near miss (``interpret_as``, ``alais``, ``effectvalue``) is renamed (unsafe: the
    attribute starts to take effect); ``version``, the default ``xmlns`` and the XML Schema
    attributes are removed safely; any other attribute is removed (unsafe).

    Examples::

        pass: <speak rate="1.1"><say-as interpret-as="digits">123</say-as></speak>
        fail: <speak><say-as interpret_as="digits">123</say-as></speak>  # 1:16
        fix: <speak><say-as interpret-as="digits">123</say-as></speak>
        fail: <speak version="1.0">hi</speak>  # 1:8
        fix: <speak>hi</speak>
        fail: <speak>\\n<sub alais="万维网联盟">W3C</sub></speak>  # 2:6
        fail: <speak><sub alais="万维网联盟">W3C</sub></speak>  # 1:13
        fix: <speak><sub alias="万维网联盟">W3C</sub></speak>
    """

    code = "ST006"
    name = "unsupported-attribute"
    summary = "An attribute the element does not accept"
    severity = Severity.ERROR
    targets = _KNOWN
    fix_safety = "unsafe"
    # Whether it reports is decided by the kind and the attribute names alone.
    needs = Needs(depends_on="shape")

    def visit(self, node: Element, ctx: LintContext) -> None:
        allowed = ELEMENT_ATTRIBUTES.get(node.name)
        if allowed is None:
            return
        attrs = node.attrs
        spans = node.attr_spans
        reported: list[str] = []
        for index, (attribute, _value) in enumerate(attrs):
            if attribute in allowed:
                continue
            # The attribute's span by its position (attr_span would look for the name again,
            # from the first pair), unless the name was reported already: a built element may
            # repeat a name, and attr_span gives the first one's span.
            if spans is not None and index < len(spans) and attribute not in reported:
                span: Span | None = spans[index]
            else:
                span = node.attr_span(attribute)
            reported.append(attribute)
            self._report(node, attribute, span, ctx)

    @staticmethod
    def _report(node: Element, attribute: str, span: Span | None, ctx: LintContext) -> None:
        """Report ``attribute`` of ``node``, whose span (from the name to the closing quote) is
        ``span``."""
        where: Span | Element = node
        if span is not None:
            # The name's span, its positions taken from the attribute's (a name holds no line
            # break): bare offsets would make the context build a line index of the document.
            size = len(attribute)
            start, line, column = span.start, span.line, span.column
            where = new_span((start, start + size, line, column, line, column + size))
        message, fix = UnsupportedAttribute._advice(node, attribute, span, ctx)
        ctx.report(where, message, fix=fix)

    @staticmethod
    def _advice(
        node: Element, attribute: str, span: Span | None, ctx: LintContext
    ) -> tuple[str, Fix | LazyFix | None]:
        """The message and the fix for ``attribute`` of ``node`` (whose span is ``span``)."""
        message, kind, argument = _attribute_verdict(node.name, attribute)
        remove: LazyFix | None = None
        if span is not None:  # lazy: the finding rarely needs the edit
            remove = LazyFix(
                f"remove {attribute}",
                "safe" if attribute in _SAFE_REMOVAL else "unsafe",
                functools.partial(_attribute_removal, ctx.source, span),
            )
        if kind == "remove":
            return message, remove
        if kind == "strength":
            if node.has("time"):
                return message, remove
            return message, _strength_fix(node, ctx) or remove
        assert argument is not None
        if kind == "prefix":
            if _prefix_used(ctx.document, ctx.source, argument):
                return message + " together with the elements that use it", None
            return message, remove
        if node.has(argument) or span is None:  # "rename" to the near miss
            return message, remove
        edit = Edit(span.start, span.start + len(attribute), argument)
        return message, Fix(f"rename {attribute} to {argument}", (edit,), "unsafe")

    @staticmethod
    def verdict(element: str, attribute: str) -> tuple[str, str, str | None]:
        """What ST006 says of ``attribute`` on an ``element`` that does not accept it: the message,
        the fix's kind and its argument. Kinds: ``"remove"`` the attribute; ``"strength"``, a
        ``time`` for the strength when the element has none (else remove); ``"prefix"``, the
        declaration of the prefix (the argument) is removed unless the document uses it;
        ``"rename"`` to the near miss (the argument) unless the element has it already.
        Remembered per pair by :func:`_attribute_verdict`."""
        allowed = ELEMENT_ATTRIBUTES[element]
        head = f"<{element}> does not accept {attribute!r}"
        specific = _ATTRIBUTE_ADVICE.get((element, attribute))
        if specific is not None:
            kind = "strength" if (element, attribute) == ("break", "strength") else "remove"
            return f"{head}: {specific}", kind, None
        prefix, colon, local = attribute.partition(":")
        if prefix == "xmlns" and colon:
            if local == "xsi":
                message = f"{head}: XML Schema declarations are not part of CosyVoice SSML"
                return message, "remove", None
            vendor = _VENDOR_PREFIXES.get(local.lower())
            what = f"the prefix of {vendor}" if vendor else f"the '{local}:' prefix"
            message = f"{head}: it declares {what}, which CosyVoice does not support; remove it"
            return message, "prefix", local
        if attribute == "xsi:schemaLocation":
            return f"{head}: XML Schema attributes are not part of CosyVoice SSML", "remove", None
        if colon and prefix.lower() in _VENDOR_PREFIXES:
            vendor = _VENDOR_PREFIXES[prefix.lower()]
            return f"{head}: it is {vendor}, not supported by CosyVoice", "remove", None
        if prefix == "xml" and colon:
            return f"{head}: CosyVoice supports no xml: attributes", "remove", None
        near = _near_miss(attribute, allowed)
        if near is not None and near != attribute:
            return f"{head}; did you mean {near!r}?", "rename", near
        owners = [f"<{el}>" for el, attrs in ELEMENT_ATTRIBUTES.items() if attribute in attrs]
        if owners:
            return f"{head}: {attribute} belongs to {' and '.join(owners)}", "remove", None
        accepts = ", ".join(sorted(allowed)) or "no attributes"
        return f"{head} (it accepts {accepts})", "remove", None


@functools.lru_cache(maxsize=1024)  # documents repeat the same few foreign attributes
def _attribute_verdict(element: str, attribute: str) -> tuple[str, str, str | None]:
    """:meth:`UnsupportedAttribute.verdict`, remembered (its tables never change in a process)."""
    return UnsupportedAttribute.verdict(element, attribute)


@register
class InvalidChild(Rule):
    """A dialect element or text where the dialect does not allow it.

    Every element's only possible parent is ``<speak>``: ``<sub>``, ``<phoneme>`` and
    ``<say-as>`` hold text only (no other element inside), ``<break>`` and ``<soundEvent>`` are
    empty (no text, no element), and nothing but white space may stand inside an empty element.
    Elements outside the dialect are reported by ``unsupported-element`` and a nested ``<speak>``
    by ``nested-speak``, not here.

    Examples::

        pass: <speak><sub alias="一">1</sub><break/></speak>
        fail: <speak><say-as interpret-as="digits"><sub alias="x">1</sub></say-as></speak>  # 1:38
        fail: <speak>\\n<break time="1s">pause</break></speak>  # 2:18
        fail: <speak>a</speak><break time="1s"/>  # 1:17
    """

    code = "ST007"
    name = "invalid-child"
    summary = "An element or text inside an element that may not hold it"
    severity = Severity.ERROR
    targets = (*_CHILD_KINDS, "text")
    # Anything may stand inside <speak>, and inside an element outside the dialect (its name is
    # none of the dialect's, so it is neither text-only nor empty): the other parents are the
    # question. Text is out of place inside an empty element only (and most text stands inside
    # <sub>, <phoneme> or <say-as>: 6,821 calls a pass on the benchmark's corpus said nothing).
    needs = Needs(parents=_NOT_IN_SPEAK - {"unknown"}, text_parents=EMPTY_ELEMENTS)

    def visit(self, node: Element | Text, ctx: LintContext) -> None:
        ancestors = ctx.ancestors
        parent = ancestors[-1] if ancestors else None
        if isinstance(node, Text):
            # The usual case, text inside <sub>, <phoneme> or <say-as>: only an empty element may
            # not hold text. (Its class says so without the name property: the scanner makes a
            # Break of every <break> and a SoundEvent of every <soundEvent>.)
            if type(parent) not in _EMPTY_CLASSES:
                return
            assert parent is not None
            where = _stripped(ctx, node.span)
            if where is None:
                return
            ctx.report(
                where,
                f"<{parent.name}> is an empty element and may not hold text; "
                f"write <{parent.name} .../> and move the text after it",
            )
            return
        if type(parent) is Speak:  # <speak> may hold any dialect element
            return
        label = _element_label(node.name)
        if parent is None:
            if ctx.document.speaks:
                ctx.report(node, f"{label} is outside <speak>; move it inside a <speak> element")
            return
        if parent.name in TEXT_ONLY_ELEMENTS:
            ctx.report(
                node,
                f"<{parent.name}> may hold text only; {label} is not allowed inside it "
                f"(place {label} next to <{parent.name}>, inside <speak>)",
            )
        elif parent.name in EMPTY_ELEMENTS:
            ctx.report(node, f"<{parent.name}> is an empty element; {label} may not be inside it")


_REQUIRED_HINT = {
    ("sub", "alias"): 'alias gives what is spoken: <sub alias="网络协议标准">W3C</sub>',
    ("phoneme", "alphabet"): 'alphabet is "py" (pinyin) or "cmu" (ARPAbet)',
    ("phoneme", "ph"): 'ph gives the pronunciation: ph="dian3 dang4 hang2"',
    ("say-as", "interpret-as"): 'interpret-as says how to read the text: interpret-as="digits"',
    ("soundEvent", "src"): 'src is the clip\'s URL: <soundEvent src="https://…/clip.wav"/>',
}


@register
class MissingRequiredAttribute(Rule):
    """A dialect element without an attribute it requires.

    ``<sub>`` needs ``alias``, ``<phoneme>`` needs ``alphabet`` and ``ph``, ``<say-as>`` needs
    ``interpret-as`` and ``<soundEvent>`` needs ``src``. (An attribute that is present but blank is
    reported by ``empty-attribute-value``.)

    Examples::

        pass: <speak><phoneme alphabet="py" ph="dang4">当</phoneme></speak>
        fail: <speak><sub>W3C</sub></speak>  # 1:8
        fail: <speak>\\n  <phoneme ph="dang4">当</phoneme></speak>  # 2:3
        fail: <speak><say-as interpret_as="digits">1</say-as></speak>  # 1:8
    """

    code = "ST008"
    name = "missing-required-attribute"
    summary = "A required attribute is missing (sub alias, phoneme alphabet/ph, ...)"
    severity = Severity.ERROR
    targets = _KNOWN
    # Whether it reports is decided by the kind and the attribute names alone.
    needs = Needs(depends_on="shape")

    def visit(self, node: Element, ctx: LintContext) -> None:
        element = node.name
        required = _REQUIRED_MESSAGES.get(element)
        if not required:
            return
        attrs = node.attrs
        for attribute, plain in required:
            for name, _value in attrs:  # a loop over a few pairs: no list of names to build
                if name == attribute:
                    break
            else:
                ctx.report(node, _missing_with_strays(element, attribute, attrs) or plain)


def _missing_with_strays(element: str, attribute: str, attrs: tuple[tuple[str, str], ...]) -> str:
    """ST008's message when ``attrs`` hold a name ``element`` does not accept (one may be a
    misspelling of ``attribute``); ``""`` when they hold none, and the plain message is the one."""
    allowed = ELEMENT_ATTRIBUTES[element]
    for name, _value in attrs:
        if name not in allowed:
            return _missing_message(element, attribute, tuple(a for a, _ in attrs))
    return ""


@functools.lru_cache(maxsize=256)  # a pure function of names; documents repeat their mistakes
def _missing_message(element: str, attribute: str, names: tuple[str, ...]) -> str:
    """ST008's message: ``element``, whose attributes are ``names``, lacks ``attribute``."""
    message = f"<{element}> requires {attribute}"
    hint = _REQUIRED_HINT.get((element, attribute))
    if hint:
        message += f"; {hint}"
    strays = [a for a in names if a not in ELEMENT_ATTRIBUTES[element]]
    near = next((a for a in strays if _near_miss(a, (attribute,)) == attribute), None)
    if near is not None:
        message += f" ({near!r} looks like a misspelling of it)"
    return message


#: ST008's message for each required attribute of each element, by the element's name, when no
#: attribute of the element is one it does not accept (the usual case: a lone ``ph``): built once,
#: as the tables never change in a process.
_REQUIRED_MESSAGES: dict[str, tuple[tuple[str, str], ...]] = {
    element: tuple((attribute, _missing_message(element, attribute, ())) for attribute in required)
    for element, required in REQUIRED_ATTRIBUTES.items()
}


@register
class EmptyElement(Rule):
    """A ``<sub>``, ``<phoneme>`` or ``<say-as>`` with no text inside.

    These elements change how their text is read; with nothing inside there is nothing to read
    (a ``<phoneme>`` needs one character per pinyin syllable), and the strict policy treats it as
    an error rather than guess what the service does. Write the text inside the element or remove
    it.

    Examples::

        pass: <speak><sub alias="一">1</sub></speak>
        fail: <speak><sub alias="万维网"/></speak>  # 1:8
        fail: <speak>\\n<say-as interpret-as="digits">  </say-as></speak>  # 2:1
    """

    code = "ST009"
    name = "empty-element"
    summary = "A <sub>, <phoneme> or <say-as> holds no text"
    severity = Severity.ERROR
    targets = tuple(sorted(TEXT_ONLY_ELEMENTS))
    needs = Needs(depends_on="element")

    def visit(self, node: Element, ctx: LintContext) -> None:
        children = node.children
        if len(children) == 1 and type(children[0]) is Text:  # the usual case: node.text's own
            if children[0].value.strip():
                return
        elif node.text.strip() or any(isinstance(c, Element) for c in children):
            return
        ctx.report(
            node,
            f"<{node.name}> holds no text; write the text it applies to inside it, or remove it",
        )
