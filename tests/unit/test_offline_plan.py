"""The offline engine's mapping of SSML onto eSpeak NG (no audio: see test_offline_audio)."""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.model import Break, Document, Speak, Text
from ssmlkit.offline.plan import (
    BASE_WPM,
    Clip,
    Pause,
    Speech,
    cmu_to_espeak,
    espeak_voice,
    local_path,
    pinyin_for_espeak,
    plan,
    prosody,
    say_as_text,
    script_of,
    split_scripts,
)
from ssmlkit.parse import parse


def speeches(ssml: str, **kw: object) -> list[Speech]:
    return [e for e in plan(parse(ssml), **kw) if isinstance(e, Speech)]  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- scripts

_mixed = st.text(
    alphabet=st.sampled_from(list("你好世界abcXYZ 123,.!？。あア한")), min_size=0, max_size=40
)


@given(_mixed)
def test_split_scripts_partitions_text_by_script(text: str) -> None:
    runs = split_scripts(text)
    assert "".join(piece for _, piece in runs) == text
    for script, piece in runs:
        assert {script_of(c) for c in piece} - {None} <= {script}
    for (a, _), (b, _) in itertools.pairwise(runs):
        assert a != b


def test_voice_language_picks_espeak_voices() -> None:
    mixed = speeches('<speak voice="longanyang">你好，欢迎使用 ssmlkit！Hello.</speak>')
    assert [s.voice for s in mixed] == ["cmn", "en-us"]
    assert mixed[0].text.startswith("你好")
    assert "Hello" in mixed[1].text
    cantonese = speeches('<speak voice="longjiaxin_v3">你好 hello</speak>')
    assert [s.voice for s in cantonese] == ["yue", "en-us"]
    assert espeak_voice("longanyang", "kana") == "ja"
    assert espeak_voice("longanyang", "hangul") == "ko"


def test_digits_alone_follow_the_voice_language() -> None:
    assert [s.voice for s in speeches('<speak voice="longanyang">2024</speak>')] == ["cmn"]
    assert [s.voice for s in speeches('<speak voice="loongava_v3">2024</speak>')] == ["en-us"]


# ----------------------------------------------------------------------------- prosody


def test_speak_attributes_override_request_values() -> None:
    (s,) = speeches('<speak rate="2" pitch="0.5" volume="100">hi</speak>', speed=0.5, volume=10)
    assert (s.prosody.rate, s.prosody.pitch, s.prosody.volume) == (2 * BASE_WPM, 25, 200)
    (t,) = speeches("<speak>hi</speak>", speed=0.5, pitch=2, volume=0)
    assert (t.prosody.rate, t.prosody.pitch, t.prosody.volume) == (round(0.5 * BASE_WPM), 100, 0)


