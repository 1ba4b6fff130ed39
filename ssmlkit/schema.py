"""Validate SSML against the bundled XML Schema, reporting issues at their place in the source.

Usage::

    >>> from ssmlkit.schema import validate
    >>> [i.message for i in validate('<speak><break time="20s"/></speak>')]
    ['<break time="20s">: not whole seconds 1–10 (like "2s") or whole milliseconds 50–10000 (like "500ms")']
    >>> issue = validate('<speak>\\n  <sub>W3C</sub></speak>')[0]
    >>> (issue.line, issue.column, issue.element)
    (2, 3, 'sub')

The schema (``schemas/cosyvoice.xsd``) states the dialect's structure and value formats as far as
XML Schema 1.0 can; the linter checks the rest. The dialect allows several sibling ``<speak>``
elements, which is not a single-rooted XML document, so each ``<speak>`` is serialized and
validated on its own and every libxml2 error is mapped back to the model node it is about, whose
span gives the line and column in the original text. Text or elements outside ``<speak>`` are
reported here too, since no schema can see them.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ssmlkit.errors import ParseError, SchemaError
from ssmlkit.model import Document, Element, Node, Span, Speak, Text, UnknownElement
from ssmlkit.parse import parse
from ssmlkit.profiles import cosyvoice as profile
from ssmlkit.serialize import serialize
from ssmlkit.sources import as_document

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from ssmlkit.sources import Source

__all__ = ["SCHEMA_NAME", "SchemaIssue", "load_schema", "schema_path", "validate"]

#: The file name of the CosyVoice schema, in the package's ``schemas`` folder.
SCHEMA_NAME = "cosyvoice.xsd"

# libxml2 keeps the last validation's errors on the schema object, so one lock serializes use.
_LOCK = threading.Lock()
# An unexpected element stops libxml2 from checking the rest of its parent; each round removes the
# offending elements and validates again. The cap bounds the work on pathological input.
_MAX_ROUNDS = 64


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One place where a document breaks the schema.

    ``line`` and ``column`` (1-based, code points) point into the text that was validated: the
    original text when it was parsed, else the serialized form of a built document (``None`` only
    when no position is known). ``element`` is the element the issue is about (``None`` for text
    outside ``<speak>``), ``attribute`` the attribute if any, ``path`` an XPath-like locator in the
    whole input (``/speak[2]/break[1]``), ``span`` the exact source span, and ``detail`` libxml2's
    own message.
    """

    line: int | None
    column: int | None
    message: str
    element: str | None
    path: str | None = None
    attribute: str | None = None
    span: Span | None = field(default=None, compare=False)
    detail: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line is not None else ""
        return f"{where}{self.message}"


# --------------------------------------------------------------------------- loading


def _hardened_parser(*, recover: bool = False) -> etree.XMLParser:
    # No DTD, no entity expansion, no network: the input never reaches out or grows.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        recover=recover,
    )


def schema_path() -> Traversable:
    """Where the CosyVoice schema is read from: ``schema_path().read_bytes()``.

    The wheel ships the top-level ``schemas/`` folder as ``ssmlkit/schemas``; a source checkout or
    an editable install has it beside the package instead, which is the fallback. Raises
    :class:`~ssmlkit.errors.SchemaError` when neither holds the file.
    """
    shipped = resources.files("ssmlkit") / "schemas" / SCHEMA_NAME
    if shipped.is_file():
        return shipped
    checkout = Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_NAME
    if checkout.is_file():
        return checkout
    raise SchemaError(
        f"the schema {SCHEMA_NAME} is neither in the package nor in {checkout.parent}"
    )


@functools.cache
def load_schema() -> etree.XMLSchema:
    """The compiled CosyVoice schema (loaded once): ``load_schema().validate(lxml_tree)``.

    Raises :class:`~ssmlkit.errors.SchemaError` when the file is missing or does not compile.
    """
    location = schema_path()
    try:
        data = location.read_bytes()
    except OSError as exc:
        raise SchemaError(f"cannot read the schema {location}: {exc}") from exc
    try:
        tree = etree.fromstring(data, _hardened_parser(), base_url=str(location))
        return etree.XMLSchema(tree)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise SchemaError(f"the schema {location} does not compile: {exc}") from exc


_XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


@functools.cache
def _speak_children() -> frozenset[str]:
    """The element names the schema declares inside ``<speak>`` (empty if it cannot tell).

    libxml2 stops checking a parent at its first unexpected child; knowing the allowed names up
    front lets every other stranger be reported at once instead of one validation round each.
    """
    tree = etree.fromstring(schema_path().read_bytes(), _hardened_parser())
    speak_type = tree.xpath("string(/xs:schema/xs:element[@name='speak']/@type)", namespaces=_XS)
    found = tree.xpath(
        "/xs:schema/xs:complexType[@name=$t]//xs:element/@name", namespaces=_XS, t=speak_type
    )
    return frozenset(str(name) for name in found) if isinstance(found, list) else frozenset()


