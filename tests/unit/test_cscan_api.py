"""The C extension's interface refuses misuse with an exception, never a crash or a half change.

``configure``, ``scan`` and ``walk`` are called by ssmlkit itself (``_scan.py``, the lint
engine) with the right arguments; these tests call them wrongly on purpose: before ``configure``,
with classes of another layout, with too many or malformed known elements, with plans and nodes
that break the walk's contract. Each must raise a plain ``TypeError``/``ValueError``/
``RuntimeError``, and a refused ``configure`` must leave the previous configuration working.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, NamedTuple

import pytest

from ssmlkit import _scan
from ssmlkit.model import KNOWN_ELEMENTS, Comment, Element, Span, Text, UnknownElement
from ssmlkit.parse import parse

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

from ssmlkit import _cscan

SAMPLE = '<speak a="1">x<break/><custom/></speak>'


def _configure(**changes: Any) -> None:
    args = {
        "span": Span,
        "text": Text,
        "comment": Comment,
        "unknown": UnknownElement,
        "known": dict(KNOWN_ELEMENTS),
        "depth": _scan.MAX_DEPTH,
    }
    args.update(changes)
    _cscan.configure(*args.values())


@pytest.fixture
def restore() -> Any:
    """Whatever a test configures, the module's own configuration afterwards."""
    expected = _cscan.scan(SAMPLE, 0)
    try:
        yield
    finally:
        _configure()
    assert repr(_cscan.scan(SAMPLE, 0)) == repr(expected)


class Slotted:
    __slots__ = ("span", "value")


class NotASpan(NamedTuple):
    start: int


class Valued:
    # (another layout than ssmlkit.model's: the extra slot moves the others)
    __slots__ = ("a_first", "span", "value")


class OtherText(Valued):
    __slots__ = ()


class OtherComment(Valued):
    __slots__ = ()


@pytest.mark.usefixtures("restore")
@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"span": dict}, TypeError, "Span must be a tuple subclass"),
        ({"text": Slotted}, TypeError, "field value is not a plain slot shared"),  # Comment differs
        ({"text": OtherText}, TypeError, "not a plain slot shared"),  # Comment's are Text's
        ({"text": int}, AttributeError, "value"),
        ({"known": {f"e{k}": UnknownElement for k in range(17)}}, ValueError, "too many known"),
        ({"known": {1: UnknownElement}}, TypeError, "known elements: str -> class"),
        ({"known": {"a": UnknownElement, "b": 3}}, TypeError, "not a plain slot|str -> class"),
        # Valid text classes of another layout, then a bad known element: the text offsets read
        # first must not be kept for the old classes (a scan would write out of bounds).
        (
            {"text": OtherText, "comment": OtherComment, "known": {"b": 3}},
            TypeError,
            "not a plain slot",
        ),
    ],
)
def test_configure_refuses_what_it_cannot_use_and_changes_nothing(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _configure(**changes)
    # The previous configuration still holds, whole (the fixture checks the nodes too).
    items = _cscan.scan(SAMPLE, 0)
    assert items is not None
    assert type(items[0]).__name__ == "Speak"
    assert type(items[0].span) is Span
    text = items[0].children[0]
    assert (text.value, type(text.span)) == ("x", Span)


def test_a_known_element_of_another_layout_is_refused(restore: Any) -> None:
    class Elsewhere:
        __slots__ = ("attr_spans", "attrs", "children", "end_tag", "start_tag", "value_spans")

    with pytest.raises(TypeError, match="not a plain slot shared"):
        _configure(known={"speak": Elsewhere})


NOT_CONFIGURED = """
import os, sys
os.environ["SSMLKIT_PURE_PYTHON"] = "1"   # ssmlkit itself does not configure the extension
from ssmlkit import _cscan
for call in (lambda: _cscan.scan("<a/>", 0), lambda: _cscan.walk((), None, None, {}, type)):
    try:
        call()
    except RuntimeError as exc:
        print(exc)
"""


def test_scan_and_walk_before_configure_are_a_runtime_error() -> None:
    out = subprocess.run(
        [sys.executable, "-c", NOT_CONFIGURED], capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines() == ["ssmlkit._cscan.configure() was not called"] * 2


@pytest.mark.parametrize(
    "args",
    [
        ("<a/>",),
        (b"<a/>", 0),
        ("<a/>", "0"),
    ],
)
def test_scan_checks_its_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        _cscan.scan(*args)


def test_decode_checks_its_arguments() -> None:
    with pytest.raises(TypeError):
        _cscan._decode(b"x", 0, 1, False)


# ---- walk: plans and nodes that break its contract ---------------------------------------------


class Ctx:
    __slots__ = ("ancestors", "rule")


class Plan:
    def __init__(self, calls: Any = None, text: Any = None) -> None:
        self.by_shape: dict[Any, Any] = {}
        self.calls = calls if calls is not None else (("r", self.visit),)
        self.text = text if text is not None else (("t", self.visit),)
        self.seen: list[Any] = []
        self.mutations: list[Any] = []

    def visit(self, node: Any, ctx: Any) -> None:
        self.seen.append(node)

    def for_shape(self, key: Any, node: Any) -> Any:
        return self.calls

    def text_calls(self, parent: Any, within: bool = False) -> Any:
        return self.text

    def failed(self, node: Any, ctx: Any, error: BaseException) -> None:
        raise AssertionError(f"unexpected failure {error!r}")

    def mutated(self, node: Any, ctx: Any, children: Any, attrs: Any) -> None:
        self.mutations.append((node, children, attrs))
        object.__setattr__(node, "children", children)
        object.__setattr__(node, "attrs", attrs)


def _walk(items: Any, plan: Plan, ctx: Any = None) -> None:
    _cscan.walk(items, ctx if ctx is not None else Ctx(), plan, plan.by_shape, Element)


@pytest.mark.parametrize(
    "calls", [(("only-one",),), ("not a pair",), (("r", print, "x", "extra"),), [("r", print)]]
)
def test_calls_that_are_not_pairs_are_a_type_error(calls: Any) -> None:
    with pytest.raises(TypeError, match="calls must be a tuple of"):
        _walk(parse(SAMPLE).items, Plan(calls=calls))


def test_chars_that_are_not_a_str_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="chars and the values it looks in must be str"):
        _walk(parse(SAMPLE).items, Plan(calls=(("r", print, 62),)))


def test_text_calls_that_are_not_pairs_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="calls must be a tuple of"):
        _walk(parse(SAMPLE).items, Plan(text=["x"]))


