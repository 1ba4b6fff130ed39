"""The C walk of the lint engine (``walk`` in ssmlkit/_cscan.c) against ``Document.walk``.

The engine's own property tests compare whole lint runs; these check the walk's contract directly:
document order, the ancestors each call sees, the shape keys it asks the plan for, that a rule's
exception or change of the tree goes to the plan (and the walk goes on), and that no rule can free
what the walk holds.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from ssmlkit import _scan
from ssmlkit.model import Break, Element, Node, Text
from ssmlkit.parse import parse

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

from ssmlkit._cscan import walk  # (imported only when built)


class Ctx:
    __slots__ = ("ancestors", "rule")


class RecordingPlan:
    """Records every call as (node, ancestors, rule) and every shape key it is asked for."""

    def __init__(self) -> None:
        self.seen: list[tuple[Node, tuple[Element, ...], object]] = []
        self.keys: list[tuple[Any, ...]] = []
        self.by_shape: dict[tuple[Any, ...], Any] = {}
        self.failures: list[tuple[Node, object, BaseException]] = []
        self.mutations: list[tuple[Node, object, tuple[object, object]]] = []

    def _visit(self, node: Node, ctx: Ctx) -> None:
        self.seen.append((node, ctx.ancestors, ctx.rule))

    def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
        self.keys.append(key)
        calls = (("shape", self._visit),)
        self.by_shape[key] = calls
        return calls

    def text_calls(self, parent: type | None, within: bool = False) -> Any:
        calls = (("text", self._visit),)
        self.by_shape[(Text, parent, within)] = calls
        return calls

    def failed(self, node: Node, ctx: Ctx, error: BaseException) -> None:
        self.failures.append((node, ctx.rule, error))

    def mutated(self, node: Node, ctx: Ctx, children: object, attrs: object) -> None:
        # As the engine's plan does: record, then put the old values back.
        self.mutations.append((node, ctx.rule, (children, attrs)))
        object.__setattr__(node, "children", children)
        object.__setattr__(node, "attrs", attrs)


DOCS = [
    "",
    "plain",
    '<speak voice="a" rate="1">x<break time="1s"/>y<sub alias="b">c</sub><!--n--></speak>',
    "<speak>a</speak>between<speak><p><s>deep<break/></s></p>tail</speak>",
    "<speak>" + "<p>" * 200 + "x" + "</p>" * 200 + "</speak>",
]


@pytest.mark.parametrize("source", DOCS)
def test_walk_visits_like_document_walk(source: str) -> None:
    document = parse(source)
    plan = RecordingPlan()
    walk(document.items, Ctx(), plan, plan.by_shape, Element)
    expected = [
        (node, ancestors, "text" if type(node) is Text else "shape")
        for node, ancestors in document.walk()
    ]
    assert [(id(n), a, r) for n, a, r in plan.seen] == [(id(n), a, r) for n, a, r in expected]
    # Each shape is asked for once; afterwards the table answers.
    assert len(plan.keys) == len(set(plan.keys))


def test_shape_keys_name_type_parent_attributes_and_children() -> None:
    document = parse('<speak a="1" b="2"><break/>x<sub alias="y">z</sub></speak>')
    plan = RecordingPlan()
    walk(document.items, Ctx(), plan, plan.by_shape, Element)
    speak, brk, sub = (type(n) for n, _ in document.walk() if isinstance(n, Element))
    assert plan.keys == [
        (speak, None, False, ("a", "b"), 2),
        (brk, speak, False, (), 0),
        (sub, speak, False, ("alias",), 1),
    ]


def test_shape_keys_say_whether_a_speak_encloses_the_node() -> None:
    from ssmlkit.model import Speak

    document = parse("<x/><speak><p><break/>t</p></speak><!--c--><speak/>")
    plan = RecordingPlan()
    asked: list[tuple[Any, bool]] = []
    text_calls = plan.text_calls

    def recording(parent: type | None, within: bool = False) -> Any:
        asked.append((parent, within))
        return text_calls(parent, within)

    plan.text_calls = recording  # type: ignore[method-assign]
    walk(document.items, Ctx(), plan, plan.by_shape, Element, Speak)
    x, _, p, brk, _ = (type(n) for n, _ in document.walk() if isinstance(n, Element))
    comment = type(document.items[2])
    assert [k[:3] for k in plan.keys] == [
        (x, None, False),
        (Speak, None, False),
        (p, Speak, True),
        (brk, p, True),
        (comment, None, False),
        (Speak, None, False),  # the empty <speak>: another shape (no children)
    ]
    assert asked == [(None, False), (Speak, True), (p, True)]
    with pytest.raises(TypeError, match="speak_type must be a class or None"):
        walk(document.items, Ctx(), plan, plan.by_shape, Element, "speak")


def test_an_exception_in_a_rule_goes_to_the_plan_and_the_walk_goes_on() -> None:
    def boom(node: Node, ctx: Ctx) -> None:
        if isinstance(node, Break):
            raise RuntimeError("boom")

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("r", boom), ("shape", self._visit))

    document = parse("<speak><p>a<break/></p>b</speak>")
    plan = Plan()
    walk(document.items, Ctx(), plan, plan.by_shape, Element)
    ((node, rule, error),) = plan.failures
    assert isinstance(node, Break)
    assert rule == "r"
    assert isinstance(error, RuntimeError)
    assert str(error) == "boom"
    assert error.__traceback__ is not None  # kept for whoever reports it
    # Every node was still visited, the break's later call included.
    assert [type(n).__name__ for n, _, r in plan.seen if r == "shape"] == [
        "Speak",
        "UnknownElement",
        "Break",
    ]


def test_keyboard_interrupt_in_a_rule_stops_the_walk() -> None:
    def interrupt(node: Node, ctx: Ctx) -> None:
        raise KeyboardInterrupt

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("r", interrupt),)

    plan = Plan()
    with pytest.raises(KeyboardInterrupt):
        walk(parse("<speak>a</speak>").items, Ctx(), plan, plan.by_shape, Element)
    assert plan.failures == []


def test_a_failure_handler_that_raises_reaches_the_caller() -> None:
    def boom(node: Node, ctx: Ctx) -> None:
        raise RuntimeError("boom")

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("r", boom),)

        def failed(self, node: Node, ctx: Ctx, error: BaseException) -> None:
            raise ValueError("handler") from error

    with pytest.raises(ValueError, match="handler"):
        walk(parse("<speak>a</speak>").items, Ctx(), Plan(), {}, Element)


@pytest.mark.parametrize("field", ["children", "attrs"])
def test_a_rule_replacing_children_or_attrs_is_reported_and_the_walk_keeps_the_old_children(
    field: str,
) -> None:
    # The walk iterates the children it read before the calls, by a reference of its own: a rule
    # dropping the last other reference (the node's own) must not free them under the walk.
    def vandal(node: Node, ctx: Ctx) -> None:
        if type(node).__name__ == "Speak":
            object.__setattr__(node, field, ())

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("v", vandal), ("shape", self._visit))

    document = parse('<speak a="1">' + "<p>x</p>" * 50 + "</speak>")
    speak = document.items[0]
    assert isinstance(speak, Element)
    before = speak.children, speak.attrs
    plan = Plan()
    walk(document.items, Ctx(), plan, plan.by_shape, Element)
    assert [(n, r) for n, r, _ in plan.mutations] == [(speak, "v")]
    # The plan got the old values; the walk still visited all 50 <p> and their text.
    assert plan.mutations[0][2] == before
    assert sum(1 for n, _, _ in plan.seen if type(n) is Text) == 50


def test_a_rule_dropping_every_reference_to_the_document_does_not_crash() -> None:
    # The walk holds the node it visits and each level's tuple: clearing them all from a rule
    # (the tuple of top-level items included) leaves the walk with live objects.
    held: dict[str, Any] = {}

    def vandal(node: Node, ctx: Ctx) -> None:
        if "document" in held:
            doc = held.pop("document")
            for item in doc.items:
                if isinstance(item, Element):
                    object.__setattr__(item, "children", ())
            object.__setattr__(doc, "items", ())
            del doc

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("v", vandal),)

        def mutated(self, node: Node, ctx: Ctx, children: object, attrs: object) -> None:
            self.mutations.append((node, ctx.rule, (children, attrs)))

    held["document"] = parse("<speak>" + "<p>x<s>y</s></p>" * 20 + "</speak>" * 1)
    items = held["document"].items
    plan = Plan()
    walk(items, Ctx(), plan, plan.by_shape, Element)
    del items
    assert plan.mutations  # the <speak> lost its children while its level was walked


def test_bad_calls_are_a_type_error_not_a_crash() -> None:
    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return ["not", "a", "tuple"]

    document = parse("<speak>a</speak>")
    with pytest.raises(TypeError):
        walk(document.items, Ctx(), Plan(), {}, Element)


@pytest.mark.parametrize(
    "source",
    [
        *DOCS,
        '<speak>2 > 1<sub alias="a>b">x</sub><p q="&lt;">y</p>no<break time="1s"/></speak>',
        "<speak>&gt;<!-- > --><?pi > ?>é你😀&gt;<x a='😀'/></speak>",
    ],
)
@pytest.mark.parametrize("chars", [">", "<>", "你", "😀", "xyz", ""])
def test_a_call_with_chars_visits_the_nodes_holding_one(source: str, chars: str) -> None:
    # The engine's third member of a call: visited only where dispatch.holds says so, text and
    # elements alike (attribute values; never names); comments and PIs always.
    from ssmlkit.linter.dispatch import holds

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            calls = (("shape", self._visit, chars),)
            self.by_shape[key] = calls
            return calls

        def text_calls(self, parent: type | None, within: bool = False) -> Any:
            calls = (("text", self._visit, chars),)
            self.by_shape[(Text, parent, within)] = calls
            return calls

    document = parse(source)
    plan = Plan()
    walk(document.items, Ctx(), plan, plan.by_shape, Element)
    expected = [node for node, _ in document.walk() if holds(node, chars)]
    assert [id(n) for n, _, _ in plan.seen] == [id(n) for n in expected]
    if chars == ">" and "2 > 1" in source:
        assert any(type(n) is Text and n.value == "2 > 1" for n, _, _ in plan.seen)
        assert not any(type(n) is Text and n.value == "no" for n, _, _ in plan.seen)
