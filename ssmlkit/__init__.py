"""ssmlkit: write, check, split and speak SSML for Alibaba's CosyVoice.

Usage::

    import ssmlkit
    doc = ssmlkit.parse('<speak rate="1.1">你好<break time="500ms"/></speak>')
    ssmlkit.measure(doc)      # 4: what the service counts
    ssmlkit.serialize(doc)    # back to text
"""

from __future__ import annotations

from ssmlkit._version import __version__
from ssmlkit.errors import (
    APIStatusError,
    AudioError,
    AuthenticationError,
    BadRequestError,
    BuildError,
    ConfigError,
    InputError,
    InputTooLargeError,
    ParseError,
    RateLimitError,
    RenderError,
    RenderTimeout,
    SchemaError,
    ServerError,
    SplitError,
    SSMLKitError,
    TransportError,
)
from ssmlkit.measure import measure
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
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
from ssmlkit.parse import parse, parse_file
from ssmlkit.serialize import serialize

__all__ = [
    "APIStatusError",
    "AudioError",
    "AuthenticationError",
    "BadRequestError",
    "Break",
    "BuildError",
    "Comment",
    "ConfigError",
    "Document",
    "Element",
    "InputError",
    "InputTooLargeError",
    "ParseError",
    "Phoneme",
    "ProcessingInstruction",
    "RateLimitError",
    "RenderError",
    "RenderTimeout",
    "SSMLKitError",
    "SayAs",
    "SchemaError",
    "ServerError",
    "SoundEvent",
    "Span",
    "Speak",
    "SplitError",
    "Sub",
    "Text",
    "TransportError",
    "UnknownElement",
    "__version__",
    "measure",
    "parse",
    "parse_file",
    "serialize",
]
