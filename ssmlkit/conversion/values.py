"""Reading W3C/vendor attribute values and mapping them onto the CosyVoice ranges.

    >>> map_rate("fast").text, map_rate("+20%", Decimal("1.5")).text
    ('1.5', '1.8')
    >>> map_volume("+6dB").text
    '100'
    >>> map_break_time("1.5s").text, map_break_time("20s").clamped
    ('1500ms', True)

Each function returns a :class:`Mapped` value (``None`` when the input cannot be read) with a flag
saying whether it was clamped into the dialect's range. Every number of the mapping comes from
:mod:`ssmlkit.conversion.tables`; the dialect's own grammar and ranges (break times, clamping,
the canonical text of a number) from :mod:`ssmlkit.profiles.values`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from ssmlkit.conversion import tables as T
from ssmlkit.phonetics.pinyin import diagnose_syllable
from ssmlkit.profiles import values as V
from ssmlkit.profiles.values import decimal_text

__all__ = [
    "Mapped",
    "decimal_text",
    "map_break_strength",
    "map_break_time",
    "map_pinyin",
    "map_pitch",
    "map_rate",
    "map_volume",
]

_NUMBER: Final = r"(\d+(?:\.\d*)?|\.\d+)"
_SIGNED: Final = re.compile(rf"([+-]?){_NUMBER}")
_PERCENT: Final = re.compile(rf"([+-]?){_NUMBER}\s*%")
_HZ: Final = re.compile(rf"([+-]?){_NUMBER}\s*hz")
_ST: Final = re.compile(rf"([+-]?){_NUMBER}\s*st")
_DB: Final = re.compile(rf"([+-]?){_NUMBER}\s*db")
_MAX_DIGITS: Final = 12  # longer numbers are out of every range; Decimal would still read them
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)


@dataclass(frozen=True, slots=True)
class Mapped:
    """A mapped value: ``value`` (``None`` when unreadable), its attribute ``text``, and whether
    it was ``clamped`` into range."""

    value: Decimal | None
    text: str | None
    clamped: bool = False


_UNREADABLE: Final = Mapped(None, None)


def _number(text: str) -> Decimal | None:
    if len(text) > _MAX_DIGITS:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid literals
        return None


def _signed(sign: str, digits: str) -> Decimal | None:
    n = _number(digits)
    if n is None:
        return None
    return -n if sign == "-" else n


def _multiplier(value: Decimal, bounds: tuple[float, float]) -> Mapped:
    value, clamped = V.clamp_multiplier(value, bounds)
    return Mapped(value, decimal_text(value), clamped)


def _relative(text: str, parent: Decimal) -> Decimal | None:
    """Percentages and bare numbers, shared by rate and pitch: all relative to ``parent``."""
    if m := _PERCENT.fullmatch(text):
        n = _signed(m.group(1), m.group(2))
        if n is None:
            return None
        # "+20%" changes by 20 %; an unsigned "80%" is 80 % of the inherited value.
        return parent * (_ONE + n / _HUNDRED) if m.group(1) else parent * n / _HUNDRED
    if m := _SIGNED.fullmatch(text):
        n = _signed(m.group(1), m.group(2))
        if n is None:
            return None
        return parent * (_ONE + n) if m.group(1) else parent * n
    return None


def map_rate(
    text: str, parent: Decimal | None = None, named: dict[str, float] | None = None
) -> Mapped:
    """``<prosody rate>`` → a multiplier 0.5-2, relative values composed onto ``parent``.

    Named values (:data:`~ssmlkit.conversion.tables.RATE_NAMED`, or ``named``) are absolute;
    ``N%`` is N % of the inherited rate, ``+N%``/``-N%`` a change by N %, a bare number a
    multiplier of the inherited rate; ``default`` keeps the inherited rate.
    """
    key = text.strip().lower()
    base = parent if parent is not None else _ONE
    table = named if named is not None else T.RATE_NAMED
    if key == "default":
        return _multiplier(base, V.RATE_RANGE) if parent is not None else _UNREADABLE
    if key in table:
        value: Decimal | None = Decimal(repr(table[key]))
    else:
        value = _relative(key, base)
    if value is None:
        return _UNREADABLE
    return _multiplier(value, V.RATE_RANGE)


def map_pitch(text: str, parent: Decimal | None = None) -> Mapped:
    """``<prosody pitch>`` → a multiplier 0.5-2.

    Named values are absolute; hertz are read against
    :data:`~ssmlkit.conversion.tables.PITCH_REFERENCE_HZ` (``+20Hz`` adds 20/200, ``180Hz`` is
    180/200); ``+2st`` multiplies by 2^(2/12); percentages and bare numbers as for rate.
    """
    key = text.strip().lower()
    base = parent if parent is not None else _ONE
    if key == "default":
        return _multiplier(base, V.PITCH_RANGE) if parent is not None else _UNREADABLE
    value: Decimal | None
    if key in T.PITCH_NAMED:
        value = Decimal(repr(T.PITCH_NAMED[key]))
    elif m := _HZ.fullmatch(key):
        n = _signed(m.group(1), m.group(2))
        ref = Decimal(T.PITCH_REFERENCE_HZ)
        value = None if n is None else (base + n / ref if m.group(1) else n / ref)
    elif m := _ST.fullmatch(key):
        n = _signed(m.group(1), m.group(2))
        if n is None or abs(n) > 1200:
            value = None if n is None else (base * 4 if n > 0 else base / 4)
        else:
            value = base * Decimal(2 ** (float(n) / 12))
    else:
        value = _relative(key, base)
    if value is None:
        return _UNREADABLE
    return _multiplier(value, V.PITCH_RANGE)


def map_volume(text: str, parent: Decimal | None = None) -> Mapped:
    """``<prosody volume>`` → an integer 0-100 (50 is CosyVoice's default).

    Named values are absolute; a bare number 0-100 is absolute and a signed one adds to the
    inherited volume; ``+NdB`` scales the inherited volume by 10^(N/20) (so +6 dB doubles 50 to
    100); percentages scale it like rate.
    """
    key = text.strip().lower()
    base = parent if parent is not None else Decimal(V.DEFAULT_VOLUME)
    lo, hi = V.VOLUME_RANGE
    value: Decimal | None
    if key == "default":
        if parent is None:
            return _UNREADABLE
        value = base
    elif key in T.VOLUME_NAMED:
        value = Decimal(T.VOLUME_NAMED[key])
    elif m := _DB.fullmatch(key):
        n = _signed(m.group(1), m.group(2))
        if n is None or abs(n) > 200:
            value = None if n is None else (Decimal(hi) if n > 0 else Decimal(lo))
        else:
            value = base * Decimal(10 ** (float(n) / 20))
    elif m := _PERCENT.fullmatch(key):
        n = _signed(m.group(1), m.group(2))
        if n is None:
            value = None
        else:
            value = base * (_ONE + n / _HUNDRED) if m.group(1) else base * n / _HUNDRED
    elif m := _SIGNED.fullmatch(key):
        n = _signed(m.group(1), m.group(2))
        value = None if n is None else (base + n if m.group(1) else n)
    else:
        value = None
    if value is None:
        return _UNREADABLE
    whole, clamped = V.clamp_volume(value)
    return Mapped(whole, str(int(whole)), clamped)


def map_break_time(text: str) -> Mapped:
    """``<break time>`` → the dialect's grammar and range, in milliseconds.

    ``1.5s`` → ``1500ms``; durations over 10 s are clamped to ``10s`` and under 50 ms to
    ``50ms`` (``clamped`` is set); ``0ms`` maps to 0 (the break is removed).
    """
    ms = V.parse_break_time(text)
    if ms is None:
        return _UNREADABLE
    whole, clamped = V.clamp_break_ms(ms)
    if ms.to_integral_value() == 0:
        return Mapped(Decimal(0), None)
    return Mapped(Decimal(whole), V.format_break_time(whole), clamped)


def map_break_strength(text: str) -> Mapped:
    """``<break strength>`` → a time by :data:`~ssmlkit.conversion.tables.BREAK_STRENGTH_MS`
    (``none`` gives 0: the break is removed)."""
    ms = T.BREAK_STRENGTH_MS.get(text.strip().lower())
    if ms is None:
        return _UNREADABLE
    return Mapped(Decimal(ms), V.format_break_time(ms) if ms else None)


def map_pinyin(ph: str) -> str | None:
    """A pinyin ``ph`` with tone marks, ``u:``/``ü`` or upper case → CosyVoice's ``py`` form.

        >>> map_pinyin("nǐ hǎo"), map_pinyin("LU:4"), map_pinyin("xi1'an1")
        ('ni3 hao3', 'lv4', 'xi1 an1')

    Returns ``None`` when a syllable cannot be read as pinyin with a tone.
    """
    out: list[str] = []
    for raw in re.split(r"[\s'’\-]+", ph.strip()):
        if not raw:
            continue
        syllable = raw.lower()
        for _ in range(3):  # upper case, then tone mark, then ü spelling
            problem = diagnose_syllable(syllable)
            if problem is None:
                break
            if problem.replacement is None:
                return None
            syllable = problem.replacement
        else:
            return None
        out.append(syllable)
    return " ".join(out) if out else None