@given(st.floats(0.5, 2.0), st.floats(0.5, 2.0))
def test_faster_rate_never_means_fewer_words_per_minute(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert prosody(None, speed=lo).rate <= prosody(None, speed=hi).rate


# ----------------------------------------------------------------------------- breaks


def test_bare_break_is_one_second_and_times_are_exact() -> None:
    events = plan(parse('<speak>a<break/>b<break time="50ms"/>c<break time="3s"/>d</speak>'))
    assert [e.ms for e in events if isinstance(e, Pause)] == [1000, 50, 3000]


@given(st.lists(st.integers(50, 10000), min_size=1, max_size=6))
def test_consecutive_breaks_add_up_to_at_most_ten_seconds(times: list[int]) -> None:
    children: list[object] = [Text("one ")]
    for ms in times:
        children += [Break(attrs=(("time", f"{ms}ms"),)), Text(" ")]
    children.append(Text("two"))
    doc = Document((Speak(children=tuple(children)),))  # type: ignore[arg-type]
    pauses = [e for e in plan(doc) if isinstance(e, Pause)]
    assert [p.ms for p in pauses] == [min(sum(times), 10000)]


def test_breaks_separated_by_speech_are_not_capped_together() -> None:
    events = plan(parse('<speak>a<break time="8s"/>b<break time="8s"/>c</speak>'))
    assert [e.ms for e in events if isinstance(e, Pause)] == [8000, 8000]


# ----------------------------------------------------------------------------- sub, say-as


def test_sub_speaks_the_alias() -> None:
    (s,) = speeches('<speak>The <sub alias="World Wide Web Consortium">W3C</sub> says</speak>')
    assert "World Wide Web Consortium" in s.text
    assert "W3C" not in s.text


def test_say_as_digits_and_telephone_are_read_digit_by_digit() -> None:
    assert say_as_text("digits", "12034", "en-us").split() == [
        "one",
        "two",
        "zero",
        "three",
        "four",
    ]
    assert "oh" in say_as_text("telephone", "12034", "en-us").split()
    assert "幺" in say_as_text("telephone", "110", "cmn")
    assert say_as_text("telephone", "+43-211", "en-us").startswith("plus")


@given(st.integers(0, 10**12))
def test_cardinal_keeps_the_number(n: int) -> None:
    grouped = f"{n:,}"
    assert say_as_text("cardinal", grouped, "en-us") == str(n)
    assert say_as_text("cardinal", "00" + str(n), "en-us") == str(n)


def test_characters_are_spelled_one_by_one() -> None:
    spelled = say_as_text("characters", "ab_1", "en-us").split()
    assert spelled == ["A", "B", "underscore", "1"]
    assert "下划线" in say_as_text("id", "my_id", "cmn")


# ----------------------------------------------------------------------------- phonemes


def test_pinyin_phoneme_is_read_as_mandarin_pinyin() -> None:
    (s,) = speeches(
        '<speak>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme></speak>'
    )
    assert s.voice == "cmn"
    assert "dian3 dang4 hang2" in s.text
    assert "典当行" not in s.text
    assert pinyin_for_espeak("lü4 nu:3") == "lv4 nv3"
    assert pinyin_for_espeak("not pinyin") is None


def test_cmu_phoneme_becomes_espeak_mnemonics_or_falls_back_to_text() -> None:
    (s,) = speeches('<speak>spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme></speak>')
    assert s.phonemes
    assert "[[" in s.text
    assert "sin" not in s.text
    (t,) = speeches('<speak>spell <phoneme alphabet="cmu" ph="QQ">sin</phoneme></speak>')
    assert not t.phonemes
    assert "sin" in t.text
    assert cmu_to_espeak("") is None


@given(st.lists(st.sampled_from(["S", "AY1", "N", "IY0", "T", "ER2", "AH0", "DH"]), min_size=1))
def test_cmu_conversion_is_bracketed_and_marks_at_most_the_vowels(phones: list[str]) -> None:
    out = cmu_to_espeak(" ".join(phones))
    assert out is not None
    assert out.startswith("[[")
    assert out.endswith("]]")
    vowels = sum(1 for p in phones if p[-1].isdigit())
    assert out.count("'") + out.count(",") <= vowels


def test_user_text_cannot_inject_phoneme_input() -> None:
    (s,) = speeches("<speak>a [[b]] c</speak>")
    assert "[[" not in s.text
    assert not s.phonemes


# ----------------------------------------------------------------------------- soundEvent


def test_sound_event_local_paths_and_urls(caplog: pytest.LogCaptureFixture) -> None:
    assert local_path("file:///tmp/a%20b.wav") is not None
    assert str(local_path("file:///tmp/a%20b.wav")) == "/tmp/a b.wav"
    assert str(local_path("clips/horse.wav")) == "clips/horse.wav"
    assert local_path("https://example.com/x.wav") is None
    events = plan(parse('<speak>a<soundEvent src="clips/x.wav"/>b</speak>'))
    assert any(isinstance(e, Clip) for e in events)
    with caplog.at_level(logging.WARNING, logger="ssmlkit.offline"):
        events = plan(parse('<speak>a<soundEvent src="http://x/y.wav"/>b</speak>'))
    assert [e for e in events if isinstance(e, Pause)] == [Pause(500, from_break=False)]
    assert "http://x/y.wav" in caplog.text
