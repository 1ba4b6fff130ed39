"""What the editor says about the dialect: element and attribute documentation, completions.

Usage::

    from ssmlkit.lsp.dialect import attribute_doc, element_doc, value_choices
    element_doc("break")               # Markdown: attributes, content, where it may stand
    attribute_doc("speak", "rate")     # Markdown: the range and the default
    value_choices("say-as", "interpret-as")[:2]   # [('cardinal', ...), ('digits', ...)]

Every fact comes from :mod:`ssmlkit.profiles` (the dialect's one home), so the documentation the
editor shows cannot disagree with what the linter checks.
"""

from __future__ import annotations

from ssmlkit.profiles import cosyvoice as C
from ssmlkit.profiles import values as V

__all__ = [
    "CHILDREN",
    "attribute_doc",
    "children_of",
    "element_doc",
    "value_choices",
    "voice_doc",
]

#: The elements that may stand inside each element (``None``: at the top of the document).
CHILDREN: dict[str | None, tuple[str, ...]] = {
    None: ("speak",),
    "speak": ("break", "sub", "phoneme", "say-as", "soundEvent"),
}

_ELEMENTS = {
    "speak": "The root of each request: everything spoken sits inside it. Several `<speak>` may "
    "follow one another (each with its own voice and prosody); they may not nest.",
    "break": "A pause. A bare `<break/>` pauses {default} ms.",
    "sub": "Speaks `alias` instead of the text it contains.",
    "phoneme": "Speaks the text it contains as `ph` spells it: pinyin with tone digits "
    '(`alphabet="py"`, one syllable per Han character) or ARPAbet phones (`alphabet="cmu"`).',
    "say-as": "Reads the text it contains as the kind of value `interpret-as` names.",
    "soundEvent": "Plays a sound (a WAV file at a public URL on Alibaba Cloud OSS) in the speech.",
}


def _range(bounds: tuple[float, float]) -> str:
    lo, hi = bounds
    return f"{lo:g} to {hi:g}"


def _attribute_facts(element: str, attribute: str) -> str | None:
    """One attribute's values, range and default, from the profile."""
    if element == "speak":
        facts = {
            "voice": "The voice of this `<speak>`: a system voice id from the catalogue "
            f"({len(V.VOICES)} known, such as `longanyang`) or a cloned voice id.",
            "rate": f"Speaking rate, a decimal multiplier from {_range(V.RATE_RANGE)} "
            "(default 1). It replaces the request's speed for this `<speak>`.",
            "pitch": f"Pitch, a decimal multiplier from {_range(V.PITCH_RANGE)} (default 1).",
            "volume": f"Volume, an integer from {_range(V.VOLUME_RANGE)} "
            f"(default {V.DEFAULT_VOLUME}).",
            "effect": "A sound effect, one of "
            + ", ".join(f"`{e}`" for e in V.EFFECTS)
            + ". "
            + ", ".join(f"`{e}`" for e in sorted(V.EFFECTS_WITH_VALUE))
            + " take an `effectValue`. Effects add latency.",
            "effectValue": f"For `eq`: {len(V.EQ_BANDS_HZ)} space-separated integer gains from "
            f"{_range(V.EQ_GAIN_RANGE)} for the bands "
            + ", ".join(f"{hz} Hz" for hz in V.EQ_BANDS_HZ)
            + f"; for `lpfilter`/`hpfilter`: a cutoff in Hz up to {V.MAX_FILTER_HZ}.",
            "bgm": "Background music: a WAV file (16 kHz, mono, 16-bit) at a public http(s) URL "
            "on Alibaba Cloud OSS; it loops while the speech lasts.",
            "backgroundMusicVolume": "Volume of `bgm`, an integer from "
            f"{_range(V.BGM_VOLUME_RANGE)} (the range is assumed; the vendor does not say).",
        }
        return facts.get(attribute)
    pairs: dict[tuple[str, str], str] = {
        ("break", "time"): f"Whole seconds {_range(V.BREAK_SECONDS_RANGE)} (`2s`) or whole "
        f"milliseconds {_range(V.BREAK_MS_RANGE)} (`500ms`); default {V.BREAK_DEFAULT_MS} ms. "
        f"Consecutive breaks add up to at most {V.BREAK_TOTAL_CAP_MS} ms.",
        ("sub", "alias"): "Required: the text spoken instead of the element's content.",
        ("phoneme", "alphabet"): "Required: "
        + " or ".join(f"`{a}`" for a in V.ALPHABETS)
        + " (pinyin with tone digits 1-5, or upper-case ARPAbet phones).",
        ("phoneme", "ph"): "Required: the pronunciation, syllables or phones separated by "
        'spaces: `ph="dian3 dang4 hang2"` (py), `ph="S AY N"` (cmu).',
        ("say-as", "interpret-as"): "Required: one of "
        + ", ".join(f"`{v}`" for v in V.INTERPRET_AS)
        + ". `address` reads Chinese postal addresses only.",
        ("soundEvent", "src"): "Required: a WAV file at a public http(s) URL on Alibaba Cloud OSS.",
    }
    return pairs.get((element, attribute))


