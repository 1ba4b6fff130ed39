"""``ssmlkit._cscan.new_record``: the findings ``ctx.report`` makes in C equal those ``Diagnostic``
makes, field for field, and misuse is a ``TypeError``, never a crash."""

from __future__ import annotations

import copy
import os
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit import _scan
from ssmlkit.linter.diagnostic import DIAGNOSTIC_SLOTS, Diagnostic, Edit, Fix, LazyFix, Severity

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

from ssmlkit import _cscan

_ints = st.integers(min_value=-(2**70), max_value=2**70)
_fixes = st.one_of(
    st.none(),
    st.builds(Fix, st.text(), st.tuples(st.builds(Edit, _ints, _ints, st.text()))),
)


@given(
    st.tuples(
        st.text(),
        st.text(),
        st.sampled_from(list(Severity)),
        st.text(),
        _ints,
        _ints,
        _ints,
        _ints,
        _ints,
        _ints,
        _fixes,
        st.one_of(st.none(), st.text()),
    )
)
def test_a_record_from_c_equals_the_one_diagnostic_makes(fields: tuple[Any, ...]) -> None:
    made = _cscan.new_record(Diagnostic, DIAGNOSTIC_SLOTS, *fields)
    expected = Diagnostic(*fields)
    assert type(made) is Diagnostic
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert made.path == expected.path  # not compared by ==
    assert pickle.loads(pickle.dumps(made)) == expected
    assert copy.deepcopy(made) == expected


def test_a_lazy_fix_stored_by_c_is_built_on_first_read() -> None:
    lazy = LazyFix("add", "safe", lambda: (Edit(0, 0, "x"),))
    made = _cscan.new_record(
        Diagnostic, DIAGNOSTIC_SLOTS, "A", "a", Severity.INFO, "m", *[1] * 6, lazy, None
    )
    assert made.fix == Fix("add", (Edit(0, 0, "x"),), "safe")
    assert made.has_fix("safe")


class Other:
    __slots__ = ("a",)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "cls is a type"),
        ((Diagnostic,), "cls is a type"),
        ((Diagnostic, list(DIAGNOSTIC_SLOTS)), "cls is a type"),
        ((Diagnostic, DIAGNOSTIC_SLOTS, "only one value"), "12 members but 1 values"),
        ((Diagnostic, ("code",), "x"), "writable slot"),
        ((Diagnostic, (Other.__dict__["a"],), "x"), "writable slot"),  # another class's slot
        ((Diagnostic, (type.__dict__["__name__"],), "x"), "writable slot"),
    ],
)
def test_misuse_is_a_type_error(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        _cscan.new_record(*args)


def test_a_readonly_member_is_refused() -> None:
    # A C type's read-only member (a function's __doc__ is writable; a slice's start is not).
    with pytest.raises(TypeError, match="writable slot"):
        _cscan.new_record(slice, (slice.__dict__["start"],), 1)


def test_the_slots_follow_the_constructors_parameters() -> None:
    import inspect

    parameters = list(inspect.signature(Diagnostic.__init__).parameters)[1:]
    assert [slot.__name__ for slot in DIAGNOSTIC_SLOTS] == parameters
