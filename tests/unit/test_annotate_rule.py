"""PR009 polyphone-without-hint: the planner of ssmlkit.annotation as a lint rule (opt-in)."""

from __future__ import annotations

import pytest

import ssmlkit
from ssmlkit import pronounce
from ssmlkit.annotation import annotate
from ssmlkit.config import Config

pytestmark = pytest.mark.skipif(
    not pronounce.available(), reason=str(pronounce.unavailable_reason())
)


def test_pr009_reports_each_polyphone_with_an_unsafe_fix() -> None:
    config = Config(select=("PR009",))
    found = ssmlkit.lint("<speak>他在银行工作。</speak>", config=config)
    assert [(d.code, d.line, d.column) for d in found] == [("PR009", 1, 11)]
    assert "hang2" in found[0].message
    assert "xing2" in found[0].message
    assert found[0].fix is not None
    assert found[0].fix.safety == "unsafe"
    assert ssmlkit.lint("<speak>他在银行工作。</speak>", config=Config(select=("ALL",))) == []
    fixed = ssmlkit.fix("<speak>他在银行工作。</speak>", unsafe=True, config=config)
    assert fixed.text == annotate("<speak>他在银行工作。</speak>").text


def test_pr009_options_choose_characters() -> None:
    config = Config(select=("PR009",), rule_options={"PR009": {"chars": "重"}})
    found = ssmlkit.lint("<speak>我们要重新开始，这很重要。</speak>", config=config)
    assert [d.column for d in found] == [11, 18]
    bad = Config(select=("PR009",), rule_options={"PR009": {"chars": "我"}})
    (only,) = ssmlkit.lint("<speak>我</speak>", config=bad)
    assert "not a polyphonic character" in only.message