def element_doc(name: str) -> str | None:
    """Markdown documentation of an element of the dialect; advice for a foreign one."""
    if name in _ELEMENTS:
        attributes = sorted(C.ELEMENT_ATTRIBUTES[name])
        required = C.REQUIRED_ATTRIBUTES.get(name, ())
        if name in C.EMPTY_ELEMENTS:
            content = "empty"
        elif name in C.TEXT_ONLY_ELEMENTS:
            content = "text only"
        else:
            content = "text and " + ", ".join(f"`<{c}>`" for c in CHILDREN["speak"])
        listed = ", ".join(f"`{a}`" + (" (required)" if a in required else "") for a in attributes)
        text = _ELEMENTS[name].format(default=V.BREAK_DEFAULT_MS)
        out = (
            f"**`<{name}>`** (CosyVoice)\n\n{text}\n\n- Attributes: {listed}\n- Content: {content}"
        )
        if name != "speak":  # few attributes: their values belong on the element's card too
            for attribute in attributes:
                out += f"\n- `{attribute}`: {_attribute_facts(name, attribute)}"
        return out
    advice = C.FOREIGN_TAG_ADVICE.get(name.split(":")[-1])
    if advice is not None:
        return f"**`<{name}>`** is not part of the CosyVoice dialect (ST005): {advice}."
    return None


def attribute_doc(element: str, attribute: str) -> str | None:
    """Markdown documentation of one attribute of an element; ``None`` when it has none."""
    facts = _attribute_facts(element, attribute)
    if facts is None:
        if element in C.ELEMENT_ATTRIBUTES:
            allowed = ", ".join(f"`{a}`" for a in sorted(C.ELEMENT_ATTRIBUTES[element]))
            return (
                f"`{attribute}` is not an attribute of `<{element}>` (ST006); it takes {allowed}."
            )
        return None
    return f"**`{attribute}`** of `<{element}>`\n\n{facts}"


def voice_doc(voice_id: str) -> str:
    """Markdown lines on a voice id: its catalogue entries, or that it is not in the catalogue."""
    found = (V.get_voice(voice_id.strip(), model) for model in V.models_of(voice_id.strip()))
    entries = [v for v in found if v is not None]
    if not entries:
        return (
            f"\n\n`{voice_id}` is not a system voice in the catalogue (a cloned or designed "
            "voice id is fine; add it to the VO001 option `voices`)."
        )
    ssml = {True: "supported", False: "**not supported**", None: "unknown"}
    lines = [
        f"\n- `{v.id}` on {v.model}: {', '.join(v.languages)}, {v.scenario}; SSML {ssml[v.ssml]}"
        for v in entries
    ]
    return "\n" + "".join(lines)


def children_of(parent: str | None) -> tuple[str, ...]:
    """The elements that may be written inside ``parent`` (``None``: the top level)."""
    return CHILDREN.get(parent, ())


_BREAK_FORMS = ("500ms", "1s", "2s", "200ms", "1500ms", "10s")


def value_choices(element: str, attribute: str) -> list[tuple[str, str]]:
    """``(value, detail)`` for each value worth offering for an attribute."""
    if (element, attribute) == ("say-as", "interpret-as"):
        return [(v, "say-as interpret-as") for v in V.INTERPRET_AS]
    if (element, attribute) == ("phoneme", "alphabet"):
        return [("py", "pinyin with tone digits"), ("cmu", "ARPAbet phones")]
    if (element, attribute) == ("break", "time"):
        return [(v, "break time") for v in _BREAK_FORMS]
    if element != "speak":
        return []
    if attribute == "effect":
        return [
            (e, "takes an effectValue" if e in V.EFFECTS_WITH_VALUE else "sound effect")
            for e in V.EFFECTS
        ]
    if attribute == "voice":
        out = []
        for voice in V.VOICES.values():
            ssml = {True: "SSML", False: "no SSML", None: "SSML unknown"}[voice.ssml]
            detail = f"{voice.model} · {' '.join(voice.languages)} · {ssml} · {voice.scenario}"
            out.append((voice.id, detail))
        return out
    if attribute in ("rate", "pitch"):
        return [(v, "multiplier, 0.5 to 2") for v in ("1", "0.8", "1.2", "0.5", "2")]
    if attribute in ("volume", "backgroundMusicVolume"):
        return [(v, "integer, 0 to 100") for v in ("50", "80", "100", "30")]
    return []
