"""ssmlkit.annotate / ssmlkit.annotation: pinyin hints for polyphones, kept byte for byte."""

from __future__ import annotations

import re

import pytest

import ssmlkit
from ssmlkit import builder as b
from ssmlkit import pronounce
from ssmlkit.annotation import (
    AnnotateResult,
    PolyphoneDecision,
    annotate,
    plan_text,
    source_offsets,
)
from ssmlkit.errors import BuildError, ParseError

pytestmark = pytest.mark.skipif(
    not pronounce.available(), reason=str(pronounce.unavailable_reason())
)

_ADDED = re.compile(r'<phoneme alphabet="py" ph="[a-z1-5 ]+">|</phoneme>')


def _strip(text: str) -> str:
    return _ADDED.sub("", text)


def test_the_public_names() -> None:
    assert ssmlkit.annotate is annotate
    assert ssmlkit.AnnotateResult is AnnotateResult
    assert ssmlkit.PolyphoneDecision is PolyphoneDecision


def test_a_word_with_a_polyphone_is_wrapped_with_its_reading_in_context() -> None:
    result = annotate("<speak>他在银行工作。</speak>", "行")
    assert (
        result.text
        == '<speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。</speak>'
    )
    (d,) = result.decisions
    assert (d.line, d.column, d.char, d.reading, d.applied) == (1, 11, "行", "hang2", True)
    assert (d.word, d.ph, d.reason) == ("银行", "yin2 hang2", None)
    assert d.candidates[0] == "hang2"
    assert "xing2" in d.candidates
    assert 0.5 < d.confidence <= 1
    assert d.context[d.context_at] == "行"
    assert "银行" in d.context
    assert result.changed
    assert len(result.hints) == 1
    assert result.document == ssmlkit.parse(result.text)


def test_the_same_character_is_read_by_its_context() -> None:
    result = annotate("<speak>我们要重新开始，这很重要。</speak>", "重")
    assert [(d.word, d.reading) for d in result.decisions] == [
        ("重新", "chong2"),
        ("重要", "zhong4"),
    ]
    assert 'ph="chong2 xin1">重新<' in result.text
    assert 'ph="zhong4 yao4">重要<' in result.text


def test_the_default_selection_is_where_context_changes_the_reading() -> None:
    source = "<speak>他在银行工作。我们要重新开始，这很重要。那条路很长。</speak>"
    result = annotate(source)
    every = annotate(source, all_polyphones=True)
    chosen = {(d.start, d.reading) for d in result.decisions}
    assert chosen < {(d.start, d.reading) for d in every.decisions}
    for d in every.decisions:
        (alone,) = pronounce.predict(d.char)  # the character out of context
        assert ((d.start, d.reading) in chosen) is (alone.reading != d.reading)
    assert "银行" in {d.word for d in result.decisions}  # 行 alone is xing2


def test_existing_hints_sub_and_say_as_are_left_alone() -> None:
    source = (
        '<speak><phoneme alphabet="py" ph="yin2  hang2">银行</phoneme>'
        '<sub alias="银行">行</sub><say-as interpret-as="name">曾行</say-as>'
        "<!-- 银行 --><break/></speak>"
    )
    result = annotate(source, "行")
    assert result.text == source
    assert result.decisions == ()
    assert not result.changed


def test_text_inside_another_element_is_reported_not_hinted() -> None:
    source = '<speak><prosody rate="1.2">他在银行工作</prosody></speak>'
    result = annotate(source, "行")
    assert result.text == source
    (d,) = result.decisions
    assert not d.applied
    assert d.reason is not None
    assert "<prosody>" in d.reason
    assert (d.line, d.column) == (1, 31)


def test_character_references_are_wrapped_as_written() -> None:
    source = "<speak>他在&#38134;&#x884C;工作&amp;</speak>"
    result = annotate(source, "行")
    expected = (
        '<speak>他在<phoneme alphabet="py" ph="yin2 hang2">&#38134;&#x884C;</phoneme>工作&amp;'
        "</speak>"
    )
    assert result.text == expected
    (d,) = result.decisions
    assert (d.column, d.start, d.end) == (18, 17, 25)
    assert source[d.start : d.end] == "&#x884C;"


