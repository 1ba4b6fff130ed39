"""Say-as rules (SA): the ``interpret-as`` value and whether the text can be read that way.

CosyVoice documents twelve ``interpret-as`` values, each with the text formats it reads (the
vendor's say-as tables). A value outside the twelve is an error; text that cannot fit the chosen
reading is a warning, because the service then falls back to some other reading rather than
failing.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.measure import is_cjk_ideograph
from ssmlkit.model import Element, SayAs, Text
from ssmlkit.profiles.cosyvoice import INTERPRET_AS

if TYPE_CHECKING:
    from collections.abc import Mapping

_TWELVE = ", ".join(INTERPRET_AS)
#: The twelve as a set: every rule here asks whether a value is one of them.
_VALUES = frozenset(INTERPRET_AS)

#: Values of W3C SSML and other vendors, mapped to the CosyVoice value that reads the same way.
_SUGGEST: dict[str, str] = {
    "spell-out": "characters",
    "verbatim": "characters",
    "spell": "characters",
    "letters": "characters",
    "character": "characters",
    "chars": "characters",
    "number": "cardinal",
    "numbers": "cardinal",
    "integer": "cardinal",
    "decimal": "cardinal",
    "fraction": "cardinal",
    "digit": "digits",
    "phone": "telephone",
    "tel": "telephone",
    "telephone-number": "telephone",
    "phone-number": "telephone",
    "unit": "measure",
    "units": "measure",
    "money": "currency",
    "price": "currency",
    "nick": "id",
    "nickname": "id",
    "username": "id",
    "postal": "address",
    "postal-address": "address",
    "date-time": "date",
    "datetime": "date",
}
#: Values with no CosyVoice equivalent, and what to do instead.
_NO_EQUIVALENT: dict[str, str] = {
    "ordinal": "CosyVoice has no ordinal reading; write the ordinal out (第三, 'third')",
    "expletive": "CosyVoice cannot bleep a word; remove or replace the word",
    "bleep": "CosyVoice cannot bleep a word; remove or replace the word",
    "interjection": "CosyVoice has no interjection reading; remove the <say-as>",
}


#: Distinct ``interpret-as`` values whose suggestion is remembered (per process).
SUGGESTION_MEMO_SIZE = 1024


@functools.lru_cache(maxsize=SUGGESTION_MEMO_SIZE)
def _suggestion(value: str) -> str | None:
    """The CosyVoice value ``value`` most likely means, if any.

    Remembered per distinct value: a near miss costs a ``difflib`` comparison with each of the
    twelve values (about 100 µs), and documents repeat their few wrong values in many start tags,
    which the engine's verdict memo (one per start tag as written) cannot share.
    """
    stripped = value.strip()
    lowered = stripped.lower().replace("_", "-")
    if lowered in INTERPRET_AS:
        return lowered
    mapped = _converter_table().get(lowered)  # the converter's table comes first
    if mapped is not None:
        return mapped
    if lowered in _SUGGEST:
        return _SUGGEST[lowered]
    candidates = _plausible(lowered)
    if not candidates:
        return None
    import difflib  # only for a near miss: keeps `ssmlkit lint` start-up short

    close = difflib.get_close_matches(lowered, candidates, n=1, cutoff=_CUTOFF)
    return close[0] if close else None


_CUTOFF = 0.75


@functools.cache
def _converter_table() -> Mapping[str, str | None]:
    """The converter's ``interpret-as`` table, imported on the first wrong value (it is not needed
    at start-up) and then held: an ``import`` statement costs every call a trip through the
    import system (~8,000 machine instructions) even when the module is loaded."""
    from ssmlkit.conversion.tables import INTERPRET_AS_MAP

    return INTERPRET_AS_MAP


def _plausible(word: str) -> list[str]:
    """The values ``difflib.get_close_matches(word, INTERPRET_AS, cutoff=_CUTOFF)`` may pick.

    Its own first two filters, without building a ``SequenceMatcher`` per value: the lengths
    (``real_quick_ratio``) and the characters in common, counted with repeats
    (``quick_ratio``), as bounds of the similarity ``2 * matches / total``. Most wrong values
    (``spell-it-3``) pass no value's filters, and then difflib is not needed at all; the values
    that pass are compared by difflib itself, so the answer is the same.

    The length filter depends on the lengths alone: the values that pass it are listed once per
    length of ``word``. Before the characters in common are counted (a loop in Python), a set
    operation in C bounds them: at most the value's length, less one for each of its characters
    that ``word`` lacks. A value below the cutoff even so is passed over: a new wrong value
    costs about 25,000 machine instructions instead of 85,000.
    """
    chars = frozenset(word)
    counts: dict[str, int] | None = None
    out = []
    for value, value_counts, value_chars in _long_enough(len(word)):
        total = len(value) + len(word)
        if 2.0 * (len(value) - len(value_chars - chars)) / total < _CUTOFF:
            continue
        if counts is None:
            counts = _char_counts(word)
        common = 0
        for ch, n in value_counts.items():
            m = counts.get(ch, 0)
            common += n if n < m else m
        if 2.0 * common / total >= _CUTOFF:
            out.append(value)
    return out


_Counted = tuple[str, dict[str, int], frozenset[str]]


@functools.lru_cache(maxsize=64)
def _long_enough(length: int) -> tuple[_Counted, ...]:
    """The values (as :func:`_value_counts` gives them) whose length passes difflib's length
    filter against a word of ``length`` characters."""
    return tuple(
        counted
        for counted in _value_counts()
        if 2.0 * min(len(counted[0]), length) / (len(counted[0]) + length) >= _CUTOFF
    )


def _char_counts(text: str) -> dict[str, int]:
    """How often each character of ``text`` occurs in it."""
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


@functools.lru_cache(maxsize=1)
def _value_counts() -> tuple[_Counted, ...]:
    """Each of the twelve values with how often each of its characters occurs, and the set of
    them (made once)."""
    return tuple((value, _char_counts(value), frozenset(value)) for value in INTERPRET_AS)


@register
class InvalidInterpretAs(Rule):
    """A ``say-as interpret-as`` value that is not one of CosyVoice's twelve.

    The values are ``cardinal``, ``digits``, ``telephone``, ``name``, ``address``, ``id``,
    ``characters``, ``punctuation``, ``date``, ``time``, ``currency`` and ``measure`` (case
    matters). Values from W3C SSML or other vendors get a suggestion: ``spell-out`` and
    ``verbatim`` → ``characters``, ``number`` → ``cardinal``, ``unit`` → ``measure``;
    ``ordinal`` has no equivalent. The unsafe fix writes the suggested value (the reading changes).
    A missing or empty ``interpret-as`` is reported by other rules.

    Examples::

        pass: <speak><say-as interpret-as="characters">ISBN</say-as></speak>
        fail: <speak><say-as interpret-as="spell-out">ISBN</say-as></speak>  # 1:30
        fix: <speak><say-as interpret-as="characters">ISBN</say-as></speak>
        fail: <speak>\\n  第<say-as interpret-as="ordinal">3</say-as></speak>  # 2:26
        fail: <speak><say-as interpret-as="Date">2020年</say-as></speak>  # 1:30
    """

    code = "SA001"
    name = "invalid-interpret-as"
    summary = "say-as interpret-as is not one of the twelve documented values"
    severity = Severity.ERROR
    targets = ("say-as",)
    needs = Needs(attributes={"interpret-as"}, depends_on="start-tag")
    fix_safety = "unsafe"

    def visit(self, node: SayAs, ctx: LintContext) -> None:
        value = node.get("interpret-as")
        if value is None or value in _VALUES or not value.strip():
            return
        message = f'interpret-as="{value}" is not a CosyVoice value (one of: {_TWELVE})'
        fix = None
        key = value.strip().lower()
        span = node.attr_span("interpret-as", value=True)
        if key in _NO_EQUIVALENT:
            message += f"; {_NO_EQUIVALENT[key]}"
        elif (suggestion := _suggestion(value)) is not None:
            message += f'; did you mean "{suggestion}"?'
            if span is not None:
                fix = ctx.replace(span, suggestion, f'use "{suggestion}"', safe=False)
        # The span, not its offsets: it knows its line and column already.
        ctx.report(node if span is None else span, message, fix=fix)


def _text_parts(node: Element) -> list[Text]:
    return [c for c in node.children if isinstance(c, Text)]


def _locate(node: Element, ctx: LintContext, index: int, length: int = 1) -> tuple[int, int]:
    """Source offsets of ``node.text[index:index+length]``, or of the content when unknowable."""
    parts = _text_parts(node)
    if len(parts) == len(node.children) == 1:
        part = parts[0]
        if part.span is not None and ctx.raw(part.span) == part.value:
            start = part.span.start + index
            return start, start + length
    return _content_where(node, ctx)


def _content_where(node: Element, ctx: LintContext) -> tuple[int, int]:
    """Source offsets of the element's text without surrounding white space (else its tag)."""
    parts = [p for p in _text_parts(node) if p.span is not None and p.value.strip()]
    if parts:
        first, last = parts[0].span, parts[-1].span
        if first is None or last is None:  # filtered above; keeps mypy informed
            return 0, 0
        raw_first, raw_last = ctx.raw(first), ctx.raw(last)
        start = first.start + len(raw_first) - len(raw_first.lstrip())
        end = last.end - (len(raw_last) - len(raw_last.rstrip()))
        return start, max(start, end)
    span = node.start_tag or node.span
    return (span.start, span.end) if span is not None else (0, 0)


