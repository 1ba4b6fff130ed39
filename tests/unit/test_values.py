"""ssmlkit.profiles.values: the dialect's value grammar (break times, multipliers, volume, voices)."""

from __future__ import annotations

import doctest
import functools
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.profiles import cosyvoice, voices
from ssmlkit.profiles import values as V

# The schema's own pattern for <break time> (schemas/cosyvoice.xsd), without leading zeros.
_SCHEMA_TIME = re.compile(r"([1-9]|10)s|([5-9][0-9]|[1-9][0-9]{2,3}|10000)ms")

in_range_ms = st.integers(min_value=V.BREAK_MS_RANGE[0], max_value=V.BREAK_MS_RANGE[1])
any_ms = st.integers(min_value=0, max_value=10**9)
numerals = st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,4})?|\.[0-9]{1,4}", fullmatch=True)
units = st.sampled_from(["ms", "s"])
# At most 13 significant digits: normalize() rounds to the decimal context's 28.
decimals = st.decimals(
    allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6, places=6
)
pauses = st.integers(min_value=0, max_value=30_000)


def test_doctests() -> None:
    result = doctest.testmod(V, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_all_names_exist_and_the_catalogue_is_the_one_in_voices() -> None:
    for name in V.__all__:
        assert getattr(V, name) is not None, name
    assert V.get_voice is voices.get_voice
    assert V.VOICES is voices.VOICES
    assert V.BREAK_MS_RANGE is cosyvoice.BREAK_MS_RANGE
    assert V.language_of("longjiaxin_v3") == "yue"


# --- break times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("500ms", True),
        ("50ms", True),
        ("10000ms", True),
        ("1s", True),
        ("10s", True),
        ("0500ms", True),  # leading zeros: still the integer 500
        ("49ms", False),
        ("10001ms", False),
        ("0s", False),
        ("11s", False),
        ("1.5s", False),
        ("500 ms", False),
        ("500MS", False),
        (" 500ms", False),
        ("500", False),
        ("9" * 5000 + "ms", False),  # no int() of a huge string
        ("", False),
    ],
)
def test_is_break_time(value: str, valid: bool) -> None:
    assert V.is_break_time(value) is valid


@given(st.from_regex(r"[1-9][0-9]{0,5}(ms|s)", fullmatch=True))
def test_is_break_time_agrees_with_the_schema(value: str) -> None:
    assert V.is_break_time(value) == bool(_SCHEMA_TIME.fullmatch(value))


@given(st.text(alphabet="0123456789msMS .\u00b2\u0663\u017f-", max_size=14))
def test_whole_break_ms_reads_exactly_the_documented_form(value: str) -> None:
    # "²" and "٣" are digits to str.isdigit, "ſ" is an "s" to re.IGNORECASE: none of them are here.
    m = V.BREAK_TIME.fullmatch(value)
    expected = None if m is None else V.small_int(m.group(1)) * (1000 if m.group(2) == "s" else 1)
    assert V.whole_break_ms(value) == expected


@given(st.integers(min_value=0, max_value=20_000), units)
def test_is_break_time_checks_each_units_own_range(number: int, unit: str) -> None:
    lo, hi = V.BREAK_SECONDS_RANGE if unit == "s" else V.BREAK_MS_RANGE
    assert V.is_break_time(f"{number}{unit}") is (lo <= number <= hi)


@given(st.from_regex(r"[0-9]{1,7}(ms|s)", fullmatch=True))
def test_the_documented_form_is_in_range_exactly_when_it_is_a_break_time(value: str) -> None:
    # BR001 and BR002 settle the documented form from whole_break_ms alone, on this equivalence.
    ms = V.parse_break_time(value)
    assert ms is not None
    assert V.whole_break_ms(value) == ms
    assert V.is_break_time(value) is V.break_ms_in_range(ms)


