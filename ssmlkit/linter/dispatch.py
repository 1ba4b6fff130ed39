"""Which rules the engine calls for a node, derived from what the rules declare.

Engine-private. Rules declare ``targets`` and :class:`~ssmlkit.linter.rule.Needs`; from those
alone a :class:`Plan` works out, once per node *shape* (its type, its parent's type, its attribute
names and how many children it has, up to 2), the calls to make:

- a rule whose needs the shape cannot meet (no needed attribute, the wrong parent, too few
  children) is not called for nodes of that shape;
- a rule whose verdict the shape alone decides (``depends_on="shape"``) is *probed*: called
  for the first node of the shape, and then for every node of it if it reported, for none if
  it did not;
- the rules whose verdict depends on how an element is written only (its start tag, or all of
  it) are called through one *gate* per shape, which remembers the elements, as written, it has
  seen them find nothing in and calls nobody for those again. On the lint benchmark a rule call
  that returns at once cost as much as the walk spends per node, and documents repeat the same
  few values over and over. The C walk does a gate's work itself (a Python frame per element
  and per rule was 5% of a pass);
- a rule needing characters (``chars``) is called only for nodes holding one of them: the walk
  looks (:func:`holds`; in C when the extension is built), which costs a fraction of a call.

A rule that raises, or that changes the node it visits, gets an ``internal-error`` finding
(:func:`failed`, :func:`mutated`) and the walk goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ssmlkit._scan import SyntaxProblem
from ssmlkit.linter.rules.meta import InternalError
from ssmlkit.model import (
    KNOWN_ELEMENTS,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Text,
    UnknownElement,
)

if TYPE_CHECKING:
    from ssmlkit.linter.context import LintContext, Where
    from ssmlkit.linter.rule import Rule

__all__ = ["Call", "Calls", "Plan", "Visitor", "failed", "guarded", "holds", "mutated"]

#: What the walk calls for a node: a rule's ``visit``, a gate standing in for several, or a
#: probe of a rule whose verdict the node's shape decides.
Visitor = Callable[[Any, "LintContext"], None]
#: The unit the walk calls: (rule, its visitor), or (rule, its visitor, chars) for a rule with
#: :attr:`~ssmlkit.linter.rule.Needs.chars`, called only for a node whose text (or one of whose
#: attribute values) holds one of ``chars``, or a gate: (first rule, gate, memo, visits, whole)
#: (see :func:`_gate`; the C walk runs the gate's work itself, the Python walk calls ``gate``).
#: The walk sets ``ctx.rule`` to the rule.
Call = (
    tuple["Rule", Visitor]
    | tuple["Rule", Visitor, str]
    | tuple["Rule", Visitor, "dict[str, Visits]", "Visits", bool]
)
#: (rule, its visit) pairs.
Visits = tuple[tuple["Rule", Visitor], ...]
Calls = tuple[Call, ...]

#: Shapes (and values per gate) remembered before a table is emptied: a few dozen shapes cover
#: real documents, and a hostile one inventing names or values by the thousand must not grow
#: them without bound.
_LIMIT = 4096

#: The kind (as in ``Needs.parents``) of each parent type the scanner makes.
_PARENT_KIND: dict[type | None, str] = {cls: tag for tag, cls in KNOWN_ELEMENTS.items()}
_PARENT_KIND[UnknownElement] = "unknown"
_PARENT_KIND[None] = "document"

#: The one instance reporting failures of rules (its code and name are fixed).
_INTERNAL = InternalError()


class Plan:
    """The rules of a run, grouped for dispatch: by kind, by node type and by node shape.

    ``by_shape`` maps a node's shape key (see ``_walk_python`` in the engine) to its calls,
    filled as shapes are met.
    """

    __slots__ = ("by_kind", "by_problem", "by_shape", "by_type", "rules")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
        by_kind: dict[str, list[Rule]] = defaultdict(list)
        for rule in rules:
            for target in rule.targets:
                by_kind[target].append(rule)
        self.by_kind: dict[str, tuple[Rule, ...]] = {k: tuple(v) for k, v in by_kind.items()}
        # The rules each node type gets: its own kind's, then "element"'s for every element.
        # Types the scanner does not make fall back to _kind.
        element_rules = self.by_kind.get("element", ())
        self.by_type: dict[type, tuple[Rule, ...]] = {}
        kinds: list[tuple[type, str]] = [(cls, tag) for tag, cls in KNOWN_ELEMENTS.items()]
        kinds += [(UnknownElement, "unknown"), (Text, "text"), (Comment, "comment")]
        kinds.append((ProcessingInstruction, "pi"))
        for cls, kind in kinds:
            own = self.by_kind.get(kind, ())
            self.by_type[cls] = own + element_rules if issubclass(cls, Element) else own
        self.by_shape: dict[tuple[Any, ...], Calls] = {}
        self.by_problem: dict[str, tuple[Rule, ...]] = {}

    def for_node(self, node: Node) -> tuple[Rule, ...]:
        """Every rule targeting ``node``'s kind, in order (the plain loop's rules)."""
        rules = self.by_type.get(type(node))
        if rules is not None:
            return rules
        own = self.by_kind.get(_kind(node), ())
        return own + self.by_kind.get("element", ()) if isinstance(node, Element) else own

    def for_shape(self, key: tuple[Any, ...], node: Node) -> Calls:
        """The calls for ``node``, whose shape key is ``key``: ``(type, parent type, within)``
        for text, comments and processing instructions, ``(type, parent type, within, attribute
        names, children up to 2)`` for elements; ``within``: whether a ``<speak>`` encloses it."""
        element = len(key) > 3
        within: bool = key[2]
        names: tuple[str, ...] = key[3] if element else ()
        children: int = key[4] if element else 0
        parent = _PARENT_KIND.get(key[1])  # None: a type of no known kind
        calls: list[Call] = []
        gated: list[Rule] = []
        # Only shapes the table keeps (the scanner's own types) are worth probing: the others
        # are asked again for every node.
        kept = key[0] in self.by_type
        text = key[0] is Text
        for rule in self.for_node(node):
            needs = rule.needs
            if needs.attributes and element and needs.attributes.isdisjoint(names):
                continue
            parents = needs.text_parents if text and needs.text_parents else needs.parents
            if parents and parent is not None and parent not in parents:
                continue
            if needs.children and (not element or children < needs.children):
                continue
            if needs.within_speak is not None and needs.within_speak is not within:
                continue
            if needs.chars and (element or key[0] is Text):
                calls.append((rule, rule.visit, needs.chars))
            elif element and needs.depends_on == "shape" and kept:
                calls.append((rule, self._probe(key, rule)))
            elif element and needs.depends_on != "anything":
                gated.append(rule)
            else:
                calls.append((rule, rule.visit))
        if gated:
            whole = any(r.needs.depends_on == "element" for r in gated)
            calls.append(_gate(tuple(gated), whole=whole))
        found = tuple(calls)
        if kept:  # others may route by name (_kind): not by type alone
            if len(self.by_shape) >= _LIMIT:
                self.by_shape.clear()
            self.by_shape[key] = found
        return found

    def _probe(self, key: tuple[Any, ...], rule: Rule) -> Visitor:
        """``rule``'s call for the first node of shape ``key``: it visits, then puts in the
        shape's calls either ``rule.visit`` (it reported, or failed) or nothing (it did not)."""

        def probe(node: Element, ctx: LintContext) -> None:
            before = ctx.reported
            keep = not guarded(rule, node, ctx) or ctx.reported != before
            calls = self.by_shape.get(key)
            if calls is None:  # the table was emptied meanwhile: the next node probes again
                return
            self.by_shape[key] = tuple(
                (rule, rule.visit) if call[1] is probe else call
                for call in calls
                if keep or call[1] is not probe
            )

        return probe

    def syntax_rules(self, kind: str) -> tuple[Rule, ...]:
        """The ``"syntax"`` rules for a problem of ``kind``: those whose needs name it, or none."""
        found = self.by_problem.get(kind)
        if found is None:
            found = tuple(
                rule
                for rule in self.by_kind.get("syntax", ())
                if not rule.needs.problems or kind in rule.needs.problems
            )
            if len(self.by_problem) < _LIMIT:  # kinds are the scanner's few names
                self.by_problem[kind] = found
        return found

    def text_calls(self, parent_type: type | None, within: bool = False) -> Calls:
        """The calls for a text node right inside an element of ``parent_type``, ``within`` a
        ``<speak>`` or not."""
        key = (Text, parent_type, within)
        calls = self.by_shape.get(key)
        return self.for_shape(key, Text("")) if calls is None else calls

    @staticmethod
    def failed(node: object, ctx: LintContext, error: BaseException) -> None:
        """Report that ``ctx.rule`` raised ``error`` visiting ``node`` (called by the C walk)."""
        failed(node, ctx, error)

    @staticmethod
    def mutated(node: Element, ctx: LintContext, children: object, attrs: object) -> None:
        """Undo and report ``ctx.rule``'s change of ``node`` (called by the C walk)."""
        mutated(node, ctx, children, attrs)


