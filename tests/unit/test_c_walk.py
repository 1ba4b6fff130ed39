"""The C walk of the lint engine (``walk`` in ssmlkit/_cscan.c) against ``Document.walk``.

The engine's own property tests compare whole lint runs; these check the walk's contract directly:
document order, the ancestors each call sees, the shape keys it asks the plan for, and that an
exception in a rule reaches the caller.
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

    def _visit(self, node: Node, ctx: Ctx) -> None:
        self.seen.append((node, ctx.ancestors, ctx.rule))

    def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
        self.keys.append(key)
        calls = (("shape", self._visit),)
        self.by_shape[key] = calls
        return calls

    def text_calls(self, parent: type | None) -> Any:
        calls = (("text", self._visit),)
        self.by_shape[(Text, parent)] = calls
        return calls


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
        (speak, None, ("a", "b"), 2),
        (brk, speak, (), 0),
        (sub, speak, ("alias",), 1),
    ]


def test_an_exception_in_a_rule_reaches_the_caller() -> None:
    def boom(node: Node, ctx: Ctx) -> None:
        if isinstance(node, Break):
            raise RuntimeError("boom")

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (("r", boom),)

    document = parse("<speak><p>a<break/></p></speak>")
    plan = Plan()
    with pytest.raises(RuntimeError, match="boom"):
        walk(document.items, Ctx(), plan, plan.by_shape, Element)


def test_bad_calls_are_a_type_error_not_a_crash() -> None:
    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return ["not", "a", "tuple"]

    document = parse("<speak>a</speak>")
    with pytest.raises(TypeError):
        walk(document.items, Ctx(), Plan(), {}, Element)
