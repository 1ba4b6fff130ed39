"""Run the rules over a document: one walk of the tree, dispatching nodes to the rules that want them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ssmlkit._gc import paused_gc
from ssmlkit._scan import LineIndex, SyntaxProblem
from ssmlkit.config import Config
from ssmlkit.errors import BuildError, InputTooLargeError, ParseError
from ssmlkit.linter.context import MAX_PER_RULE, LintContext
from ssmlkit.linter.diagnostic import Diagnostic
from ssmlkit.linter.dispatch import Calls, Plan, failed, holds, mutated
from ssmlkit.linter.registry import all_rules, registry_version
from ssmlkit.linter.rule import Rule
from ssmlkit.model import Document, Element, Node, Speak, Text
from ssmlkit.parse import scan_source
from ssmlkit.serialize import serialize

__all__ = ["build_rules", "lint"]


def build_rules(config: Config, path: str | None = None) -> list[Rule]:
    """Instantiate the enabled rules with their configured options and severities.

    Opt-in rules only when the configuration names them; inactive rules (see
    :meth:`Rule.inactive_reason`) never: their ``visit`` is not called.
    """
    rules: list[Rule] = []
    for cls in all_rules():
        if not config.is_enabled(cls.code, cls.name, path=path, opt_in=cls.opt_in):
            continue
        if cls.inactive_reason() is not None:
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


#: Plans by (configuration, path, registry version): rules are stateless between runs, so they
#: are built once per configuration (per path only when per-file ignores make the path matter),
#: and again when a rule is registered or unregistered. The configuration is kept with its plan,
#: so that its id is not reused while the entry lives.
_PLANS: dict[tuple[int, str | None, int], tuple[Config, Plan]] = {}


def _cached_plan(config: Config, path: str | None) -> Plan:
    key = (id(config), path if config.per_file_ignores else None, registry_version())
    found = _PLANS.get(key)
    if found is not None and found[0] is config:
        return found[1]
    if len(_PLANS) >= 64:  # a configuration per call (tests, tools) must not pile up
        _PLANS.clear()
    plan = Plan(build_rules(config, path))
    _PLANS[key] = (config, plan)
    return plan


def _walk(document: Document, ctx: LintContext, plan: Plan) -> None:
    """Visit every node of ``document`` in document order with the calls its shape gets.

    In C when ssmlkit's extension is built (``walk`` in ``ssmlkit/_cscan.c``, the same loop: the
    Python one cost a fifth of a small document's lint), else :func:`_walk_python`.
    """
    if _C_WALK is not None:
        _C_WALK(document.items, ctx, plan, plan.by_shape, Element, Speak)
    else:
        _walk_python(document, ctx, plan)


def _load_c_walk() -> (
    Callable[[tuple[Node, ...], LintContext, Plan, dict[Any, Any], type, type], None] | None
):
    from ssmlkit import _scan

    if _scan.FAST_SCAN is None:  # no extension, or SSMLKIT_PURE_PYTHON=1
        return None
    from ssmlkit import _cscan

    return _cscan.walk


def _walk_python(document: Document, ctx: LintContext, plan: Plan) -> None:
    """:func:`_walk` in Python: the reference for the C walk.

    The same order and ancestors as :meth:`Document.walk`, written out here to save its generator
    (a resumption per node) and to find each node's calls in one dictionary access: by shape key
    ``(type, parent type, within, attribute names, children up to 2)`` for elements and
    ``(type, parent type, within)`` for comments and processing instructions, where ``within``
    says whether a ``<speak>`` encloses the node; text, most of the nodes, takes the calls for its
    parent's type, looked up once per parent.

    A call that raises, or that replaces the visited element's ``children`` or ``attrs``, becomes
    an ``internal-error`` finding (see :mod:`ssmlkit.linter.dispatch`); the walk goes on over the
    children it read before the calls.
    """
    by_shape = plan.by_shape
    stack: list[tuple[Iterator[Node], type | None, tuple[Element, ...], Calls, bool]] = []
    nodes: Iterator[Node] = iter(document.items)
    parent_type: type | None = None
    ancestors: tuple[Element, ...] = ()
    within = False
    text_calls = plan.text_calls(None, within)
    ctx.ancestors = ancestors
    while True:
        for node in nodes:
            cls = type(node)
            if cls is Text:
                for call in text_calls:
                    if len(call) == 3 and not holds(node, call[2]):
                        continue
                    rule, visit = call[0], call[1]
                    ctx.rule = rule
                    try:
                        visit(node, ctx)
                    except Exception as exc:  # a rule's bug: reported, the walk goes on
                        failed(node, ctx, exc)
                continue
            try:
                attrs = node.attrs  # type: ignore[union-attr]
            except AttributeError:  # a comment or processing instruction
                key: tuple[Any, ...] = (cls, parent_type, within)
                calls = by_shape.get(key)
                for call in plan.for_shape(key, node) if calls is None else calls:
                    rule, visit = call[0], call[1]
                    ctx.rule = rule
                    try:
                        visit(node, ctx)
                    except Exception as exc:
                        failed(node, ctx, exc)
                continue
            children = node.children  # type: ignore[union-attr]
            n = len(children)
            # The attribute names, cheapest first: one name (most elements), then zip(*attrs),
            # which transposes the (name, value) pairs in C.
            names = (attrs[0][0],) if len(attrs) == 1 else next(zip(*attrs)) if attrs else ()  # noqa: B905
            key = (cls, parent_type, within, names, n if n < 2 else 2)
            calls = by_shape.get(key)
            if calls is None:
                calls = plan.for_shape(key, node)
            for call in calls:
                if len(call) == 3 and not holds(node, call[2]):
                    continue
                rule, visit = call[0], call[1]
                ctx.rule = rule
                try:
                    visit(node, ctx)
                except Exception as exc:
                    failed(node, ctx, exc)
                if node.children is not children or node.attrs is not attrs:  # type: ignore[union-attr]
                    mutated(node, ctx, children, attrs)  # type: ignore[arg-type]
            if children:
                stack.append((nodes, parent_type, ancestors, text_calls, within))
                ancestors = (*ancestors, node)  # type: ignore[arg-type]  # an Element here
                ctx.ancestors = ancestors
                nodes = iter(children)
                parent_type = cls
                within = within or cls is Speak
                found = by_shape.get((Text, cls, within))
                text_calls = plan.text_calls(cls, within) if found is None else found
                break
        else:
            if not stack:
                return
            nodes, parent_type, ancestors, text_calls, within = stack.pop()
            ctx.ancestors = ancestors


_C_WALK = _load_c_walk()


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
    plan = _cached_plan(config, path) if rules is None else Plan(rules)
    # A lint makes many small acyclic objects (nodes, findings) and frees them by reference
    # counting; the cyclic collector would only re-walk them (see ssmlkit._gc): 3% of a pass.
    with paused_gc():
        return _lint(source, config, path, plan, size)


def _lint(
    source: str | bytes | Document, config: Config, path: str | None, plan: Plan, size: int | None
) -> list[Diagnostic]:
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
    by_kind = plan.by_kind

    for problem in problems:
        for rule in plan.syntax_rules(problem.kind):
            ctx.rule = rule
            try:
                rule.visit(problem, ctx)
            except Exception as exc:  # a rule's bug: reported, the lint goes on
                failed(problem, ctx, exc)

    # Structure is only worth checking when the text could be read at all (an undecodable file
    # is not also "empty").
    if readable:
        _walk(document, ctx, plan)
        ctx.ancestors = ()
        for rule in by_kind.get("document", ()):
            ctx.rule = rule
            try:
                rule.visit(document, ctx)
            except Exception as exc:
                failed(document, ctx, exc)
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