def test_attrs_or_children_of_the_wrong_type_are_a_type_error() -> None:
    items = parse(SAMPLE).items
    object.__setattr__(items[0], "attrs", [("a", "1")])
    with pytest.raises(TypeError, match="attrs must be a tuple"):
        _walk(items, Plan())
    items = parse(SAMPLE).items
    object.__setattr__(items[0], "children", [])
    with pytest.raises(TypeError, match="children must be a tuple"):
        _walk(items, Plan())


def test_attribute_pairs_may_be_any_sequence() -> None:
    items = parse(SAMPLE).items
    object.__setattr__(items[0], "attrs", (["a", "1"],))
    plan = Plan()
    keys: list[Any] = []
    plan.for_shape = lambda key, node: keys.append(key) or plan.calls  # type: ignore[method-assign]
    _walk(items, plan)
    assert keys[0][3] == ("a",)
    object.__setattr__(items[0], "attrs", ([],))
    with pytest.raises(IndexError):
        _walk(items, Plan())


def test_a_rule_deleting_children_is_a_change() -> None:
    # The nodes are slotted: a deleted slot reads as AttributeError, which the walk counts as a
    # change (the plan puts the old value back).
    def vandal(node: Any, ctx: Any) -> None:
        if isinstance(node, Element) and type(node).__name__ == "Speak":
            object.__delattr__(node, "children")

    items = parse(SAMPLE).items
    plan = Plan()
    plan.calls = (("v", vandal), ("r", plan.visit))
    _walk(items, plan)
    assert len(plan.mutations) == 1
    assert items[0].children == plan.mutations[0][1]


def test_a_mutation_handler_that_raises_reaches_the_caller() -> None:
    def vandal(node: Any, ctx: Any) -> None:
        object.__setattr__(node, "attrs", ())

    class Strict(Plan):
        def mutated(self, node: Any, ctx: Any, children: Any, attrs: Any) -> None:
            raise ValueError("no changes allowed")

    plan = Strict()
    plan.calls = (("v", vandal),)
    with pytest.raises(ValueError, match="no changes allowed"):
        _walk(parse(SAMPLE).items, plan)


def test_a_context_that_refuses_the_rule_or_ancestors_stops_the_walk() -> None:
    class Frozen:
        __slots__ = ()

    with pytest.raises(AttributeError):
        _walk(parse(SAMPLE).items, Plan(), ctx=Frozen())

    class NoAncestorsBelow:
        __slots__ = ("_ancestors", "calls", "rule")

        def __init__(self) -> None:
            self.calls = 0

        @property
        def ancestors(self) -> Any:
            return self._ancestors

        @ancestors.setter
        def ancestors(self, value: Any) -> None:
            self.calls += 1
            if self.calls == 3:  # leaving the <speak> level
                raise RuntimeError("ancestors refused")
            self._ancestors = value

    with pytest.raises(RuntimeError, match="ancestors refused"):
        _walk(parse("<speak><p>x</p></speak>").items, Plan(), ctx=NoAncestorsBelow())


def test_walk_grows_its_stack_for_deep_documents() -> None:
    depth = 200
    items = parse("<speak>" + "<p>" * depth + "x" + "</p>" * depth + "</speak>").items
    plan = Plan()
    _walk(items, plan)
    assert len(plan.seen) == depth + 2
