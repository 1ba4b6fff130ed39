"""The plugin API: ``ssmlkit.Rule``, ``ssmlkit.register_rule``, and rules that fail.

The worked example of ``docs/rules.md`` runs as written. A rule that raises, or that changes the
tree it visits, gets an ``MT002 internal-error`` finding and changes nothing else: checked through
the C walk and the Python walk, at every place the engine calls rules (text, elements, the gates
of rules that declared ``depends_on``, syntax problems, the document).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.config import Config
from ssmlkit.linter import engine
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Diagnostic, Severity
from ssmlkit.linter.registry import all_rules, find_rule, unregister_rule
from ssmlkit.linter.rule import Needs, Rule, examples_of
from ssmlkit.model import Element

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
SOURCE = '<speak voice="longanyang">a > b<break time="20s"/><sub alias="x">W3C</sub></speak>'


@pytest.fixture(params=["c", "python"])
def walk(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test runs through the C walk (when built) and through the Python walk."""
    c_walk = engine._C_WALK
    if request.param == "c" and c_walk is None:
        pytest.skip("the C extension is not built here")
    if request.param == "python":
        engine._C_WALK = None
    try:
        yield request.param
    finally:
        engine._C_WALK = c_walk


@pytest.fixture
def plugin() -> Iterator[list[type[Rule]]]:
    """Rules registered by a test; unregistered afterwards, so that other tests never see them."""
    added: list[type[Rule]] = []
    try:
        yield added
    finally:
        for rule in added:
            unregister_rule(rule)


def _codes(found: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in found]


def test_the_worked_example_in_docs_rules_md_runs(plugin: list[type[Rule]]) -> None:
    text = DOC.read_text(encoding="utf-8").split("## Writing a rule", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    try:
        exec(compile(code, "docs/rules.md", "exec"), namespace)  # its own asserts run too
    finally:
        rule = find_rule("XT001")
        if rule is not None:
            plugin.append(rule)
    assert rule is namespace["LongSubAlias"]
    assert rule in all_rules()
    # Its docstring examples hold, as they do for the built-in rules.
    for example in examples_of(rule):
        found = [d for d in ssmlkit.lint(example.source) if d.code == "XT001"]
        assert bool(found) == (example.kind == "fail")
        if example.position is not None:
            assert (found[0].line, found[0].column) == example.position
    # Configuration selects it like any rule.
    long = '<speak><sub alias="由蒂姆·伯纳斯-李创立的万维网联盟">W3C</sub></speak>'
    assert not ssmlkit.lint(long, config=Config(ignore=("long-sub-alias",)))
    unregister_rule(rule)
    assert find_rule("XT001") is None
    assert "XT001" not in [d.code for d in ssmlkit.lint(long)]


def test_public_names() -> None:
    from ssmlkit.linter.registry import register_rule

    assert ssmlkit.Rule is Rule
    assert ssmlkit.register_rule is register_rule
    assert {"Rule", "register_rule"} <= set(ssmlkit.__all__)


def _rule(code: str, targets: tuple[str, ...], visit: Any, needs: Needs | None = None) -> type:
    attrs: dict[str, Any] = {
        "__doc__": "A test rule.\n\nExamples::\n\n    pass: <speak>x</speak>\n",
        "code": code,
        "name": f"test-rule-{code.lower()}",
        "summary": "a test rule",
        "severity": Severity.WARNING,
        "targets": targets,
        "visit": visit,
    }
    if needs is not None:
        attrs["needs"] = needs
    return type(f"Rule{code}", (Rule,), attrs)


def test_register_rule_checks_the_declaration(plugin: list[type[Rule]]) -> None:
    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        pass

    with pytest.raises(TypeError, match="visit"):
        ssmlkit.register_rule(_rule("XT101", ("text",), Rule.visit))
    with pytest.raises(TypeError, match="Needs"):
        ssmlkit.register_rule(_rule("XT102", ("text",), visit, needs=frozenset({"a"})))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="subclass"):
        ssmlkit.register_rule(object)  # type: ignore[type-var]
    with pytest.raises(ValueError, match="duplicate rule code BR001"):
        ssmlkit.register_rule(_rule("BR001", ("text",), visit))
    with pytest.raises(ValueError, match="Needs"):
        Needs(depends_on="attributes")  # type: ignore[arg-type]
    assert find_rule("XT101") is None


def test_a_rule_registered_after_a_lint_runs_in_the_next_one(plugin: list[type[Rule]]) -> None:
    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        ctx.report(node, "seen")

    assert "XT110" not in [d.code for d in ssmlkit.lint(SOURCE)]  # the rule set is cached now
    plugin.append(ssmlkit.register_rule(_rule("XT110", ("break",), visit)))
    assert [d.code for d in ssmlkit.lint(SOURCE)].count("XT110") == 1


def _boom(self: Rule, node: Any, ctx: LintContext) -> None:
    raise RuntimeError("boom")


def _vandal(self: Rule, node: Any, ctx: LintContext) -> None:
    object.__setattr__(node, "children", ())
    object.__setattr__(node, "attrs", ())


