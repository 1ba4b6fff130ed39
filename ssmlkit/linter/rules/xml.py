"""XML rules (XM): the input must be well-formed UTF-8 XML without DTDs."""

from __future__ import annotations

import re
from functools import partial

from ssmlkit._scan import SyntaxProblem
from ssmlkit._syntax import new_span
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Edit, LazyFix, Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.model import Document, Element, Span, Text

_OWN_RULE = {"bare-ampersand", "bare-lt", "dtd", "encoding", "too-large"}


def _escape(at: int, reference: str) -> tuple[Edit, ...]:
    """The edits of a fix escaping the character at ``at``: built only when someone asks (see
    :class:`LazyFix`), since building them cost as much as the rest of reporting a ``R&D``."""
    return (Edit(at, at + 1, reference),)


def _on_one_line(problem: SyntaxProblem) -> Span:
    """The span of ``problem``, which covers no line break (a bare ``&`` or ``<``), with its
    positions.

    A problem knows where it starts; reported as itself, the context would look its line and
    column up again, building the document's line index on the first finding (the costlier
    half of reporting the ``R&D`` of a document). On one line, the end is as many columns on.
    """
    start, end, line, column = problem.start, problem.end, problem.line, problem.column
    return new_span((start, end, line, column, line, column + end - start))


@register
class NotWellFormed(Rule):
    """The input is not well-formed XML: the service cannot read it.

    Every syntax problem is reported at its own position, not just the first.

    Examples::

        pass: <speak>hello</speak>
        fail: <speak><sub alias="x">W3C</speak>  # 1:26
        fail: <speak>a</speak></speak>  # 1:17
        fail: <speak><break time="1s"></speak>  # 1:25
    """

    code = "XM001"
    name = "not-well-formed"
    summary = "The input is not well-formed XML"
    severity = Severity.ERROR
    targets = ("syntax",)

    def visit(self, node: SyntaxProblem, ctx: LintContext) -> None:
        if node.kind not in _OWN_RULE:
            ctx.report(node, node.message)


@register
class UnescapedAmpersand(Rule):
    """A bare ``&`` in text or an attribute: XML needs ``&amp;``.

    Examples::

        pass: <speak>Tom &amp; Jerry</speak>
        fail: <speak>Tom & Jerry</speak>  # 1:12
        fix: <speak>Tom &amp; Jerry</speak>
    """

    code = "XM002"
    name = "unescaped-ampersand"
    summary = "An '&' that starts no reference; write &amp;"
    severity = Severity.ERROR
    targets = ("syntax",)
    needs = Needs(problems={"bare-ampersand"})
    fix_safety = "safe"

    def visit(self, node: SyntaxProblem, ctx: LintContext) -> None:
        if node.kind == "bare-ampersand":
            fix = LazyFix("escape '&' as &amp;", "safe", partial(_escape, node.start, "&amp;"))
            ctx.report(_on_one_line(node), node.message, fix=fix)


@register
class UnescapedLessThan(Rule):
    """A ``<`` that starts no tag: XML needs ``&lt;``.

    Examples::

        pass: <speak>1 &lt; 2</speak>
        fail: <speak>1 < 2</speak>  # 1:10
        fix: <speak>1 &lt; 2</speak>
    """

    code = "XM003"
    name = "unescaped-less-than"
    summary = "A '<' that starts no tag; write &lt;"
    severity = Severity.ERROR
    targets = ("syntax",)
    needs = Needs(problems={"bare-lt"})
    fix_safety = "safe"

    def visit(self, node: SyntaxProblem, ctx: LintContext) -> None:
        if node.kind == "bare-lt":
            fix = LazyFix("escape '<' as &lt;", "safe", partial(_escape, node.start, "&lt;"))
            ctx.report(_on_one_line(node), node.message, fix=fix)


_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.S)


