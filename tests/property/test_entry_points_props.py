"""Properties of the entry points: a built document behaves exactly like its serialized text.

For generated documents (speaks with any inline content, comments, stray text), ``lint``, ``fix``,
``measure``, ``split``, ``validate`` and ``convert`` give the same result, or raise the same
exception, whether they get the model, the list of its items, ``serialize(model)`` or its bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.model import Document
from tests.property.strategies import documents, speaks


def _outcome(call: Callable[[Any], object], source: object) -> object:
    """The result of ``call(source)``, or the type and message of what it raised."""
    try:
        return ("returned", call(source))
    except Exception as exc:  # any exception is compared, not hidden
        return ("raised", type(exc), str(exc))


def _forms(doc: Document) -> list[object]:
    """The model given as a Document, as a list and a tuple of its items, and as bytes."""
    return [doc, list(doc.items), tuple(doc.items), ssmlkit.serialize(doc).encode("utf-8")]


def _same_everywhere(call: Callable[[Any], object], doc: Document) -> None:
    expected = _outcome(call, ssmlkit.serialize(doc))
    for form in _forms(doc):
        assert _outcome(call, form) == expected, type(form).__name__


@given(documents())
def test_lint_of_the_model_is_lint_of_its_text(doc: Document) -> None:
    _same_everywhere(ssmlkit.lint, doc)
    # and never raises, whatever the model holds
    assert isinstance(ssmlkit.lint(doc), list)


@given(documents())
def test_measure_of_the_model_is_measure_of_its_text(doc: Document) -> None:
    # A str without '<' is measured as plain text, not as SSML (see ssmlkit.measure).
    assume("<" in ssmlkit.serialize(doc))
    _same_everywhere(ssmlkit.measure, doc)


@given(documents())
def test_validate_of_the_model_is_validate_of_its_text(doc: Document) -> None:
    _same_everywhere(ssmlkit.validate, doc)


@given(documents(), st.sampled_from([1, 3, 8, 40, 4000]))
def test_split_of_the_model_is_split_of_its_text(doc: Document, max_chars: int) -> None:
    def chunks(source: object) -> object:
        found, warnings = ssmlkit.split_with_warnings(source, max_chars=max_chars)  # type: ignore[arg-type]
        return [ssmlkit.serialize(c) for c in found], warnings

    _same_everywhere(chunks, doc)


@given(documents())
def test_convert_of_the_model_is_convert_of_its_text(doc: Document) -> None:
    def converted(source: object) -> object:
        result = ssmlkit.convert(source)  # type: ignore[arg-type]
        return result.text, result.changes, result.source

    _same_everywhere(converted, doc)


@given(documents())
def test_fix_of_the_model_is_fix_of_its_text(doc: Document) -> None:
    def fixed(source: object) -> object:
        result = ssmlkit.fix(source)  # type: ignore[arg-type]
        return result.text, result.applied, result.remaining

    _same_everywhere(fixed, doc)


@given(st.lists(speaks, max_size=3))
def test_a_list_of_speaks_is_the_document_of_them(items: list[Any]) -> None:
    doc = Document(tuple(items))
    for call in (ssmlkit.lint, ssmlkit.measure, ssmlkit.serialize):
        assert _outcome(call, items) == _outcome(call, doc)