def _gate(rules: tuple[Rule, ...], *, whole: bool) -> Call:
    """One call standing in for ``rules`` (each of which declared that how an element is written,
    its start tag or all of it (``whole``), decides whether it reports): visit with all of them
    the first time an element is written so, and afterwards only with those that reported.

    The call is ``(rules[0], gate, memo, visits, whole)``: the Python walk calls ``gate``; the C
    walk does the same work itself, without a Python frame per element and per rule, and both
    keep ``memo`` (an element as written -> the (rule, visit) pairs that reported or failed for
    it) the same way."""
    memo: dict[str, Visits] = {}
    # Each rule's visit, read once: on a varied corpus most elements are met once, and this loop
    # (guarded's work, inlined) then runs for every rule of the shape.
    visits: Visits = tuple((rule, rule.visit) for rule in rules)

    def gate(node: Element, ctx: LintContext) -> None:
        span = node.span if whole else node.start_tag
        if span is None:  # no source to compare: visit with them all
            for rule in rules:
                guarded(rule, node, ctx)
            return
        key = ctx.source[span[0] : span[1]]  # (start, end, ...)
        pending = memo.get(key)
        if pending is not None:
            for rule, _visit in pending:
                guarded(rule, node, ctx)
            return
        children, attrs = node.children, node.attrs
        reported: list[tuple[Rule, Visitor]] = []
        for pair in visits:
            rule, visit = pair
            ctx.rule = rule
            before = ctx.reported
            try:
                visit(node, ctx)
            except Exception as exc:  # as guarded: reported, and the rule is called again
                failed(node, ctx, exc)
                reported.append(pair)
                continue
            if node.children is not children or node.attrs is not attrs:
                mutated(node, ctx, children, attrs)
                reported.append(pair)
            elif ctx.reported != before:
                reported.append(pair)
        if len(memo) >= _LIMIT:
            memo.clear()
        memo[key] = tuple(reported)

    return (rules[0], gate, memo, visits, whole)