@register
class AddressNotChinese(Rule):
    """``interpret-as="address"`` on text without Chinese characters.

    The vendor documents ``address`` for Chinese postal addresses only and says it does not work
    on English text, which is then read some other way. Use plain text (or ``characters`` /
    ``digits`` for parts of it) for non-Chinese addresses.

    Examples::

        pass: <speak><say-as interpret-as="address">芙蓉江路150弄19号</say-as></speak>
        fail: <speak><say-as interpret-as="address">221B Baker Street</say-as></speak>  # 1:39
        fail: <speak>\\n<say-as interpret-as="address">\\n  10 Downing St</say-as></speak>  # 3:3
    """

    code = "SA002"
    name = "address-not-chinese"
    summary = 'say-as interpret-as="address" reads Chinese addresses only'
    severity = Severity.WARNING
    targets = ("say-as",)
    needs = Needs(attributes={"interpret-as"}, depends_on="element")

    def visit(self, node: SayAs, ctx: LintContext) -> None:
        if node.get("interpret-as") != "address":
            return
        text = node.text
        if not text.strip() or any(is_cjk_ideograph(ch) for ch in text):
            return
        ctx.report(
            _content_where(node, ctx),
            'interpret-as="address" reads Chinese postal addresses only; the vendor says it does '
            "not work on English text: remove the <say-as> or use another reading",
        )


