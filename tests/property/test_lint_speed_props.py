"""The lint engine's fast paths change no finding.

The engine skips rules by what they declare (:class:`ssmlkit.linter.rule.Needs`: needed attributes,
parents and children, by node shape; and, for rules whose verdict the start tag or the element as
written decides, elements written like ones already found clean, remembered across runs) and walks
the tree its own way (in C when built). The reference here is the plain loop it replaced: every
rule of the node's kind called on every node of :meth:`Document.walk`. Both must give the same
findings, in the same order, so a need declared wrongly fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssmlkit.config import Config
from ssmlkit.errors import SSMLKitError
from ssmlkit.linter import engine
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.registry import all_rules
from ssmlkit.measure import count_text, measure
from ssmlkit.model import Document
from ssmlkit.parse import scan_source
from ssmlkit.serialize import serialize
from tests.fuzz.strategies import SEEDS, any_text, mutated
from tests.property.strategies import documents


def _plain_walk(document: Document, ctx: LintContext, plan: Any) -> None:
    """The reference: every rule of the node's kind, on every node, no shape test."""
    for node, ancestors in document.walk():
        ctx.ancestors = ancestors
        for rule in plan.for_node(node):
            ctx.rule = rule
            rule.visit(node, ctx)


def _both(source: str, config: Config | None = None) -> tuple[list[Any], list[Any]]:
    fast = engine.lint(source, config=config)
    fast_walk = engine._walk
    engine._walk = _plain_walk  # type: ignore[assignment]
    try:
        plain = engine.lint(source, config=config)
    finally:
        engine._walk = fast_walk
    return fast, plain


def _same(fast: list[Any], plain: list[Any]) -> None:
    assert [repr(d) for d in fast] == [repr(d) for d in plain]


settings_ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Documents that reach many rules: dialect elements with wrong, missing and misplaced parts.
_PIECES = [
    '<speak voice="longxiaochun" rate="3" pitch="" volume="x" effect="eq" effectValue="1">',
    '<speak bgm="file:x" backgroundMusicVolume="200" effect="robot" effectValue="1">',
    "<speak>",
    "</speak>",
    '<break time="20s"/>',
    '<break time="1.5s"/>',
    "<break/>",
    '<break time="500ms">x</break>',
    '<phoneme alphabet="py" ph="hao3 lv4 shii3">好绿是</phoneme>',
    '<phoneme alphabet="cmu" ph="S AY1 n AX">sin</phoneme>',
    '<phoneme ph="x">当</phoneme>',
    '<say-as interpret-as="cardinal">12a</say-as>',
    '<say-as interpret-as="address">Baker St</say-as>',
    '<say-as interpret_as="digits">1</say-as>',
    '<sub alias="">W3C</sub>',
    '<sub alais="x"><break time="1s"/></sub>',
    '<soundEvent src="http://example.com/a>b.wav"/>',
    '<sub alias="x" foo="y">a</sub>',
    '<phoneme alphabet="py">当</phoneme>',
    "<say-as>1</say-as>",
    '<speak xmlns="http://www.w3.org/2001/10/synthesis" version="1.0" xml:lang="zh">',
    '<soundEvent src="x.wav">t</soundEvent>',
    '<prosody rate="fast">快</prosody>',
    "<p>",
    "</p>",
    "<Break/>",
    "2 > 1",
    "你好",
    " ",
    "\n",
    "<!-- ssmlkit: disable=XM004 -->",
    "<!-- c -->",
]
pieces = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@settings_
@given(st.one_of(any_text, mutated(), pieces, documents().map(serialize)))
def test_fast_engine_finds_what_the_plain_loop_finds(source: str) -> None:
    _same(*_both(source))


@settings_
@given(pieces, st.integers(min_value=1, max_value=40), st.booleans())
def test_same_findings_under_other_configurations(source: str, max_chars: int, tags: bool) -> None:
    config = Config(max_chars=max_chars, count_tags=tags, rendering=tags)
    _same(*_both(source, config))


_CODES = sorted(r.code for r in all_rules())


@settings_
@given(pieces, st.sets(st.sampled_from(_CODES), max_size=12))
def test_same_findings_with_rules_left_out(source: str, ignored: set[str]) -> None:
    # Rules sharing a gate must work with any of the others missing.
    _same(*_both(source, Config(ignore=tuple(sorted(ignored)))))


@settings_
@given(st.one_of(any_text, mutated(), pieces))
def test_the_source_counted_whole_bounds_the_text(source: str) -> None:
    # document-too-long (SZ001) and unsplittable-unit-too-long (SZ002) skip measuring the text
    # when the whole source, tags included, counts no more than the limit.
    try:
        document = scan_source(source, max_bytes=10**6)[1].document
    except SSMLKitError:
        return
    assert document.source is not None
    assert measure(document) <= count_text(document.source)
    assert 2 * len(document.source) >= count_text(document.source)


@pytest.mark.parametrize("source", SEEDS)
def test_seeds(source: str) -> None:
    _same(*_both(source))


@settings_
@given(st.one_of(any_text, mutated(), pieces, documents().map(serialize)))
def test_the_c_walk_and_the_python_walk_agree(source: str) -> None:
    # engine._walk runs the C walk when the extension is built; _walk_python is its reference
    # (and the walk of a pure-Python install), so both must find the same, in the same order.
    if engine._C_WALK is None:
        pytest.skip("the C extension is not built here: only the Python walk exists")
    fast = engine.lint(source)
    c_walk = engine._C_WALK
    engine._C_WALK = None
    try:
        python = engine.lint(source)
    finally:
        engine._C_WALK = c_walk
    _same(fast, python)


@settings_
@given(st.lists(pieces, min_size=2, max_size=4))
def test_what_the_engine_remembers_from_earlier_runs_changes_no_finding(sources: list[str]) -> None:
    # The gates remember, per rule set, elements written like ones found clean; a fresh
    # configuration starts them empty, then each run must still find what the plain loop finds.
    config = Config()
    for source in sources:
        _same(*_both(source, config))
