"""Run the rules over a document: one walk of the tree, dispatching nodes to the rules that want them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ssmlkit._scan import LineIndex, SyntaxProblem
from ssmlkit.config import Config
from ssmlkit.errors import BuildError, InputTooLargeError, ParseError
from ssmlkit.linter.context import MAX_PER_RULE, LintContext
from ssmlkit.linter.diagnostic import Diagnostic
from ssmlkit.linter.registry import all_rules
from ssmlkit.linter.rule import Family, Rule, Shape, Visitor
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
from ssmlkit.parse import scan_source
from ssmlkit.serialize import serialize

__all__ = ["build_rules", "lint"]


def build_rules(config: Config, path: str | None = None) -> list[Rule]:
    """Instantiate the enabled rules with their configured options and severities."""
    rules: list[Rule] = []
    for cls in all_rules():
        if not config.is_enabled(cls.code, cls.name, path=path):
            continue
        raw = config.rule_options.get(cls.code) or config.rule_options.get(cls.name) or {}
        options = cls.Options(**raw) if raw else None
        rule = cls(options)
        severity = config.severity_for(cls.code, cls.name, cls.severity)
        if severity is not cls.severity:
            rule.severity = severity  # type: ignore[misc]
        rules.append(rule)
    return rules


_DEFAULT_CONFIG = Config()


#: Shapes remembered per plan before the table is emptied: a few dozen cover real documents, and
#: a hostile one inventing attribute names by the thousand must not grow it without bound.
_SHAPE_LIMIT = 4096

#: (rule, its visitor) pairs, the unit the walk calls.
_Calls = tuple[tuple[Rule, Visitor], ...]


class _Plan:
    """The rules of a run, grouped for dispatch: by kind, by node type, and by node shape.

    ``by_shape`` maps a node's shape key (see :func:`_walk`) to the rules that want nodes of that
    shape (:meth:`Rule.wants`), filled as shapes are met. Skipping a rule there costs nothing per
    node, where calling it costs a Python call that returns at once: measured on the lint
    benchmark, most rule calls were such calls (``<speak>`` alone has seventeen rules, most of them
    about one attribute it seldom carries).
    """

    __slots__ = ("by_kind", "by_shape", "by_type", "rules", "run_checks", "variants")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
        #: The rules with a precondition on the whole run (:meth:`Rule.applies`), and the plans
        #: without the ones that say no, by a bit mask of those (bit i: run_checks[i] is out).
        self.run_checks = tuple(r for r in rules if type(r).applies is not Rule.applies)
        self.variants: dict[int, _Plan] = {}
        by_kind: dict[str, list[Rule]] = defaultdict(list)
        for rule in rules:
            for target in rule.targets:
                by_kind[target].append(rule)
        self.by_kind: dict[str, tuple[Rule, ...]] = {k: tuple(v) for k, v in by_kind.items()}
        # The rules each node type gets, in the order the kinds are visited: the node's own kind,
        # then "element" for every element. Types the scanner does not make fall back to _kind.
        element_rules = self.by_kind.get("element", ())
        self.by_type: dict[type, tuple[Rule, ...]] = {}
        kinds: list[tuple[type, str]] = [(cls, tag) for tag, cls in KNOWN_ELEMENTS.items()]
        kinds += [(UnknownElement, "unknown"), (Text, "text"), (Comment, "comment")]
        kinds.append((ProcessingInstruction, "pi"))
        for cls, kind in kinds:
            own = self.by_kind.get(kind, ())
            self.by_type[cls] = own + element_rules if issubclass(cls, Element) else own
        self.by_shape: dict[tuple[Any, ...], _Calls] = {}

    def for_node(self, node: Node) -> tuple[Rule, ...]:
        """The rules to call for ``node``, in order."""
        rules = self.by_type.get(type(node))
        if rules is not None:
            return rules
        own = self.by_kind.get(_kind(node), ())
        return own + self.by_kind.get("element", ()) if isinstance(node, Element) else own

    def for_shape(self, key: tuple[Any, ...], node: Node) -> _Calls:
        """The calls for ``node``, whose shape key is ``key`` (see :func:`_walk`)."""
        shape = Shape(key[0], key[1], key[2] if len(key) > 2 else (), key[3] if len(key) > 2 else 0)
        calls: list[tuple[Rule, Visitor]] = []
        families: dict[Family, list[tuple[Rule, Visitor]]] = {}
        for rule in self.for_node(node):
            visit = rule.visitor(shape)
            if visit is None:
                continue
            family = rule.family
            if family is None:
                calls.append((rule, visit))
            else:
                families.setdefault(family, []).append((rule, visit))
        for family, members in families.items():
            together = family.combine(shape, [rule for rule, _ in members])
            if together is None:
                calls.extend(members)
            else:  # the engine sets ctx.rule to the first member; the function sets its own
                calls.append((members[0][0], together))
        found = tuple(calls)
        if key[0] in self.by_type:  # others may route by name (_kind): not by type alone
            if len(self.by_shape) >= _SHAPE_LIMIT:
                self.by_shape.clear()
            self.by_shape[key] = found
        return found

    def for_run(self, ctx: LintContext) -> _Plan:
        """This plan, or one without the rules that have nothing to do in ``ctx``'s run."""
        out = 0
        bit = 1
        for rule in self.run_checks:
            if not rule.applies(ctx):
                out |= bit
            bit <<= 1
        if not out:
            return self
        variant = self.variants.get(out)
        if variant is None:
            skipped = {r for i, r in enumerate(self.run_checks) if out >> i & 1}
            variant = self.variants[out] = _Plan([r for r in self.rules if r not in skipped])
        return variant

    def text_calls(self, parent_type: type | None) -> _Calls:
        """The calls for a text node right inside an element of ``parent_type``."""
        key = (Text, parent_type)
        calls = self.by_shape.get(key)
        return self.for_shape(key, Text("")) if calls is None else calls


