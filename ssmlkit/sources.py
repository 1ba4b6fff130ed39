"""What every public entry point accepts, and how it becomes one thing to work on.

Usage::

    from ssmlkit import builder as b
    from ssmlkit.sources import as_document
    as_document(b.speak("你好"), "lint")             # Document((Speak(...),))
    as_document([b.speak("一"), b.speak("二")], "lint")  # one Document, two <speak>
    as_source("<speak>你好</speak>", "lint")          # text and bytes pass through unparsed

A *source* is any of: a :class:`~ssmlkit.model.Document`; an element (a
:class:`~ssmlkit.model.Speak` from :mod:`ssmlkit.builder`, or any other node); a sequence (list or
tuple) of those, taken as the top-level items of one document; SSML as ``str``; SSML as ``bytes``
(or ``bytearray``/``memoryview``), decoded as :func:`ssmlkit.parse` decodes it. Anything else is a
:class:`TypeError` that names the function and what it accepts.

Text and bytes are passed through by :func:`as_source` rather than parsed here, because the
functions that take them keep what parsing would lose: the linter reports every syntax problem with
its position, and ``fix`` edits the original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from ssmlkit.model import Comment, Document, Element, Node, ProcessingInstruction, Text

__all__ = ["ACCEPTED", "Source", "as_document", "as_source", "as_text"]

#: What a public function taking SSML accepts (also the type named in their signatures).
Source: TypeAlias = Document | Node | Sequence[Node] | str | bytes

#: Said in every TypeError about a source.
ACCEPTED = (
    "a Document, an element such as a Speak from ssmlkit.builder, a list or tuple of them, "
    "SSML text (str) or bytes"
)

_NODE_TYPES = (Element, Text, Comment, ProcessingInstruction)


def _type_error(function: str, source: object, extra: str = "") -> TypeError:
    return TypeError(f"{function}() takes {ACCEPTED}{extra}; got {type(source).__name__}")


def as_source(source: object, function: str) -> Document | str | bytes:
    """``source`` as a Document (model objects) or unchanged text or bytes.

    ``function`` names the public function asking, for the :class:`TypeError` raised on anything
    that is not a source.
    """
    if isinstance(source, Document | str | bytes):
        return source
    if isinstance(source, _NODE_TYPES):
        return Document((source,))
    if isinstance(source, bytearray | memoryview):
        return bytes(source)
    if isinstance(source, list | tuple):
        for index, item in enumerate(source):
            if not isinstance(item, _NODE_TYPES):
                raise TypeError(
                    f"{function}() takes {ACCEPTED}; item {index} of the "
                    f"{type(source).__name__} is a {type(item).__name__}, not an element"
                )
        return Document(tuple(source))
    raise _type_error(function, source)


def as_document(source: object, function: str) -> Document:
    """``source`` as a :class:`~ssmlkit.model.Document`, parsing text and bytes.

    Raises :class:`~ssmlkit.errors.ParseError` for text that is not well-formed and
    :class:`TypeError` for anything that is not a source.
    """
    given = as_source(source, function)
    if isinstance(given, Document):
        return given
    from ssmlkit.parse import parse

    return parse(given)


def as_text(source: object, function: str) -> str | bytes:
    """``source`` as SSML text: model objects serialized, text and bytes unchanged."""
    given = as_source(source, function)
    if isinstance(given, Document):
        from ssmlkit.serialize import serialize

        return serialize(given)
    return given
