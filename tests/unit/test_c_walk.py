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
from hypothesis import given
from hypothesis import strategies as st

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


# ---- gates: the C walk runs dispatch._gate's call itself ---------------------------------------


class GateCtx:
    __slots__ = ("ancestors", "reported", "rule", "source")

    def __init__(self, source: str) -> None:
        self.reported = 0
        self.source = source


class GatedRule:
    """Reports on an element whose start tag holds ``mark``; fails on one holding ``boom``."""

    def __init__(self, name: str, mark: str, log: list[tuple[str, str]]) -> None:
        self.name, self.mark, self.log = name, mark, log

    def visit(self, node: Element, ctx: GateCtx) -> None:
        tag = ctx.source[node.start_tag[0] : node.start_tag[1]] if node.start_tag else node.name
        self.log.append((self.name, tag))
        if "boom" in tag:
            raise ValueError(tag)
        if self.mark in tag:
            ctx.reported += 1


def _gated_run(source: str, c_gate: bool, whole: bool = False) -> tuple[Any, ...]:
    """Walk ``source`` with two gated rules; the log of visits, failures and the memo after."""
    from ssmlkit.linter.dispatch import _gate

    log: list[tuple[str, str]] = []
    rules = (GatedRule("a", "x", log), GatedRule("b", "y", log))

    class Rule:  # what _gate reads of a rule: its visit
        def __init__(self, gated: GatedRule) -> None:
            self.visit = gated.visit

    full = _gate(tuple(Rule(r) for r in rules), whole=whole)  # type: ignore[arg-type]
    # The Python walk's way: the gate is an ordinary visitor (it keeps the same memo).
    call = full if c_gate else full[:2]

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            calls = (call,) if len(key) > 3 else ()
            self.by_shape[key] = calls
            return calls

        def text_calls(self, parent: type | None, within: bool = False) -> Any:
            return ()

    document = parse(source)
    plan = Plan()
    ctx = GateCtx(document.source or "")
    walk(document.items, ctx, plan, plan.by_shape, Element)
    memo = {
        k: tuple(type(v[1].__self__).__name__ for v in pending) for k, pending in full[2].items()
    }
    failures = [(type(node).__name__, type(error).__name__) for node, _, error in plan.failures]
    return log, failures, ctx.reported, sorted(memo.items())


GATE_DOCS = [
    "<speak><p>1</p><p>2</p><p x='1'>3</p><p x='1'>4</p><p y='2'>5</p><p y='2'>6</p></speak>",
    "<speak><p xy='1'>a</p><p xy='1'>b</p><s xy='1'/><s xy='1'/><s/></speak>",
    "<speak>" + "<sub alias='x'>k</sub><sub alias='z'>k</sub>" * 5 + "</speak>",
]


@pytest.mark.parametrize("source", GATE_DOCS)
@pytest.mark.parametrize("whole", [False, True])
def test_a_gate_run_by_the_c_walk_does_what_the_python_gate_does(source: str, whole: bool) -> None:
    # The same visits in the same order, the same failures, findings and memo: an element written
    # like one already met is visited only by the rules that reported (or failed) for it.
    c_run = _gated_run(source, c_gate=True, whole=whole)
    assert c_run == _gated_run(source, c_gate=False, whole=whole)
    log = c_run[0]
    if source == GATE_DOCS[0] and not whole:
        assert log.count(("a", "<p>")) == 1
        assert log.count(("a", "<p x='1'>")) == 2
        assert log.count(("b", "<p x='1'>")) == 1
        assert log.count(("b", "<p y='2'>")) == 2


@given(st.lists(st.sampled_from(["<p>", "<p x='1'>", "<p y='1'>", "<s xy='2'/>", "<p q='x y'>"])))
def test_c_and_python_gates_agree_on_any_sequence_of_elements(tags: list[str]) -> None:
    body = "".join(t if t.endswith("/>") else t + "t</p>" for t in tags)
    source = f"<speak>{body}</speak>"
    assert _gated_run(source, c_gate=True) == _gated_run(source, c_gate=False)


def test_a_rule_failing_in_a_c_gate_goes_to_the_plan_and_is_called_again() -> None:
    # (The Python gate reports through dispatch.failed, which needs a real LintContext: the
    # engine's own tests, tests/unit/test_rule_plugins.py, compare both walks there.)
    source = "<speak><p boom='1'>a</p><p boom='1'>b</p></speak>"
    log, failures, _reported, memo = _gated_run(source, c_gate=True)
    assert failures == [("UnknownElement", "ValueError")] * 4  # each rule, each time
    assert log[2:] == [("a", "<p boom='1'>"), ("b", "<p boom='1'>")] * 2
    assert dict(memo)["<p boom='1'>"] == ("GatedRule", "GatedRule")  # failing: called again


def test_a_gate_forgets_at_its_limit_as_the_python_gate_does() -> None:
    from ssmlkit import _cscan
    from ssmlkit.linter import dispatch

    assert _cscan.GATE_LIMIT == dispatch._LIMIT
    count = dispatch._LIMIT + 3
    source = "<speak>" + "".join(f"<p n='{i}'>t</p>" for i in range(count)) + "</speak>"
    c_run, py_run = _gated_run(source, c_gate=True), _gated_run(source, c_gate=False)
    assert c_run == py_run
    # <speak> and the first 4095 <p> fill it; the next empties it: the last four remembered
    assert len(c_run[3]) == 4


def test_a_gate_without_source_positions_calls_every_rule() -> None:
    # A built element has no span: nothing to remember it by, every rule is called every time.
    from ssmlkit.builder import speak, sub

    document = speak(sub("k", alias="x"), sub("k", alias="x"))
    log: list[tuple[str, str]] = []
    rule = GatedRule("a", "never", log)

    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            calls = (("a", rule.visit, {}, (("a", rule.visit),), False),) if len(key) > 3 else ()
            self.by_shape[key] = calls
            return calls

        def text_calls(self, parent: type | None, within: bool = False) -> Any:
            return ()

    walk((document,), GateCtx(""), Plan(), {}, Element)
    assert log == [("a", "speak"), ("a", "sub"), ("a", "sub")]


@pytest.mark.parametrize(
    "call",
    [
        ("r", print, [], (), False),  # memo not a dict
        ("r", print, {}, [], False),  # visits not a tuple
        ("r", print, {}, (), 0),  # whole not a bool
        ("r", print, {}, ("not a pair",), False),
    ],
)
def test_a_malformed_gate_is_a_type_error_not_a_crash(call: tuple[Any, ...]) -> None:
    class Plan(RecordingPlan):
        def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
            return (call,)

    document = parse("<speak>a</speak>")
    with pytest.raises(TypeError, match="gate"):
        walk(document.items, GateCtx(document.source or ""), Plan(), {}, Element)