# -- content checks -------------------------------------------------------------------------------
_DIGIT_RUN = re.compile(r"\d+")
# Candidates for a letter: word characters but digits and "_". Every character str.isalpha()
# takes is one (and a few others, "²" or "½", which the checks below then pass over), so text
# without a match has no letter: the usual say-as text ("139 0000 5678") is settled in C.
_LETTER_LIKE = re.compile(r"[^\W\d_]")
# The patterns of the rarer paths (letters in a digit reading, dates, times) stay source text,
# compiled by re's cache on first use: compiling them here would cost every `ssmlkit lint`
# start-up (~0.2 ms), and the usual say-as never needs them.
_CARDINAL_EXPONENT = r"(?<=[\d.])[eE](?=[-+]?\d)"
_PHONE_WORDS = r"分机号|分机|转|(?i:ext)(?=[.\s\d])"
_LATIN_WORD = r"[A-Za-z]+(?:'[A-Za-z]+)?"
_CJK_RUN = r"[^\W\d_A-Za-z]+"

_MONTHS = {
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
}
_WEEKDAYS = {
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
}
_DATE_WORDS = _MONTHS | _WEEKDAYS | {"of", "the", "to", "and", "ad", "bc", "bce", "ce"}
_ORDINAL_SUFFIX = {"st", "nd", "rd", "th", "s", "'s"}
_CHINESE_NUMERALS = set("〇零一二三四五六七八九十廿卅两")
_DATE_CJK = _CHINESE_NUMERALS | set("年月日号號至到初星期周週礼拜禮天公元前旬上中下")
_TIME_WORDS = {"am", "pm", "a", "p", "m", "h", "hr", "hrs", "oclock", "o'clock", "noon", "to"}
_TIME_CJK = _CHINESE_NUMERALS | set("点點分秒时時半整刻上下中午晚早凌晨傍夜里裏间間到至钟鐘")
_HH_MM = r"(\d+):(\d+)(?::(\d+))?"

