"""Invariants of ssmlkit.annotate on generated documents full of polyphones and awkward markup.

Every document mixes Han text (polyphones and not), character references, CDATA, comments,
line ends, existing hints, <sub>, <say-as>, <break> and an unknown element. For each:
removing the added tags gives the input back; annotating again changes nothing; the result
parses, round-trips through the serializer and brings no new lint finding; existing hints are
kept byte for byte; every applied decision's character stands inside an added hint.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit import pronounce
from ssmlkit.annotation import annotate

pytestmark = pytest.mark.skipif(
    not pronounce.available(), reason=str(pronounce.unavailable_reason())
)

_HAN = "银行长重了还得地的着传为和便子大好人我他在工作很忙要新开始头发解"
_ADDED = re.compile(r'<phoneme alphabet="py" ph="[a-z1-5 ]+">|</phoneme>')
_EXISTING = (
    # written otherwise than the planner writes, so that they can be told apart
    '<phoneme ph="yin2 hang2" alphabet="py">银行</phoneme>',
    "<phoneme alphabet='py' ph='zhang3 da4'>长大</phoneme>",
)

han_runs = st.text(alphabet=_HAN, min_size=1, max_size=8)
references = (
    st.sampled_from(_HAN)
    .map(lambda c: st.sampled_from((f"&#{ord(c)};", f"&#x{ord(c):X};")))
    .flatmap(lambda s: s)
)
pieces = st.one_of(
    han_runs,
    han_runs,
    references,
    st.sampled_from(("，", "。", " ", "\n", "\r\n", "&amp;", "abc", "1")),
    han_runs.map(lambda t: f"<![CDATA[{t}]]>"),
    st.just("<!--行-->"),
    st.just('<break time="500ms"/>'),
    st.sampled_from(_EXISTING),
    han_runs.map(lambda t: f'<sub alias="{t}">x</sub>'),
    han_runs.map(lambda t: f'<say-as interpret-as="name">{t}</say-as>'),
    han_runs.map(lambda t: f"<p>{t}</p>"),
)
speaks = st.lists(pieces, max_size=12).map(lambda ps: "<speak>" + "".join(ps) + "</speak>")
documents = st.lists(speaks, min_size=1, max_size=2).map("\n".join)
selections = st.sampled_from([{"all_polyphones": True}, {}, {"chars": "行"}, {"chars": "长重了"}])


def _codes(text: str) -> list[str]:
    return sorted(d.code for d in ssmlkit.lint(text))


@given(documents, selections)
def test_annotate_only_adds_tags_and_is_a_fixpoint(source: str, how: dict[str, object]) -> None:
    result = annotate(source, **how)  # type: ignore[arg-type]
    out = result.text
    # Removing the added tags gives the input back (existing hints are removed on both sides).
    assert _ADDED.sub("", out) == _ADDED.sub("", source)
    assert len(_ADDED.findall(out)) == len(_ADDED.findall(source)) + 2 * len(result.hints)
    # Existing hints are kept byte for byte.
    for hint in _EXISTING:
        assert out.count(hint) == source.count(hint)
    # Annotating again changes nothing.
    again = annotate(out, **how)  # type: ignore[arg-type]
    assert again.text == out
    assert not again.changed
    # The result parses and round-trips through the serializer.
    document = ssmlkit.parse(out)
    assert ssmlkit.parse(ssmlkit.serialize(document)) == document
    assert result.document == document
    # No new lint finding: the added hints pass the pronunciation rules.
    assert _codes(out) == _codes(source)
    # Each applied decision's character ends up inside an added hint of that word.
    for d in result.decisions:
        assert source[d.start : d.end] in (d.char, f"&#{ord(d.char)};", f"&#x{ord(d.char):X};")
        if d.applied:
            assert any(h.start <= d.start < h.end for h in result.hints)
        else:
            assert d.reason


@given(st.text(alphabet=_HAN + "，。ab ", max_size=30))
def test_auto_pinyin_parts_join_to_the_text(text: str) -> None:
    from ssmlkit import builder as b

    if not text.strip():
        return
    parts = b.auto_pinyin(text)
    assert "".join(p if isinstance(p, str) else p.text for p in parts) == text
    plain = sorted(d.code for d in ssmlkit.lint(b.speak(text)))
    assert sorted(d.code for d in ssmlkit.lint(b.speak(*parts))) == plain