def _cached_plan(config: Config, path: str | None) -> _Plan:
    # Rules are stateless between runs; build them once per configuration (and per path only when
    # per-file ignores make the path matter).
    key = path if config.per_file_ignores else None
    cache: dict[str | None, _Plan] | None = config.__dict__.get("_ssmlkit_rules")
    if cache is None:
        cache = {}
        object.__setattr__(config, "_ssmlkit_rules", cache)
    plan = cache.get(key)
    if plan is None:
        plan = cache[key] = _Plan(build_rules(config, path))
    return plan


def _walk(document: Document, ctx: LintContext, plan: _Plan) -> None:
    """Visit every node of ``document`` in document order with the rules that want its shape.

    In C when ssmlkit's extension is built (``walk`` in ``ssmlkit/_cscan.c``, the same loop: the
    Python one cost a fifth of a small document's lint), else :func:`_walk_python`.
    """
    if _C_WALK is not None:
        _C_WALK(document.items, ctx, plan, plan.by_shape, Element)
    else:
        _walk_python(document, ctx, plan)


def _load_c_walk() -> (
    Callable[[tuple[Node, ...], LintContext, _Plan, dict[Any, Any], type], None] | None
):
    from ssmlkit import _scan

    if _scan.FAST_SCAN is None:  # no extension, or SSMLKIT_PURE_PYTHON=1
        return None
    from ssmlkit import _cscan

    return _cscan.walk


def _walk_python(document: Document, ctx: LintContext, plan: _Plan) -> None:
    """:func:`_walk` in Python: the reference for the C walk.

    The same order and ancestors as :meth:`Document.walk`, written out here to save its generator
    (a resumption per node) and to find each node's calls in one dictionary access: by shape key
    ``(type, parent type, attribute names, children up to 2)`` for elements and
    ``(type, parent type)`` for comments and processing instructions; text, most of the nodes,
    takes the calls for its parent's type, looked up once per parent.
    """
    by_shape = plan.by_shape
    stack: list[tuple[Iterator[Node], type | None, tuple[Element, ...], _Calls]] = []
    nodes: Iterator[Node] = iter(document.items)
    parent_type: type | None = None
    ancestors: tuple[Element, ...] = ()
    text_calls = plan.text_calls(None)
    ctx.ancestors = ancestors
    while True:
        for node in nodes:
            cls = type(node)
            if cls is Text:
                for rule, visit in text_calls:
                    ctx.rule = rule
                    visit(node, ctx)
                continue
            try:
                attrs = node.attrs  # type: ignore[union-attr]
            except AttributeError:  # a comment or processing instruction
                key: tuple[Any, ...] = (cls, parent_type)
                children: tuple[Node, ...] = ()
            else:
                children = node.children  # type: ignore[union-attr]
                n = len(children)
                # The attribute names, cheapest first: one name (most elements), then zip(*attrs),
                # which transposes the (name, value) pairs in C.
                names = (attrs[0][0],) if len(attrs) == 1 else next(zip(*attrs)) if attrs else ()  # noqa: B905
                key = (cls, parent_type, names, n if n < 2 else 2)
            calls = by_shape.get(key)
            if calls is None:
                calls = plan.for_shape(key, node)
            for rule, visit in calls:
                ctx.rule = rule
                visit(node, ctx)
            if children:
                stack.append((nodes, parent_type, ancestors, text_calls))
                ancestors = (*ancestors, node)  # type: ignore[arg-type]  # an Element here
                ctx.ancestors = ancestors
                nodes = iter(children)
                parent_type = cls
                found = by_shape.get((Text, cls))
                text_calls = plan.text_calls(cls) if found is None else found
                break
        else:
            if not stack:
                return
            nodes, parent_type, ancestors, text_calls = stack.pop()
            ctx.ancestors = ancestors


