"""``decimal_within`` (integers only, to keep ``decimal`` out of start-up) agrees with Decimal."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.profiles.values import DECIMAL as _DECIMAL
from ssmlkit.profiles.values import decimal_within

numerals = st.from_regex(_DECIMAL, fullmatch=True)
bounds = st.sampled_from([0.5, 2.0, 1.0, 0.0, 100.0, 0.25, 1.5, 10.0, -1.0, 0.1])


@given(numerals, bounds, bounds)
def test_agrees_with_decimal(value: str, a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    expected = Decimal(str(lo)) <= Decimal(value) <= Decimal(str(hi))
    assert decimal_within(value, lo, hi) == expected


def test_edges() -> None:
    assert decimal_within("0.5", 0.5, 2.0)
    assert decimal_within("2", 0.5, 2.0)
    assert decimal_within("2.000", 0.5, 2.0)
    assert not decimal_within("2.0001", 0.5, 2.0)
    assert not decimal_within("0.4999999999999999999999", 0.5, 2.0)
    assert decimal_within(".5", 0.5, 2.0)
    assert not decimal_within("-1", 0.5, 2.0)
