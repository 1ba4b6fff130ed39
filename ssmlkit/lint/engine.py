"""Run the rules over a document: one walk of the tree, dispatching nodes to the rules that want them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ssmlkit._scan import LineIndex, SyntaxProblem
from ssmlkit.config import Config
from ssmlkit.errors import BuildError, InputTooLargeError, ParseError
from ssmlkit.lint.context import MAX_PER_RULE, LintContext
from ssmlkit.lint.diagnostic import Diagnostic
from ssmlkit.lint.registry import all_rules
from ssmlkit.lint.rule import Rule
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


class _Plan:
    """The rules of a run, grouped for dispatch: by kind, and by node type for the walk."""

    __slots__ = ("by_kind", "by_type", "rules")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
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

    def for_node(self, node: Node) -> tuple[Rule, ...]:
        """The rules to call for ``node``, in order."""
        rules = self.by_type.get(type(node))
        if rules is not None:
            return rules
        own = self.by_kind.get(_kind(node), ())
        return own + self.by_kind.get("element", ()) if isinstance(node, Element) else own


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
    from ssmlkit.parse import scan_source
    from ssmlkit.serialize import serialize

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
    by_kind = plan.by_kind

    for problem in problems:
        for rule in by_kind.get("syntax", ()):
            ctx.rule = rule
            rule.visit(problem, ctx)

    # Structure is only worth checking when the text could be read at all (an undecodable file
    # is not also "empty").
    if readable:
        by_type = plan.by_type
        for node, ancestors in document.walk():
            ctx.ancestors = ancestors
            node_rules = by_type.get(type(node))
            for rule in plan.for_node(node) if node_rules is None else node_rules:
                ctx.rule = rule
                rule.visit(node, ctx)
        ctx.ancestors = ()
        for rule in by_kind.get("document", ()):
            ctx.rule = rule
            rule.visit(document, ctx)
    ctx.rule = None
    if any(n > MAX_PER_RULE for n in ctx.counts.values()):
        ctx.diagnostics.extend(ctx.overflow())

    if "ssmlkit" in text:  # a suppression comment must name it: skip the import otherwise
        from ssmlkit.lint.suppress import apply_suppressions

        diagnostics = apply_suppressions(ctx.diagnostics, ctx, rules)
    else:
        diagnostics = list(ctx.diagnostics)
    diagnostics.sort(key=lambda d: (d.start, d.line, d.column, d.code))
    return diagnostics