def holds(node: Node, chars: str) -> bool:
    """Whether ``node``'s text, or one of its attribute values, holds one of ``chars`` (always
    true for comments and processing instructions, whose content no need looks at)."""
    if isinstance(node, Text):
        value = node.value
        return any(c in value for c in chars)
    if isinstance(node, Element):
        return any(c in value for _name, value in node.attrs for c in chars)
    return True


def guarded(rule: Rule, node: Any, ctx: LintContext) -> bool:
    """Call ``rule.visit(node, ctx)``; report a failure or a change of ``node`` as an
    ``internal-error`` finding. ``False`` when the rule failed."""
    ctx.rule = rule
    element = isinstance(node, Element)
    if element:
        children, attrs = node.children, node.attrs
    try:
        rule.visit(node, ctx)
    except Exception as exc:  # a rule's bug must not stop the lint (nor hide others' findings)
        failed(node, ctx, exc)
        return False
    if element and (node.children is not children or node.attrs is not attrs):
        mutated(node, ctx, children, attrs)
        return False
    return True


def failed(node: object, ctx: LintContext, error: BaseException) -> None:
    """Report, as ``internal-error``, that ``ctx.rule`` raised ``error`` visiting ``node``."""
    rule = ctx.rule
    _internal(node, ctx, f"raised {type(error).__name__}: {error}")
    ctx.rule = rule


def mutated(node: Element, ctx: LintContext, children: object, attrs: object) -> None:
    """Put back ``node``'s ``children`` and ``attrs`` that ``ctx.rule`` replaced, and report it."""
    rule = ctx.rule
    object.__setattr__(node, "children", children)
    object.__setattr__(node, "attrs", attrs)
    _internal(node, ctx, "changed the node it visited (rules must not change the document)")
    ctx.rule = rule


def _internal(node: object, ctx: LintContext, what: str) -> None:
    rule = ctx.rule
    culprit = "a rule" if rule is None else f"rule {rule.code} ({rule.name})"
    where: Where = None
    if isinstance(node, Element | Text | Comment | ProcessingInstruction | SyntaxProblem):
        where = node
    if isinstance(node, Document) or (isinstance(node, Element | Text) and node.span is None):
        where = None
    ctx.rule = _INTERNAL
    # Reported whichever rules are selected (a failure is never silenced by a selection), at the
    # severity the configuration gives MT002.
    severity = ctx.config.severity_for(_INTERNAL.code, _INTERNAL.name, _INTERNAL.severity)
    ctx.report(
        where,
        f"{culprit} {what}; its findings here may be missing. This is a bug in the rule: "
        "please report it to its authors",
        severity=severity,
    )


def _kind(node: object) -> str:
    if isinstance(node, UnknownElement):
        return "unknown"
    if isinstance(node, Element):
        return node.name
    if isinstance(node, Text):
        return "text"
    if isinstance(node, Comment):
        return "comment"
    if isinstance(node, ProcessingInstruction):
        return "pi"
    return "other"
