"""ssmlkit.convert: hand-written W3C, Amazon, Azure and Google examples (written for these tests)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ssmlkit.conversion import convert, detect_source, element_action
from ssmlkit.conversion import tables as T
from ssmlkit.conversion.docs import main as docs_main
from ssmlkit.conversion.docs import render_convert_doc
from ssmlkit.conversion.values import (
    map_break_strength,
    map_break_time,
    map_pinyin,
    map_pitch,
    map_rate,
    map_volume,
)
from ssmlkit.errors import ParseError
from ssmlkit.linter import lint
from ssmlkit.parse import parse

DOC = Path(__file__).resolve().parents[2] / "docs" / "convert.md"


def errors(text: str) -> list[str]:
    return [f"{d.code} {d.message}" for d in lint(text) if str(d.severity) == "error"]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(T.RATE_NAMED))
def test_named_rates_follow_the_table(name: str) -> None:
    assert map_rate(name).value == Decimal(repr(T.RATE_NAMED[name]))


def test_rate_percentages_and_numbers() -> None:
    assert map_rate("150%").text == "1.5"
    assert map_rate("+50%").text == "1.5"
    assert map_rate("-25%").text == "0.75"
    assert map_rate("1.2").text == "1.2"
    assert map_rate("+10%", Decimal("1.5")).text == "1.65"  # composed onto the parent
    assert map_rate("default", Decimal("0.8")).text == "0.8"
    assert map_rate("default").text is None
    assert map_rate("lightning").value is None


def test_rate_clamps_and_says_so() -> None:
    slow, fast = map_rate("10%"), map_rate("500%")
    assert (slow.text, slow.clamped) == ("0.5", True)
    assert (fast.text, fast.clamped) == ("2", True)
    assert not map_rate("fast").clamped


def test_pitch_units() -> None:
    ref = T.PITCH_REFERENCE_HZ
    assert map_pitch(f"+{ref // 10}Hz").text == "1.1"
    assert map_pitch(f"{ref}Hz").text == "1"
    assert map_pitch("+12st").text == "2"
    assert map_pitch("-12st").text == "0.5"
    assert map_pitch("-10%").text == "0.9"
    for name, value in T.PITCH_NAMED.items():
        assert map_pitch(name).value == Decimal(repr(value))


def test_volume_units() -> None:
    for name, value in T.VOLUME_NAMED.items():
        assert map_volume(name).text == str(value)
    assert map_volume("+6dB").text == "100"
    assert map_volume("-6dB").text == "25"
    assert map_volume("+10").text == "60"
    assert map_volume("80").text == "80"
    assert map_volume("+10dB").clamped
    assert map_volume("loudly").value is None


def test_break_time_and_strength() -> None:
    assert map_break_time("1.5s").text == "1500ms"
    assert map_break_time("2 S").text == "2s"
    assert map_break_time("3000ms").text == "3s"
    over = map_break_time("20s")
    assert (over.text, over.clamped) == ("10s", True)
    assert map_break_time("10ms").text == "50ms"
    assert map_break_time("0s").text is None
    assert map_break_time("soon").value is None
    for name, ms in T.BREAK_STRENGTH_MS.items():
        assert map_break_strength(name).value == ms


def test_pinyin_normalisation() -> None:
    assert map_pinyin("nǐ hǎo") == "ni3 hao3"
    assert map_pinyin("lǜ") == "lv4"
    assert map_pinyin("NI3") == "ni3"
    assert map_pinyin("xi1'an1") == "xi1 an1"
    assert map_pinyin("qwx9") is None


# --- whole documents ---------------------------------------------------------------------------

W3C = """<?xml version="1.0"?>
<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="zh-CN">
  <p>第一段没有标点</p>
  <p><s>Good morning.</s> <s>We <emphasis level="strong">really</emphasis> mean it</s></p>
  <prosody rate="slow" volume="loud">慢一点<prosody pitch="high">高一点</prosody></prosody>
  <break time="1.5s"/><mark name="here"/>
