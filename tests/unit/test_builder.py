"""Unit tests for ssmlkit.builder: each function, each misuse, and the vendor's own examples."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ssmlkit.builder import (
    break_,
    brk,
    cmu,
    comment,
    document,
    phoneme,
    pinyin,
    say_as,
    sound_event,
    speak,
    sub,
)
from ssmlkit.errors import BuildError, InputError
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
    UnknownElement,
)
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize

HORSE = "http://nls.alicdn.com/sound-event/horse-neigh.wav"


def raises(fn: Any, *args: Any, **kwargs: Any) -> BuildError:
    with pytest.raises(BuildError) as info:
        fn(*args, **kwargs)
    return info.value


def assert_names(err: BuildError, element: str, attribute: str | None, *fragments: str) -> None:
    """The message names the element, the attribute, the bad value and what is allowed."""
    message = str(err)
    assert err.element == element
    assert err.attribute == attribute
    head = f"<{element} {attribute}>" if attribute else f"<{element}>"
    assert message.startswith(head), message
    assert repr(err.value) in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


# --- errors ----------------------------------------------------------------------------------


def test_build_error_is_a_value_error_and_an_input_error():
    err = raises(speak, rate=3)
    assert isinstance(err, ValueError)
    assert isinstance(err, InputError)


# --- speak -----------------------------------------------------------------------------------


def test_speak_strings_become_text_and_nodes_stay_in_order():
    s = speak("你好", brk(500), "world")
    assert isinstance(s, Speak)
    assert s.children == (Text("你好"), Break(attrs=(("time", "500ms"),)), Text("world"))


def test_speak_adjacent_strings_merge_and_empty_strings_vanish():
    assert speak("a", "", "b").children == (Text("ab"),)
    assert speak().children == ()


def test_speak_keeps_text_unescaped_for_the_serializer():
    s = speak("Tom & Jerry <3 \"'")
    assert s.text == "Tom & Jerry <3 \"'"


def test_speak_attributes_in_canonical_order_and_form():
    s = speak(
        bgm=HORSE,
        volume=80,
        pitch=Decimal("0.80"),
        rate=1.2,
        voice="longanyang",
        background_music_volume=30,
        effect="lpfilter",
        effect_value=1200,
    )
    assert s.attrs == (
        ("voice", "longanyang"),
        ("rate", "1.2"),
        ("pitch", "0.8"),
        ("volume", "80"),
        ("effect", "lpfilter"),
        ("effectValue", "1200"),
        ("bgm", HORSE),
        ("backgroundMusicVolume", "30"),
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.2, "1.2"),
        (1.1 * 1.1, "1.2100000000000002"),  # exactly the float given, never rounded silently
        (0.5, "0.5"),
        (2, "2"),
        (2.0, "2"),
        (1, "1"),
        (Decimal("1.50"), "1.5"),
        ("1.25", "1.25"),
        (" 0.75 ", "0.75"),
        (1.9999, "1.9999"),
    ],
)
def test_rate_and_pitch_format_exactly(value, text):
    assert speak(rate=value).rate == text
    assert speak(pitch=value).pitch == text


@pytest.mark.parametrize(
    "value",
    [3, 0.49, 2.01, 0, -1, 200, "200", "-100", float("nan"), float("inf"), float("-inf")],
)
def test_rate_out_of_range_or_not_finite(value):
    err = raises(speak, rate=value)
    assert_names(err, "speak", "rate", "0.5-2")
    assert err.value is value or err.value == value


@pytest.mark.parametrize("value", [True, False, "fast", "1.2x", "", [1.2], Decimal("NaN")])
def test_rate_wrong_types(value):
    assert_names(raises(speak, pitch=value), "speak", "pitch", "0.5-2")


def test_legacy_scale_gets_a_hint():
    assert "legacy" in str(raises(speak, rate="200"))
    assert "legacy" in str(raises(speak, pitch=-100))
    assert "legacy" not in str(raises(speak, rate=3))


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (50, "50"), (100, "100"), ("80", "80")])
def test_volume_ok(value, text):
    assert speak(volume=value).volume == text


@pytest.mark.parametrize("value", [-1, 101, 80.5, 80.0, True, "loud", "8 0"])
def test_volume_bad(value):
    assert_names(raises(speak, volume=value), "speak", "volume", "0-100")


@pytest.mark.parametrize("voice", ["longanyang", "longcheng_v2", "cosyvoice-v3-flash-myvoice-1a2b"])
def test_voice_ok(voice):
    assert speak(voice=voice).voice == voice


@pytest.mark.parametrize("voice", ["", "  ", "long anyang", 'x"y', 3, "a\x01"])
def test_voice_bad(voice):
    err = raises(speak, voice=voice)
    assert err.element == "speak"
    assert err.attribute == "voice"


@pytest.mark.parametrize("effect", ["robot", "lolita", "lowpass", "echo"])
def test_effects_without_value(effect):
    assert speak(effect=effect).attrs == (("effect", effect),)
    err = raises(speak, effect=effect, effect_value=5)
    assert_names(err, "speak", "effectValue", effect)


def test_unknown_effect():
    assert_names(raises(speak, effect="reverb"), "speak", "effect", "robot", "hpfilter")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ([1, -20, 1, 1, 1, 1, 20, 1], "1 -20 1 1 1 1 20 1"),
        ((0,) * 8, "0 0 0 0 0 0 0 0"),
        ("1  1 1 1 1 1 1 1", "1 1 1 1 1 1 1 1"),
    ],
)
def test_eq_gains(value, text):
    assert speak(effect="eq", effect_value=value).get("effectValue") == text


@pytest.mark.parametrize(
    "value",
    [
        None,
        [1] * 7,
        [1] * 9,
        [21, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, -21],
        [0.5] * 8,
        5,
        "a b",
    ],
)
def test_eq_gains_bad(value):
    assert_names(raises(speak, effect="eq", effect_value=value), "speak", "effectValue", "-20..20")


@pytest.mark.parametrize("effect", ["lpfilter", "hpfilter"])
def test_filters(effect):
    assert speak(effect=effect, effect_value=800).get("effectValue") == "800"
    assert speak(effect=effect, effect_value="24000").get("effectValue") == "24000"
    for bad in (0, -5, 24001, 1200.5, None, True):
        assert_names(
            raises(speak, effect=effect, effect_value=bad), "speak", "effectValue", "24000"
        )


def test_effect_value_without_effect():
    assert_names(raises(speak, effect_value=[0] * 8), "speak", "effectValue", "eq")


@pytest.mark.parametrize("url", [HORSE, "https://bucket.oss-cn-beijing.aliyuncs.com/a.wav?x=1&y=2"])
def test_bgm_ok(url):
    assert speak(bgm=url, background_music_volume=0).get("bgm") == url


@pytest.mark.parametrize(
    "url", ["ftp://host/a.wav", "file:///etc/passwd", "/music.wav", "http://", "http://a b/c", ""]
)
def test_bgm_bad(url):
    assert_names(raises(speak, bgm=url), "speak", "bgm", "http")


def test_background_music_volume_needs_bgm_and_range():
    assert_names(raises(speak, background_music_volume=50), "speak", "backgroundMusicVolume", "bgm")
    err = raises(speak, bgm=HORSE, background_music_volume=101)
    assert_names(err, "speak", "backgroundMusicVolume", "0-100")


@pytest.mark.parametrize(
    "child", [5, None, 1.5, b"bytes", ["list"], ProcessingInstruction("x"), Document()]
)
def test_speak_rejects_foreign_children(child):
    assert_names(raises(speak, "ok", child), "speak", None, "<break>")


def test_speak_may_not_nest():
    err = raises(speak, speak("inner"))
    assert_names(err, "speak", None, "may not nest")


def test_speak_rejects_unknown_elements():
    prosody = UnknownElement(qname="prosody", attrs=(("rate", "fast"),), children=(Text("x"),))
    assert_names(raises(speak, prosody), "speak", None, "<break>")


def test_speak_revalidates_hand_made_nodes():
    assert_names(raises(speak, Break(attrs=(("time", "20s"),))), "break", "time", "1-10")
    assert_names(raises(speak, Break(attrs=(("strength", "x"),))), "break", "strength", "time")
    err = raises(speak, Break(attrs=(("time", "1s"), ("time", "2s"))))
    assert_names(err, "break", "time", "once")
    assert_names(raises(speak, Sub(children=(Text("W3C"),))), "sub", "alias", "required")
    inner = Phoneme(attrs=(("alphabet", "py"), ("ph", "a1")), children=(Break(),))
    assert_names(
        raises(speak, Sub(attrs=(("alias", "x"),), children=(inner,))), "sub", None, "text"
    )
    assert_names(raises(speak, Text("a\x0b")), "speak", None, "U+000B")
    assert_names(raises(speak, Comment("a--")), "comment", None, "--")
    # and accepts valid hand-made ones unchanged
    good = Break(attrs=(("time", "2000ms"),))
    assert speak(good).children == (good,)


# --- break -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "time"),
    [
        ({"time": 500}, "500ms"),
        ({"time": 50}, "50ms"),
        ({"time": 10000}, "10s"),
        ({"time": 1000}, "1s"),
        ({"time": 1001}, "1001ms"),
        ({"time": "500ms"}, "500ms"),
        ({"time": "2s"}, "2s"),
        ({"time": "2000ms"}, "2s"),
        ({"time": "1.5s"}, "1500ms"),
        ({"time": " 10s "}, "10s"),
        ({"seconds": 1.5}, "1500ms"),
        ({"seconds": 2}, "2s"),
        ({"seconds": 0.05}, "50ms"),
        ({"seconds": Decimal("0.123")}, "123ms"),
        ({"seconds": "3"}, "3s"),
    ],
)
def test_break_normalises(kwargs, time):
    assert brk(**kwargs).time == time


def test_bare_break_and_alias():
    assert brk() == Break()
    assert break_ is brk


@pytest.mark.parametrize(
    "kwargs",
    [
        {"time": "20s"},
        {"time": 20000},
        {"time": 10001},
        {"time": 49},
        {"time": 0},
        {"time": -500},
        {"time": "0s"},
        {"time": "11s"},
        {"time": "49ms"},
        {"time": "1.5ms"},
        {"time": "500"},
        {"time": "5 s"},
        {"time": "-1s"},
        {"time": 500.0},
        {"time": True},
        {"seconds": 20},
        {"seconds": 0.0001},
        {"seconds": 10.0005},
        {"seconds": float("nan")},
        {"seconds": float("inf")},
        {"seconds": False},
    ],
)
def test_break_out_of_range(kwargs):
    err = raises(brk, **kwargs)
    assert_names(err, "break", "time", "1-10", "50-10000")


def test_break_time_and_seconds_together():
    assert_names(raises(brk, 500, seconds=1), "break", "time", "not both")


# --- text-only elements ----------------------------------------------------------------------


def test_sub():
    s = sub("W3C", "网络协议标准")
    assert s == Sub(attrs=(("alias", "网络协议标准"),), children=(Text("W3C"),))
    assert s.alias == "网络协议标准"


@pytest.mark.parametrize(
    ("text", "alias"), [("", "x"), ("W3C", ""), ("W3C", "  "), (3, "x"), ("x", 3)]
)
def test_sub_bad(text, alias):
    err = raises(sub, text, alias)
    assert err.element == "sub"
    assert err.attribute == (None if not isinstance(text, str) or not text.strip() else "alias")


def test_text_only_elements_take_str_only():
    for fn, extra in ((sub, ("x",)), (say_as, ("cardinal",)), (cmu, ("S AY N",))):
        err = raises(fn, Text("sin"), *extra)
        assert "str" in str(err)
    assert_names(raises(pinyin, brk(), "a1"), "phoneme", None, "str")


def test_say_as_every_documented_value():
    for value in (
        "cardinal",
        "digits",
        "telephone",
        "name",
        "address",
        "id",
        "characters",
        "punctuation",
        "date",
        "time",
        "currency",
        "measure",
    ):
        node = say_as("123", value)
        assert isinstance(node, SayAs)
        assert node.interpret_as == value
        assert node.text == "123"


@pytest.mark.parametrize("value", ["ordinal", "spell-out", "Cardinal", "", None, 3])
def test_say_as_undocumented_values(value):
    assert_names(raises(say_as, "1", value), "say-as", "interpret-as", "telephone", "measure")


def test_pinyin():
    node = pinyin("典当行", "dian3 dang4 hang2")
    assert node == Phoneme(
        attrs=(("alphabet", "py"), ("ph", "dian3 dang4 hang2")), children=(Text("典当行"),)
    )
    assert pinyin("当掉", ["dang4", "diao4"]).ph == "dang4 diao4"
    assert pinyin("玩意儿", "  wan2\tyi4  er5 ").ph == "wan2 yi4 er5"
    # only Han characters take a syllable; an astral ideograph is one character
    assert pinyin("A股", "gu3").ph == "gu3"
    assert pinyin("𠀀", "qiu1").ph == "qiu1"
    assert phoneme("好", alphabet="py", ph="hao3") == pinyin("好", "hao3")


@pytest.mark.parametrize(
    ("text", "ph"),
    [
        ("典当行", "dian3 dang4"),
        ("典当行", "dian3 dang4 hang2 ge1"),
        ("当", "dang4 diao4"),
        ("ABC", "a1"),
    ],
)
def test_pinyin_count_mismatch(text, ph):
    err = raises(pinyin, text, ph)
    assert_names(err, "phoneme", "ph", "one syllable per Han character")
    assert str(sum(1 for c in text if "\u4e00" <= c <= "\u9fff")) in str(err)


@pytest.mark.parametrize("ph", ["dian", "dian6", "dian0", "3dian", "DIAN3", "dian3dang4", "", "  "])
def test_pinyin_bad_syllables(ph):
    err = raises(pinyin, "典", ph)
    assert err.element == "phoneme"
    assert err.attribute == "ph"


def test_cmu():
    node = cmu("sin", "S AY N")
    assert node == Phoneme(attrs=(("alphabet", "cmu"), ("ph", "S AY N")), children=(Text("sin"),))
    assert cmu("tomato", ["T", "AH0", "M", "EY1", "T", "OW2"]).ph == "T AH0 M EY1 T OW2"


@pytest.mark.parametrize("ph", ["s ay n", "S AY9 N", "S-AY-N", "", "S AY N!"])
def test_cmu_bad(ph):
    err = raises(cmu, "sin", ph)
    assert (err.element, err.attribute) == ("phoneme", "ph")


def test_phoneme_alphabet():
    assert_names(raises(phoneme, "x", alphabet="ipa", ph="a"), "phoneme", "alphabet", "py", "cmu")


# --- sound event, comment ----------------------------------------------------------------------


def test_sound_event():
    assert sound_event(HORSE) == SoundEvent(attrs=(("src", HORSE),))
    assert_names(raises(sound_event, "horse.wav"), "soundEvent", "src", "http")
    assert_names(raises(sound_event, "javascript:alert(1)"), "soundEvent", "src", "http")


def test_comment():
    assert comment(" note ") == Comment(" note ")
    assert comment("-leading dash is fine") == Comment("-leading dash is fine")
    assert comment("") == Comment("")
    for bad in ("a--b", "ends-", "--", "-"):
        assert_names(raises(comment, bad), "comment", None, "--")
    for bad in ("a\rb", "line\r\n"):
        assert_names(raises(comment, bad), "comment", None, "CR")
    assert speak(comment("c"), "x").children == (Comment("c"), Text("x"))


# --- characters XML cannot carry ---------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800", chr(0xDFFF)],
)
def test_xml_forbidden_characters(char):
    text = "ab" + char + "c"
    index_hex = f"U+{ord(char):04X}"
    assert_names(raises(speak, text), "speak", None, index_hex, "index 2")
    assert_names(raises(sub, text, "x"), "sub", None, index_hex)
    assert_names(raises(sub, "x", text), "sub", "alias", index_hex)
    assert_names(raises(say_as, text, "digits"), "say-as", None, index_hex)
    assert_names(raises(comment, text), "comment", None, index_hex)


@pytest.mark.parametrize(
    "char", ["\t", "\n", "\r", "\x7f", "\x85", "\ufffd", "😀", "𠀀", "\U0010ffff"]
)
def test_xml_allowed_characters(char):
    assert speak("a" + char).text == "a" + char


# --- document ----------------------------------------------------------------------------------


def test_document_of_sibling_speaks():
    a = speak("一", voice="longanyang")
    b = speak("二", voice="longcheng_v3", rate=0.8)
    doc = document(a, "\n", comment(" two "), b)
    assert isinstance(doc, Document)
    assert doc.speaks == (a, b)
    assert doc.items == (a, Text("\n"), Comment(" two "), b)


@pytest.mark.parametrize(
    "item", ["stray text", 5, None, brk(), Text("x"), UnknownElement(qname="p")]
)
def test_document_rejects_non_speak_items(item):
    assert_names(raises(document, speak("a"), item), "document", None, "<speak>")


def test_document_needs_a_speak():
    raises(document)
    raises(document, "\n", comment("x"))


def test_document_revalidates_hand_made_speaks():
    bad = Speak(attrs=(("rate", "200"),), children=(Text("x"),))
    assert_names(raises(document, bad), "speak", "rate", "0.5-2")
    nested = Speak(children=(Speak(),))
    assert_names(raises(document, nested), "speak", None, "may not nest")
    foreign = Speak(attrs=(("encodeType", "mp3"),))
    assert_names(raises(document, foreign), "speak", "encodeType", "voice")


# --- the vendor's examples, built ----------------------------------------------------------------


def test_vendor_polyphone_example():
    s = speak(
        "去",
        pinyin("典当行", "dian3 dang4 hang2"),
        "把这个玩意",
        pinyin("当掉", "dang4 diao4"),
    )
    assert [type(c) for c in s.children] == [Text, Phoneme, Text, Phoneme]
    assert s.text == "去典当行把这个玩意当掉"


def test_vendor_examples_that_use_legacy_values_are_refused():
    # The vendor page's "combined attributes" example uses the legacy NLS scale.
    raises(speak, rate="200", pitch="-100", volume="80")
    raises(speak, rate="-500", bgm=HORSE)


# The vendor's own examples (spec §3), built here: the serialized text parses back to the same
# document, and parsing the vendor's text gives exactly what the builder made.
VENDOR_EXAMPLES = [
    (
        lambda: speak("我是男声。", voice="longcheng_v2"),
        '<speak voice="longcheng_v2">我是男声。</speak>',
    ),
    (
        lambda: speak("均衡器", effect="eq", effect_value=[1, -20, 1, 1, 1, 1, 20, 1]),
        '<speak effect="eq" effectValue="1 -20 1 1 1 1 20 1">均衡器</speak>',
    ),
    (
        lambda: speak("低通", effect="lpfilter", effect_value=1200),
        '<speak effect="lpfilter" effectValue="1200">低通</speak>',
    ),
    (
        lambda: speak(
            "去",
            pinyin("典当行", "dian3 dang4 hang2"),
            "把这个玩意",
            pinyin("当掉", "dang4 diao4"),
        ),
        '<speak>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme>把这个玩意'
        '<phoneme alphabet="py" ph="dang4 diao4">当掉</phoneme></speak>',
    ),
    (
        lambda: speak("How to spell ", cmu("sin", "S AY N"), "?"),
        '<speak>How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?</speak>',
    ),
    (
        lambda: speak(sub("W3C", "网络协议标准")),
        '<speak><sub alias="网络协议标准">W3C</sub></speak>',
    ),
    (
        lambda: speak("一匹马受了惊吓", sound_event(HORSE), "人们四散躲避"),
        f'<speak>一匹马受了惊吓<soundEvent src="{HORSE}"/>人们四散躲避</speak>',
    ),
    (
        lambda: speak("停顿", brk("5s"), brk("5s"), brk("5s"), "结束"),
        '<speak>停顿<break time="5s"/><break time="5s"/><break time="5s"/>结束</speak>',
    ),
    (
        lambda: speak("请稍候", brk(500), brk("2s"), brk(seconds=0.05), brk()),
        '<speak>请稍候<break time="500ms"/><break time="2s"/><break time="50ms"/><break/></speak>',
    ),
    (
        lambda: speak("她的曾用名是", say_as("曾小凡", "name")),
        '<speak>她的曾用名是<say-as interpret-as="name">曾小凡</say-as></speak>',
    ),
    (
        lambda: speak(say_as("sat&sun", "date")),
        '<speak><say-as interpret-as="date">sat&amp;sun</say-as></speak>',
    ),
    (
        lambda: speak(say_as(" -./:;", "punctuation")),
        '<speak><say-as interpret-as="punctuation"> -./:;</say-as></speak>',
    ),
]


@pytest.mark.parametrize(("build", "vendor_text"), VENDOR_EXAMPLES)
def test_vendor_examples_build_serialize_and_parse(build, vendor_text):
    doc = document(build())
    text = serialize(doc)
    assert parse(text) == doc
    assert parse(vendor_text) == doc
    assert text == vendor_text


def test_escaping_is_left_to_the_serializer():
    doc = document(speak("Tom & Jerry <3", sub("R&D", 'say "R and D"')))
    text = serialize(doc)
    assert "Tom &amp; Jerry &lt;3" in text
    assert parse(text) == doc
    assert parse(text).speaks[0].children[1].get("alias") == 'say "R and D"'


@pytest.mark.parametrize(
    ("fn", "kwargs", "element", "attribute"),
    [
        (brk, {"seconds": Decimal("1E+999999")}, "break", "time"),
        (brk, {"seconds": Decimal("1E-999999")}, "break", "time"),
        (brk, {"time": 10**5000}, "break", "time"),
        (brk, {"time": "9" * 5000 + "s"}, "break", "time"),
        (speak, {"rate": Decimal("1E+999999")}, "speak", "rate"),
        (speak, {"rate": 10**5000}, "speak", "rate"),
        (speak, {"volume": "9" * 5000}, "speak", "volume"),
        (speak, {"volume": -(10**5000)}, "speak", "volume"),
        (speak, {"effect": "eq", "effect_value": b"\x01" * 8}, "speak", "effectValue"),
    ],
)
def test_extreme_values_are_build_errors(fn, kwargs, element, attribute):
    err = raises(fn, **kwargs)
    assert (err.element, err.attribute) == (element, attribute)
    assert str(err)
