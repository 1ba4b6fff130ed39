"""Typed functions that compose CosyVoice SSML documents and fail at the call that misused them.

Usage::

    >>> from ssmlkit.builder import speak, brk, pinyin, say_as
    >>> s = speak("Tom & Jerry <3 ", brk(500), pinyin("典当行", "dian3 dang4 hang2"), rate=1.2)
    >>> s.rate, s.children[1].time
    ('1.2', '500ms')
    >>> speak("too fast", rate=3)
    Traceback (most recent call last):
    ...
    ssmlkit.errors.BuildError: <speak rate>: 3 is not allowed; expected a decimal multiplier 0.5-2

The style follows lxml's E-factory (nested calls, strings become text, children as varargs), but
every function checks its Python values against the dialect (:mod:`ssmlkit.profiles.cosyvoice`),
turns them into the canonical attribute strings, and returns :mod:`ssmlkit.model` nodes. Text is
never escaped here: escaping lives only in the serializer, so ``"Tom & Jerry <3"`` stays as it is
and cannot break the XML. Characters that XML 1.0 cannot carry at all are refused.

Every misuse raises :class:`~ssmlkit.errors.BuildError` (also a :class:`ValueError`) naming the
element, the attribute, the bad value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, TypeAlias, overload
from urllib.parse import urlsplit

from ssmlkit.errors import BuildError
from ssmlkit.measure import is_cjk_ideograph
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
)
from ssmlkit.phonetics.cmu import check_phone
from ssmlkit.phonetics.pinyin import check_syllable
from ssmlkit.profiles import cosyvoice as P
from ssmlkit.profiles import values as V
from ssmlkit.prosody import Prosody, speak_segments

__all__ = [
    "Child",
    "auto_pinyin",
    "break_",
    "brk",
    "cmu",
    "comment",
    "document",
    "phoneme",
    "pinyin",
    "prosody",
    "say_as",
    "sound_event",
    "speak",
    "sub",
]

#: What :func:`speak` accepts as a child: a ``str`` (becomes text) or a node the builder makes.
Child: TypeAlias = str | Text | Break | Sub | Phoneme | SayAs | SoundEvent | Comment
Number: TypeAlias = int | float | Decimal | str

_CHILD_TYPES: Final = (Text, Break, Sub, Phoneme, SayAs, SoundEvent, Comment)
_CHILDREN_EXPECTED: Final = (
    "text (str) or a <break>, <sub>, <phoneme>, <say-as>, <soundEvent> or comment node"
)
_VOICE_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_TIME_EXPECTED: Final = (
    f"whole seconds {V.BREAK_SECONDS_RANGE[0]}-{V.BREAK_SECONDS_RANGE[1]} "
    f'("1s".."10s") or whole milliseconds {V.BREAK_MS_RANGE[0]}-{V.BREAK_MS_RANGE[1]} '
    '("50ms".."10000ms"); an int is milliseconds, seconds= takes seconds'
)


def _error(element: str, attribute: str | None, value: object, expected: str) -> BuildError:
    """A BuildError; an integer too long for ``repr`` is described instead of shown."""
    if isinstance(value, int) and value.bit_length() > 4000:
        value = f"<an integer of {value.bit_length()} bits>"
    return BuildError(element, attribute, value, expected)


# --- characters -----------------------------------------------------------------------------


def _xml_forbidden(char: str) -> bool:
    code = ord(char)
    if code < 0x20:
        return char not in "\t\n\r"
    return 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def _check_chars(element: str, attribute: str | None, value: str) -> str:
    for index, char in enumerate(value):
        if _xml_forbidden(char):
            raise _error(
                element,
                attribute,
                value,
                f"characters XML 1.0 can carry; U+{ord(char):04X} at index {index} cannot be "
                "written in any XML document",
            )
    return value


def _check_str(element: str, attribute: str | None, value: object, *, nonblank: bool) -> str:
    if not isinstance(value, str):
        what = "text" if attribute is None else "a string"
        raise _error(element, attribute, value, f"{what} (str), not {type(value).__name__}")
    if nonblank and not value.strip():
        what = "non-blank text" if attribute is None else "a non-blank string"
        raise _error(element, attribute, value, what)
    return _check_chars(element, attribute, value)


# --- numbers ---------------------------------------------------------------------------------


def _to_decimal(element: str, attribute: str, value: object, expected: str) -> Decimal:
    """``value`` as an exact Decimal (see :func:`ssmlkit.profiles.values.read_decimal`)."""
    number = V.read_decimal(value)
    if number is None:
        raise _error(element, attribute, value, expected)
    return number


def _multiplier(attribute: str, value: object, bounds: tuple[float, float]) -> str:
    lo, hi = V.decimal_bounds(bounds)
    expected = f"a decimal multiplier {V.decimal_text(lo)}-{V.decimal_text(hi)}"
    number = _to_decimal("speak", attribute, value, expected)
    if not lo <= number <= hi:
        legacy_lo, legacy_hi = V.LEGACY_PROSODY_RANGE
        if legacy_lo <= number <= legacy_hi and abs(number) >= 10:
            expected += (
                " (the legacy -500..500 scale of the vendor's NLS examples is not valid here)"
            )
        raise _error("speak", attribute, value, expected)
    return V.decimal_text(number)


def _integer(
    element: str, attribute: str, value: object, lo: int, hi: int, expected: str | None = None
) -> int:
    expected = expected or f"an integer {lo}-{hi}"
    number = V.read_integer(value)
    if number is None or not lo <= number <= hi:
        raise _error(element, attribute, value, expected)
    return number


# --- attribute values ------------------------------------------------------------------------


def _url(element: str, attribute: str, value: object) -> str:
    expected = "an http:// or https:// URL (a public-read WAV on Alibaba Cloud OSS)"
    url = _check_str(element, attribute, value, nonblank=False)
    parts = urlsplit(url)
    if (
        not url
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in url)
    ):
        raise _error(element, attribute, value, expected)
    return url


def _voice(value: object) -> str:
    voice = _check_str("speak", "voice", value, nonblank=True)
    if not _VOICE_RE.fullmatch(voice):
        raise _error(
            "speak",
            "voice",
            value,
            "a voice id of letters, digits, '_', '-' or '.' (e.g. longanyang)",
        )
    return voice


def _effect_value(effect: str | None, value: object) -> str | None:
    if effect not in V.EFFECTS_WITH_VALUE:
        if value is None:
            return None
        raise _error(
            "speak",
            "effectValue",
            value,
            f"no effectValue with effect={effect!r}; only {'/'.join(sorted(V.EFFECTS_WITH_VALUE))} "
            "take one",
        )
    if effect == "eq":
        lo, hi = V.EQ_GAIN_RANGE
        n = len(V.EQ_BANDS_HZ)
        expected = f"{n} integer gains {lo}..{hi} (dB) for the bands {V.EQ_BANDS_HZ} Hz"
        if isinstance(value, str):
            gains: Sequence[object] = value.split()
        elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
            gains = value
        else:
            raise _error("speak", "effectValue", value, expected)
        if len(gains) != n:
            raise _error("speak", "effectValue", value, expected)
        return " ".join(str(_integer("speak", "effectValue", g, lo, hi, expected)) for g in gains)
    expected = f"an integer cutoff in Hz, 1-{V.MAX_FILTER_HZ} (at most half the sample rate)"
    if value is None:
        raise _error("speak", "effectValue", value, expected)
    return str(_integer("speak", "effectValue", value, 1, V.MAX_FILTER_HZ, expected))


def _break_ms(time: object, seconds: object) -> int | None:
    if time is not None and seconds is not None:
        raise _error("break", "time", (time, seconds), "either time= or seconds=, not both")
    if seconds is not None:
        number, per_unit = _to_decimal("break", "time", seconds, _TIME_EXPECTED), 1000
    elif time is None:
        return None
    elif isinstance(time, int) and not isinstance(time, bool):
        number, per_unit = Decimal(time), 1
    elif isinstance(time, str) and (ms := V.parse_break_time(time, strict=True)) is not None:
        number, per_unit = ms, 1
    else:
        raise _error("break", "time", time, _TIME_EXPECTED)
    # Compare before scaling: an enormous exponent would overflow the decimal context.
    lo, hi = (Decimal(limit) / per_unit for limit in V.BREAK_MS_RANGE)
    if not lo <= number <= hi:
        raise _error("break", "time", seconds if time is None else time, _TIME_EXPECTED)
    amount = number * per_unit
    if amount != amount.to_integral_value():
        raise _error("break", "time", seconds if time is None else time, _TIME_EXPECTED)
    return int(amount)


def _interpret_as(value: object) -> str:
    if not isinstance(value, str) or value not in V.INTERPRET_AS:
        raise _error("say-as", "interpret-as", value, f"one of {', '.join(V.INTERPRET_AS)}")
    return value


def _ph_items(element: str, value: object) -> list[str]:
    if isinstance(value, str):
        items = value.split()
    elif isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        items = [s for v in value for s in v.split()]
    else:
        raise _error(element, "ph", value, "a space-separated string (or a list of strings)")
    if not items:
        raise _error(element, "ph", value, "at least one syllable or phone")
    for item in items:
        _check_chars(element, "ph", item)
    return items


def _pinyin_ph(text: str, value: object) -> str:
    syllables = _ph_items("phoneme", value)
    for syllable in syllables:
        problem = check_syllable(syllable)
        if problem is not None:
            raise _error(
                "phoneme", "ph", syllable, f"a pinyin syllable with a tone digit 1-5 ({problem})"
            )
    hanzi = sum(1 for c in text if is_cjk_ideograph(c))
    if hanzi != len(syllables):
        raise _error(
            "phoneme",
            "ph",
            value,
            f"one syllable per Han character: {text!r} has {hanzi} Han character(s), "
            f"ph has {len(syllables)} syllable(s)",
        )
    return " ".join(syllables)


def _cmu_ph(value: object) -> str:
    phones = _ph_items("phoneme", value)
    for phone in phones:
        found = check_phone(phone)
        # A "warning" (a stress digit on a vowel) is valid CMUdict; the linter may report it.
        if found is not None and found[0] == "error":
            raise _error("phoneme", "ph", phone, f"an ARPAbet phone ({found[1]})")
    return " ".join(phones)


# --- public builders -------------------------------------------------------------------------


@overload
def speak(  # type: ignore[overload-overlap]  # the first wins when no Prosody is given
    *children: Child,
    voice: str | None = None,
    rate: Number | None = None,
    pitch: Number | None = None,
    volume: int | str | None = None,
    effect: str | None = None,
    effect_value: str | Sequence[int] | int | None = None,
    bgm: str | None = None,
    background_music_volume: int | str | None = None,
) -> Speak: ...


@overload
def speak(
    *children: Child | Prosody,
    voice: str | None = None,
    rate: Number | None = None,
    pitch: Number | None = None,
    volume: int | str | None = None,
    effect: str | None = None,
    effect_value: str | Sequence[int] | int | None = None,
    bgm: str | None = None,
    background_music_volume: int | str | None = None,
) -> Document: ...


def speak(
    *children: Child | Prosody,
    voice: str | None = None,
    rate: Number | None = None,
    pitch: Number | None = None,
    volume: int | str | None = None,
    effect: str | None = None,
    effect_value: str | Sequence[int] | int | None = None,
    bgm: str | None = None,
    background_music_volume: int | str | None = None,
) -> Speak | Document:
    """``speak("你好", brk(500), "world", voice="longanyang", rate=1.2)`` -> a ``<speak>`` node.

    Strings become text; other children must be nodes made by this module (``<speak>`` may not
    nest). ``rate``/``pitch`` are multipliers 0.5-2, ``volume`` an integer 0-100; ``effect`` one
    of the dialect's effects, with ``effect_value`` for ``eq`` (8 gains -20..20) and
    ``lpfilter``/``hpfilter`` (a cutoff in Hz); ``bgm`` an http(s) URL and
    ``background_music_volume`` 0-100 (only with ``bgm``).

    With a :func:`prosody` among the children the result is a :class:`Document` of sibling
    ``<speak>`` segments (CosyVoice has no ``<prosody>``): each carries these attributes with the
    effective rate/pitch/volume, and neighbours with equal attributes merge.
    """
    attrs: list[tuple[str, str]] = []
    if voice is not None:
        attrs.append(("voice", _voice(voice)))
    if rate is not None:
        attrs.append(("rate", _multiplier("rate", rate, V.RATE_RANGE)))
    if pitch is not None:
        attrs.append(("pitch", _multiplier("pitch", pitch, V.PITCH_RANGE)))
    if volume is not None:
        attrs.append(("volume", str(_integer("speak", "volume", volume, *V.VOLUME_RANGE))))
    if effect is not None:
        if not isinstance(effect, str) or effect not in V.EFFECTS:
            raise _error("speak", "effect", effect, f"one of {', '.join(V.EFFECTS)}")
        attrs.append(("effect", effect))
    value_text = _effect_value(effect, effect_value)
    if value_text is not None:
        attrs.append(("effectValue", value_text))
    if bgm is not None:
        attrs.append(("bgm", _url("speak", "bgm", bgm)))
    if background_music_volume is not None:
        if bgm is None:
            raise _error(
                "speak",
                "backgroundMusicVolume",
                background_music_volume,
                "to be set only with bgm=",
            )
        level = _integer(
            "speak", "backgroundMusicVolume", background_music_volume, *V.BGM_VOLUME_RANGE
        )
        attrs.append(("backgroundMusicVolume", str(level)))
    if any(isinstance(c, Prosody) for c in children):
        return speak_segments(
            tuple(attrs), [c if isinstance(c, Prosody) else _child(c) for c in children]
        )
    return Speak(attrs=tuple(attrs), children=tuple(_child(c) for c in children))


def prosody(
    *children: Child | Prosody,
    rate: Number | None = None,
    pitch: Number | None = None,
    volume: int | str | None = None,
) -> Prosody:
    """``prosody("快", rate=1.5)`` inside ``speak(...)``: speak the children with this prosody.

    ``rate`` and ``pitch`` are CosyVoice multipliers 0.5-2 and ``volume`` an integer 0-100,
    checked here (a :class:`~ssmlkit.errors.BuildError` names the bad value). Prosodies nest; an
    inner one inherits what it does not set. Children are what ``speak()`` accepts, or prosodies.
    """
    return Prosody(
        tuple(c if isinstance(c, Prosody) else _child(c) for c in children),
        rate=None if rate is None else _multiplier("rate", rate, V.RATE_RANGE),
        pitch=None if pitch is None else _multiplier("pitch", pitch, V.PITCH_RANGE),
        volume=None
        if volume is None
        else str(_integer("speak", "volume", volume, *V.VOLUME_RANGE)),
    )


def brk(time: int | str | None = None, *, seconds: Number | None = None) -> Break:
    """``brk(500)``, ``brk("2s")`` or ``brk(seconds=1.5)`` -> ``<break time="..."/>``.

    An ``int`` is milliseconds; strings are ``"<n>ms"`` or ``"<n>s"``; ``seconds=`` takes a
    number of seconds. The value is normalised: whole seconds 1-10 become ``"Ns"``, anything
    else (whole milliseconds 50-10000) ``"Nms"``. ``brk()`` is a bare break (1 s).
    """
    ms = _break_ms(time, seconds)
    if ms is None:
        return Break()
    return Break(attrs=(("time", V.format_break_time(ms)),))


#: ``break`` is a Python keyword; this is the same function as :func:`brk`.
break_ = brk


def sub(text: str, alias: str) -> Sub:
    """``sub("W3C", "网络协议标准")`` -> ``<sub alias="网络协议标准">W3C</sub>``.

    The element shows ``text`` and speaks ``alias``; both must be non-blank strings.
    """
    body = _check_str("sub", None, text, nonblank=True)
    spoken = _check_str("sub", "alias", alias, nonblank=True)
    return Sub(attrs=(("alias", spoken),), children=(Text(body),))


def phoneme(text: str, *, alphabet: str, ph: str | Sequence[str]) -> Phoneme:
    """``phoneme("sin", alphabet="cmu", ph="S AY N")`` -> ``<phoneme>`` with a checked ``ph``.

    ``alphabet="py"`` takes pinyin syllables with tone digits 1-5, one per Han character;
    ``alphabet="cmu"`` takes upper-case ARPAbet phones. ``ph`` may be a string or a list.
    """
    body = _check_str("phoneme", None, text, nonblank=True)
    if alphabet == "py":
        ph_text = _pinyin_ph(body, ph)
    elif alphabet == "cmu":
        ph_text = _cmu_ph(ph)
    else:
        raise _error("phoneme", "alphabet", alphabet, f"one of {', '.join(V.ALPHABETS)}")
    return Phoneme(attrs=(("alphabet", alphabet), ("ph", ph_text)), children=(Text(body),))


def pinyin(text: str, ph: str | Sequence[str]) -> Phoneme:
    """``pinyin("典当行", "dian3 dang4 hang2")`` -> ``<phoneme alphabet="py" ...>``."""
    return phoneme(text, alphabet="py", ph=ph)


def cmu(text: str, ph: str | Sequence[str]) -> Phoneme:
    """``cmu("sin", "S AY N")`` -> ``<phoneme alphabet="cmu" ph="S AY N">sin</phoneme>``."""
    return phoneme(text, alphabet="cmu", ph=ph)


def auto_pinyin(text: str, chars: str | None = None) -> tuple[Phoneme | str, ...]:
    """``speak(*auto_pinyin("银行行长"))``: pinyin hints predicted in context, as children.

        auto_pinyin("他是银行行长。")
        # ('他是', pinyin('银行', 'yin2 hang2'), pinyin('行长', 'hang2 zhang3'), '。')

    Each word holding a polyphonic character (多音字) becomes a ``<phoneme alphabet="py">``
    made by :func:`pinyin` (so its syllables are checked), with the reading the pronunciation
    engine predicts from the whole ``text``; the text between stays plain strings. Every
    polyphone is hinted, or only ``chars``' characters (``chars="行"``). The parts joined give
    ``text`` back. Needs ``pip install 'ssmlkit[pronounce]'`` (else
    :class:`~ssmlkit.pronounce.PronounceUnavailable`); ``chars`` naming a character that is not
    a polyphone raises :class:`~ssmlkit.errors.BuildError`.
    """
    from ssmlkit.annotation import plan_text

    body = _check_str("phoneme", None, text, nonblank=True)
    try:
        words = plan_text(body, chars, all_polyphones=chars is None)
    except (ValueError, TypeError) as exc:
        raise _error("phoneme", None, chars, f"a string of polyphonic characters ({exc})") from None
    parts: list[Phoneme | str] = []
    at = 0
    for start, end, ph in words:
        if start > at:
            parts.append(body[at:start])
        parts.append(pinyin(body[start:end], ph))
        at = end
    if at < len(body):
        parts.append(body[at:])
    return tuple(parts)


def say_as(text: str, interpret_as: str) -> SayAs:
    """``say_as("139 0000 5678", "telephone")`` -> ``<say-as interpret-as="telephone">``."""
    body = _check_str("say-as", None, text, nonblank=True)
    return SayAs(attrs=(("interpret-as", _interpret_as(interpret_as)),), children=(Text(body),))


def sound_event(src: str) -> SoundEvent:
    """``sound_event("https://example-bucket.oss-cn-beijing.aliyuncs.com/horse.wav")``.

    Returns ``<soundEvent src="..."/>``; ``src`` must be an http(s) URL (the service wants a
    public-read 16 kHz mono 16-bit WAV of at most 2 MB on Alibaba Cloud OSS).
    """
    return SoundEvent(attrs=(("src", _url("soundEvent", "src", src)),))


def comment(text: str) -> Comment:
    """``comment(" greeting ")`` -> ``<!-- greeting -->``.

    The text may not contain ``--``, end with ``-``, or hold a CR (XML would turn it into LF).
    """
    body = _check_str("comment", None, text, nonblank=False)
    if "--" in body or body.endswith("-"):
        raise _error("comment", None, text, "text without '--' that does not end with '-'")
    if "\r" in body:
        # XML turns CR and CRLF into LF, and a comment has no escape that could keep them.
        raise _error("comment", None, text, "text without CR (U+000D); use LF line ends")
    return Comment(body)


def document(*items: Speak | Document | Comment | str) -> Document:
    """``document(speak("一", voice="longanyang"), "\\n", speak("二", voice="longcheng_v3"))``.

    Several sibling ``<speak>`` elements make one input; comments and whitespace-only strings may
    stand between them. At least one ``<speak>`` is required. Nodes built by hand (or parsed) are
    checked as if they had been built here, so ``document(*parse(text).items)`` validates a text.
    A Document item (the segments ``speak()`` returns around a :func:`prosody`) adds its items.
    """
    out: list[Node] = []
    flat: list[object] = []
    for given in items:
        # speak(..., prosody(...)) gives a Document of segments: its items stand here.
        flat.extend(given.items if isinstance(given, Document) else (given,))
    for item in flat:
        if isinstance(item, str) and not item.strip():
            out.append(Text(_check_chars("document", None, item)))
        elif isinstance(item, Text) and not item.value.strip():
            out.append(item)
        elif isinstance(item, Speak):
            _validate(item)
            out.append(item)
        elif isinstance(item, Comment):
            comment(item.value)
            out.append(item)
        else:
            raise _error(
                "document",
                None,
                item,
                "<speak> nodes, comments or whitespace (text must stand inside a <speak>)",
            )
    if not any(isinstance(i, Speak) for i in out):
        raise _error("document", None, items, "at least one <speak>")
    return Document(tuple(out))


# --- checking nodes that were not built here ------------------------------------------------


def _child(child: object) -> Node:
    if isinstance(child, str):
        return Text(_check_chars("speak", None, child))
    if isinstance(child, Speak):
        raise _error(
            "speak",
            None,
            child,
            "a child other than <speak> (<speak> may not nest; put sibling <speak>s in document())",
        )
    if isinstance(child, _CHILD_TYPES):
        _validate(child)
        return child
    raise _error("speak", None, child, _CHILDREN_EXPECTED)


def _text_only(node: Element) -> str:
    if not all(isinstance(c, Text) for c in node.children):
        raise _error(node.name, None, node.children, "text only")
    return node.text


def _validate(node: Node) -> None:
    """Re-run the builder's checks on a node that may have been made by hand or parsed."""
    if isinstance(node, Text):
        _check_chars("speak", None, node.value)
        return
    if isinstance(node, Comment):
        comment(node.value)
        return
    if not isinstance(node, Element) or type(node) not in (Speak, *_CHILD_TYPES):
        raise _error("speak", None, node, _CHILDREN_EXPECTED)
    allowed = P.ELEMENT_ATTRIBUTES[node.tag]
    names = [k for k, _ in node.attrs]
    for key in names:
        if key not in allowed or names.count(key) > 1:
            what = "once" if key in allowed else "one of " + ", ".join(sorted(allowed))
            raise _error(node.tag, key, node.get(key), f"an attribute named {what}")
    for key in P.REQUIRED_ATTRIBUTES[node.tag]:
        if key not in names:
            raise _error(node.tag, key, None, f"a {key} attribute (it is required)")
    a = node.attributes
    if isinstance(node, Speak):
        speak(
            *(_nested(c) for c in node.children),
            voice=a.get("voice"),
            rate=a.get("rate"),
            pitch=a.get("pitch"),
            volume=a.get("volume"),
            effect=a.get("effect"),
            effect_value=a.get("effectValue"),
            bgm=a.get("bgm"),
            background_music_volume=a.get("backgroundMusicVolume"),
        )
    elif isinstance(node, Break | SoundEvent):
        if node.children:
            raise _error(node.tag, None, node.children, "an empty element")
        if isinstance(node, Break):
            brk(a.get("time"))
        else:
            sound_event(a.get("src"))  # type: ignore[arg-type]  # None is reported as missing
    elif isinstance(node, Sub):
        sub(_text_only(node), a.get("alias"))  # type: ignore[arg-type]
    elif isinstance(node, Phoneme):
        phoneme(_text_only(node), alphabet=a.get("alphabet"), ph=a.get("ph"))  # type: ignore[arg-type]
    elif isinstance(node, SayAs):
        say_as(_text_only(node), a.get("interpret-as"))  # type: ignore[arg-type]


def _nested(child: Node) -> Child:
    # Let _child report what is wrong (a nested <speak>, an unknown element, ...).
    return child  # type: ignore[return-value]
