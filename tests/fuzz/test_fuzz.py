"""Fuzz properties: what each entry point promises on any input.

* ``lint`` never raises, and reports at least one error whenever ``parse`` refuses the input;
* ``parse``, ``serialize`` and ``split`` raise only :class:`~ssmlkit.errors.SSMLKitError`;
* ``serialize`` of a parsed document parses again to the same document;
* ``fix`` never raises; when it claims success (no error-severity finding remains), its text parses;
* ``split``, when it succeeds, gives chunks within ``max_chars`` whose spoken text, concatenated,
  is the document's.

Budget: ``SSMLKIT_FUZZ_EXAMPLES`` examples per test (see ``tests/fuzz/README.md``).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.errors import SSMLKitError
from ssmlkit.linter import fix, lint
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.measure import measure
from ssmlkit.model import Comment, Document, Element, Speak, Text
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize
from ssmlkit.splitter import split
from tests.fuzz.strategies import any_text, fuzz_settings, raw_bytes


def _errors(diagnostics: list) -> list:  # type: ignore[type-arg]
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def _parse_or_none(source: str | bytes) -> Document | None:
    try:
        return parse(source)
    except SSMLKitError:
        return None


def spoken(doc: Document) -> str:
    """What the service would speak: the text in and beside the ``<speak>`` elements.

    The splitter wraps text and elements found outside ``<speak>`` in a ``<speak>`` of their own,
    so their text counts; white space between top-level items does not.
    """
    parts: list[str] = []
    for item in doc.items:
        if isinstance(item, Element):
            parts.append(item.text)
        elif isinstance(item, Text) and item.value.strip():
            parts.append(item.value)
    return "".join(parts)


@fuzz_settings
@given(any_text)
def test_lint_never_raises_and_flags_what_parse_refuses(text: str) -> None:
    diagnostics = lint(text)
    for d in diagnostics:
        assert d.line >= 1
        assert d.column >= 1
        assert 0 <= d.start <= d.end
    if _parse_or_none(text) is None:
        assert _errors(diagnostics), "parse refused it but lint found no error"


@fuzz_settings
@given(st.one_of(raw_bytes, any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_lint_and_parse_of_bytes(data: bytes) -> None:
    diagnostics = lint(data)
    if _parse_or_none(data) is None:
        assert _errors(diagnostics)


@fuzz_settings
@given(any_text)
def test_serialize_of_a_parsed_document_parses_to_the_same(text: str) -> None:
    doc = _parse_or_none(text)
    if doc is None:
        return
    try:
        out = serialize(doc)
    except SSMLKitError:
        return
    again = parse(out)
    assert serialize(again) == out


@fuzz_settings
@given(any_text, st.booleans())
def test_fix_output_parses_when_it_claims_success(text: str, unsafe: bool) -> None:
    result = fix(text, unsafe=unsafe)
    if not _errors(result.remaining):
        parse(result.text)


@fuzz_settings
@given(any_text, st.integers(1, 120))
def test_split_guarantees_hold_whenever_it_succeeds(text: str, max_chars: int) -> None:
    doc = _parse_or_none(text)
    try:
        chunks = split(text, max_chars=max_chars)
    except SSMLKitError:
        return
    assert doc is not None, "split accepted what parse refused"
    for chunk in chunks:
        assert measure(chunk) <= max_chars
        parse(serialize(chunk))
    assert "".join(spoken(c) for c in chunks) == spoken(doc)


_any_chars = st.text(max_size=20)  # surrogates and NUL included: the model does not check them


@fuzz_settings
@given(_any_chars, _any_chars, _any_chars)
def test_lint_of_a_built_document_never_raises(text: str, value: str, note: str) -> None:
    doc = Document((Comment(note), Speak(attrs=(("voice", value),), children=(Text(text or "x"),))))
    diagnostics = lint(doc)
    try:
        serialize(doc)
    except SSMLKitError:
        assert _errors(diagnostics), "serialize refused it but lint found no error"
