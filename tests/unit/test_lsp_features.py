"""Hover, completion, document symbols and folding ranges."""

from __future__ import annotations

from lsprotocol import types as lsp

from ssmlkit.linter.api import lint
from ssmlkit.lsp.features import complete, fold, hover, symbols
from ssmlkit.lsp.text import LineIndex
from ssmlkit.measure import measure
from ssmlkit.profiles import cosyvoice

DOC = '<speak voice="longanyang" rate="1.2">\n  你好，世界。\n  <break time="500ms"/>\n</speak>\n<speak>Hi</speak>'


def _labels(text: str, offset: int | None = None) -> list[str]:
    at = len(text) if offset is None else offset
    return [i.label for i in complete(text, LineIndex(text), at).items]


def _hover(text: str, needle: str, shift: int = 1, found=()) -> str:
    result = hover(text, LineIndex(text), text.index(needle) + shift, found)
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


def test_hover_on_speak_counts_its_characters_and_the_total():
    value = _hover(DOC, "<speak")
    own = measure(DOC[: DOC.index("</speak>") + 8])
    assert f"counts {own:,} characters" in value
    assert f"{measure(DOC):,} of {cosyvoice.MAX_CHARS:,}" in value


def test_hover_on_attributes_and_elements_gives_the_dialect():
    assert "0.5 to 2" in _hover(DOC, "rate=")
    assert "50 to 10000" in _hover(DOC, "<break")
    assert "ms" in _hover(DOC, "time=")
    assert "not part of the CosyVoice dialect" in _hover(
        "<speak><prosody>x</prosody></speak>", "<prosody"
    )


def test_hover_on_a_finding_explains_its_rule():
    text = '<speak><break time="20s"/></speak>'
    found = lint(text)
    value = _hover(text, "20s", 0, found)
    assert "BR002" in value
    assert "break-time-out-of-range" in value


def test_completion_of_elements_follows_the_dialect():
    assert _labels("<") == ["speak"]
    assert set(_labels("<speak><")) == {
        "break",
        "sub",
        "phoneme",
        "say-as",
        "soundEvent",
        "/speak>",
    }
    assert _labels("<speak><sub alias='a'><") == ["/sub>"]  # text only inside <sub>
    assert _labels("<speak>x</") == ["speak>"]


def test_completion_of_attributes_leaves_out_those_written():
    labels = _labels('<speak voice="a" ')
    assert "voice" not in labels
    assert {"rate", "pitch", "volume", "effect"} <= set(labels)
    assert _labels("<phoneme ") == ["alphabet", "ph"]


def test_completion_of_values():
    assert _labels('<say-as interpret-as="') == list(cosyvoice.INTERPRET_AS)
    assert _labels('<phoneme alphabet="') == ["py", "cmu"]
    assert "longanyang" in _labels('<speak voice="lon')
    assert "500ms" in _labels('<speak><break time="')
    assert "echo" in _labels('<speak effect="')


def test_completion_replaces_what_is_typed():
    text = "<speak><bre"
    item = next(i for i in complete(text, LineIndex(text), len(text)).items if i.label == "break")
    assert isinstance(item.text_edit, lsp.TextEdit)
    assert item.text_edit.range == lsp.Range(lsp.Position(0, 8), lsp.Position(0, 11))


def test_symbols_show_each_speak_with_voice_and_size():
    result = symbols(DOC, LineIndex(DOC))
    assert [s.name for s in result] == ["<speak>", "<speak>"]
    assert result[0].detail is not None
    assert "longanyang" in result[0].detail
    assert result[1].detail == "2 chars"
    assert [c.name for c in result[0].children or []] == ["<break>"]


def test_folding_ranges_for_multi_line_elements_and_comments():
    text = DOC + "\n<!--\nnote\n-->"
    ranges = fold(text, LineIndex(text))
    assert (0, 3) in [(r.start_line, r.end_line) for r in ranges]
    assert any(r.kind == lsp.FoldingRangeKind.Comment for r in ranges)


def test_hover_on_a_voice_value_shows_its_catalogue_entry():
    assert "cosyvoice-v3-flash" in _hover(DOC, "longanyang", 2)
    assert "SSML supported" in _hover(DOC, "longanyang", 2)
    unknown = '<speak voice="my_clone_01">x</speak>'
    assert "not a system voice" in _hover(unknown, "my_clone", 2)


def test_hover_size_follows_count_tags_and_max_chars():
    text = "<speak>你好</speak>"
    index = LineIndex(text)
    result = hover(text, index, 2, max_chars=10, count_tags=True)
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    assert "counts 19 characters" in result.contents.value  # 15 of markup + 2 ideographs x 2
    assert "19 of 10" in result.contents.value
    assert "over the limit" in result.contents.value
