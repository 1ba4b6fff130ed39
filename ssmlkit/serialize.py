"""Turn a document or node back into SSML text: the only place in ssmlkit that escapes.

    >>> from ssmlkit.model import Document, Speak, Text
    >>> serialize(Document((Speak(children=(Text("Tom & Jerry <3"),)),)))
    '<speak>Tom &amp; Jerry &lt;3</speak>'

``parse(serialize(d)) == d`` for every document whose text XML can carry. Text escapes ``&``, ``<``
and ``>`` (and CR as ``&#13;`` so it survives XML's line-end normalisation); attribute values are
double-quoted and also escape ``"`` and literal tab/LF/CR, which XML would otherwise turn into spaces.
Elements without children are written self-closing (``<break time="1s"/>``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ssmlkit.errors import BuildError
from ssmlkit.model import Comment, Document, Element, Node, ProcessingInstruction, Text

if TYPE_CHECKING:
    from ssmlkit.sources import Source

__all__ = ["escape_attr", "escape_text", "serialize"]

_NODE_TYPES = (Element, Text, Comment, ProcessingInstruction)

_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r]')
# Characters XML 1.0 forbids, as the ranges its Char production leaves out (the negated class
# [^\t\n\r\x20-\ud7ff...] is the same set but takes ~10-20 ms to compile at import).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_MAP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_MAP = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}


def _check_chars(value: str, where: str) -> None:
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise BuildError(
            where,
            None,
            value,
            f"text without U+{ord(bad.group()):04X} at index {bad.start()} "
            "(XML 1.0 cannot carry that character, not even escaped)",
        )


def escape_text(value: str) -> str:
    """Escape character data for use between tags."""
    _check_chars(value, "text")
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_MAP[m.group()], value)


def escape_attr(value: str) -> str:
    """Escape an attribute value for use inside double quotes."""
    _check_chars(value, "attribute")
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return _ATTR_SPECIAL.sub(lambda m: _ATTR_MAP[m.group()], value)


def _start(element: Element, close: bool) -> str:
    attrs = "".join(f' {name}="{escape_attr(value)}"' for name, value in element.attrs)
    return f"<{element.name}{attrs}{'/' if close else ''}>"


def serialize(source: Source) -> str:
    """SSML text for ``source``: ``serialize(speak("你好"))`` is ``'<speak>你好</speak>'``.

    ``source`` is a :class:`Document`, a single node (written alone), a list or tuple of nodes
    (written one after another, as the items of one document), or SSML text or bytes, which are
    parsed and written again in this serializer's form (so ``serialize(text)`` normalizes ``text``
    and raises :class:`~ssmlkit.errors.ParseError` when it is not well-formed). Raises
    :class:`TypeError` for anything else, and :class:`~ssmlkit.errors.BuildError` for a model
    holding what XML cannot carry.
    """
    if isinstance(source, Document):
        items = source.items
    elif isinstance(source, _NODE_TYPES):
        items = (source,)
    else:
        # Imported here, off the common path: ``import ssmlkit`` loads this module.
        from ssmlkit.sources import as_document

        source = as_document(source, "serialize")
        items = source.items
    out: list[str] = []
    # An explicit stack instead of recursion, so depth is never a problem.
    stack: list[tuple[Element | None, int, tuple[Node, ...]]] = [(None, 0, items)]
    while stack:
        parent, index, nodes = stack.pop()
        while index < len(nodes):
            node = nodes[index]
            index += 1
            if isinstance(node, Text):
                out.append(escape_text(node.value))
            elif isinstance(node, Element):
                if node.children:
                    out.append(_start(node, False))
                    stack.append((parent, index, nodes))
                    parent, index, nodes = node, 0, node.children
                else:
                    out.append(_start(node, True))
            elif isinstance(node, Comment):
                _check_chars(node.value, "comment")
                if "--" in node.value or node.value.endswith("-") or "\r" in node.value:
                    raise BuildError(
                        "comment",
                        None,
                        node.value,
                        "a comment without '--' that does not end in '-'",
                    )
                out.append(f"<!--{node.value}-->")
            elif isinstance(node, ProcessingInstruction):
                out.append(f"<?{node.target}{' ' + node.data if node.data else ''}?>")
        if parent is not None:
            out.append(f"</{parent.name}>")
    text = "".join(out)
    if isinstance(source, Document) and text.startswith("\ufeff"):
        # A leading U+FEFF in text would be read back as a byte-order mark and dropped.
        text = "&#xFEFF;" + text[1:]
    return text
