"""``str`` input the CLI can never see: lone surrogates and forbidden characters in text.

The CLI reads bytes (where a surrogate is just invalid UTF-8); the Python API also takes ``str``,
which can hold a lone surrogate. Every public function diagnoses it or raises an
:class:`~ssmlkit.errors.SSMLKitError`, never ``UnicodeEncodeError`` or ``ValueError``.
"""

from __future__ import annotations

import pytest

from ssmlkit.errors import ParseError, SSMLKitError
from ssmlkit.linter import fix, lint
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.parse import parse
from ssmlkit.splitter import split

CASES = [
    "<speak>\ud800</speak>",
    "<speak>a\udfffb</speak>",
    "\ud83d<speak>x</speak>",
    '<speak><sub alias="\ud800">x</sub></speak>',
    "<speak><!-- \udc00 -->x</speak>",
    "<speak>\x00</speak>",
    "<speak>\ufffe\uffff</speak>",
    "<sp\ud800eak>x</sp\ud800eak>",
]


@pytest.mark.parametrize("text", CASES)
def test_lint_diagnoses_with_the_position(text: str) -> None:
    errors = [d for d in lint(text) if d.severity is Severity.ERROR]
    assert errors
    bad = next(i for i, c in enumerate(text) if 0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0, 0xFFFE))
    assert any(d.start == bad for d in errors), [(d.code, d.start, d.message) for d in errors]


@pytest.mark.parametrize("text", CASES)
def test_parse_and_split_raise_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text)
    with pytest.raises(SSMLKitError):
        split(text, max_chars=100)


@pytest.mark.parametrize("text", CASES)
def test_fix_does_not_raise_and_does_not_claim_success(text: str) -> None:
    result = fix(text, unsafe=True)
    assert any(d.severity is Severity.ERROR for d in result.remaining)


@pytest.mark.parametrize("text", CASES)
def test_lint_of_the_encoded_bytes(text: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    assert any(d.severity is Severity.ERROR for d in lint(data))
    with pytest.raises(ParseError):
        parse(data)