def test_whole_break_ms_of_a_huge_number_is_out_of_range() -> None:
    assert V.whole_break_ms("9" * 5000 + "s") == 10**12 * 1000
    assert V.whole_break_ms("0" * 20 + "500ms") == 500


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("500ms", Decimal(500)),
        ("1.5s", Decimal(1500)),
        ("500 MS", Decimal(500)),
        (" .5s ", Decimal(500)),
        ("2.s", Decimal(2000)),
        ("0.0001ms", Decimal("0.0001")),
        ("fast", None),
        ("500", None),
        ("-1s", None),
        ("5 0ms", None),
    ],
)
def test_parse_break_time_lenient(value: str, ms: Decimal | None) -> None:
    assert V.parse_break_time(value) == ms


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("500ms", Decimal(500)),
        (" 1.5s ", Decimal(1500)),
        ("500 ms", None),
        ("500MS", None),
        (".5s", None),
        ("2.s", None),
    ],
)
def test_parse_break_time_strict(value: str, ms: Decimal | None) -> None:
    assert V.parse_break_time(value, strict=True) == ms


@given(numerals, units)
def test_parse_reads_the_number_exactly(number: str, unit: str) -> None:
    scale = 1000 if unit == "s" else 1
    expected = Decimal(number) * scale
    assert V.parse_break_time(number + unit) == expected
    assert V.parse_break_time(f" {number} {unit.upper()} ") == expected
    assert V.break_time_unit(f"{number} {unit.upper()}") == unit


@given(in_range_ms, st.booleans())
def test_format_then_parse_round_trips(ms: int, seconds: bool) -> None:
    text = V.format_break_time(ms, seconds=seconds)
    assert V.is_break_time(text)
    assert V.parse_break_time(text) == ms
    assert V.parse_break_time(text, strict=True) == ms
    assert text.endswith("s" if seconds and ms % 1000 == 0 else "ms")


@pytest.mark.parametrize(
    ("ms", "text"),
    [(2000, "2s"), (10000, "10s"), (1500, "1500ms"), (50, "50ms"), (20000, "20000ms")],
)
def test_format_break_time(ms: int, text: str) -> None:
    assert V.format_break_time(ms) == text


def test_format_break_time_in_milliseconds_when_asked() -> None:
    assert V.format_break_time(2000, seconds=False) == "2000ms"


@pytest.mark.parametrize(
    ("ms", "fine"),
    [(Decimal(50), True), (Decimal("1500.0"), True), (Decimal("1.5"), False), (Decimal(49), False)],
)
def test_break_ms_in_range(ms: Decimal, fine: bool) -> None:
    assert V.break_ms_in_range(ms) is fine


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=0, max_value=10**7))
def test_clamp_break_ms_lands_in_range_and_is_idempotent(ms: Decimal) -> None:
    whole, moved = V.clamp_break_ms(ms)
    lo, hi = V.BREAK_MS_RANGE
    assert lo <= whole <= hi
    assert moved == (not lo <= ms.to_integral_value() <= hi)
    assert V.clamp_break_ms(Decimal(whole)) == (whole, False)


def test_break_duration() -> None:
    assert V.break_duration(None) == V.BREAK_DEFAULT_MS == 1000
    assert V.break_duration("2s") == 2000
    assert V.break_duration("30s") == 30000  # out of range, but read
    assert V.break_duration("soon") is None


@given(pauses, pauses, pauses)
def test_add_pauses_is_associative_commutative_and_capped(a: int, b: int, c: int) -> None:
    assert V.add_pauses(V.add_pauses(a, b), c) == V.add_pauses(a, V.add_pauses(b, c))
    assert V.add_pauses(a, b) == V.add_pauses(b, a)
    assert V.add_pauses(a, b) == min(a + b, V.BREAK_TOTAL_CAP_MS)


@given(st.lists(in_range_ms, min_size=1, max_size=8))
def test_a_run_of_breaks_sums_to_at_most_the_cap(run: list[int]) -> None:
    assert functools.reduce(V.add_pauses, run) == min(sum(run), V.BREAK_TOTAL_CAP_MS)


def test_add_pauses_keeps_decimal() -> None:
    total = V.add_pauses(Decimal("9999.5"), Decimal(1))
    assert total == Decimal(10000)
    assert isinstance(total, Decimal)


# --- numbers, multipliers, volume -------------------------------------------------------------


