"""ST005's segment fix: every <prosody>/<voice> of a <speak> gets that <speak>'s conversion."""

from __future__ import annotations

import ssmlkit
from ssmlkit import Document, parse, serialize
from ssmlkit.conversion import convert

FIRST = '<speak voice="longanyang">一。<prosody rate="slow">慢。</prosody>二。<prosody rate="fast">快。</prosody></speak>'
SECOND = '<speak voice="longxiaochun">三。<voice name="x">四。</voice></speak>'


def _segment_fixes(text: str) -> list[tuple[int, int, str]]:
    found = [d for d in ssmlkit.lint(text) if d.code == "ST005" and d.fix is not None]
    return [(e.start, e.end, e.replacement) for d in found for e in d.fix.edits]  # type: ignore[union-attr]


def test_each_element_of_one_speak_gets_the_conversion_of_that_speak() -> None:
    text = FIRST + "\n" + SECOND
    fixes = _segment_fixes(text)
    speaks = parse(text).speaks
    expected = [
        (s.span.start, s.span.end, serialize(convert(Document((s,))).document))  # type: ignore[union-attr]
        for s in speaks
    ]
    assert fixes == [expected[0], expected[0], expected[1]]
    assert expected[0][2] != expected[1][2]


def test_the_same_speak_in_another_run_is_converted_again() -> None:
    # Equal text in two runs: each run's fix targets its own document's <speak>.
    assert _segment_fixes(FIRST) == _segment_fixes(FIRST)
    shifted = _segment_fixes("\n\n" + FIRST)
    assert [s - 2 for s, _, _ in shifted] == [s for s, _, _ in _segment_fixes(FIRST)]
