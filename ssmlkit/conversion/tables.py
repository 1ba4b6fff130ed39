"""The mapping tables of the W3C/vendor → CosyVoice conversion, written once as data.

Every number the converter uses comes from here; ``docs/convert.md`` and ``ssmlkit convert --help``
are generated from these tables (a test keeps the committed document in sync), and the linter's
unsafe fixes read the same tables through :mod:`ssmlkit.conversion`.

The values are the project's choices where no vendor gives an exact equivalent: CosyVoice's
``rate`` and ``pitch`` are multipliers 0.5-2 (default 1) and ``volume`` an integer 0-100
(default 50), while W3C SSML speaks of named levels, percentages, hertz, semitones and decibels.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AUDIO_ELEMENTS",
    "AZURE_RATE_NAMED",
    "BLOCK_PAUSE_MS",
    "BREAK_STRENGTH_MS",
    "CMU_ALPHABETS",
    "DROP_ELEMENTS",
    "FINAL_PUNCTUATION",
    "INTERPRET_AS_MAP",
    "PINYIN_ALPHABETS",
    "PITCH_NAMED",
    "PITCH_REFERENCE_HZ",
    "RATE_NAMED",
    "SOURCES",
    "TEXT_ALPHABETS",
    "UNWRAP_ELEMENTS",
    "VOLUME_NAMED",
]

#: Where the input comes from; ``auto`` looks at namespaces and prefixes.
SOURCES: Final = ("auto", "cosyvoice", "w3c", "amazon", "azure", "google")

#: ``<prosody rate>`` named values → the CosyVoice multiplier (absolute, not relative).
RATE_NAMED: Final[dict[str, float]] = {
    "x-slow": 0.5,
    "slow": 0.75,
    "medium": 1.0,
    "fast": 1.5,
    "x-fast": 2.0,
}

#: Azure documents its own named rates; used for Azure input (``source="azure"`` or detected).
AZURE_RATE_NAMED: Final[dict[str, float]] = {
    "x-slow": 0.5,
    "slow": 0.64,
    "medium": 1.0,
    "fast": 1.55,
    "x-fast": 2.0,
}

#: ``<prosody pitch>`` named values → the CosyVoice multiplier (absolute).
PITCH_NAMED: Final[dict[str, float]] = {
    "x-low": 0.75,
    "low": 0.9,
    "medium": 1.0,
    "high": 1.1,
    "x-high": 1.25,
}

#: Hertz are read against this nominal speaking pitch: ``+20Hz`` is 1.1, ``180Hz`` is 0.9.
PITCH_REFERENCE_HZ: Final = 200

#: ``<prosody volume>`` named values → CosyVoice volume 0-100 (absolute; 50 is the default).
VOLUME_NAMED: Final[dict[str, int]] = {
    "silent": 0,
    "x-soft": 20,
    "soft": 35,
    "medium": 50,
    "loud": 70,
    "x-loud": 90,
}

#: ``<break strength>`` → milliseconds (``none`` removes the break).
BREAK_STRENGTH_MS: Final[dict[str, int]] = {
    "none": 0,
    "x-weak": 250,
    "weak": 500,
    "medium": 750,
    "strong": 1000,
    "x-strong": 1250,
}

#: The pause a ``<p>``/``<s>`` boundary carried: a break of this length stands in when the text
#: before the boundary has no final punctuation.
BLOCK_PAUSE_MS: Final[dict[str, int]] = {"s": 500, "p": 1000, "paragraph": 1000, "sentence": 500}

#: Characters that end a sentence or clause, after which no stand-in break is needed.
FINAL_PUNCTUATION: Final = frozenset(".!?;:,…。！？；：，、」』”’)）")

#: Elements unwrapped: their tags go, their content stays (each reported).
UNWRAP_ELEMENTS: Final[dict[str, str]] = {
    "p": "paragraph; a break stands in for its pause where the text has no final punctuation",
    "s": "sentence; a break stands in for its pause where the text has no final punctuation",
    "paragraph": "Amazon's name for <p>",
    "sentence": "Amazon's name for <s>",
    "emphasis": "CosyVoice has no emphasis",
    "lang": "CosyVoice takes the language from the voice",
    "w": "word token; the word stays",
    "token": "word token; the word stays",
    "voice": "kept as a <speak voice> segment only for a known CosyVoice voice",
    "prosody": "becomes <speak> segments with rate/pitch/volume",
    "par": "Google's parallel media container",
    "seq": "Google's sequential media container",
    "media": "Google's media container",
    "emotion": "Alibaba NLS emotion; not in CosyVoice",
    "amazon:effect": "Amazon voice effect",
    "amazon:domain": "Amazon speaking style",
    "amazon:emotion": "Amazon emotion",
    "amazon:auto-breaths": "Amazon breathing",
    "mstts:express-as": "Azure speaking style",
    "mstts:prosody": "Azure prosody",
    "google:style": "Google speaking style",
}

#: Elements dropped with their content (none of it is spoken).
DROP_ELEMENTS: Final[dict[str, str]] = {
    "mark": "a bookmark; nothing is spoken",
    "bookmark": "Azure bookmark; nothing is spoken",
    "meta": "metadata; nothing is spoken",
    "metadata": "metadata; nothing is spoken",
    "lexicon": "CosyVoice has no lexicons; use <phoneme> or <sub>",
    "lookup": "CosyVoice has no lexicons",
    "desc": "a description of audio; not spoken",
    "amazon:breath": "Amazon breath sound",
    "mstts:silence": "Azure silence; use <break>",
    "mstts:backgroundaudio": "Azure background audio; use <speak bgm>",
    "mstts:viseme": "Azure viseme events",
    "mstts:audioduration": "Azure audio duration",
    "vhml": "Alibaba NLS markup; not in CosyVoice",
}

#: Elements that become ``<soundEvent src>``; their content (fallback text) is dropped.
AUDIO_ELEMENTS: Final = frozenset({"audio"})

#: ``<say-as interpret-as>`` values → the CosyVoice value (``None``: no equivalent; the text is
#: kept and the tag reported). CosyVoice's own twelve map to themselves.
INTERPRET_AS_MAP: Final[dict[str, str | None]] = {
    "cardinal": "cardinal",
    "number": "cardinal",
    "digits": "digits",
    "digit": "digits",
    "telephone": "telephone",
    "phone": "telephone",
    "name": "name",
    "address": "address",
    "id": "id",
    "characters": "characters",
    "spell-out": "characters",
    "verbatim": "characters",
    "letters": "characters",
    "punctuation": "punctuation",
    "date": "date",
    "time": "time",
    "currency": "currency",
    "money": "currency",
    "measure": "measure",
    "unit": "measure",
    "ordinal": None,
    "fraction": None,
    "expletive": None,
    "bleep": None,
    "interjection": None,
    "vxml:boolean": None,
    "vxml:date": "date",
    "vxml:digits": "digits",
    "vxml:currency": "currency",
    "vxml:number": "cardinal",
    "vxml:phone": "telephone",
    "vxml:time": "time",
}

#: ``<phoneme alphabet>`` values read as pinyin (tone marks become digits) → ``py``.
PINYIN_ALPHABETS: Final = frozenset({"py", "pinyin", "x-amazon-pinyin", "x-pinyin"})
#: ``<phoneme alphabet>`` values read as ARPAbet → ``cmu``.
CMU_ALPHABETS: Final = frozenset({"cmu", "x-cmu", "arpabet", "x-arpabet"})
#: Alphabets CosyVoice cannot read: the element becomes its text (reported).
TEXT_ALPHABETS: Final = frozenset(
    {"ipa", "x-sampa", "x-amazon-sampa", "sapi", "ups", "x-microsoft-ups"}
)