@given(st.from_regex(V.DECIMAL, fullmatch=True), st.sampled_from([0.5, 2.0, 1.0, 0.0, 100.0]))
def test_decimal_within_agrees_with_decimal(value: str, bound: float) -> None:
    lo, hi = sorted((bound, 2.0))
    expected = Decimal(str(lo)) <= Decimal(value) <= Decimal(str(hi))
    assert V.decimal_within(value, lo, hi) == expected


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (1, Decimal(1)),
        (1.2, Decimal("1.2")),
        (Decimal("0.50"), Decimal("0.50")),
        (" +1.5 ", Decimal("1.5")),
        ("1.", Decimal(1)),
        (".5", Decimal("0.5")),
        (True, None),
        (float("nan"), None),
        (float("inf"), None),
        (Decimal("NaN"), None),
        ("1e3", None),
        ("fast", None),
        ("１", None),  # a full-width digit is not an ASCII numeral
        (None, None),
    ],
)
def test_read_decimal(value: object, number: Decimal | None) -> None:
    assert V.read_decimal(value) == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_read_decimal_keeps_a_float_as_written(value: float) -> None:
    number = V.read_decimal(value)
    assert number is not None
    assert float(number) == value


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (80, 80),
        (" 80 ", 80),
        ("-20", -20),
        ("+5", 5),
        (False, None),
        ("1.5", None),
        ("9" * 13, None),
    ],
)
def test_read_integer(value: object, number: int | None) -> None:
    assert V.read_integer(value) == number


@given(decimals)
def test_decimal_text_is_plain_shortest_and_exact(number: Decimal) -> None:
    text = V.decimal_text(number)
    assert Decimal(text) == number
    assert "E" not in text
    assert "e" not in text
    assert text != "-0"
    assert V.decimal_text(Decimal(text)) == text  # a fixpoint


def test_small_int_clamps_long_numerals() -> None:
    assert V.small_int("0080") == 80
    assert V.small_int("-" + "9" * 40) == -(10**12)
    assert V.small_int("9" * 40) == 10**12


@given(decimals, st.sampled_from([V.RATE_RANGE, V.PITCH_RANGE]))
def test_clamp_multiplier_lands_in_range_and_is_idempotent(value: Decimal, bounds) -> None:
    clamped, moved = V.clamp_multiplier(value, bounds)
    lo, hi = V.decimal_bounds(bounds)
    assert lo <= clamped <= hi
    assert moved == (not lo <= value <= hi)
    assert V.clamp_multiplier(clamped, bounds) == (clamped, False)
    assert V.decimal_within(V.decimal_text(clamped), *bounds)


@given(decimals)
def test_clamp_volume_lands_in_range_and_is_idempotent(value: Decimal) -> None:
    whole, moved = V.clamp_volume(value)
    lo, hi = V.VOLUME_RANGE
    assert lo <= whole <= hi
    assert whole == whole.to_integral_value()
    assert moved == (not lo <= value <= hi)
    assert V.clamp_volume(whole) == (whole, False)


@given(st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_clamp_is_idempotent_and_within(value: float, a: float, b: float) -> None:
    bounds = (min(a, b), max(a, b))
    once = V.clamp(value, bounds)
    assert bounds[0] <= once <= bounds[1]
    assert V.clamp(once, bounds) == once


# --- every writer writes the documented form -------------------------------------------------


@given(in_range_ms, st.sampled_from(["{}ms", "{} ms", "{}MS", "{}s", "{} S"]))
def test_builder_converter_and_linter_fix_agree_on_the_written_form(ms: int, shape: str) -> None:
    from ssmlkit.builder import brk
    from ssmlkit.conversion.values import map_break_time
    from ssmlkit.linter import fix

    text = shape.format(ms / 1000 if "s" in shape.lower().replace("ms", "") else ms)
    read = V.parse_break_time(text)
    assert read == ms
    written = V.format_break_time(ms)
    assert brk(ms).time == written
    assert map_break_time(text).text == written
    fixed = fix(f'<speak>a<break time="{text}"/>b</speak>').text
    seconds = V.break_time_unit(text) == "s"
    assert fixed == f'<speak>a<break time="{V.format_break_time(ms, seconds=seconds)}"/>b</speak>'