# --------------------------------------------------------------------------- messages

# The ranges come from the profile, written as the messages always were ("0.5 to 2", "1–10").
_SECONDS, _MS = profile.BREAK_SECONDS_RANGE, profile.BREAK_MS_RANGE
_DURATION = (
    f'whole seconds {_SECONDS[0]}–{_SECONDS[1]} (like "2s") '
    f'or whole milliseconds {_MS[0]}–{_MS[1]} (like "500ms")'
)
_RATE, _PITCH = profile.RATE_RANGE, profile.PITCH_RANGE
_VOLUME, _BGM = profile.VOLUME_RANGE, profile.BGM_VOLUME_RANGE
_EXPECTED_VALUE: dict[tuple[str, str], str] = {
    ("speak", "voice"): "not a voice id (one word, like longcheng_v2)",
    ("speak", "rate"): f"not a decimal from {_RATE[0]:g} to {_RATE[1]:g} (1 is normal speed)",
    ("speak", "pitch"): f"not a decimal from {_PITCH[0]:g} to {_PITCH[1]:g} (1 is normal pitch)",
    ("speak", "volume"): (
        f"not a whole number from {_VOLUME[0]} to {_VOLUME[1]} ({profile.DEFAULT_VOLUME} is normal)"
    ),
    ("speak", "backgroundMusicVolume"): f"not a whole number from {_BGM[0]} to {_BGM[1]}",
    ("speak", "effect"): "not one of " + ", ".join(profile.EFFECTS),
    ("speak", "bgm"): "not a URL",
    ("break", "time"): "not " + _DURATION,
    ("phoneme", "alphabet"): "not one of " + ", ".join(profile.ALPHABETS),
    ("say-as", "interpret-as"): "not one of " + ", ".join(profile.INTERPRET_AS),
    ("soundEvent", "src"): "not a URL",
}
_CHILDREN = "break, sub, phoneme, soundEvent, say-as"
_ERROR_HEAD = re.compile(
    r"Element '(?P<el>[^']*)'(?:, attribute '(?P<attr>[^']*)')?: (?P<rest>.*)", re.S
)
_QUOTED = re.compile(r"'([^']*)'")
_CLARK = re.compile(r"\{(?P<ns>[^}]*)\}(?P<local>.*)")

# libxml2 error types that say an attribute value is wrong.
_VALUE_ERRORS = frozenset(
    {
        "SCHEMAV_CVC_PATTERN_VALID",
        "SCHEMAV_CVC_ENUMERATION_VALID",
        "SCHEMAV_CVC_MININCLUSIVE_VALID",
        "SCHEMAV_CVC_MAXINCLUSIVE_VALID",
        "SCHEMAV_CVC_MINEXCLUSIVE_VALID",
        "SCHEMAV_CVC_MAXEXCLUSIVE_VALID",
        "SCHEMAV_CVC_TOTALDIGITS_VALID",
        "SCHEMAV_CVC_FRACTIONDIGITS_VALID",
        "SCHEMAV_CVC_LENGTH_VALID",
        "SCHEMAV_CVC_MINLENGTH_VALID",
        "SCHEMAV_CVC_MAXLENGTH_VALID",
        "SCHEMAV_CVC_DATATYPE_VALID_1_2_1",
        "SCHEMAV_CVC_DATATYPE_VALID_1_2_2",
        "SCHEMAV_CVC_DATATYPE_VALID_1_2_3",
        "SCHEMAV_CVC_ATTRIBUTE_3",
    }
)


def _quote(value: str, limit: int = 40) -> str:
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("\n", "\\n")


@dataclass(slots=True)
class _Target:
    """A model element paired with the lxml element its serialized form parsed into."""

    node: Element
    path: str


@dataclass(slots=True)
class _Collector:
    source: str | None
    issues: list[SchemaIssue] = field(default_factory=list)
    seen: set[tuple[int, str | None, str]] = field(default_factory=set)

    def add(
        self,
        message: str,
        *,
        node: Node | None,
        element: str | None,
        path: str | None,
        attribute: str | None = None,
        span: Span | None = None,
        detail: str = "",
    ) -> None:
        key = (id(node), attribute, message)
        if key in self.seen:
            return
        self.seen.add(key)
        if span is None and node is not None:
            span = _node_span(node)
        line = column = None
        if span is not None:
            line, column = span.line, span.column
            if isinstance(node, Text) and self.source is not None:
                line, column = _skip_blank(self.source, span)
        self.issues.append(
            SchemaIssue(line, column, message, element, path, attribute, span, detail)
        )


