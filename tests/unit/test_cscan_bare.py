"""The C fast path takes documents whose only problems are bare ``&`` in text (issue 14).

"R&D" in hand-written SSML is the commonest reason the fast path used to decline a document (82
of the 83 it declined on the benchmark's varied corpus); the Python scanner then ran, about 4x
slower on those documents. Asked for them (a list as ``_cscan.scan``'s third argument), C now
reads each such ``&`` as text and gives its offset, and :func:`ssmlkit._scan.scan` words the
problem. Everything here holds the result to the Python scanner's, problems and spans included
(:func:`tests.fuzz.oracle.check_bare`): on chosen examples, on every character that may follow
the ``&`` (the reference pattern's Unicode name rules), and on generated and mutated text.

``scripts/sanitize.sh`` and ``scripts/c_coverage.sh`` run this file too.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ssmlkit import _scan
from ssmlkit._scan import MAX_PROBLEMS, scan, scan_python
from tests.fuzz.oracle import check_bare, shape
from tests.fuzz.strategies import any_text, fuzz_settings, mutated

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

from ssmlkit import _cscan

FAST = _scan.FAST_SCAN


def fast_bare(text: str) -> list[int] | None:
    """The offsets C reports for ``text``, or ``None`` when it declines it."""
    assert FAST is not None
    bare: list[int] = []
    return None if FAST(text, 0, bare) is None else bare


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("<speak>R&D</speak>", [8]),
        ("<speak>R&D &amp; x &lt;&</speak>", [8, 23]),
        ("&", [0]),  # at the very end of the input
        ("a&&b", [1, 2]),
        ("<speak>a &#; &#x; &#12a; &#xG; &# x</speak>", [9, 13, 18, 25, 31]),
        ("<speak>&_x y &a.b-c:d &9 &:x</speak>", [7, 13, 22, 25]),
        ("<speak>研发&中心 &٣ &\u00b7</speak>", [9, 13, 16]),  # Unicode names, an Arabic digit
        ("<speak>\r\nA&B\r\n<p>C&\rD</p></speak>", [10, 18]),  # line ends normalised
        ('<speak a="&amp;">&<break/>&</speak>', [17, 26]),
        ("top & level <speak/> & tail", [4, 21]),
        ('<speak xml:lang="en" xmlns:x="urn:x">A&B</speak>', [38]),  # no prefix noted
    ],
)
def test_bare_ampersands_in_text_are_taken_and_reported_as_python_does(
    text: str, offsets: list[int]
) -> None:
    assert fast_bare(text) == offsets
    assert check_bare(text)
    result = scan(text)
    assert [(p.kind, p.start, p.end) for p in result.problems] == [
        ("bare-ampersand", at, at + 1) for at in offsets
    ]
    assert not result.well_formed  # lxml would refuse it: nothing is claimed for it


def test_the_positions_and_message_are_the_python_scanners() -> None:
    text = "<speak>\n  R&D\r\n  \u4e2d&\u6587\n</speak>"
    assert check_bare(text)
    problems = scan(text).problems
    assert [(p.line, p.column) for p in problems] == [(2, 4), (3, 4)]
    assert problems == scan_python(text).problems
    assert problems[0].message.startswith("unescaped '&'; write &amp;")


@pytest.mark.parametrize(
    "text",
    [
        "<speak>&nbsp;</speak>",  # an unknown entity: another problem
        "<speak>&a.b\u00b7c;</speak>",  # ... whose name runs through U+00B7
        "<speak>&#0;</speak>",  # a character XML forbids
        "<speak>&#x110000;</speak>",
        "<speak a='R&D'/>",  # in an attribute: worded otherwise, left to Python
        "<speak>R&D<p></speak>",  # another problem beside it
        "<x:speak>R&D</x:speak>",  # prefixes: the Python result names them
        "<speak x:a='1'>R&D</speak>",
        "<speak>R&D\x00</speak>",
    ],
)
def test_other_problems_beside_or_instead_of_a_bare_ampersand_decline(text: str) -> None:
    assert fast_bare(text) is None
    assert not check_bare(text)
    assert scan(text) == scan_python(text)


def test_prefixes_without_a_bare_ampersand_are_still_taken() -> None:
    assert fast_bare("<x:speak>R&amp;D</x:speak>") == []


def test_without_the_list_a_bare_ampersand_declines_as_before() -> None:
    assert FAST is not None
    assert FAST("<speak>R&D</speak>", 0) is None


@pytest.mark.parametrize("count", [MAX_PROBLEMS, MAX_PROBLEMS + 1])
def test_as_many_bare_ampersands_as_problems_are_reported_and_no_more(count: int) -> None:
    # Past MAX_PROBLEMS the Python scanner stops reading and says so: C declines those.
    text = "<speak>" + "&" * count + "</speak>"
    taken = fast_bare(text)
    assert (taken is not None) == (count <= MAX_PROBLEMS)
    result, reference = scan(text), scan_python(text)
    assert result == reference
    assert [shape(n) for n in result.document.items] == [shape(n) for n in reference.document.items]


def test_the_list_may_hold_items_already_and_only_this_scans_count() -> None:
    assert FAST is not None
    bare = list(range(MAX_PROBLEMS))
    assert FAST("<x:speak>a &amp; b</x:speak>", 0, bare) is not None  # no '&' of its own
    assert FAST("<speak>R&D</speak>", 0, bare) is not None
    assert bare[MAX_PROBLEMS:] == [8]


def test_a_bare_list_must_be_a_list() -> None:
    with pytest.raises(TypeError):
        _cscan.scan("<speak/>", 0, ())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a&b&amp;", "a&b&"), ("&", "&"), ("&#;&lt;", "&#;<")],
)
def test_decode_keeps_a_bare_ampersand_when_told(text: str, expected: str) -> None:
    assert _cscan._decode(text, 0, len(text), False, True) == expected


@pytest.mark.parametrize("text", ["&bogus;", "&#0;", "a&amp;b"])
def test_decode_still_refuses_what_is_no_bare_ampersand(text: str) -> None:
    with pytest.raises(SystemError, match="unchecked reference"):
        _cscan._decode(text, 0, 4 if text == "a&amp;b" else len(text), False, True)


# Every character (and a few runs) after the '&': the C reading of the reference pattern's
# Unicode name classes against Python's re.
@given(st.text(min_size=1, max_size=6))
@example("\u0660")  # ARABIC-INDIC DIGIT ZERO: \w and \d, so no name starts with it
@example("\u00b2")  # SUPERSCRIPT TWO: \w but not \d
@example("a\u0300;")  # a combining mark inside a name
@example("\u2160;")  # ROMAN NUMERAL ONE
@example("x\u00b7y;")
@fuzz_settings
def test_what_follows_an_ampersand_is_read_as_the_python_scanner_reads_it(rest: str) -> None:
    check_bare("<speak>&" + rest + "</speak>")
    check_bare("&" + rest)


@given(any_text)
@fuzz_settings
def test_any_text_holds_the_oracle_with_bare_ampersands(text: str) -> None:
    check_bare(text)


@given(mutated(), st.lists(st.integers(0, 10_000), min_size=1, max_size=5))
@fuzz_settings
def test_documents_with_ampersands_inserted_hold_the_oracle(text: str, at: list[int]) -> None:
    for k in sorted(at, reverse=True):
        i = k % (len(text) + 1)
        text = text[:i] + "&" + text[i:]
    check_bare(text)
