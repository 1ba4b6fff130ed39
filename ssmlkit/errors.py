"""The exceptions ssmlkit raises.

Every exception derives from :class:`SSMLKitError`, so ``except ssmlkit.SSMLKitError`` catches all of
them; lxml and httpx exceptions never escape the public API unwrapped (they are chained as
``__cause__``). Findings about a document (lint diagnostics, schema issues) are data, not exceptions.

::

    SSMLKitError
    ├── InputError                    the input cannot be used
    │   ├── InputTooLargeError        over the size cap, refused before parsing
    │   ├── ParseError                not well-formed XML, or forbidden DTD/entities (path, line, column)
    │   ├── SchemaError               the bundled XML Schema cannot be loaded or compiled
    │   └── BuildError (ValueError)   the builder was called with a bad value
    ├── ConfigError                   bad [tool.ssmlkit] configuration (file, key, value, expected)
    ├── SplitError                    one unsplittable unit exceeds the size limit (span, size, limit)
    └── RenderError
        ├── TransportError            connection failed
        │   └── RenderTimeout         no answer in time
        ├── APIStatusError            the service answered with an error status (status_code, body)
        │   ├── AuthenticationError   401 / 403
        │   ├── BadRequestError       400 and other 4xx that retrying cannot fix
        │   ├── RateLimitError        429
        │   └── ServerError           5xx
        ├── EngineUnavailableError    the offline engine's library or voice data is missing
        └── AudioError                audio parts cannot be joined
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ssmlkit.model import Span

__all__ = [
    "APIStatusError",
    "AudioError",
    "AuthenticationError",
    "BadRequestError",
    "BuildError",
    "ConfigError",
    "EngineUnavailableError",
    "InputError",
    "InputTooLargeError",
    "ParseError",
    "RateLimitError",
    "RenderError",
    "RenderTimeout",
    "SSMLKitError",
    "SchemaError",
    "ServerError",
    "SplitError",
    "TransportError",
]


class SSMLKitError(Exception):
    """Base class of every exception ssmlkit raises."""


class InputError(SSMLKitError):
    """The input (text, bytes or file) cannot be used."""


class InputTooLargeError(InputError):
    """The input is larger than the configured cap; it was refused before parsing.

    ``size`` and ``limit`` are in bytes (or characters for ``str`` input).
    """

    def __init__(self, size: int, limit: int, path: str | None = None) -> None:
        self.size = size
        self.limit = limit
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(
            f"{where}input is {size:,} bytes, over the {limit:,}-byte cap; "
            "raise the cap (max_bytes=) only for input you trust"
        )


class ParseError(InputError):
    """The input is not well-formed XML, or declares a DTD or entities.

    ``line`` and ``column`` are 1-based and point at the offending character; ``offset`` is the
    0-based index into the decoded text. ``reason`` is the message without the position.
    """

    def __init__(
        self,
        reason: str,
        *,
        line: int,
        column: int,
        offset: int = 0,
        path: str | None = None,
        code: str = "not-well-formed",
    ) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
        self.code = code
        where = f"{path}:" if path else ""
        super().__init__(f"{where}{line}:{column}: {reason}")


class SchemaError(InputError):
    """The bundled XML Schema could not be found or compiled."""


class BuildError(InputError, ValueError):
    """The builder was called with a value the dialect does not accept.

    ``element``, ``attribute`` and ``value`` name what was wrong; ``expected`` says what is allowed.
    """

    def __init__(
        self,
        element: str,
        attribute: str | None,
        value: object,
        expected: str,
    ) -> None:
        self.element = element
        self.attribute = attribute
        self.value = value
        self.expected = expected
        what = f"<{element} {attribute}>" if attribute else f"<{element}>"
        super().__init__(f"{what}: {_short_repr(value)} is not allowed; expected {expected}")


def _short_repr(value: object, limit: int = 200) -> str:
    """``repr(value)`` cut to ``limit`` characters (a huge int's repr may even raise)."""
    try:
        text = repr(value)
    except ValueError:
        return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConfigError(SSMLKitError):
    """The configuration is invalid: ``file``, ``key``, ``value`` and ``expected`` say where and why."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(f"{file}: {message}" if file else message)


class SplitError(SSMLKitError):
    """A unit that may not be cut (an element, a word) is larger than the chunk limit."""

    def __init__(self, message: str, *, span: Span | None, size: int, limit: int) -> None:
        self.span = span
        self.size = size
        self.limit = limit
        where = f"{span.line}:{span.column}: " if span is not None else ""
        super().__init__(f"{where}{message} ({size:,} counted characters, limit {limit:,})")


class RenderError(SSMLKitError):
    """Rendering failed."""


class TransportError(RenderError):
    """The request could not be sent or no response arrived (connection refused, reset, ...)."""


class RenderTimeout(TransportError):
    """The service did not answer within the timeout."""


class APIStatusError(RenderError):
    """The service answered with an error status.

    ``status_code`` is the HTTP status and ``body`` an excerpt of the response body (at most 2,000
    characters). Request and response headers are never kept, so an API key cannot leak through it.
    """

    def __init__(self, status_code: int, body: str, message: str | None = None) -> None:
        self.status_code = status_code
        self.body = body[:2000]
        super().__init__(message or f"HTTP {status_code}: {self.body}")


class AuthenticationError(APIStatusError):
    """401 or 403: the API key is missing, wrong, or its quota is exhausted."""


class BadRequestError(APIStatusError):
    """400 or another 4xx that retrying cannot fix."""


class RateLimitError(APIStatusError):
    """429: too many requests, still refused after the retries."""


class ServerError(APIStatusError):
    """5xx: the service failed, still failing after the retries."""


class EngineUnavailableError(RenderError):
    """The offline engine cannot run: its eSpeak NG library or voice data is missing or broken."""


class AudioError(RenderError):
    """Audio parts cannot be decoded or joined."""