_C_WALK = _load_c_walk()


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


def lint(
    source: str | bytes | Document,
    *,
    config: Config | None = None,
    path: str | None = None,
    rules: Sequence[Rule] | None = None,
    size: int | None = None,
) -> list[Diagnostic]:
    """Check ``source`` and return every finding, sorted by position.

    ``size`` is the full input's size in bytes when ``source`` is only its beginning (the CLI reads
    no more than the cap of a larger file); over the cap, the input is refused before anything else.

    Never raises for bad input: text that is not XML, bytes in the wrong encoding and oversized
    input all come back as diagnostics. A built :class:`Document` is serialized first so that
    findings have positions.
    """
    config = config or _DEFAULT_CONFIG
    plan = _cached_plan(config, path) if rules is None else _Plan(rules)
    rules = plan.rules
    problems: tuple[SyntaxProblem, ...]
    readable = True  # False when the input could not be decoded or was too large to read
    try:
        if size is not None and size > config.max_bytes:
            raise InputTooLargeError(size, config.max_bytes, path)
        if isinstance(source, Document):
            source = source.source if source.source is not None else serialize(source)
        _decoded, result = scan_source(source, max_bytes=config.max_bytes, path=path)
        document = result.document
        text = document.source or ""
        problems = result.problems
    except InputTooLargeError as exc:
        readable = False
        text, document = "", Document(())
        problems = (SyntaxProblem("too-large", str(exc), 0, 0, 1, 1),)
    except BuildError as exc:  # a built Document holding what XML cannot carry (U+0000, '--')
        readable = False
        text, document = "", Document(())
        problems = (SyntaxProblem("unwritable", str(exc), 0, 0, 1, 1),)
    except ParseError as exc:  # undecodable bytes
        readable = False
        text = ""
        document = Document(())
        problems = (SyntaxProblem(exc.code, exc.reason, 0, 0, exc.line, exc.column),)
        if isinstance(source, bytes):
            text = source.decode("utf-8", errors="replace")
            index = LineIndex(text)
            start = exc.offset
            problems = (
                SyntaxProblem("encoding", exc.reason, start, start + 1, *index.position(start)),
            )

    ctx = LintContext(text, document, config, path)
    if plan.run_checks:
        plan = plan.for_run(ctx)  # ``rules`` stays the full list: suppressions judge by it
    by_kind = plan.by_kind

    for problem in problems:
        for rule in by_kind.get("syntax", ()):
            ctx.rule = rule
            rule.visit(problem, ctx)

    # Structure is only worth checking when the text could be read at all (an undecodable file
    # is not also "empty").
    if readable:
        _walk(document, ctx, plan)
        ctx.ancestors = ()
        for rule in by_kind.get("document", ()):
            ctx.rule = rule
            rule.visit(document, ctx)
    ctx.rule = None
    counts = ctx.counts
    if counts and max(counts.values()) > MAX_PER_RULE:
        ctx.diagnostics.extend(ctx.overflow())

    if "ssmlkit" in text:  # a suppression comment must name it: skip the import otherwise
        from ssmlkit.linter.suppress import apply_suppressions

        diagnostics = apply_suppressions(ctx.diagnostics, ctx, rules)
    else:
        diagnostics = ctx.diagnostics  # the run's own list: nobody else holds it
    if len(diagnostics) > 1:
        diagnostics.sort(key=_position)
    return diagnostics


def _position(d: Diagnostic) -> tuple[int, int, int, str]:
    return d.start, d.line, d.column, d.code
