"""Fuzz inputs: arbitrary text and bytes, and valid documents with characters and tags mutated.

``SSMLKIT_FUZZ_EXAMPLES`` sets how many examples each fuzz test tries (CI: the small default).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ssmlkit.serialize import serialize
from tests.property.strategies import documents

#: Examples per fuzz test; raise it for a longer run (see tests/fuzz/README.md).
EXAMPLES = int(os.environ.get("SSMLKIT_FUZZ_EXAMPLES", "40"))

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Valid documents to mutate, written for these tests.
SEEDS = [
    "<speak>你好，世界。</speak>",
    '<speak voice="longxiaochun" rate="1.1" pitch="0.9" volume="60">今天天气很好。'
    '<break time="500ms"/>我们出去走走吧。</speak>',
    '<speak>The <sub alias="World Wide Web Consortium">W3C</sub> writes standards.</speak>',
    '<speak><phoneme alphabet="py" ph="chong2 qing4">重庆</phoneme>是一座山城。</speak>',
    '<speak>Call <say-as interpret-as="telephone">13800138000</say-as> before 5 pm.</speak>',
    '<speak><soundEvent src="https://example.com/ding.wav"/>欢迎光临！</speak>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<speak effect="robot">\n  第一段。\n'
    "  <!-- a note -->\n  <break/>\n  第二段 &amp; 结尾 &lt;3\n</speak>\n",
    "<speak>甲。</speak><speak>乙。</speak>",
    '<speak bgm="https://example.com/music.mp3" backgroundMusicVolume="30">'
    "<![CDATA[a < b]]> and &#x4E2D;&#25991;.</speak>",
]

#: Characters and fragments that break XML in interesting ways.
HOSTILE_BITS = [
    *"<>&\"'/=;!?-[]\r\n\t \x00\x01\x0b\ufeff\ufffe",
    "\ud800",
    "\udfff",
    "</",
    "/>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?",
    "?>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&#99999999999999999999;",
    "&nosuch;",
    '<!DOCTYPE speak [<!ENTITY a "b">]>',
    "<speak>",
    "</speak>",
    '<break time="99999999999999999999s"/>',
    '<sub alias="">',
    "</sub>",
    '<say-as interpret-as="cardinal">',
    "</say-as>",
    "<phoneme>",
    '<x:y xmlns:x="u">',
    "中",
    "𠀀",
    "👍🏽",
    "\u0301",
    " " * 40,
    "长" * 40,
]

_TAG = re.compile(r"<[^<>]*>")

texts = st.text(max_size=300)
hostile_texts = st.lists(
    st.one_of(st.sampled_from(HOSTILE_BITS), st.text(max_size=5)), max_size=30
).map("".join)
raw_bytes = st.binary(max_size=300)


def _serialized(doc: object) -> str:
    return serialize(doc)  # type: ignore[arg-type]


valid_sources = st.one_of(st.sampled_from(SEEDS), documents().map(_serialized))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid document with 1-6 characters or tags deleted, inserted, swapped or duplicated."""
    text = draw(valid_sources)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "swap", "drop-tag", "dup-tag", "swap-tags"]))
        n = len(text)
        if op in ("delete", "insert", "swap") or not _TAG.search(text):
            i = draw(st.integers(0, n))
            if op == "delete" and n:
                j = draw(st.integers(i, min(n, i + 8)))
                text = text[:i] + text[j:]
            elif op == "swap" and n >= 2:
                i = min(i, n - 2)
                j = draw(st.integers(i + 1, n - 1))
                text = text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]
            else:
                bit = draw(st.one_of(st.sampled_from(HOSTILE_BITS), st.characters()))
                text = text[:i] + bit + text[i:]
            continue
        tags = list(_TAG.finditer(text))
        a = draw(st.sampled_from(tags))
        if op == "drop-tag":
            text = text[: a.start()] + text[a.end() :]
        elif op == "dup-tag":
            at = draw(st.integers(0, n))
            text = text[:at] + a.group() + text[at:]
        else:
            b = draw(st.sampled_from(tags))
            first, second = sorted((a, b), key=lambda m: m.start())
            if first.end() <= second.start():
                text = (
                    text[: first.start()]
                    + second.group()
                    + text[first.end() : second.start()]
                    + first.group()
                    + text[second.end() :]
                )
    return text


#: Everything the fuzz tests feed in as text.
any_text = st.one_of(texts, hostile_texts, mutated())
