"""Size rules (SZ): the per-request character limit, counted the way the service counts.

Counting is :func:`ssmlkit.measure.measure` (CJK ideographs 2, everything else 1, tags not
counted); with ``count_tags`` in the configuration the whole text is counted with the same rule,
tags included (the older, stricter reading). The limit is the configuration's ``max_chars``
(``--max-chars``, default 20,000).
"""

from __future__ import annotations

import math

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.measure import count_text, measure
from ssmlkit.model import Document, Element, iter_text

__all__ = ["DocumentTooLong", "UnsplittableUnitTooLong"]


def _counting(ctx: LintContext) -> str:
    return "tags included" if ctx.config.count_tags else "tags not counted"


def _crossing(document: Document, ctx: LintContext, limit: int) -> int:
    """The source offset of the first character past ``limit`` (0 when it cannot be placed)."""
    if ctx.config.count_tags:
        return _crossing_in(ctx.source, 0, 0, limit) or 0
    total = 0
    for text in iter_text(document.items):
        size = count_text(text.value)
        if total + size > limit:
            if text.span is None:
                return 0
            if ctx.raw(text.span) != text.value:
                return text.span.start  # references: offsets in the value do not map
            return _crossing_in(text.value, text.span.start, total, limit) or text.span.start
        total += size
    return 0


def _crossing_in(text: str, base: int, total: int, limit: int) -> int | None:
    for i, ch in enumerate(text):
        total += count_text(ch)
        if total > limit:
            return base + i
    return None


@register
class DocumentTooLong(Rule):
    """The document counts more characters than one request may carry.

    The service takes at most ``max_chars`` counted characters per request (20,000 by default;
    CJK ideographs count 2, every other character 1, tags not counted). When you render without
    splitting (``rendering`` in the configuration) this is an error; otherwise a warning that
    says how many requests ``ssmlkit split`` would make (an estimate: the size divided by the
    limit, rounded up). The finding points at the first character past the limit.

    With ``max_chars = 10``: ``<speak>一二三四五六</speak>`` counts 12 and is reported at 1:13.

    Examples::

        pass: <speak>你好，世界。</speak>
    """

    code = "SZ001"
    name = "document-too-long"
    summary = "The document exceeds the per-request character limit"
    severity = Severity.ERROR
    targets = ("document",)

    def visit(self, node: Document, ctx: LintContext) -> None:
        limit = ctx.config.max_chars
        if limit <= 0 or 2 * len(ctx.source) <= limit:
            return  # counted size is at most 2 per character of the (decoded) source
        # The source counted whole is the size with tags, and bounds the size without them: each
        # character of text stands in the source as itself or as a longer reference (or \r\n).
        # One count_text of the source costs ~40% of measure's walk over the text nodes.
        size = count_text(ctx.source)
        if size <= limit:
            return
        if not ctx.config.count_tags:
            size = measure(node)
            if size <= limit:
                return
        at = _crossing(node, ctx, limit)
        head = (
            f"the document counts {size:,} characters ({_counting(ctx)}), over the "
            f"per-request limit of {limit:,}"
        )
        configured = self.severity is not type(self).severity
        if ctx.config.rendering:
            ctx.report(
                (at, at + 1),
                f"{head}; split it first (ssmlkit split) or shorten it",
                severity=None if configured else Severity.ERROR,
            )
        else:
            chunks = math.ceil(size / limit)
            ctx.report(
                (at, at + 1),
                f"{head}; ssmlkit split would make about {chunks} requests",
                severity=None if configured else Severity.WARNING,
            )


@register
class UnsplittableUnitTooLong(Rule):
    """A single ``<phoneme>``, ``<say-as>`` or ``<sub>`` counts more than one request may carry.

    The splitter never cuts inside these elements, so one of them larger than ``max_chars``
    (default 20,000 counted characters) cannot be sent at all: shorten it or break it into
    several elements.

    With ``max_chars = 4``: ``<speak><sub alias="x">一二三</sub></speak>`` is reported at 1:8.

    Examples::

        pass: <speak><sub alias="网络协议标准">W3C</sub></speak>
    """

    code = "SZ002"
    name = "unsplittable-unit-too-long"
    summary = "One phoneme/say-as/sub is larger than the per-request limit"
    severity = Severity.ERROR
    targets = ("phoneme", "say-as", "sub")
    # With the configuration, the element as written decides (its size, its text).
    needs = Needs(depends_on="element")

    def visit(self, node: Element, ctx: LintContext) -> None:
        limit = ctx.config.max_chars
        if limit <= 0:
            return
        span = node.span
        if span is not None and 2 * (span.end - span.start) <= limit:
            return  # its text is no longer than its source, and counts at most 2 per character
        if ctx.config.count_tags and node.span is not None:
            size = count_text(ctx.raw(node.span))
        else:
            size = measure(node)
        if size > limit:
            ctx.report(
                node,
                f"this <{node.name}> counts {size:,} characters ({_counting(ctx)}), over the "
                f"per-request limit of {limit:,}, and cannot be split; shorten it or use "
                "several elements",
            )
