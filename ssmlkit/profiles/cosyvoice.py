"""The CosyVoice (Model Studio) SSML dialect, with the strict policy for what the vendor leaves unsaid.

Every constant here is a fact from the vendor's documentation (see the project's spec notes) or
the strict reading the project chose where the documentation is silent: what passes the linter must
not fail at the service.
"""

from __future__ import annotations

from typing import Final

#: The six elements of the dialect, and the attributes each accepts.
ELEMENT_ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    "speak": frozenset(
        {
            "voice",
            "rate",
            "pitch",
            "volume",
            "effect",
            "effectValue",
            "bgm",
            "backgroundMusicVolume",
        }
    ),
    "break": frozenset({"time"}),
    "sub": frozenset({"alias"}),
    "phoneme": frozenset({"alphabet", "ph"}),
    "say-as": frozenset({"interpret-as"}),
    "soundEvent": frozenset({"src"}),
}

#: Attributes each element must carry.
REQUIRED_ATTRIBUTES: Final[dict[str, tuple[str, ...]]] = {
    "speak": (),
    "break": (),
    "sub": ("alias",),
    "phoneme": ("alphabet", "ph"),
    "say-as": ("interpret-as",),
    "soundEvent": ("src",),
}

#: Elements that hold text only, and elements that must be empty.
TEXT_ONLY_ELEMENTS: Final = frozenset({"sub", "phoneme", "say-as"})
EMPTY_ELEMENTS: Final = frozenset({"break", "soundEvent"})

#: ``<speak rate>`` and ``<speak pitch>``: decimal multipliers in [0.5, 2], default 1.
RATE_RANGE: Final = (0.5, 2.0)
PITCH_RANGE: Final = (0.5, 2.0)
#: The legacy NLS scale that the vendor's own examples still use (``rate="200"``); not valid here.
LEGACY_PROSODY_RANGE: Final = (-500, 500)
#: ``<speak volume>`` and ``backgroundMusicVolume``: integers in [0, 100], default 50.
VOLUME_RANGE: Final = (0, 100)
BGM_VOLUME_RANGE: Final = (0, 100)
DEFAULT_VOLUME: Final = 50

#: ``<speak effect>`` values; the last three take an ``effectValue``.
EFFECTS: Final = ("robot", "lolita", "lowpass", "echo", "eq", "lpfilter", "hpfilter")
EFFECTS_WITH_VALUE: Final = frozenset({"eq", "lpfilter", "hpfilter"})
#: ``effect="eq"``: 8 space-separated integer gains in [-20, 20] for these bands.
EQ_BANDS_HZ: Final = (40, 100, 200, 400, 800, 1600, 4000, 12000)
EQ_GAIN_RANGE: Final = (-20, 20)
#: ``lpfilter``/``hpfilter`` cutoff: at most half the sample rate, so half the highest (48 kHz).
MAX_FILTER_HZ: Final = 24000

#: ``<break time>``: whole seconds 1-10 or whole milliseconds 50-10000; a bare break is 1 s.
BREAK_SECONDS_RANGE: Final = (1, 10)
BREAK_MS_RANGE: Final = (50, 10000)
BREAK_DEFAULT_MS: Final = 1000
#: Consecutive breaks add up, but only the first 10 s take effect.
BREAK_TOTAL_CAP_MS: Final = 10000

#: ``<phoneme alphabet>`` values.
ALPHABETS: Final = ("py", "cmu")

#: ``<say-as interpret-as>``: the twelve documented values.
INTERPRET_AS: Final = (
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
)

#: Per-request input limit in counted characters (CJK ideographs count 2, tags excluded).
MAX_CHARS: Final = 20000
#: The older, stricter reading (tags counted, 2,000 characters), selectable by configuration.
LEGACY_MAX_CHARS: Final = 2000

#: Request parameters of the OpenAI-compatible endpoint.
RESPONSE_FORMATS: Final = ("mp3", "wav", "pcm", "opus")
SAMPLE_RATES: Final = (8000, 16000, 22050, 24000, 44100, 48000)
DEFAULT_SAMPLE_RATE: Final = 22050
BIT_RATE_RANGE: Final = (6, 510)
SEED_RANGE: Final = (0, 65535)
SPEED_RANGE: Final = (0.5, 2.0)
DEFAULT_MODEL: Final = "tongyi/cosyvoice-v3-flash"

#: Tags of W3C SSML and vendors that the dialect lacks, with what to use instead.
FOREIGN_TAG_ADVICE: Final[dict[str, str]] = {
    "prosody": "use the rate/pitch/volume attributes of <speak> (a new sibling <speak> per change)",
    "voice": "use the voice attribute of <speak>",
    "audio": "use <soundEvent src=...> with a WAV file on OSS",
    "p": "write the paragraph's text directly inside <speak>; use <break> for a pause",
    "s": "write the sentence's text directly inside <speak>; end it with punctuation",
    "emphasis": "no equivalent; rephrase or use <break> around the words",
    "mark": "no equivalent; remove it",
    "lang": "no equivalent; choose a voice that speaks the language",
    "lexicon": "no equivalent; use <phoneme> or <sub> for each word",
    "w": "no equivalent; remove it",
    "emotion": "no equivalent in Model Studio CosyVoice (NLS only); remove it",
    "vhml": "no equivalent in Model Studio CosyVoice (NLS only); remove it",
    "desc": "no equivalent; remove it",
    "meta": "no equivalent; remove it",
    "metadata": "no equivalent; remove it",
    "token": "no equivalent; remove it",
    "par": "no equivalent; remove it",
    "seq": "no equivalent; remove it",
    "media": "no equivalent; use <soundEvent>",
}
