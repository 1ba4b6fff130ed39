"""Convert W3C SSML and other vendors' SSML into the CosyVoice dialect.

    >>> from ssmlkit.conversion import convert
    >>> result = convert('<speak><p>Hello <emphasis>world</emphasis></p></speak>')
    >>> result.text
    '<speak>Hello world</speak>'
    >>> [str(c) for c in result.changes]
    ['1:8: unwrapped <p>: paragraph; a break stands in for its pause where the text has no final punctuation', '1:17: unwrapped <emphasis>: CosyVoice has no emphasis']

The mapping tables live in :mod:`ssmlkit.conversion.tables` (documented in ``docs/convert.md``).
"""

from __future__ import annotations

from ssmlkit.conversion.engine import (
    Action,
    Change,
    ConversionResult,
    convert,
    detect_source,
    element_action,
)

__all__ = ["Action", "Change", "ConversionResult", "convert", "detect_source", "element_action"]