#: Unit abbreviations the vendor documents for ``measure`` (a bare unit is read by name).
_UNITS = frozenset(
    (
        *("nm", "μm", "mm", "cm", "m", "km", "ft", "in"),
        *("cm²", "㎡", "km²", "SqFt", "cm³", "m³", "km³", "mL", "L", "gallon", "gal"),
        *("μg", "mg", "g", "kg", "min", "sec", "ms"),
        *("μA", "mA", "Ω", "Hz", "kHz", "MHz", "GHz", "V", "kV", "kWh"),
        *("dB", "Pa", "kPa", "MPa", "tsp", "rpm", "KB", "mmHg"),
    )
)


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit (``\\d`` is exactly ``str.isdecimal``)."""
    return _DIGIT_RUN.search(text) is not None


def _first_letter(text: str, kind: str) -> int | None:
    """The index of the first letter of ``text`` that ``kind`` does not allow, if any.

    ``cardinal`` allows an exponent's ``e`` (``3e9``), ``telephone`` the extension words
    (转, 分机, ext); found only once a letter is (most text has none).
    """
    first = _LETTER_LIKE.search(text)
    if first is None:
        return None
    allowed: list[tuple[int, int]] = []
    if kind == "cardinal":
        allowed = [(m.start(), m.end()) for m in re.finditer(_CARDINAL_EXPONENT, text)]
    elif kind == "telephone":
        allowed = [(m.start(), m.end()) for m in re.finditer(_PHONE_WORDS, text)]
    for m in _LETTER_LIKE.finditer(text, first.start()):
        i = m.start()
        if text[i].isalpha() and not any(a <= i < b for a, b in allowed):
            return i
    return None


def _stray_word(
    text: str, words: set[str], cjk: set[str], *, ordinal_suffix: bool
) -> tuple[int, str] | None:
    """The first word of ``text`` outside the vocabulary, with its index."""
    for m in re.finditer(_LATIN_WORD, text):
        word = m.group().lower()
        if word in words:
            continue
        before = text[: m.start()].rstrip("'")
        after_digit = bool(before) and before[-1].isdecimal()
        if ordinal_suffix and word in _ORDINAL_SUFFIX and after_digit:
            continue
        return m.start(), m.group()
    for m in re.finditer(_CJK_RUN, text):
        for k, ch in enumerate(m.group()):
            if ch not in cjk:
                return m.start() + k, ch
    return None


def _content_problem(kind: str, text: str) -> tuple[int | None, str] | None:
    """Why ``text`` cannot be read as ``kind``: (index of the culprit or None, message)."""
    if kind in ("digits", "cardinal", "telephone"):
        at = _first_letter(text, kind)
        if at is not None:
            reading = {
                "digits": "a digit string",
                "cardinal": "a number",
                "telephone": "a telephone number",
            }[kind]
            return at, (
                f'letter {text[at]!r} in interpret-as="{kind}", which reads {reading}; '
                "use characters (or no <say-as>) for text with letters"
            )
        if not _has_digit(text):
            return None, f'interpret-as="{kind}" holds no digits, so there is nothing to read'
        return None
    if kind == "date":
        return _date_problem(text)
    if kind == "time":
        return _time_problem(text)
    if kind in ("currency", "measure") and not _has_digit(text):
        if kind == "measure" and text.strip() in _UNITS:
            return None  # a bare unit is read by name (mm2 -> "square millimetre")
        return None, (
            f'interpret-as="{kind}" holds no number; it reads an amount '
            + (
                "of money, like $12.50 or 12.50 RMB"
                if kind == "currency"
                else "with a unit, like 1.5 kg"
            )
        )
    return None


def _date_problem(text: str) -> tuple[int | None, str] | None:
    stray = _stray_word(text, _DATE_WORDS, _DATE_CJK, ordinal_suffix=True)
    if stray is not None:
        at, word = stray
        return at, f'{word!r} is not part of any documented date format (interpret-as="date")'
    lowered = text.lower()
    named = any(w.lower() in _MONTHS | _WEEKDAYS for w in re.findall(_LATIN_WORD, lowered))
    if not _has_digit(text) and not named and not any(ch in _CHINESE_NUMERALS for ch in text):
        return None, 'interpret-as="date" holds no date: no digits, month or weekday'
    for m in _DIGIT_RUN.finditer(text):
        if len(m.group()) > 8:
            return m.start(), f"{m.group()!r} is too long to be part of a date"
    return None


def _time_problem(text: str) -> tuple[int | None, str] | None:
    stray = _stray_word(text.replace(".", " "), _TIME_WORDS, _TIME_CJK, ordinal_suffix=False)
    if stray is not None:
        at, word = stray
        return at, f'{word!r} is not part of any documented time format (interpret-as="time")'
    if not _has_digit(text) and not any(ch in _CHINESE_NUMERALS for ch in text):
        return None, 'interpret-as="time" holds no time: no digits'
    for m in re.finditer(_HH_MM, text):
        hour, minute = int(m.group(1)), int(m.group(2))
        second = int(m.group(3)) if m.group(3) else 0
        if hour > 24 or minute > 59 or second > 59:
            return m.start(), f"{m.group()!r} is not a time of day (hours 0-24, minutes 0-59)"
    for m in _DIGIT_RUN.finditer(text):
        if len(m.group()) > 6:
            return m.start(), f"{m.group()!r} is too long to be a time"
    return None


#: The readings of digits: they need one, and take no letter (but an exponent's e, 转 or ext).
_DIGIT_READINGS = frozenset(("digits", "cardinal", "telephone"))
#: Characters that are neither letters nor digits (``\W``), which digit readings often hold.
_SEPARATORS = " -+()./,:"
_DIGITS_AND_SEPARATORS = "0123456789" + _SEPARATORS
#: The readings :func:`_content_problem` has something to say about.
_CHECKED = frozenset(("digits", "cardinal", "telephone", "date", "time", "currency", "measure"))


@register
class SayAsContentMismatch(Rule):
    """Text that cannot be read the way ``interpret-as`` asks.

    Each reading accepts the formats in the vendor's say-as tables; other text is read some other
    way.
    Flagged: letters in ``digits``, ``cardinal`` (except an exponent such as ``3e9``) and
    ``telephone`` (except the extension words 转/分机/分机号/ext), digit readings with no digit,
    a ``date`` or ``time`` holding words no documented format uses, a ``time`` like ``25:00``,
    and ``currency`` or ``measure`` without a number (a bare documented unit such as ``mm`` is
    fine). Dates and times are judged generously: any mix of digits, separators, month and
    weekday names, 年月日号, am/pm and 点分秒 passes.

    Examples::

        pass: <speak><say-as interpret-as="date">2018/08/08</say-as><say-as interpret-as="time">5:00 am</say-as></speak>
        fail: <speak><say-as interpret-as="digits">12a4</say-as></speak>  # 1:40
        fail: <speak><say-as interpret-as="date">tomorrow</say-as></speak>  # 1:36
        fail: <speak>\\n  <say-as interpret-as="currency">\\n    many dollars</say-as></speak>  # 3:5
        fail: <speak><say-as interpret-as="time">25:61</say-as></speak>  # 1:36
    """

    code = "SA003"
    name = "say-as-content-mismatch"
    summary = "The say-as text does not fit its interpret-as reading"
    severity = Severity.WARNING
    targets = ("say-as",)
    needs = Needs(attributes={"interpret-as"}, depends_on="element")

    def visit(self, node: SayAs, ctx: LintContext) -> None:
        kind = node.get("interpret-as")
        if kind not in _CHECKED:  # name, address, id, characters, punctuation: any text
            return
        text = node.text
        if not text.strip():
            return
        if kind in _DIGIT_READINGS:
            # The usual digits and separators ("139 0000 5678"), without three calls: ASCII ones
            # by two strips (nothing left but separators, which leave a digit), others by a
            # letter search and a digit search.
            if not text.strip(_DIGITS_AND_SEPARATORS) and text.strip(_SEPARATORS):
                return
            if _LETTER_LIKE.search(text) is None and _DIGIT_RUN.search(text) is not None:
                return
        problem = _content_problem(kind, text)
        if problem is None:
            return
        at, message = problem
        where = _content_where(node, ctx) if at is None else _locate(node, ctx, at)
        ctx.report(where, message)


#: The longest integer part ``cardinal`` reads (range ±99999999999999999999).
_CARDINAL_MAX_DIGITS = 20
#: The longest ``digits`` string the vendor recommends.
_DIGITS_MAX = 20
_FEWEST_TOO_MANY = min(_CARDINAL_MAX_DIGITS, _DIGITS_MAX)
_INTEGER_PART = re.compile(r"(?<![\d.,])\d[\d,]*")


@register
class SayAsNumberTooLong(Rule):
    """A number too long for its ``say-as`` reading.

    ``cardinal`` reads integers of up to 20 digits (the documented range is
    ±99999999999999999999); ``digits`` has no hard limit but the vendor recommends at most 20 (and
    pauses after every digit past 10). Split long numbers or read them with ``characters``.

    Examples::

        pass: <speak><say-as interpret-as="cardinal">12,345,678.9012345678901234</say-as></speak>
        fail: <speak><say-as interpret-as="cardinal">123456789012345678901</say-as></speak>  # 1:40
        fail: <speak>\\n<say-as interpret-as="digits">1234567890 1234567890 1</say-as></speak>  # 2:31
    """

    code = "SA004"
    name = "say-as-number-too-long"
    summary = "A cardinal over 20 integer digits, or a digits string over 20 digits"
    severity = Severity.WARNING
    targets = ("say-as",)
    needs = Needs(attributes={"interpret-as"}, depends_on="element")

    def visit(self, node: SayAs, ctx: LintContext) -> None:
        kind = node.get("interpret-as")
        if kind != "cardinal" and kind != "digits":
            return
        text = node.text
        if len(text) <= _FEWEST_TOO_MANY:  # too short to hold too many digits of either kind
            return
        if kind == "cardinal":
            for m in _INTEGER_PART.finditer(text):
                count = sum(ch.isdecimal() for ch in m.group())
                if count > _CARDINAL_MAX_DIGITS:
                    ctx.report(
                        _locate(node, ctx, m.start(), len(m.group())),
                        f"{count} integer digits: cardinal reads at most "
                        f"{_CARDINAL_MAX_DIGITS} (±99999999999999999999); "
                        "split the number or use digits",
                    )
                    return
        elif kind == "digits":
            count = sum(ch.isdecimal() for ch in text)
            if count > _DIGITS_MAX:
                ctx.report(
                    _content_where(node, ctx),
                    f"{count} digits: the vendor recommends at most {_DIGITS_MAX} for "
                    'interpret-as="digits"; split the string into several <say-as>',
                )