def _node_span(node: Node) -> Span | None:
    if isinstance(node, Element):
        return node.start_tag or node.span
    return node.span


def _skip_blank(source: str, span: Span) -> tuple[int, int]:
    """The position of the first non-blank character of a text span (its start if all blank)."""
    index = span.start
    end = min(span.end, len(source))
    while index < end and source[index].isspace():
        index += 1
    if index >= end:
        return span.line, span.column
    newlines = source.count("\n", span.start, index)
    if newlines == 0:
        return span.line, span.column + (index - span.start)
    return span.line + newlines, index - source.rfind("\n", 0, index)


# --------------------------------------------------------------------------- validation


def validate(source: Source) -> list[SchemaIssue]:
    """Check ``source`` against the CosyVoice schema: ``for issue in validate(text): print(issue)``.

    ``source`` is SSML text or bytes (parsed with :func:`ssmlkit.parse.parse`, whose
    :class:`~ssmlkit.errors.ParseError` propagates), a :class:`~ssmlkit.model.Document`, a node
    such as a ``<speak>`` from :mod:`ssmlkit.builder`, or a list or tuple of them; anything else
    raises :class:`TypeError`. A document without positions (built by hand) is serialized and
    re-parsed, so positions refer to its serialized text. Returns the issues in document order; an
    empty list means valid. Raises :class:`~ssmlkit.errors.SchemaError` when the schema cannot be
    loaded.
    """
    doc = source if isinstance(source, Document) else as_document(source, "validate")
    if doc.source is None and any(getattr(i, "span", None) is None for i in doc.items):
        doc = parse(serialize(doc))
    schema = load_schema()
    out = _Collector(doc.source)

    speak_index = 0
    counts: dict[str, int] = {}
    for item in doc.items:
        if isinstance(item, Text):
            if item.value.strip():
                out.add(
                    f'text outside <speak>: "{_quote(item.value.strip())}"; '
                    "all text must be inside <speak>…</speak>",
                    node=item,
                    element=None,
                    path=None,
                )
        elif isinstance(item, Speak):
            speak_index += 1
            path = f"/speak[{speak_index}]"
            _validate_speak(schema, item, path, out, serialize(item))
        elif isinstance(item, Element):
            counts[item.name] = counts.get(item.name, 0) + 1
            out.add(
                f"<{item.name}> outside <speak>; every element must be inside <speak>…</speak>",
                node=item,
                element=item.name,
                path=f"/{item.name}[{counts[item.name]}]",
            )
    if speak_index == 0 and not out.issues:
        out.add("no <speak> element", node=None, element=None, path=None, span=_start_span())
    out.issues.sort(key=lambda i: (i.line or 0, i.column or 0))
    return out.issues


def _start_span() -> Span:
    return Span(0, 0, 1, 1, 1, 1)


def _reparse(text: str, speak: Speak) -> etree._Element:
    try:
        return etree.fromstring(text, _hardened_parser())
    except etree.XMLSyntaxError:
        pass
    # Undeclared prefixes (<amazon:effect>) are a namespace error only; recovery keeps the element.
    try:
        return etree.fromstring(text, _hardened_parser(recover=True))
    except etree.XMLSyntaxError as exc:  # pragma: no cover - the serializer writes well-formed XML
        span = speak.span
        raise ParseError(
            f"the serialized <speak> is not well-formed: {exc}",
            line=span.line if span else 1,
            column=span.column if span else 1,
        ) from exc


def _pair(
    node: Element, xml: etree._Element, path: str, targets: dict[etree._Element, _Target]
) -> None:
    """Map each lxml element to its model element, walking both trees in the same order."""
    targets[xml] = _Target(node, path)
    model_children = [c for c in node.children if isinstance(c, Element)]
    xml_children = [c for c in xml if isinstance(c.tag, str)]
    counts: dict[str, int] = {}
    for child, xml_child in zip(model_children, xml_children, strict=False):
        counts[child.name] = counts.get(child.name, 0) + 1
        _pair(child, xml_child, f"{path}/{child.name}[{counts[child.name]}]", targets)


