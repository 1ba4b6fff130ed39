"""Inputs that fuzzing (or the hostile-input review) once broke, checked on every run.

Each entry names what went wrong before the fix; the checks are the fuzz properties themselves.
"""

from __future__ import annotations

import pytest

from ssmlkit.errors import SSMLKitError
from ssmlkit.linter import fix, lint
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.measure import measure
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize
from ssmlkit.splitter import split
from tests.fuzz.test_fuzz import spoken

REGRESSIONS = [
    # fix() dropped the BOM, the linter dropped the second U+FEFF too, every edit landed one
    # character early and fixing grew "&lt&lt&lt..." without end.
    "\ufeff\ufeff<speak>a < b</speak>",
    "\ufeff\ufeff\ufeff<speak>Tom & Jerry > 1</speak>",
    # 50,000-deep nesting took minutes (subtree rules are quadratic in depth).
    "<speak>" + "<a>" * 3000 + "x" + "</a>" * 3000 + "</speak>",
    # A flood of syntax problems made millions of findings; past the 1,000-problem cap, fix()
    # still gets them all in a few passes.
    "<speak>" + "<" * 2500 + "</speak>",
    # Malformed and huge character references raised ValueError from int().
    '<A A="&#=;"',
    '<speak><sub alias="&#x;">x</sub></speak>',
    "<speak>&#" + "9" * 5000 + ";</speak>",
    '<speak><sub alias="&#' + "1" * 5000 + ';">x</sub></speak>',
    # A top-level element beside top-level text (the splitter wraps both; the oracle once missed it).
    '0000<A00 A="">0</A00>',
    # serialize wrote a leading text U+FEFF as is, and it was read back as a byte-order mark.
    "\ufeff\ufeff",
    "\ufeff\ufeff<speak>a</speak>",
    # A lone surrogate in str input.
    "<speak>\ud800</speak>",
    "<speak><sub alias='\udfff'>x</sub></speak>",
]


def _ok_or_refused(call: object, *args: object) -> object:
    try:
        return call(*args)  # type: ignore[operator]
    except SSMLKitError:
        return None


@pytest.mark.parametrize("text", REGRESSIONS)
def test_regression(text: str) -> None:
    diagnostics = lint(text)
    doc = _ok_or_refused(parse, text)
    if doc is None:
        assert any(d.severity is Severity.ERROR for d in diagnostics)
    result = fix(text, unsafe=True)
    if not any(d.severity is Severity.ERROR for d in result.remaining):
        parse(result.text)
    assert fix(result.text, unsafe=True).text == result.text  # fixing twice changes nothing
    try:
        chunks = split(text, max_chars=20)
    except SSMLKitError:
        return
    assert doc is not None
    assert all(measure(c) <= 20 for c in chunks)
    assert "".join(spoken(c) for c in chunks) == spoken(doc)  # type: ignore[arg-type]
    for chunk in chunks:
        parse(serialize(chunk))


def test_double_bom_fix_is_exact() -> None:
    assert fix("\ufeff\ufeff<speak>a < b</speak>").text == "\ufeff\ufeff<speak>a &lt; b</speak>"


@pytest.mark.parametrize(
    "text", ["\ufeff\ufeff", "\ufeff\ufeff<speak>a</speak>", "\ufeff<speak>x</speak>"]
)
def test_serialize_round_trips_a_leading_feff(text: str) -> None:
    doc = parse(text)
    assert parse(serialize(doc)) == doc


def test_lint_of_a_document_serialize_refuses_is_a_finding() -> None:
    from ssmlkit.model import Document, Speak, Text

    diagnostics = lint(Document((Speak(children=(Text("a\ud800"),)),)))
    assert [d.code for d in diagnostics] == ["XM001"]