@register
class UnescapedGreaterThan(Rule):
    """A literal ``>`` in text or in an attribute value.

    XML tolerates it, but the vendor's documentation requires the five special characters to be
    escaped in text and in URLs, so the strict profile asks for ``&gt;``.

    Examples::

        pass: <speak>2 &gt; 1</speak>
        fail: <speak>2 > 1</speak>  # 1:10
        fix: <speak>2 &gt; 1</speak>
        fail: <speak><soundEvent src="https://a.example/x.wav?a>b"/></speak>  # 1:50
    """

    code = "XM004"
    name = "unescaped-greater-than"
    summary = "A literal '>' in text or an attribute; write &gt;"
    severity = Severity.ERROR
    targets = ("text", "element")
    fix_safety = "safe"
    # Nothing to say without a '>' in the text or an attribute value (decoded: a '>' written
    # &gt; is decoded to one, and visit then finds none in the source); for an element, its
    # attribute values alone decide.
    needs = Needs(chars=">", depends_on="start-tag")

    def visit(self, node: Text | Element, ctx: LintContext) -> None:
        if type(node) is Text:  # every text node comes here, and most hold no '>'
            if ">" in node.value:
                self._visit_text(node, ctx)
        elif isinstance(node, Element):
            self._visit_element(node, ctx)
        elif ">" in node.value:  # a subclass of Text
            self._visit_text(node, ctx)

    def _visit_text(self, node: Text, ctx: LintContext) -> None:
        if node.span is None:
            return
        raw = ctx.raw(node.span)
        skip = [(m.start(), m.end()) for m in _CDATA.finditer(raw)] if "<![" in raw else []
        for i, ch in enumerate(raw):
            if ch == ">" and not any(a <= i < b for a, b in skip):
                self._report(node.span.start + i, ctx, "text")

    def _visit_element(self, node: Element, ctx: LintContext) -> None:
        for _name, value in node.attrs:  # the usual case: no '>' anywhere, nothing to pair up
            if ">" in value:
                break
        else:
            return
        for (name, value), span in zip(node.attrs, node.value_spans or (), strict=False):
            if ">" in value:
                raw = ctx.raw(span)
                for i, ch in enumerate(raw):
                    if ch == ">":
                        self._report(span.start + i, ctx, f"attribute '{name}'")

    @staticmethod
    def _report(at: int, ctx: LintContext, where: str) -> None:
        fix = LazyFix("escape '>' as &gt;", "safe", partial(_escape, at, "&gt;"))
        ctx.report((at, at + 1), f"unescaped '>' in {where}; write &gt;", fix=fix)


@register
class DoctypeDeclaration(Rule):
    """A ``<!DOCTYPE>`` or entity declaration: refused, never expanded (XXE and entity bombs).

    Examples::

        pass: <speak>hello</speak>
        fail: <!DOCTYPE speak [<!ENTITY a "b">]><speak>&a;</speak>  # 1:1
    """

    code = "XM005"
    name = "doctype-declaration"
    summary = "DTDs and entity declarations are not allowed"
    severity = Severity.ERROR
    targets = ("syntax",)
    needs = Needs(problems={"dtd"})

    def visit(self, node: SyntaxProblem, ctx: LintContext) -> None:
        if node.kind == "dtd":
            ctx.report(node, node.message)


@register
class NonUtf8Encoding(Rule):
    """The input is not UTF-8 (the service reads UTF-8 only), or its bytes are not valid.

    Examples::

        pass: <?xml version="1.0" encoding="UTF-8"?><speak>hi</speak>
        fail: <?xml version="1.0" encoding="ISO-8859-1"?><speak>hi</speak>  # 1:31
    """

    code = "XM006"
    name = "non-utf8-encoding"
    summary = "The input must be UTF-8 encoded"
    severity = Severity.ERROR
    targets = ("syntax", "document")
    needs = Needs(problems={"encoding"})

    def visit(self, node: SyntaxProblem | Document, ctx: LintContext) -> None:
        if isinstance(node, SyntaxProblem):
            if node.kind == "encoding":
                ctx.report(node, node.message)
            return
        declared = node.declared_encoding
        if declared is not None and declared.replace("_", "-").lower() not in ("utf-8", "utf8"):
            at = ctx.source.find(declared)
            where = (at, at + len(declared)) if at >= 0 else (0, 0)
            ctx.report(
                where,
                f"encoding {declared!r} is declared, but the service reads UTF-8 only; "
                'save the file as UTF-8 and declare encoding="UTF-8" (or nothing)',
            )
        elif node.encoding not in (None, "utf-8"):
            ctx.report(
                (0, 0), f"the input is {node.encoding.upper()}; the service reads UTF-8 only"
            )


@register
class InputTooLarge(Rule):
    """The input is over the size cap and was not parsed (raise ``max_bytes`` only for input you trust).

    Examples::

        pass: <speak>hello</speak>
    """

    code = "XM007"
    name = "input-too-large"
    summary = "The input exceeds the byte cap and was refused before parsing"
    severity = Severity.ERROR
    targets = ("syntax",)
    needs = Needs(problems={"too-large"})

    def visit(self, node: SyntaxProblem, ctx: LintContext) -> None:
        if node.kind == "too-large":
            ctx.report(node, node.message)