@pytest.mark.parametrize(
    ("targets", "needs", "where"),
    [
        (("text",), None, ["a > b", "W3C"]),  # every text node
        (("break",), None, ["<break"]),
        (("speak",), Needs(attributes={"voice"}, depends_on="start-tag"), ["<speak"]),  # a gate
        (("sub",), Needs(depends_on="element"), ["<sub"]),
        (("document",), None, ["<speak"]),
    ],
)
def test_a_rule_that_raises_gets_internal_error_and_changes_nothing_else(
    walk: str,
    plugin: list[type[Rule]],
    targets: tuple[str, ...],
    needs: Needs | None,
    where: list[str],
) -> None:
    before = ssmlkit.lint(SOURCE)
    plugin.append(ssmlkit.register_rule(_rule("XT120", targets, _boom, needs)))
    after = ssmlkit.lint(SOURCE)
    errors = [d for d in after if d.code == "MT002"]
    assert [(d.line, d.column) for d in errors] == [(1, SOURCE.index(w) + 1) for w in where]
    assert all(d.name == "internal-error" and d.severity is Severity.ERROR for d in errors)
    assert "rule XT120 (test-rule-xt120) raised RuntimeError: boom" in errors[0].message
    assert [d for d in after if d.code != "MT002"] == before
    # Twice: a gate that has seen the values before still calls the failing rule.
    assert ssmlkit.lint(SOURCE) == after


def test_a_rule_that_raises_on_syntax_problems(walk: str, plugin: list[type[Rule]]) -> None:
    plugin.append(ssmlkit.register_rule(_rule("XT121", ("syntax",), _boom)))
    found = ssmlkit.lint("<speak>a & b</speak>")
    assert ("MT002", 1, 10) in _codes(found)
    assert ("XM002", 1, 10) in _codes(found)  # the built-in rule for the same problem


@pytest.mark.parametrize(
    ("targets", "needs"),
    [
        (("speak",), None),
        (("element",), None),
        (("speak",), Needs(attributes={"voice"}, depends_on="start-tag")),
        (("sub",), Needs(depends_on="element")),
    ],
)
def test_a_rule_that_changes_the_tree_gets_internal_error_and_is_undone(
    walk: str, plugin: list[type[Rule]], targets: tuple[str, ...], needs: Needs | None
) -> None:
    before = ssmlkit.lint(SOURCE)
    plugin.append(ssmlkit.register_rule(_rule("XT130", targets, _vandal, needs)))
    document = ssmlkit.parse(SOURCE)
    shape = [
        (type(n), n.attrs, len(n.children)) for n, _ in document.walk() if isinstance(n, Element)
    ]
    after = ssmlkit.lint(document)
    errors = [d for d in after if d.code == "MT002"]
    assert errors
    assert all("changed the node it visited" in d.message for d in errors)
    # The other rules saw the document as it was, and the document is as it was.
    assert [d for d in after if d.code != "MT002"] == before
    assert shape == [
        (type(n), n.attrs, len(n.children)) for n, _ in document.walk() if isinstance(n, Element)
    ]


_PIECES = [
    '<speak voice="x" rate="3">',
    "</speak>",
    '<break time="20s"/>',
    "<break/>",
    '<phoneme alphabet="py" ph="hao">好</phoneme>',
    '<say-as interpret-as="digits">1a</say-as>',
    '<sub alias="">W3C</sub>',
    "<p>",
    "</p>",
    "2 > 1",
    "你好",
    "<!-- c -->",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=10).map("".join),
    st.sampled_from(["text", "element", "speak", "break", "comment", "document", "syntax"]),
    st.sampled_from(["anything", "start-tag", "element"]),
    st.booleans(),
)
def test_a_failing_rule_never_changes_what_other_rules_find(
    source: str, target: str, depends_on: Any, mutate: bool
) -> None:
    # Hypothesis runs this body many times: register and unregister around each example.
    before = ssmlkit.lint(source)
    rule = ssmlkit.register_rule(
        _rule("XT140", (target,), _vandal if mutate else _boom, Needs(depends_on=depends_on))
    )
    try:
        after = ssmlkit.lint(source)
    finally:
        unregister_rule(rule)
    assert [d for d in after if d.code != "MT002"] == before
    assert all(d.code != "XT140" for d in after)


def test_needs_is_checked_frozen_data() -> None:
    needs = Needs(attributes=["time", "time"], parents=("speak",), children=2)
    assert needs == Needs(attributes={"time"}, parents={"speak"}, children=2)
    assert hash(needs) == hash(Needs(attributes={"time"}, parents={"speak"}, children=2))
    assert needs.attributes == frozenset({"time"})
    assert needs.depends_on == "anything"
    assert "depends_on='anything'" in repr(needs)
    with pytest.raises(AttributeError):
        needs.children = 1  # type: ignore[misc]
    with pytest.raises(TypeError, match="not a str"):
        Needs(attributes="time")
    with pytest.raises(ValueError, match="children"):
        Needs(children=3)