</speak>"""

POLLY = """<speak>
  <amazon:effect name="whispered">Keep it down.</amazon:effect>
  <amazon:breath duration="long"/>
  <phoneme alphabet="x-amazon-pinyin" ph="bo2">薄</phoneme>
  <say-as interpret-as="spell-out">NASA</say-as>
  <break strength="x-strong"/>Bye.
</speak>"""

AZURE = """<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis"
       xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="en-US">
  <voice name="en-US-AvaNeural">
    <mstts:express-as style="cheerful">What a lovely day</mstts:express-as>
    <prosody rate="fast">Let's hurry.</prosody>
  </voice>
  <voice name="longxiaochun_v3">你好</voice>
</speak>"""

GOOGLE = """<speak>
  <par>
    <media xml:id="a"><speak>Welcome back.</speak></media>
  </par>
  <audio src="https://example-bucket.oss-cn-beijing.aliyuncs.com/chime.wav">
    <desc>a chime</desc>chime fallback
  </audio>
  <say-as interpret-as="ordinal">3</say-as> place
</speak>"""


@pytest.mark.parametrize(
    "source", [W3C, POLLY, AZURE, GOOGLE], ids=["w3c", "polly", "azure", "google"]
)
def test_examples_convert_to_error_free_cosyvoice(source: str) -> None:
    result = convert(source)
    assert result.changes
    assert errors(result.text) == [], result.text
    assert all(c.line is not None and c.column is not None for c in result.changes)


def test_w3c_example_in_detail() -> None:
    result = convert(W3C)
    out = parse(result.text)
    speaks = out.speaks
    assert [s.attrs for s in speaks] == [
        (),
        (("rate", "0.75"), ("volume", "70")),
        (("rate", "0.75"), ("volume", "70"), ("pitch", "1.1")),
        (),
    ]
    assert speaks[1].text == "慢一点"
    assert speaks[2].text.strip() == "高一点"
    # the unpunctuated paragraph gets a stand-in break; "mean it" ends the last <s> at the end
    assert re.search(r'第一段没有标点\s*<break time="1s"/>\s*Good', result.text)
    assert '<break time="1500ms"/>' in result.text
    actions = {(c.action, c.element) for c in result.changes}
    assert ("dropped", "xml:lang") in actions
    assert ("dropped", "<mark>") in actions
    assert ("normalized", "<break time>") in actions
    assert ("inserted", "<break>") in actions
    assert ("unwrapped", "<emphasis>") in actions
    lines = {c.element: c.line for c in result.changes}
    assert lines["<mark>"] == 6
    assert lines["<emphasis>"] == 4
    assert words(out.text) == words(parse(W3C).text.replace("</p>", " "))


def test_polly_example() -> None:
    result = convert(POLLY)
    assert result.source == "amazon"
    assert '<phoneme alphabet="py" ph="bo2">薄</phoneme>' in result.text
    assert '<say-as interpret-as="characters">NASA</say-as>' in result.text
    assert f'<break time="{T.BREAK_STRENGTH_MS["x-strong"]}ms"/>' in result.text
    assert "amazon:" not in result.text
    assert "Keep it down." in result.text


def test_azure_example_keeps_known_voices_only() -> None:
    result = convert(AZURE)
    assert result.source == "azure"
    segments = parse(result.text).speaks
    assert [s.voice for s in segments] == [None, None, "longxiaochun_v3"]
    assert segments[1].rate == str(T.AZURE_RATE_NAMED["fast"])
    unknown = [c for c in result.changes if c.element == "<voice>" and c.action == "unwrapped"]
    assert len(unknown) == 1
    assert "en-US-AvaNeural" in unknown[0].message
    assert unknown[0].line == 3


def test_google_example_audio_and_ordinal() -> None:
    result = convert(GOOGLE)
    out = parse(result.text)
    assert out.speaks[0].children  # one speak: par/media unwrapped, nested speak unwrapped
    assert len(out.speaks) == 1
    assert '<soundEvent src="https://example-bucket.oss-cn-beijing.aliyuncs.com/chime.wav"/>' in (
        result.text
    )
    assert "chime fallback" not in result.text
    assert "a chime" not in result.text
    assert "3 place" in result.text
    assert "say-as" not in result.text
    dropped = {c.element for c in result.changes if c.action == "dropped"}
    assert {"<audio> content", "<say-as>"} <= dropped


def test_cosyvoice_input_comes_back_unchanged() -> None:
    text = (
        '<speak voice="longxiaochun_v3" rate="1.2">你好<break time="500ms"/>'
        '<phoneme alphabet="py" ph="dang4">当</phoneme>\n<sub alias="一">1</sub></speak>\n'
        '<speak volume="60">再见</speak>'
    )
    result = convert(text)
    assert result.changes == ()
    assert result.text == text
    assert result.document is not None
    assert result.source == "cosyvoice"


def test_text_outside_speak_is_wrapped() -> None:
    result = convert("just words <break strength='weak'/> more")
    assert result.text.startswith("<speak>just words")
    assert errors(result.text) == []
    assert result.changes[0].action == "wrapped"


def test_ipa_phoneme_becomes_its_text() -> None:
    result = convert('<speak>say <phoneme alphabet="ipa" ph="təˈmɑːtəʊ">tomato</phoneme></speak>')
    assert result.text == "<speak>say tomato</speak>"
    assert result.changes[0].action == "dropped"


def test_prosody_clamp_is_reported() -> None:
    result = convert('<speak><prosody rate="400%">fast</prosody></speak>')
    assert result.text == '<speak rate="2">fast</speak>'
    assert [c.action for c in result.changes] == ["converted", "clamped"]


def test_break_over_ten_seconds_is_clamped_and_reported() -> None:
    result = convert('<speak>a<break time="25s"/>b</speak>')
    assert '<break time="10s"/>' in result.text
    assert [(c.action, c.line, c.column) for c in result.changes] == [("clamped", 1, 9)]


def test_invalid_source_and_bad_xml() -> None:
    with pytest.raises(ValueError, match="source"):
        convert("<speak>a</speak>", source="klingon")
    with pytest.raises(ParseError):
        convert("<speak>a")


def test_detect_and_actions() -> None:
    assert detect_source(parse("<speak><p>a</p></speak>")) == "w3c"
    assert detect_source(parse("<speak>a</speak>")) == "cosyvoice"
    assert detect_source(parse("<speak><par>a</par></speak>")) == "google"
    assert element_action("prosody") == "segment"
    assert element_action("mark") == "drop"
    assert element_action("amazon:effect") == "unwrap"
    assert element_action("audio") == "audio"
    assert element_action("x:unheard-of") == "unknown"


def test_change_rendering() -> None:
    change = convert("<speak><p>a</p></speak>").changes[0]
    assert str(change).startswith("1:8: unwrapped <p>")
    assert change.to_dict()["line"] == 1


# --- docs -------------------------------------------------------------------------------------


def test_committed_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_convert_doc(), (
        "docs/convert.md is out of date: run python -m ssmlkit.conversion.docs docs/convert.md"
    )


def test_doc_shows_every_table_entry() -> None:
    text = render_convert_doc()
    tables: list[dict[str, object]] = [
        dict(T.RATE_NAMED),
        dict(T.PITCH_NAMED),
        dict(T.VOLUME_NAMED),
        dict(T.BREAK_STRENGTH_MS),
        dict(T.UNWRAP_ELEMENTS),
        dict(T.DROP_ELEMENTS),
        dict(T.INTERPRET_AS_MAP),
    ]
    for table in tables:
        for key in table:
            assert f"| `{key}` |" in text


def test_docs_check_mode(tmp_path: Path) -> None:
    target = tmp_path / "convert.md"
    assert docs_main([str(target)]) == 0
    assert docs_main(["--check", str(target)]) == 0
    target.write_text("stale", encoding="utf-8")
    assert docs_main(["--check", str(target)]) == 1