def _validate_speak(
    schema: etree.XMLSchema, speak: Speak, path: str, out: _Collector, text: str
) -> None:
    root = _reparse(text, speak)
    targets: dict[etree._Element, _Target] = {}
    _pair(speak, root, path, targets)
    tree = root.getroottree()
    allowed = _speak_children()
    for _ in range(_MAX_ROUNDS):
        if allowed and root.tag == "speak":
            _prune_strangers(root, allowed, targets, out)
        with _LOCK:
            valid = schema.validate(tree)
            errors = list(schema.error_log)
        if valid:
            return
        by_path = _node_paths(root)
        unexpected: list[etree._Element] = []
        retry = False
        for error in errors:
            xml = by_path.get(error.path or "")
            target = targets.get(xml) if xml is not None else None
            if target is None:
                target = targets[root]
            _report(error.type_name, error.message, target, out)
            if error.type_name == "SCHEMAV_ELEMENT_CONTENT" and xml is not None and xml is not root:
                unexpected.append(xml)
            elif error.type_name == "SCHEMAV_CVC_ELT_1" and _strip_namespace(root):
                retry = True
        if not unexpected and not retry:
            return
        # libxml2 stops checking a parent at its first unexpected child: drop that child and every
        # sibling of the same name (they are just as unexpected), report them, and validate again.
        for xml in unexpected:
            parent = xml.getparent()
            if parent is None:  # pragma: no cover - the root is never unexpected
                continue
            for sibling in [c for c in parent if c.tag == xml.tag]:
                target = targets.get(sibling)
                if target is not None and sibling is not xml:
                    _report("SCHEMAV_ELEMENT_CONTENT", "", target, out)
                _remove_keeping_tail(sibling)


def _prune_strangers(
    root: etree._Element,
    allowed: frozenset[str],
    targets: dict[etree._Element, _Target],
    out: _Collector,
) -> None:
    """Report and remove every child of ``<speak>`` the schema does not declare there."""
    for child in [c for c in root if isinstance(c.tag, str) and c.tag not in allowed]:
        target = targets.get(child)
        if target is not None:
            _report("SCHEMAV_ELEMENT_CONTENT", "", target, out)
        _remove_keeping_tail(child)


def _path_step(el: etree._Element) -> tuple[str, tuple[str, str | None] | None]:
    """libxml2's name for ``el`` in a node path, and the key of the siblings it is counted among.

    The key is ``None`` for an element in a default namespace: libxml2 writes it ``*`` and counts
    it among all element siblings. Otherwise siblings count when local name and prefix agree.
    """
    qname = etree.QName(el)
    if qname.namespace is None:
        return qname.localname, (qname.localname, None)
    if el.prefix is None:
        return "*", None
    return f"{el.prefix}:{qname.localname}", (qname.localname, el.prefix)


def _node_paths(root: etree._Element) -> dict[str, etree._Element]:
    """Every element by the path libxml2 reports for it (``/speak/break[2]``), in one pass.

    The same result as ``tree.getpath(el)`` for each element, which costs a scan of the siblings
    per call and so grows quadratically on a long flat ``<speak>``.
    """
    name, _ = _path_step(root)
    paths = {f"/{name}": root}
    stack = [(root, f"/{name}")]
    while stack:
        parent, prefix = stack.pop()
        children = [c for c in parent if isinstance(c.tag, str)]
        steps = [_path_step(c) for c in children]
        totals: dict[object, int] = {}
        for _, key in steps:
            totals[key] = totals.get(key, 0) + 1
        seen: dict[object, int] = {}
        for position, (child, (step, key)) in enumerate(zip(children, steps, strict=True), 1):
            seen[key] = seen.get(key, 0) + 1
            index, total = (position, len(children)) if key is None else (seen[key], totals[key])
            path = f"{prefix}/{step}[{index}]" if total > 1 else f"{prefix}/{step}"
            paths[path] = child
            stack.append((child, path))
    return paths


def _strip_namespace(root: etree._Element) -> bool:
    """Move a namespaced root (``<speak xmlns="...">``) and its namespace's elements out of it.

    Once the namespace is reported, this lets validation go on to check the content.
    """
    match = _CLARK.match(root.tag) if isinstance(root.tag, str) else None
    if match is None:
        return False
    prefix = "{" + match.group("ns") + "}"
    for el in root.iter(etree.Element):
        if isinstance(el.tag, str) and el.tag.startswith(prefix):
            el.tag = el.tag[len(prefix) :]
    etree.cleanup_namespaces(root)
    return True


def _remove_keeping_tail(xml: etree._Element) -> None:
    parent = xml.getparent()
    if parent is None:  # pragma: no cover
        return
    if xml.tail:
        previous = xml.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + xml.tail
        else:
            parent.text = (parent.text or "") + xml.tail
    parent.remove(xml)


