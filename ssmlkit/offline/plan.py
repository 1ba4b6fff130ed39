"""Map a CosyVoice SSML document onto what eSpeak NG can say: a list of speech runs and pauses.

Usage::

    events = plan(parse('<speak rate="2">你好 world<break time="2s"/></speak>'), voice="longanyang")
    # [Speech('你好 ', 'cmn', ...), Speech('world', 'en-us', ...), Pause(2000)]

What each part of the dialect becomes (eSpeak NG is a formant synthesizer, so "closest reading"):

* ``<speak rate pitch volume>`` (else the request's ``speed``/``pitch``/``volume``) → eSpeak's
  rate (175 words per minute × rate), pitch (50 × pitch, 0-100) and amplitude (2 × volume).
* ``<break>`` → a pause of exactly its duration (bare: 1 s); consecutive breaks add up, capped
  at 10 s as the service does.
* ``<sub alias>`` → the alias. ``<say-as>`` → text rewritten for eSpeak: ``digits``, ``id`` and
  ``characters`` one character at a time, ``telephone`` digit by digit (0 as "oh" in English, 1
  as 幺 in Chinese), ``cardinal`` as a number, ``punctuation`` by name; other values as written.
* ``<phoneme alphabet="py">`` → the tone-numbered pinyin, which eSpeak's Mandarin reads directly
  (ü written ``v``); ``alphabet="cmu"`` → eSpeak phoneme mnemonics (``[[s'aIn]]``). When ``ph``
  cannot be converted, the element's text is read instead.
* ``<soundEvent src>`` → the local WAV file it names (a path or ``file:`` URL); anything else
  (an http URL) becomes half a second of silence and a warning.
* The voice gives the base language (:func:`ssmlkit.profiles.voices.language_of`); inside the
  text, Han characters are read in Mandarin (Cantonese for Cantonese voices), Latin letters in
  English, kana in Japanese and Hangul in Korean, switching wherever the script switches.
  Digits, spaces and punctuation go with the text around them.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
)
from ssmlkit.profiles import values

__all__ = [
    "Clip",
    "Pause",
    "Prosody",
    "Speech",
    "break_ms",
    "cmu_to_espeak",
    "espeak_voice",
    "local_path",
    "pinyin_for_espeak",
    "plan",
    "prosody",
    "say_as_text",
    "script_of",
    "split_scripts",
]

log = logging.getLogger("ssmlkit.offline")

#: Words per minute at rate 1 (eSpeak's default).
BASE_WPM = 175
#: The silence put where a ``<soundEvent>`` cannot be played.
MISSING_CLIP_MS = 500


@dataclass(frozen=True, slots=True)
class Prosody:
    """eSpeak settings: ``rate`` words/minute, ``pitch`` 0-100, ``volume`` amplitude 0-200."""

    rate: int = BASE_WPM
    pitch: int = 50
    volume: int = 100


@dataclass(frozen=True, slots=True)
class Speech:
    """Text for eSpeak voice ``voice`` (``phonemes``: the text is ``[[...]]`` mnemonics)."""

    text: str
    voice: str
    prosody: Prosody
    phonemes: bool = False


@dataclass(frozen=True, slots=True)
class Pause:
    """Silence of ``ms`` milliseconds (``from_break``: it came from ``<break>`` elements)."""

    ms: int
    from_break: bool = True


@dataclass(frozen=True, slots=True)
class Clip:
    """The local WAV file ``path`` (from a ``<soundEvent>``)."""

    path: Path
    src: str


Event = Speech | Pause | Clip


# ------------------------------------------------------------------------------ languages


def script_of(ch: str) -> str | None:
    """``"han"``, ``"latin"``, ``"kana"``, ``"hangul"``, or ``None`` for digits, spaces, punctuation.

    >>> [script_of(c) for c in "中a3あ한,"]
    ['han', 'latin', None, 'kana', 'hangul', None]
    """
    if not ch.isalpha():
        return None
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
        return "kana"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    name = unicodedata.name(ch, "")
    if name.startswith("CJK") or 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x3FFFF:
        return "han"
    if name.startswith("LATIN") or name.startswith("FULLWIDTH LATIN"):
        return "latin"
    return None


def espeak_voice(voice_id: str | None, script: str | None) -> str:
    """The eSpeak NG voice for text of ``script`` spoken by CosyVoice voice ``voice_id``.

    >>> espeak_voice("longanyang", "han"), espeak_voice("longjiaxin_v3", "han")
    ('cmn', 'yue')
    >>> espeak_voice("longanyang", "latin"), espeak_voice("longanyang", None)
    ('en-us', 'cmn')
    """
    lang = values.language_of(voice_id) if voice_id else "cmn"
    if script == "han":
        return "yue" if lang == "yue" else "cmn"
    if script == "kana":
        return "ja"
    if script == "hangul":
        return "ko"
    if script == "latin":
        if lang == "id":
            return "id"
        info = values.get_voice(voice_id) if voice_id else None
        if info is not None and any(tag.lower() == "en-gb" for tag in info.languages):
            return "en"
        return "en-us"
    # no script: the voice's own language
    return {"yue": "yue", "ja": "ja", "ko": "ko", "id": "id", "en": "en-us"}.get(lang, "cmn")


def split_scripts(text: str) -> list[tuple[str | None, str]]:
    """Cut ``text`` where the script changes; neutral characters join the run before them.

    >>> split_scripts("你好，欢迎使用 ssmlkit！Hi")
    [('han', '你好，欢迎使用 '), ('latin', 'ssmlkit！Hi')]
    >>> split_scripts("123")
    [(None, '123')]
    """
    runs: list[tuple[str | None, str]] = []
    script: str | None = None
    start = 0
    for i, ch in enumerate(text):
        s = script_of(ch)
        if s is None or s == script:
            continue
        if script is None:
            script = s
            continue
        runs.append((script, text[start:i]))
        script, start = s, i
    runs.append((script, text[start:]))
    return runs


# ------------------------------------------------------------------------------ prosody


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def prosody(
    speak: Speak | None,
    *,
    speed: object = None,
    pitch: object = None,
    volume: object = None,
) -> Prosody:
    """eSpeak settings for ``speak``; its attributes override the request's values.

    >>> prosody(None, speed=2), prosody(None, pitch=0.5, volume=0)
    (Prosody(rate=350, pitch=50, volume=100), Prosody(rate=175, pitch=25, volume=0))
    """
    r = _number(speak.rate if speak is not None else None)
    if r is None:
        r = _number(speed)
    p = _number(speak.pitch if speak is not None else None)
    if p is None:
        p = _number(pitch)
    v = _number(speak.volume if speak is not None else None)
    if v is None:
        v = _number(volume)
    # eSpeak's pitch scale reaches down to 0, so only the dialect's upper bound applies to pitch.
    rate = BASE_WPM if r is None else round(BASE_WPM * values.clamp(r, values.RATE_RANGE))
    pitch_value = 50 if p is None else round(50 * values.clamp(p, (0.0, values.PITCH_RANGE[1])))
    lo, hi = values.VOLUME_RANGE
    volume_value = 100 if v is None else round(2 * values.clamp(v, (float(lo), float(hi))))
    return Prosody(max(80, rate), pitch_value, volume_value)


def break_ms(element: Break) -> int:
    """The pause of one ``<break>`` in milliseconds (bare: 1000; unreadable values: 1000; ≤ 10 s).

    >>> break_ms(Break(attrs=(("time", "2s"),))), break_ms(Break(attrs=(("time", "50ms"),)))
    (2000, 50)
    """
    ms = values.break_duration(element.time)
    if ms is None:
        return values.BREAK_DEFAULT_MS
    return round(values.clamp(float(ms), (0.0, float(values.BREAK_TOTAL_CAP_MS))))


# ------------------------------------------------------------------------------ say-as

_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_PUNCT_NAMES: dict[str, tuple[str, str]] = {
    "!": ("exclamation mark", "叹号"),
    '"': ("double quote", "双引号"),
    "#": ("number sign", "井号"),
    "$": ("dollar", "美元符号"),
    "%": ("percent", "百分号"),
    "&": ("and", "和号"),
    "'": ("apostrophe", "单引号"),
    "(": ("left parenthesis", "左括号"),
    ")": ("right parenthesis", "右括号"),
    "*": ("asterisk", "星号"),
    "+": ("plus", "加号"),
    ",": ("comma", "逗号"),
    "-": ("dash", "减号"),
    ".": ("dot", "点"),
    "/": ("slash", "斜杠"),
    ":": ("colon", "冒号"),
    ";": ("semicolon", "分号"),
    "<": ("less than", "小于号"),
    "=": ("equals", "等号"),
    ">": ("greater than", "大于号"),
    "?": ("question mark", "问号"),
    "@": ("at", "艾特"),
    "[": ("left bracket", "左方括号"),
    "\\": ("backslash", "反斜杠"),
    "]": ("right bracket", "右方括号"),
    "^": ("caret", "脱字符"),
    "_": ("underscore", "下划线"),
    "`": ("backtick", "反引号"),
    "{": ("left brace", "左花括号"),
    "|": ("vertical bar", "竖线"),
    "}": ("right brace", "右花括号"),
    "~": ("tilde", "波浪线"),
    "…": ("ellipsis", "省略号"),
    "，": ("comma", "逗号"),
    "。": ("full stop", "句号"),
    "、": ("enumeration comma", "顿号"),
    "！": ("exclamation mark", "叹号"),
    "？": ("question mark", "问号"),
    "：": ("colon", "冒号"),
    "；": ("semicolon", "分号"),
}
_NUMBER = re.compile(r"(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?")


def _chinese(lang: str) -> bool:
    return lang in ("cmn", "yue")


def _spell(text: str, lang: str) -> str:
    """Each character on its own, punctuation by name."""
    zh = _chinese(lang)
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            continue
        if ch in _PUNCT_NAMES:
            out.append(_PUNCT_NAMES[ch][1 if zh else 0])
        elif ch.isalpha() and script_of(ch) == "latin":
            out.append(ch.upper())
        else:
            out.append(ch)
    return ("，" if zh else ", ").join(out) if zh else " ".join(out)


def _digit_groups(text: str, lang: str, *, telephone: bool) -> str:
    zh = _chinese(lang)
    groups = [g for g in re.split(r"[\s\-()（）]+", text) if g]
    spoken: list[str] = []
    for group in groups:
        words: list[str] = []
        for ch in group:
            if ch == "+":
                words.append("加" if zh else "plus")
            elif ch.isdigit() and ch.isascii():
                if telephone and zh and ch == "1":
                    words.append("幺")
                elif telephone and not zh and ch == "0":
                    words.append("oh")
                elif zh:
                    words.append(ch)
                else:
                    words.append(_EN_DIGITS[int(ch)])
            elif ch in _PUNCT_NAMES:
                words.append(_PUNCT_NAMES[ch][1 if zh else 0])
            else:
                words.append(ch)
        spoken.append(" ".join(words))
    return ("，" if zh else ", ").join(spoken)


def _cardinal(text: str, lang: str) -> str:
    zh = _chinese(lang)

    def number(m: re.Match[str]) -> str:
        whole = m.group("int").replace(",", "").lstrip("0") or "0"
        frac = m.group("frac") or ""
        if frac and not frac.strip(".0"):
            frac = ""  # 12.00 is twelve
        sign = ("负" if zh else "minus ") if m.group("sign") else ""
        return f"{sign}{whole}{frac}"

    out = _NUMBER.sub(number, text)
    # 1-1000: a range
    return re.sub(r"(?<=\d)\s*[-~]\s*(?=\d|负|minus)", "至" if zh else " to ", out)


def say_as_text(interpret_as: str | None, text: str, lang: str) -> str:
    """``text`` rewritten so that eSpeak voice ``lang`` reads it as ``interpret-as`` asks.

    >>> say_as_text("digits", "12034", "en-us")
    'one two zero three four'
    >>> say_as_text("telephone", "139 0101", "cmn")
    '幺 3 9，0 幺 0 幺'
    >>> say_as_text("cardinal", "-0,145.00", "en-us")
    'minus 145'
    """
    kind = (interpret_as or "").strip()
    if kind == "digits":
        return _digit_groups(text, lang, telephone=False)
    if kind == "telephone":
        return _digit_groups(text, lang, telephone=True)
    if kind in ("characters", "id"):
        return _spell(text, lang)
    if kind == "punctuation":
        return _spell(text, lang)
    if kind == "cardinal":
        return _cardinal(text, lang)
    return text  # name, address, date, time, currency, measure: eSpeak's own reading


# ------------------------------------------------------------------------------ phonemes

#: CMU (ARPAbet) phones → eSpeak NG English phoneme mnemonics.
CMU_TO_ESPEAK: dict[str, str] = {
    "AA": "A:",
    "AE": "a",
    "AH": "V",
    "AO": "O:",
    "AW": "aU",
    "AY": "aI",
    "EH": "E",
    "ER": "3:",
    "EY": "eI",
    "IH": "I",
    "IY": "i:",
    "OW": "oU",
    "OY": "OI",
    "UH": "U",
    "UW": "u:",
    "B": "b",
    "CH": "tS",
    "D": "d",
    "DH": "D",
    "F": "f",
    "G": "g",
    "HH": "h",
    "JH": "dZ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "N",
    "P": "p",
    "R": "r",
    "S": "s",
    "SH": "S",
    "T": "t",
    "TH": "T",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "Z",
}
_UNSTRESSED = {"AH": "@", "ER": "3"}  # schwa and r-coloured schwa
_CMU = re.compile(r"([A-Z]+)([012])?")


def cmu_to_espeak(ph: str) -> str | None:
    """``[[...]]`` eSpeak mnemonics for CMU phones ``ph``, or ``None`` if a phone is unknown.

    Stress digits become eSpeak stress marks; without any, the first vowel is stressed.

    >>> cmu_to_espeak("S AY N"), cmu_to_espeak("P IY1 T ER0"), cmu_to_espeak("Q")
    ("[[s'aIn]]", "[[p'i:t3]]", None)
    """
    phones = ph.split()
    if not phones:
        return None
    parsed: list[tuple[str, str | None]] = []
    for phone in phones:
        m = _CMU.fullmatch(phone.upper())
        if m is None or m.group(1) not in CMU_TO_ESPEAK:
            return None
        parsed.append((m.group(1), m.group(2)))
    any_stress = any(d in ("1", "2") for _, d in parsed)
    out: list[str] = []
    first_vowel = True
    for name, digit in parsed:
        is_vowel = len(CMU_TO_ESPEAK[name]) > 1 or name in ("AE", "AH", "EH", "IH", "UH")
        if not is_vowel:
            out.append(CMU_TO_ESPEAK[name])
            continue
        stress = digit if any_stress else ("1" if first_vowel else "0")
        first_vowel = False
        if stress == "0" and name in _UNSTRESSED:
            out.append(_UNSTRESSED[name])
            continue
        mark = {"1": "'", "2": ","}.get(stress or "", "")
        out.append(mark + CMU_TO_ESPEAK[name])
    return "[[" + "".join(out) + "]]"


_PINYIN = re.compile(r"([a-zv]+)([1-5])")


def pinyin_for_espeak(ph: str) -> str | None:
    """Tone-numbered pinyin as eSpeak's Mandarin reads it (ü as ``v``), or ``None`` if malformed.

    >>> pinyin_for_espeak("dian3 dang4 hang2"), pinyin_for_espeak("lü4 nu:3"), pinyin_for_espeak("ni")
    ('dian3 dang4 hang2', 'lv4 nv3', None)
    """
    syllables = ph.lower().replace("u:", "v").replace("ü", "v").split()
    if not syllables or not all(_PINYIN.fullmatch(s) for s in syllables):
        return None
    return " ".join(syllables)


# ------------------------------------------------------------------------------ sound events


def local_path(src: str) -> Path | None:
    """The file a ``<soundEvent src>`` names when it is a local path or ``file:`` URL, else None.

    >>> local_path("file:///tmp/a%20b.wav"), local_path("https://x/y.wav")
    (PosixPath('/tmp/a b.wav'), None)
    """
    src = src.strip()
    if not src:
        return None
    parts = urlsplit(src)
    if parts.scheme.lower() == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        return Path(url2pathname(unquote(parts.path)))
    if len(parts.scheme) > 1:  # http:, https:, oss:...; one letter is a Windows drive
        return None
    return Path(src)


# ------------------------------------------------------------------------------ the plan


@dataclass(slots=True)
class _Piece:
    """Text on its way to a :class:`Speech` (``voice`` None: digits, spaces, punctuation only)."""

    voice: str | None
    text: str
    phonemes: bool


class _Planner:
    def __init__(self, voice: str | None, speed: object, pitch: object, volume: object) -> None:
        self.request_voice = voice
        self.speed, self.pitch, self.volume = speed, pitch, volume
        self.events: list[Event] = []
        self.pending: list[tuple[str, str | None, bool]] = []  # (text, forced voice, phonemes)
        self.voice = voice
        self.prosody = prosody(None, speed=speed, pitch=pitch, volume=volume)
        self.last_script: str | None = None

    def context_lang(self, text: str) -> str:
        for ch in text:
            s = script_of(ch)
            if s is not None:
                return espeak_voice(self.voice, s)
        return espeak_voice(self.voice, self.last_script)

    def add_text(self, text: str, forced: str | None = None, phonemes: bool = False) -> None:
        if not text:
            return
        self.pending.append((text, forced, phonemes))
        for ch in reversed(text):
            s = script_of(ch)
            if s is not None:
                self.last_script = s
                break

    def flush(self) -> None:
        pieces: list[_Piece] = []
        for text, forced, phonemes in self.pending:
            if forced is not None:
                pieces.append(_Piece(forced, text, phonemes))
                continue
            # "[[" starts eSpeak phoneme input: keep the user's text from meaning that
            for script, chunk in split_scripts(text.replace("[[", "[ [")):
                voice = espeak_voice(self.voice, script) if script is not None else None
                pieces.append(_Piece(voice, chunk, False))
        self.pending = []
        merged: list[_Piece] = []
        for piece in pieces:
            last = merged[-1] if merged else None
            if last is not None and (
                piece.voice is None or last.voice is None or last.voice == piece.voice
            ):
                last.voice = last.voice or piece.voice
                last.text += piece.text
                last.phonemes = last.phonemes or piece.phonemes
                continue
            merged.append(piece)
        for piece in merged:
            if not piece.phonemes and not any(ch.isalnum() for ch in piece.text):
                continue  # punctuation or space alone says nothing
            voice = piece.voice or espeak_voice(self.voice, None)
            self.events.append(Speech(piece.text, voice, self.prosody, piece.phonemes))

    def pause(self, ms: int, *, from_break: bool) -> None:
        self.flush()
        last = self.events[-1] if self.events else None
        if from_break and isinstance(last, Pause) and last.from_break:
            self.events[-1] = Pause(values.add_pauses(last.ms, ms), True)
        else:
            self.events.append(Pause(ms, from_break))

    def clip(self, element: SoundEvent) -> None:
        src = element.src or ""
        path = local_path(src)
        if path is None:
            log.warning(
                "<soundEvent src=%r>: the offline engine plays only local WAV files; "
                "%d ms of silence instead",
                src[:200],
                MISSING_CLIP_MS,
            )
            self.pause(MISSING_CLIP_MS, from_break=False)
            return
        self.flush()
        self.events.append(Clip(path, src))

    def node(self, node: Node) -> None:
        if isinstance(node, Text):
            self.add_text(node.value)
        elif isinstance(node, Comment | ProcessingInstruction):
            return
        elif isinstance(node, Speak):
            self.speak(node)
        elif isinstance(node, Break):
            self.pause(break_ms(node), from_break=True)
        elif isinstance(node, Sub):
            self.add_text(node.alias if node.alias is not None else node.text)
        elif isinstance(node, Phoneme):
            self.phoneme(node)
        elif isinstance(node, SayAs):
            text = node.text
            self.add_text(say_as_text(node.interpret_as, text, self.context_lang(text)))
        elif isinstance(node, SoundEvent):
            self.clip(node)
        elif isinstance(node, Element):  # elements outside the dialect: their text
            for child in node.children:
                self.node(child)

    def phoneme(self, node: Phoneme) -> None:
        alphabet = (node.alphabet or "").strip().lower()
        ph = node.ph or ""
        if alphabet == "py":
            spoken = pinyin_for_espeak(ph)
            if spoken is not None:
                self.add_text(f" {spoken} ", forced="cmn")
                self.last_script = "han"
                return
        elif alphabet == "cmu":
            spoken = cmu_to_espeak(ph)
            if spoken is not None:
                self.add_text(
                    f" {spoken} ", forced=espeak_voice(self.voice, "latin"), phonemes=True
                )
                self.last_script = "latin"
                return
        self.add_text(node.text)

    def speak(self, node: Speak) -> None:
        self.flush()
        outer = (self.voice, self.prosody)
        self.voice = node.voice or self.request_voice
        self.prosody = prosody(node, speed=self.speed, pitch=self.pitch, volume=self.volume)
        for child in node.children:
            self.node(child)
        self.flush()
        self.voice, self.prosody = outer


def plan(
    doc: Document,
    *,
    voice: str | None = None,
    speed: object = None,
    pitch: object = None,
    volume: object = None,
) -> list[Event]:
    """The speech runs, pauses and clips that ``doc`` becomes, in order.

    ``voice``, ``speed``, ``pitch`` and ``volume`` are the request's values; ``<speak>``
    attributes override them.
    """
    planner = _Planner(voice, speed, pitch, volume)
    for item in doc.items:
        planner.node(item)
    planner.flush()
    return planner.events