def test_cdata_is_left_alone_with_a_reason() -> None:
    source = "<speak>他在<![CDATA[银行]]>工作</speak>"
    result = annotate(source, "行")
    assert result.text == source
    (d,) = result.decisions
    assert not d.applied
    assert d.reason is not None
    assert "CDATA" in d.reason
    assert source[d.start] == "行"


def test_positions_count_lines_as_written_and_crlf_is_kept() -> None:
    source = "<speak>\r\n你好。\r\n他在银行工作。</speak>"
    result = annotate(source, "行")
    (d,) = result.decisions
    assert (d.line, d.column) == (3, 4)
    assert _strip(result.text) == source
    assert "\r\n" in result.text


def test_a_word_is_cut_at_its_text_node() -> None:
    # 银 is inside a comment's neighbour: the word may not reach across the comment.
    source = "<speak>他在银<!--x-->行工作</speak>"
    result = annotate(source, "行")
    assert _strip(result.text) == source
    for hint in result.hints:
        assert "<!--" not in hint.edit.replacement


def test_byte_order_mark_bytes_and_built_documents() -> None:
    source = "\ufeff<speak>他在银行工作</speak>"
    with_bom = annotate(source, "行")
    assert with_bom.text.startswith("\ufeff<speak>")
    assert "</phoneme>" in with_bom.text
    assert annotate(source.encode("utf-8"), "行").text == with_bom.text
    built = annotate(b.speak("他在银行工作"), "行")
    assert built.text == with_bom.text[1:]


def test_annotating_twice_changes_nothing() -> None:
    once = annotate("<speak>他是银行行长，我们要重新开始。</speak>", all_polyphones=True)
    twice = annotate(once.text, all_polyphones=True)
    assert twice.text == once.text
    assert not twice.changed


def test_the_result_lints_clean() -> None:
    source = "<speak>他是银行行长，我们要重新开始，这很重要。他长大了。</speak>"
    assert ssmlkit.lint(source) == []
    result = annotate(source, all_polyphones=True)
    assert result.changed
    assert ssmlkit.lint(result.text) == []


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="not both"):
        annotate("<speak>行</speak>", "行", all_polyphones=True)
    with pytest.raises(ValueError, match="not a polyphonic character"):
        annotate("<speak>行</speak>", "我")
    with pytest.raises(ValueError, match="empty"):
        annotate("<speak>行</speak>", " ")
    with pytest.raises(TypeError, match="annotate"):
        annotate(42)  # type: ignore[arg-type]
    with pytest.raises(ParseError):
        annotate("<speak>行")


def test_source_offsets_map_references_line_ends_and_cdata() -> None:
    raw = "a&amp;&#34892;\r\nb<![CDATA[c]]>"
    starts, ends, cdata = source_offsets(raw, "a&行\nbc", 10) or ([], [], [])
    assert starts == [10, 11, 16, 24, 26, 36]
    assert ends == [11, 16, 24, 26, 27, 37]
    assert cdata == [False, False, False, False, False, True]
    assert source_offsets("&bogus;", "x", 0) is None
    assert source_offsets("abc", "abd", 0) is None


def test_plan_text_and_auto_pinyin() -> None:
    assert plan_text("他在银行工作", "行") == [(2, 4, "yin2 hang2")]
    parts = b.auto_pinyin("他在银行工作。", "行")
    assert parts == ("他在", b.pinyin("银行", "yin2 hang2"), "工作。")
    every = b.auto_pinyin("我们要重新开始")
    assert "".join(p if isinstance(p, str) else p.text for p in every) == "我们要重新开始"
    assert b.pinyin("重新", "chong2 xin1") in every
    speak = b.speak(*every)
    assert ssmlkit.lint(speak) == []
    assert b.auto_pinyin("hello") == ("hello",)
    with pytest.raises(BuildError, match="polyphonic"):
        b.auto_pinyin("你好", "我")