def _report(kind: str, detail: str, target: _Target, out: _Collector) -> None:
    node = target.node
    name = node.name
    head = _ERROR_HEAD.match(detail)
    attribute = _model_attribute(node, head.group("attr")) if head and head.group("attr") else None
    rest = head.group("rest") if head else detail
    if head and _CLARK.match(head.group("el")) and kind == "SCHEMAV_CVC_ELT_1":
        ns = _CLARK.match(head.group("el"))
        assert ns is not None
        out.add(
            f'<{ns.group("local")}> is in the namespace "{ns.group("ns")}"; '
            "CosyVoice expects a plain <speak> without xmlns",
            node=node,
            element=name,
            path=target.path,
            detail=detail,
        )
        return
    if attribute is not None and kind in _VALUE_ERRORS:
        value = node.get(attribute)
        if value is None:
            quoted = _QUOTED.findall(rest)
            value = quoted[0] if quoted else ""
        expected = _EXPECTED_VALUE.get((name, attribute), "not an allowed value")
        message = f'<{name} {attribute}="{_quote(value)}">: {expected}'
        _add_attr(out, message, target, attribute, detail)
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1" and attribute is not None:
        allowed = sorted(profile.ELEMENT_ATTRIBUTES.get(name, ()))
        hint = f"; allowed: {', '.join(allowed)}" if allowed else "; it takes no attributes"
        message = f'<{name}>: the attribute "{attribute}" is not allowed{hint}'
        _add_attr(out, message, target, attribute, detail)
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        quoted = _QUOTED.findall(rest)
        missing = quoted[0] if quoted else "?"
        message = f'<{name}>: the required attribute "{missing}" is missing'
        out.add(
            message, node=node, element=name, path=target.path, attribute=missing, detail=detail
        )
    elif kind in {"SCHEMAV_CVC_COMPLEX_TYPE_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_2_2"}:
        _report_content(kind, detail, rest, target, out)
    elif kind == "SCHEMAV_ELEMENT_CONTENT":
        if name == "speak":
            message = "<speak> cannot be nested inside <speak>; close the first one before"
        elif isinstance(node, UnknownElement) or name not in profile.ELEMENT_ATTRIBUTES:
            advice = profile.FOREIGN_TAG_ADVICE.get(name.rpartition(":")[2])
            message = f"<{name}> is not a CosyVoice element; inside <speak> use only {_CHILDREN}"
            if advice:
                message += f"; {advice}"
        else:
            message = f"<{name}> is not allowed here; inside <speak> use only {_CHILDREN}"
        out.add(message, node=node, element=name, path=target.path, detail=detail)
    else:
        out.add(
            f"<{name}>: {rest.strip()}", node=node, element=name, path=target.path, detail=detail
        )


_XML_NS = "http://www.w3.org/XML/1998/namespace"


def _model_attribute(node: Element, name: str) -> str:
    """The attribute name as the document writes it: libxml2 says ``{ns}lang`` for ``xml:lang``."""
    match = _CLARK.match(name)
    if match is None:
        return name
    local = match.group("local")
    if match.group("ns") == _XML_NS:
        return f"xml:{local}"
    for key, _ in node.attrs:
        if key.endswith(f":{local}"):
            return key
    return local


def _add_attr(out: _Collector, message: str, target: _Target, attribute: str, detail: str) -> None:
    node = target.node
    span = node.attr_span(attribute) or _node_span(node)
    out.add(
        message,
        node=node,
        element=node.name,
        path=target.path,
        attribute=attribute,
        span=span,
        detail=detail,
    )


def _report_content(kind: str, detail: str, rest: str, target: _Target, out: _Collector) -> None:
    """Text or a child element in an element that must be empty or hold text only."""
    node = target.node
    name = node.name
    rule = "must be empty" if name in profile.EMPTY_ELEMENTS else "may hold text only"
    wants_element = rest.startswith("Element content") or kind == "SCHEMAV_CVC_COMPLEX_TYPE_2_2"
    culprit: Node | None = None
    for child in node.children:
        if wants_element and isinstance(child, Element):
            culprit = child
            break
        if not wants_element and isinstance(child, Text):
            culprit = child
            break
    if isinstance(culprit, Element):
        message = f"<{name}> {rule}; it holds <{culprit.name}>"
    elif isinstance(culprit, Text):
        shown = culprit.value.strip()
        found = f'the text "{_quote(shown)}"' if shown else "whitespace"
        message = f"<{name}> {rule}; it holds {found}"
        if name in profile.EMPTY_ELEMENTS:
            message += f" (write <{name}/>)"
    else:
        message = f"<{name}> {rule}"
    out.add(message, node=culprit or node, element=name, path=target.path, detail=detail)
