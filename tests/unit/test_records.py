"""ssmlkit._records: one frozen base whose methods follow each record's dataclass fields."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit._records import Record, record, setfield
from ssmlkit._syntax import ScanResult, SyntaxProblem
from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix
from ssmlkit.linter.rule import Needs
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    ProcessingInstruction,
    Span,
    Speak,
    Text,
    UnknownElement,
)
from ssmlkit.output import FileResult, Summary
from ssmlkit.parse import Decoded
from ssmlkit.phonetics.pinyin import SyllableProblem
from ssmlkit.profiles.voices import Voice
from ssmlkit.severity import Severity


@record
class Mark(Record):
    """A record for these tests: one compared field, one hidden one, one shown but not compared."""

    name: str
    offset: int = field(default=0, compare=False, repr=False)
    note: str = field(default="", compare=False)

    def __init__(self, name: str, offset: int = 0, note: str = "") -> None:
        setfield(self, "name", name)
        setfield(self, "offset", offset)
        setfield(self, "note", note)


class SubMark(Mark):
    """A subclass with no field of its own."""

    __slots__ = ()


def test_equality_and_hash_follow_compare_and_the_exact_class() -> None:
    assert Mark("a", 1, "x") == Mark("a", 2, "y")
    assert hash(Mark("a", 1)) == hash(Mark("a", 2))
    assert Mark("a") != Mark("b")
    assert Mark("a") != SubMark("a")  # like a dataclass: only the same class compares
    assert Mark("a").__eq__("a") is NotImplemented


def test_repr_follows_repr_flags() -> None:
    assert repr(Mark("a", 3, "n")) == "Mark(name='a', note='n')"
    assert repr(SubMark("a")) == "SubMark(name='a', note='')"


def test_frozen_and_slotted() -> None:
    mark = Mark("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        mark.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del mark.name
    assert not hasattr(mark, "__dict__")
    assert not hasattr(SubMark("a"), "__dict__")


def test_dataclass_functions_work() -> None:
    mark = SubMark("a", 4, "n")
    assert dataclasses.is_dataclass(mark)
    assert [f.name for f in dataclasses.fields(mark)] == ["name", "offset", "note"]
    changed = dataclasses.replace(mark, name="b")
    assert type(changed) is SubMark
    assert changed.offset == 4
    assert dataclasses.asdict(mark) == {"name": "a", "offset": 4, "note": "n"}


def _every_field(value: Any) -> list[Any]:
    return [getattr(value, f.name) for f in dataclasses.fields(value)]


_SPAN = Span(0, 3, 1, 1, 1, 4)
_DOC = Document(
    (Speak(attrs=(("rate", "1.1"),), children=(Text("hi", _SPAN), Break())),),
    "<speak/>",
    "utf-8",
)
_DIAG = Diagnostic(
    "BR001", "x", Severity.ERROR, "m", 1, 2, 1, 3, 0, 1, Fix("f", (Edit(0, 1, "y"),)), "a.ssml"
)
RECORDS: list[Any] = [
    Mark("a", 3, "n"),
    Text("hi", _SPAN),
    Comment(" c "),
    ProcessingInstruction("pi", "data", _SPAN),
    UnknownElement(qname="p", attrs=(("a", "1"),), span=_SPAN, children=(Text("x"),)),
    _DOC,
    _DIAG,
    SyntaxProblem("bare-ampersand", "m", 0, 1, 1, 1),
    ScanResult(_DOC, (), frozenset({"x"}), True),
    Decoded("t", "utf-8", None, False, 0),
    SyllableProblem("bad-tone", "m", "ma1", ("ma1",)),
    Voice("longfei_v3", "cosyvoice-v3-flash", ("cmn",), True, "poetry", None, True),
    FileResult("a.ssml", "src", (_DIAG,), 1),
    Summary(1, 1, 1, 0, 0, 1, 0, {"BR001": 1}),
]


@pytest.mark.parametrize("value", RECORDS, ids=lambda v: type(v).__name__)
def test_pickle_and_copy_keep_every_field(value: Any) -> None:
    for again in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert type(again) is type(value)
        assert again == value
        assert _every_field(again) == _every_field(value)  # metadata too


@pytest.mark.parametrize("value", RECORDS, ids=lambda v: type(v).__name__)
def test_repr_and_equality_are_what_a_generated_dataclass_gives(value: Any) -> None:
    """A twin class made by ``@dataclass(frozen=True)`` from the same fields behaves the same."""
    cls = type(value)
    twin = dataclasses.make_dataclass(
        cls.__qualname__,
        [(f.name, Any, field(compare=f.compare, repr=f.repr)) for f in dataclasses.fields(cls)],
        frozen=True,
    )
    values = _every_field(value)
    assert repr(value) == repr(twin(*values))
    compared = [f.name for f in dataclasses.fields(cls) if f.compare]
    assert compared  # something takes part in equality
    other = dataclasses.replace(value)
    assert other == value
    if cls is not Summary:  # its by_code dict is unhashable, as in a generated dataclass
        assert hash(other) == hash(value)


@given(
    st.text(max_size=5),
    st.integers(),
    st.text(max_size=5),
    st.text(max_size=5),
    st.integers(),
    st.text(max_size=5),
)
def test_equality_is_equality_of_compared_fields(
    a: str, x: int, n: str, b: str, y: int, m: str
) -> None:
    one, two = Mark(a, x, n), Mark(b, y, m)
    assert (one == two) == (a == b)
    if one == two:
        assert hash(one) == hash(two)


def test_path_takes_no_part_in_a_diagnostics_equality_but_shows() -> None:
    other = dataclasses.replace(_DIAG, path="b.ssml")
    assert other == _DIAG
    assert hash(other) == hash(_DIAG)
    assert repr(other).endswith("path='b.ssml')")


@record
class Settings(Record):
    """A record with the generic constructor."""

    name: str
    limit: int = 10
    tags: list[str] = field(default_factory=list)
    origin: str | None = field(default=None, kw_only=True, compare=False)


def test_the_generic_constructor_binds_like_a_generated_one() -> None:
    assert Settings("a") == Settings(name="a", limit=10)
    made = Settings("a", 3, ["x"], origin="f")
    assert (made.name, made.limit, made.tags, made.origin) == ("a", 3, ["x"], "f")
    assert Settings("a").tags == []
    assert Settings("a").tags is not Settings("a").tags
    assert repr(Settings("a")) == "Settings(name='a', limit=10, tags=[], origin=None)"
    assert dataclasses.replace(made, limit=4) == Settings("a", 4, ["x"])


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing required argument 'name'"),
        (("a", 1, [], "f"), {}, "takes 3 positional arguments"),
        (("a",), {"name": "b"}, "multiple values for argument 'name'"),
        (("a",), {"size": 1}, "an unexpected keyword argument 'size'"),
    ],
)
def test_the_generic_constructor_refuses_what_a_generated_one_refuses(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Settings(*args, **kwargs)


def test_the_generic_constructor_shows_the_signature_a_generated_one_would() -> None:
    @dataclasses.dataclass(frozen=True)
    class Generated:
        name: str
        limit: int = 10
        tags: list[str] = field(default_factory=list)
        origin: str | None = field(default=None, kw_only=True, compare=False)

    assert str(inspect.signature(Settings)) == str(inspect.signature(Generated))
    # a record with its own constructor shows that one
    assert list(inspect.signature(Mark).parameters) == ["name", "offset", "note"]


def test_needs_is_a_record_with_a_stable_repr() -> None:
    needs = Needs(attributes={"time", "alias"}, depends_on="start-tag")
    assert pickle.loads(pickle.dumps(needs)) == needs
    assert hash(copy.deepcopy(needs)) == hash(needs)
    assert [f.name for f in dataclasses.fields(needs)] == [
        "attributes",
        "parents",
        "children",
        "depends_on",
        "chars",
        "within_speak",
        "problems",
        "text_parents",
    ]
    assert repr(needs).startswith("Needs(attributes=['alias', 'time'], parents=[]")
    assert "text_parents" not in repr(needs)  # shown only when set
    assert repr(Needs(text_parents=("sub", "break"))).endswith("text_parents=['break', 'sub'])")
    with pytest.raises(TypeError, match="text_parents"):
        Needs(text_parents="break")
    assert "chars" not in repr(needs)  # shown only when set
    assert repr(Needs(chars="><>")).endswith("chars='<>')")  # sorted, each once
    assert repr(Needs(within_speak=False)).endswith("within_speak=False)")
    with pytest.raises(TypeError, match="within_speak"):
        Needs(within_speak="no")  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        needs.children = 2  # type: ignore[misc]
