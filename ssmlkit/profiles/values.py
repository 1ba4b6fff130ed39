"""The dialect's value grammar in one place: break times, multipliers, volume, enumerations, voices.

Usage::

    >>> from ssmlkit.profiles import values as V
    >>> V.parse_break_time("1.5s"), V.format_break_time(2000), V.is_break_time("500ms")
    (Decimal('1500.0'), '2s', True)
    >>> V.decimal_within("1.2", *V.RATE_RANGE), V.decimal_within("2.5", *V.RATE_RANGE)
    (True, False)
    >>> V.decimal_text(V.read_decimal(" 1.50 ")), V.clamp_multiplier(V.read_decimal(3))
    ('1.5', (Decimal('2.00'), True))
    >>> V.add_pauses(8000, 5000), V.language_of("longjiaxin_v3")
    (10000, 'yue')

:mod:`ssmlkit.profiles.cosyvoice` states the facts (ranges, enumerations, limits) as data; this
module reads and writes attribute values against them and re-exports them, with the voice
catalogue of :mod:`ssmlkit.profiles.voices`, so that the builder, the linter's rules, the
converter, the offline planner and the renderer take the dialect from one place.

Two readings of text, on purpose. The *documented form* (``500ms``, ``2s``, ``1.2``, ``80``) is
what passes the linter and what the builder writes; it is settled with integers only. The
*lenient* reading (decimal seconds, spaces, upper-case units) is what the linter offers to fix and
what the converter maps from other dialects; it is exact, in :class:`~decimal.Decimal`. ``decimal``
is imported only where such a value is read: its import costs ``ssmlkit lint`` 4 ms of start-up,
and documents hold the documented form.
"""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING, Final, TypeVar

from ssmlkit.profiles.cosyvoice import (
    ALPHABETS,
    BGM_VOLUME_RANGE,
    BREAK_DEFAULT_MS,
    BREAK_MS_RANGE,
    BREAK_SECONDS_RANGE,
    BREAK_TOTAL_CAP_MS,
    DEFAULT_VOLUME,
    EFFECTS,
    EFFECTS_WITH_VALUE,
    EQ_BANDS_HZ,
    EQ_GAIN_RANGE,
    INTERPRET_AS,
    LEGACY_PROSODY_RANGE,
    MAX_FILTER_HZ,
    PITCH_RANGE,
    RATE_RANGE,
    VOLUME_RANGE,
)
from ssmlkit.profiles.voices import (
    MODELS,
    VOICES,
    Voice,
    get_voice,
    language_of,
    models_of,
    normalize_model,
    suggest_voice,
    voice_stem,
    voices_for_model,
)

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "ALPHABETS",
    "BGM_VOLUME_RANGE",
    "BREAK_DEFAULT_MS",
    "BREAK_MS_RANGE",
    "BREAK_SECONDS_RANGE",
    "BREAK_TIME",
    "BREAK_TOTAL_CAP_MS",
    "DECIMAL",
    "DEFAULT_VOLUME",
    "EFFECTS",
    "EFFECTS_WITH_VALUE",
    "EQ_BANDS_HZ",
    "EQ_GAIN_RANGE",
    "INTEGER",
    "INTERPRET_AS",
    "LEGACY_PROSODY_RANGE",
    "MAX_FILTER_HZ",
    "MODELS",
    "PITCH_RANGE",
    "RATE_RANGE",
    "VOICES",
    "VOLUME_RANGE",
    "Voice",
    "add_pauses",
    "break_duration",
    "break_ms_in_range",
    "break_time_unit",
    "clamp",
    "clamp_break_ms",
    "clamp_multiplier",
    "clamp_volume",
    "decimal_bounds",
    "decimal_text",
    "decimal_within",
    "format_break_time",
    "get_voice",
    "is_break_time",
    "language_of",
    "models_of",
    "normalize_model",
    "parse_break_time",
    "read_decimal",
    "read_integer",
    "small_int",
    "suggest_voice",
    "voice_stem",
    "voices_for_model",
    "whole_break_ms",
]

_N = TypeVar("_N", int, float, "Decimal")

