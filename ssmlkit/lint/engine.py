"""Run the rules over a document: one walk of the tree, dispatching nodes to the rules that want them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ssmlkit._scan import LineIndex, SyntaxProblem
from ssmlkit.config import Config
from ssmlkit.errors import InputTooLargeError, ParseError
from ssmlkit.lint.context import LintContext
from ssmlkit.lint.diagnostic import Diagnostic
from ssmlkit.lint.registry import all_rules
from ssmlkit.lint.rule import Rule
from ssmlkit.model import Comment, Document, Element, ProcessingInstruction, Text, UnknownElement

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


def _cached_rules(config: Config, path: str | None) -> list[Rule]:
    # Rules are stateless between runs; build them once per configuration (and per path only when
    # per-file ignores make the path matter).
    key = path if config.per_file_ignores else None
    cache: dict[str | None, list[Rule]] | None = config.__dict__.get("_ssmlkit_rules")
    if cache is None:
        cache = {}
        object.__setattr__(config, "_ssmlkit_rules", cache)
    rules = cache.get(key)
    if rules is None:
        rules = cache[key] = build_rules(config, path)
    return rules


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
) -> list[Diagnostic]:
    """Check ``source`` and return every finding, sorted by position.

    Never raises for bad input: text that is not XML, bytes in the wrong encoding and oversized
    input all come back as diagnostics. A built :class:`Document` is serialized first so that
    findings have positions.
    """
    from ssmlkit.parse import scan_source
    from ssmlkit.serialize import serialize

    config = config or _DEFAULT_CONFIG
    if rules is None:
        rules = _cached_rules(config, path)
    if isinstance(source, Document):
        source = source.source if source.source is not None else serialize(source)
    problems: tuple[SyntaxProblem, ...]
    try:
        _decoded, result = scan_source(source, max_bytes=config.max_bytes, path=path)
        document = result.document
        text = document.source or ""
        problems = result.problems
    except InputTooLargeError as exc:
        text, document = "", Document(())
        problems = (SyntaxProblem("too-large", str(exc), 0, 0, 1, 1),)
    except ParseError as exc:  # undecodable bytes
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
    by_kind: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        for target in rule.targets:
            by_kind[target].append(rule)

    for problem in problems:
        for rule in by_kind.get("syntax", ()):
            ctx.rule = rule
            rule.visit(problem, ctx)

    # Structure is only trustworthy enough to check when the text could be read at all.
    if text or document.items or not problems:
        element_rules = by_kind.get("element", [])
        for node, ancestors in document.walk():
            ctx.ancestors = ancestors
            kind = _kind(node)
            for rule in by_kind.get(kind, ()):
                ctx.rule = rule
                rule.visit(node, ctx)
            if element_rules and isinstance(node, Element):
                for rule in element_rules:
                    ctx.rule = rule
                    rule.visit(node, ctx)
        ctx.ancestors = ()
        for rule in by_kind.get("document", ()):
            ctx.rule = rule
            rule.visit(document, ctx)
    ctx.rule = None

    from ssmlkit.lint.suppress import apply_suppressions

    diagnostics = apply_suppressions(ctx.diagnostics, ctx, rules)
    diagnostics.sort(key=lambda d: (d.start, d.line, d.column, d.code))
    return diagnostics