def test_every_built_in_rule_declares_needs_and_nothing_of_the_engine() -> None:
    # The contract: metadata, needs, options, fix safety, docstring, visit; no dispatch hooks.
    for rule in all_rules():
        assert isinstance(rule.needs, Needs)
        for hook in ("wants", "applies", "visitor", "family", "needs_attributes"):
            assert not hasattr(rule, hook), f"{rule.code} has {hook}"


def test_internal_error_takes_its_configured_severity_and_ignores_selection(
    plugin: list[type[Rule]],
) -> None:
    plugin.append(ssmlkit.register_rule(_rule("XT150", ("break",), _boom)))
    config = Config(select=("XT",), severity={"MT002": Severity.WARNING})
    (found,) = ssmlkit.lint(SOURCE, config=config)
    assert (found.code, found.severity) == ("MT002", Severity.WARNING)


def test_a_rule_needing_chars_sees_only_nodes_holding_one(
    walk: str, plugin: list[type[Rule]]
) -> None:
    seen: list[str] = []

    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        seen.append(ctx.raw(node.start_tag if isinstance(node, Element) else node.span))

    needs = Needs(chars="#>")
    plugin.append(ssmlkit.register_rule(_rule("XT160", ("text", "element"), visit, needs)))
    source = '<speak>a > b<sub alias="#1">c</sub><sub alias="2">d#</sub><p t="q">e</p></speak>'
    ssmlkit.lint(source)
    assert seen == ["a > b", '<sub alias="#1">', "d#"]


def test_a_shape_rule_is_asked_once_per_shape_and_always_where_it_reported(
    walk: str, plugin: list[type[Rule]]
) -> None:
    # depends_on="shape": silent on the first <sub alias> of a shape, it is not called for that
    # shape again (in this document or the next); reporting on <sub x>, it is called for each.
    seen: list[str] = []

    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        seen.append(ctx.raw(node.start_tag))
        if node.has("x"):
            ctx.report(node, "x")

    needs = Needs(depends_on="shape")
    plugin.append(ssmlkit.register_rule(_rule("XT161", ("sub",), visit, needs)))
    config = Config()
    source = '<speak><sub alias="1">a</sub><sub x="1">b</sub><sub alias="2">c</sub><sub x="2">d</sub></speak>'
    found = ssmlkit.lint(source, config=config)
    assert seen == ['<sub alias="1">', '<sub x="1">', '<sub x="2">']
    at = [source.index('<sub x="1">') + 1, source.index('<sub x="2">') + 1]
    assert [d.column for d in found if d.code == "XT161"] == at
    seen.clear()
    again = ssmlkit.lint(source, config=config)
    assert seen == ['<sub x="1">', '<sub x="2">']
    assert again == found


@pytest.mark.parametrize("within", [True, False])
def test_a_rule_needing_a_speak_around_or_none_sees_only_such_nodes(
    walk: str, plugin: list[type[Rule]], within: bool
) -> None:
    seen: list[str] = []

    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        seen.append(ctx.raw(node.start_tag if isinstance(node, Element) else node.span))

    needs = Needs(within_speak=within)
    plugin.append(ssmlkit.register_rule(_rule("XT162", ("text", "unknown"), visit, needs)))
    ssmlkit.lint("a<p>b</p><speak>c<p>d<p>e</p></p></speak><p>f</p>")
    inside = ["c", "<p>", "d", "<p>", "e"]
    assert seen == (inside if within else ["a", "<p>", "b", "<p>", "f"])


def test_text_parents_narrow_the_parents_for_text_only(walk: str, plugin: list[type[Rule]]) -> None:
    seen: list[str] = []

    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        seen.append(ctx.raw(node.start_tag if isinstance(node, Element) else node.span))

    needs = Needs(parents={"sub", "break"}, text_parents={"break"})
    plugin.append(ssmlkit.register_rule(_rule("XT165", ("text", "unknown"), visit, needs)))
    ssmlkit.lint('<speak>a<sub alias="x">b<p>c</p></sub><break>d<p>e</p></break>f</speak>')
    # text: only inside <break>; <p>: inside <sub> and inside <break>
    assert seen == ["<p>", "d", "<p>"]


def test_a_syntax_rule_needing_problem_kinds_sees_only_those(plugin: list[type[Rule]]) -> None:
    seen: list[str] = []

    def visit(self: Rule, node: Any, ctx: LintContext) -> None:
        seen.append(node.kind)

    needs = Needs(problems={"bare-lt"})
    plugin.append(ssmlkit.register_rule(_rule("XT163", ("syntax",), visit, needs)))
    plugin.append(ssmlkit.register_rule(_rule("XT164", ("syntax",), visit)))
    ssmlkit.lint("<speak>R&D a < b & c</speak>")
    # XT163 sees the '<' only; XT164 (no need) sees every problem, in order
    assert sorted(seen) == sorted(["bare-ampersand", "bare-lt", "bare-lt", "bare-ampersand"])
    with pytest.raises(TypeError, match="not a str"):
        Needs(problems="bare-lt")