# --- numbers -----------------------------------------------------------------------------------

#: A multiplier as the dialect writes it (``rate``, ``pitch``): ``1``, ``0.5``, ``.5``, ``-1``.
DECIMAL: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
#: An integer as the dialect writes it (``volume``, gains, cutoffs): ``80``, ``-20``.
INTEGER: Final = re.compile(r"-?[0-9]+")
# What a caller may pass as text for a number: a sign, a trailing point and spaces are forgiven.
# The builder's patterns stay source text, compiled by re's cache on first use: compiling them
# here would cost every ``ssmlkit lint`` start-up, which never builds.
_LOOSE_DECIMAL: Final = r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*"
_LOOSE_INTEGER: Final = r"\s*[+-]?[0-9]+\s*"
# Longer integers are outside every range here, and int() refuses very long digit strings.
_MAX_DIGITS: Final = 12


def _exact(text: str) -> tuple[int, int]:
    """A numeral of :data:`DECIMAL`'s form as an exact fraction: (numerator, power of ten)."""
    whole, _, fraction = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    digits = whole.lstrip("-") + fraction
    return sign * int(digits or "0"), 10 ** len(fraction)


@functools.lru_cache(maxsize=64, typed=True)
def _exact_bound(bound: float) -> tuple[int, int]:
    """:func:`_exact` of ``str(bound)``: ranges are a few constants, read once each."""
    return _exact(str(bound))


def decimal_within(value: str, lo: float, hi: float) -> bool:
    """``decimal_within("1.2", 0.5, 2)``: whether the numeral ``value`` lies in ``[lo, hi]``.

    ``value`` has :data:`DECIMAL`'s form. Compared exactly, as ``Decimal`` would (``lo`` and
    ``hi`` are read from their ``str``, so 0.5 is one half), in integers: the linter's start-up
    does without ``decimal``.
    """
    n, d = _exact(value)
    lo_n, lo_d = _exact_bound(lo)
    hi_n, hi_d = _exact_bound(hi)
    return lo_n * d <= n * lo_d and n * hi_d <= hi_n * d


def small_int(text: str) -> int:
    """``small_int("0080")`` → 80: ``int(text)`` for :data:`INTEGER`'s form, clamped to ±10**12.

    Python refuses to convert very long digit strings; any value that long is out of every range.
    """
    digits = text.lstrip("-").lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return -(10**_MAX_DIGITS) if text.startswith("-") else 10**_MAX_DIGITS
    return int(text)


def read_decimal(value: object) -> Decimal | None:
    """``read_decimal(1.2)`` → ``Decimal("1.2")``: a Python number or numeral, exactly; else None.

    ``int`` and finite ``Decimal`` are taken as they are, a finite ``float`` through its ``repr``
    (so 1.2 stays 1.2), a ``str`` when it is a decimal numeral (spaces around it, a sign and a
    trailing point are forgiven). ``bool``, NaN and infinities are not numbers here.
    """
    from decimal import Decimal

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and re.fullmatch(_LOOSE_DECIMAL, value):
        return Decimal(value.strip())
    return None


