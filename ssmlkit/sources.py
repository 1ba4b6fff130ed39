"""What every public entry point accepts, and how it becomes one thing to work on.

Usage::

    from ssmlkit import builder as b
    from ssmlkit.sources import as_document, as_source
    as_source(b.speak("你好"), "lint")                  # Document((Speak(...),))
    as_source([b.speak("一"), b.speak("二")], "lint")   # one Document, two <speak>
    as_source("<speak>你好</speak>", "lint")            # text and bytes pass through unparsed
    as_document(b"<speak>\\xe4\\xbd\\xa0</speak>", "split")  # text and bytes parsed

A *source* is any of:

- a :class:`~ssmlkit.model.Document` (parsed, or made by :func:`ssmlkit.builder.document`);
- a node: a :class:`~ssmlkit.model.Speak` from :func:`ssmlkit.builder.speak`, or any other
  element, text, comment or processing instruction, taken as a document of that one item;
- a sequence (``list`` or ``tuple``) of nodes and documents, taken as the top-level items of one
  document in order (a document in it adds its items, as :func:`ssmlkit.builder.document` does,
  so the segments ``speak(..., prosody(...))`` returns can stand in a list of speaks);
- SSML as ``str``;
- SSML as ``bytes`` (or ``bytearray``/``memoryview``), decoded as :func:`ssmlkit.parse` decodes it.

Anything else is a :class:`TypeError` that names the function and says what it accepts
(:data:`ACCEPTED`). Text and bytes are passed through by :func:`as_source` rather than parsed here,
because the functions that take them keep what parsing would lose: the linter reports every
syntax problem with its position, and ``fix`` edits the original text.

This module imports only the model and the parser (never the serializer), so that every module
taking SSML, the serializer included, can use it without an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from ssmlkit.model import Comment, Document, Element, Node, ProcessingInstruction, Text
from ssmlkit.parse import parse

__all__ = ["ACCEPTED", "Source", "as_document", "as_source", "source_type_error"]

#: What a public function taking SSML accepts: the one type named in their signatures.
Source: TypeAlias = Document | Node | Sequence[Node | Document] | str | bytes

#: Said in every TypeError about a source.
ACCEPTED = (
    "a Document, an element such as a Speak from ssmlkit.builder, a list or tuple of them, "
    "SSML text (str) or bytes"
)

_NODE_TYPES = (Element, Text, Comment, ProcessingInstruction)


def source_type_error(function: str, source: object) -> TypeError:
    """The :class:`TypeError` for a ``source`` that ``function`` cannot take (to be raised).

    >>> str(source_type_error("lint", 42))
    'lint() takes a Document, an element such as a Speak from ssmlkit.builder, a list or tuple of them, SSML text (str) or bytes; got int'
    """
    return TypeError(f"{function}() takes {ACCEPTED}; got {type(source).__name__}")


def as_source(source: object, function: str) -> Document | str | bytes:
    """``source`` as a Document (model objects) or unchanged text or bytes.

        >>> from ssmlkit.model import Speak, Text
        >>> as_source([Speak(children=(Text("一"),))], "split").items[0].name
        'speak'
        >>> as_source("<speak>一</speak>", "split")
        '<speak>一</speak>'

    ``function`` names the public function asking, for the :class:`TypeError` raised on anything
    that is not a source (see the module docstring). A ``bytearray`` or ``memoryview`` comes back
    as ``bytes``. A document made here has no ``source`` text, like any built document.
    """
    if isinstance(source, Document | str | bytes):
        return source
    if isinstance(source, _NODE_TYPES):
        return Document((source,))
    if isinstance(source, bytearray | memoryview):
        return bytes(source)
    if isinstance(source, list | tuple):
        items: list[Node] = []
        for index, item in enumerate(source):
            if isinstance(item, _NODE_TYPES):
                items.append(item)
            elif isinstance(item, Document):
                items.extend(item.items)
            else:
                raise TypeError(
                    f"{function}() takes {ACCEPTED}; item {index} of the "
                    f"{type(source).__name__} is a {type(item).__name__}, not an element"
                )
        return Document(tuple(items))
    raise source_type_error(function, source)


def as_document(source: object, function: str) -> Document:
    """``source`` as a :class:`~ssmlkit.model.Document`, parsing text and bytes.

        >>> as_document("<speak>一</speak>", "split").items[0].name
        'speak'

    Raises :class:`~ssmlkit.errors.ParseError` for text that is not well-formed and
    :class:`TypeError` (naming ``function``) for anything that is not a source.
    """
    given = as_source(source, function)
    if isinstance(given, Document):
        return given
    return parse(given)