def read_integer(value: object) -> int | None:
    """``read_integer(" 80 ")`` → 80: an ``int``, or an integer numeral of up to 12 characters.

    ``bool`` is not a number here; a longer numeral gives None (it is out of every range).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str) and re.fullmatch(_LOOSE_INTEGER, value):
        digits = value.strip()
        return None if len(digits) > _MAX_DIGITS else int(digits)
    return None


def decimal_text(number: Decimal) -> str:
    """``decimal_text(Decimal("1.50"))`` → ``"1.5"``: the shortest plain numeral, never ``-0``.

    Exact up to the decimal context's 28 significant digits (``normalize`` rounds beyond them).
    """
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "+0") else text


def decimal_bounds(bounds: tuple[float, float]) -> tuple[Decimal, Decimal]:
    """``decimal_bounds(RATE_RANGE)`` → ``(Decimal("0.5"), Decimal("2.0"))``, read from ``repr``."""
    from decimal import Decimal

    lo, hi = bounds
    return Decimal(repr(lo)), Decimal(repr(hi))


def clamp(value: _N, bounds: tuple[_N, _N]) -> _N:
    """``clamp(3, (0, 2))`` → 2: ``value`` moved into ``[lo, hi]``."""
    lo, hi = bounds
    return min(max(value, lo), hi)


# --- multipliers and volume ------------------------------------------------------------------


def clamp_multiplier(
    value: Decimal, bounds: tuple[float, float] = RATE_RANGE
) -> tuple[Decimal, bool]:
    """``clamp_multiplier(Decimal("2.345"))`` → ``(Decimal("2.00"), True)``.

    ``value`` moved into ``bounds`` (:data:`RATE_RANGE`, or :data:`PITCH_RANGE`) and rounded to
    hundredths, with whether it had to be moved.
    """
    from decimal import Decimal

    lo, hi = decimal_bounds(bounds)
    return clamp(value, (lo, hi)).quantize(Decimal("0.01")), not lo <= value <= hi


def clamp_volume(value: Decimal, bounds: tuple[int, int] = VOLUME_RANGE) -> tuple[Decimal, bool]:
    """``clamp_volume(Decimal("101.4"))`` → ``(Decimal("100"), True)``.

    ``value`` moved into ``bounds`` (0-100) and rounded to a whole number (half to even), with
    whether it had to be moved.
    """
    from decimal import Decimal

    lo, hi = bounds
    whole = clamp(value, (Decimal(lo), Decimal(hi))).to_integral_value()
    return whole, not lo <= value <= hi


# --- break times -------------------------------------------------------------------------------

#: ``<break time>`` as the dialect writes it: whole ``s`` or ``ms``, lower case, no spaces.
BREAK_TIME: Final = re.compile(r"([0-9]+)(ms|s)")
# The lenient reading: decimal numbers, spaces and any case (what the linter offers to fix).
_LENIENT_TIME: Final = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(ms|s)\s*", re.IGNORECASE)
# The builder's reading of a str: decimal numbers, but the unit as written, right after them.
_STRICT_TIME: Final = r"\s*([0-9]+(?:\.[0-9]+)?)(ms|s)\s*"


def whole_break_ms(value: str) -> int | None:
    """``whole_break_ms("2s")`` → 2000: the milliseconds of a time in the documented form.

    ``value`` must match :data:`BREAK_TIME` (ASCII digits, then ``ms`` or ``s``, nothing around
    them), else None: ``"1.5s"``, ``"500 ms"`` and ``"500MS"`` are for :func:`parse_break_time`.
    The range is not checked (numbers over 12 digits read as 10**12, out of every range).
    Settled with ``str`` methods and integers: the linter calls it for every ``<break>``.
    """
    if value[-2:] == "ms":
        digits = value[:-2]
        scale = 1
    elif value[-1:] == "s":
        digits = value[:-1]
        scale = 1000
    else:
        return None
    # isdigit alone takes other scripts' digits (and "²"); BREAK_TIME's [0-9] does not.
    if digits.isdigit() and digits.isascii():
        return (int(digits) if len(digits) <= _MAX_DIGITS else small_int(digits)) * scale
    return None


def is_break_time(value: str) -> bool:
    """``is_break_time("500ms")`` → True: the documented form (:data:`BREAK_TIME`), in range.

    Whole seconds 1-10 or whole milliseconds 50-10000; decided with integers only. (The two
    ranges meet: ``Ns`` is in range exactly when its ``N * 1000`` ms are, since N is whole.)
    """
    ms = whole_break_ms(value)
    if ms is None:
        return False
    lo, hi = BREAK_MS_RANGE
    return lo <= ms <= hi


def parse_break_time(value: str, *, strict: bool = False) -> Decimal | None:
    """``parse_break_time("1.5s")`` → 1500: the milliseconds ``value`` stands for, or None.

    Read leniently (``"500 MS"``, ``".5s"``) unless ``strict``, which still takes decimal numbers
    but wants the lower-case unit right after them (``"1.5s"``, not ``"1.5 S"``). ``"fast"`` and
    ``"500"`` (no unit) give None. The range is not checked: see :func:`break_ms_in_range`.
    """
    if strict:
        m = re.fullmatch(_STRICT_TIME, value)
    else:
        # Most odd values are no time at all ("123 seconds", "medium"): turned away by two
        # strips (_may_be_break_time) before the pattern backtracks through their digits.
        m = _LENIENT_TIME.fullmatch(value) if _may_be_break_time(value) else None
    if m is None:
        return None
    from decimal import Decimal

    number = Decimal(m.group(1))
    return number * 1000 if m.group(2).lower() == "s" else number


# Every character of a leniently read time but its white space: digits, the point and the unit's
# letters in any case (re.IGNORECASE matches "s" with "S" and with "ſ", the long s).
_TIME_CHARS: Final = "0123456789.mMsS\u017f"


def _may_be_break_time(value: str) -> bool:
    """Whether ``value`` may be a leniently read time: False only when the lenient pattern of
    :func:`parse_break_time` (which asks this first) would not match.

    A lenient time is white space, a number, white space and the unit: with the digits, points and
    unit letters stripped from both ends of the stripped text, at most the white space between
    number and unit is left. Text such as ``"123 seconds"`` or ``"medium"`` keeps a letter and is
    turned away by two strips, where the lenient pattern would backtrack through every digit first
    (about 1,900 machine instructions against 5,300; the linter reads every odd ``<break>``).
    """
    rest = value.strip().strip(_TIME_CHARS)
    return not rest or rest.isspace()


def break_time_unit(value: str) -> str | None:
    """``break_time_unit("2 S")`` → ``"s"``: the unit of a leniently read time, in lower case."""
    m = _LENIENT_TIME.fullmatch(value)
    return None if m is None else m.group(2).lower()


def break_ms_in_range(ms: Decimal) -> bool:
    """``break_ms_in_range(Decimal(1500))`` → True: a whole number of milliseconds, 50-10000."""
    lo, hi = BREAK_MS_RANGE
    return ms == ms.to_integral_value() and lo <= ms <= hi


def format_break_time(ms: int, *, seconds: bool = True) -> str:
    """``format_break_time(2000)`` → ``"2s"``; ``format_break_time(1500)`` → ``"1500ms"``.

    Whole seconds 1-10 are written in seconds (unless ``seconds`` is false), anything else in
    milliseconds. :func:`parse_break_time` reads the result back as ``ms``.
    """
    lo, hi = BREAK_SECONDS_RANGE
    if seconds and ms % 1000 == 0 and lo <= ms // 1000 <= hi:
        return f"{ms // 1000}s"
    return f"{ms}ms"


def clamp_break_ms(ms: Decimal) -> tuple[int, bool]:
    """``clamp_break_ms(Decimal(20000))`` → ``(10000, True)``.

    ``ms`` rounded to whole milliseconds (half to even) and moved into 50-10000, with whether
    it had to be moved.
    """
    from decimal import Decimal

    whole = ms.to_integral_value()
    lo, hi = BREAK_MS_RANGE
    return int(clamp(whole, (Decimal(lo), Decimal(hi)))), not lo <= whole <= hi


def break_duration(time: str | None) -> Decimal | None:
    """``break_duration(None)`` → 1000: how long a ``<break time>`` pauses, in milliseconds.

    A bare break (``time`` is None) lasts :data:`BREAK_DEFAULT_MS`; otherwise ``time`` is read
    leniently (None when it cannot be read), out of range or not.
    """
    if time is None:
        from decimal import Decimal

        return Decimal(BREAK_DEFAULT_MS)
    return parse_break_time(time)


def add_pauses(first: _N, second: _N) -> _N:
    """``add_pauses(8000, 5000)`` → 10000: two consecutive breaks, of which 10 s take effect.

    Associative and commutative on non-negative durations, so a run of breaks can be summed in
    any grouping: ``functools.reduce(add_pauses, run)``.
    """
    total = first + second
    return total if total <= BREAK_TOTAL_CAP_MS else type(total)(BREAK_TOTAL_CAP_MS)
