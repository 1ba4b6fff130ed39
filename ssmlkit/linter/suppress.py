"""Suppression comments inside documents; see :func:`apply_suppressions`.

Usage (in an SSML document)::

    <speak>
      <!-- ssmlkit: disable=XM004,unescaped-ampersand -->
      a > b & c
      <!-- ssmlkit: enable=XM004 -->
      <!-- ssmlkit: disable-next-line=BR -->
      <break time="20s"/>
    </speak>

``disable=`` silences findings from the comment to the next ``enable=`` that names the same rule
(or ``all``, or a prefix of its code), or to the end of the document; ``disable-next-line=``
silences findings that start on the line after the comment. Codes may be rule codes
(``XM004``), prefixes (``XM``), names (``unescaped-greater-than``) or ``all``; separate several
with commas. A directive that silenced nothing is reported as MT001 ``unused-suppression``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ssmlkit._records import Record, record
from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix
from ssmlkit.model import Comment

if TYPE_CHECKING:
    from ssmlkit.linter.context import LintContext
    from ssmlkit.linter.rule import Rule

__all__ = ["Directive", "apply_suppressions", "directives"]

_DIRECTIVE = re.compile(
    r"\A\s*ssmlkit\s*:\s*(?P<action>[A-Za-z-]+)\s*(?:=\s*(?P<codes>.*?))?\s*\Z", re.S
)
_ACTIONS = ("disable", "enable", "disable-next-line")
_SPLIT = re.compile(r"[\s,]+")
_PREFIX = re.compile(r"[A-Z]{2}[0-9]{0,3}")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_META = "MT001"


@dataclass(eq=False)
class Directive:
    """One ``ssmlkit:`` comment: its action, its codes as written, and which of them were used.

    ``start``/``end`` are the comment's offsets and ``codes_at`` the offsets of its code list.
    """

    action: str
    tokens: tuple[str, ...]
    start: int
    end: int
    codes_at: tuple[int, int]
    valid: bool = True
    followed: bool = True
    used: set[str] = field(default_factory=set)


# On the record base, not @dataclass(frozen=True, slots=True): every `ssmlkit lint` imports this
# module, and generating the methods cost ~0.8 ms of start-up (see ssmlkit._records).
@record
class _Range(Record):
    directive: Directive
    token: str
    start: int
    stop: int


def _canonical(token: str) -> str:
    """A token as a code, a code prefix, ``ALL``, or a lower-case name."""
    from ssmlkit.linter.registry import find_rule

    upper = token.upper()
    if upper == "ALL":
        return "ALL"
    if _PREFIX.fullmatch(upper):
        return upper
    rule = find_rule(token)
    return rule.code if rule is not None else token.lower()


def _covered(token: str, codes: Sequence[str]) -> list[str]:
    """The rule codes a token names."""
    canon = _canonical(token)
    if canon == "ALL":
        return list(codes)
    if _PREFIX.fullmatch(canon):
        return [c for c in codes if c.startswith(canon)]
    return []


def directives(ctx: LintContext) -> list[Directive]:
    """Every ``ssmlkit:`` comment of the document, in document order."""
    found: list[Directive] = []
    for node, _ in ctx.document.walk():
        if not isinstance(node, Comment) or node.span is None:
            continue
        m = _DIRECTIVE.match(node.value)
        if m is None:
            continue
        action = m.group("action").lower()
        codes = m.group("codes")
        inner = node.span.start + 4  # past "<!--"
        if codes is None:
            tokens: tuple[str, ...] = ("all",)
            at = (inner + m.end("action"), inner + m.end("action"))
        else:
            tokens = tuple(t for t in _SPLIT.split(codes) if t)
            at = (inner + m.start("codes"), inner + m.end("codes"))
        valid = action in _ACTIONS and bool(tokens)
        found.append(Directive(action, tokens, node.span.start, node.span.end, at, valid))
    found.sort(key=lambda d: d.start)
    return found


def _ranges(ctx: LintContext, found: list[Directive]) -> dict[str, list[_Range]]:
    """For each rule code, the source ranges in which the directives silence it."""
    from ssmlkit.linter.registry import all_rules

    codes = [r.code for r in all_rules()]
    ranges: dict[str, list[_Range]] = {}
    opened: dict[str, tuple[Directive, str]] = {}
    for d in found:
        if not d.valid:
            continue
        if d.action == "disable-next-line":
            lb = _LINE_BREAK.search(ctx.source, d.end)
            if lb is None:
                d.followed = False
                continue
            nxt = _LINE_BREAK.search(ctx.source, lb.end())
            line_end = nxt.start() if nxt else len(ctx.source)
            for token in d.tokens:
                for code in _covered(token, codes):
                    ranges.setdefault(code, []).append(_Range(d, token, lb.end(), line_end + 1))
        elif d.action == "disable":
            for token in d.tokens:
                for code in _covered(token, codes):
                    opened.setdefault(code, (d, token))
        else:  # enable: closes what is open for the rules it names
            for token in d.tokens:
                for code in _covered(token, codes):
                    if code in opened:
                        od, ot = opened.pop(code)
                        ranges.setdefault(code, []).append(_Range(od, ot, od.start, d.start))
                        d.used.add(token)
    end_of_text = len(ctx.source) + 1
    for code, (od, ot) in opened.items():
        ranges.setdefault(code, []).append(_Range(od, ot, od.start, end_of_text))
    return ranges


def apply_suppressions(
    diagnostics: list[Diagnostic], ctx: LintContext, rules: Sequence[Rule]
) -> list[Diagnostic]:
    """Drop the findings that suppression comments cover; add MT001 for directives that did nothing.

    Called by the engine after every rule ran, with the active ``rules``; MT001 is reported only
    when it is among them. MT001 findings themselves are silenced only by a directive that names
    MT001 explicitly (not by ``all``), and never by the directive they are about.
    """
    if "ssmlkit" not in ctx.source:
        return list(diagnostics)
    found = directives(ctx)
    if not found:
        return list(diagnostics)
    ranges = _ranges(ctx, found)
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        hits = [r for r in ranges.get(diag.code, ()) if r.start <= diag.start < r.stop]
        for r in hits:
            r.directive.used.add(r.token)
        if not hits:
            kept.append(diag)
    meta = next((r for r in rules if r.code == _META), None)
    if meta is None:
        return kept
    active = {r.code for r in rules}
    for d in found:
        report = _unused(d, ctx, active, meta)
        if report is None:
            continue
        silenced = any(
            r.start <= report.start < r.stop
            and r.directive is not d
            and _canonical(r.token) != "ALL"
            for r in ranges.get(_META, ())
        )
        if not silenced:
            kept.append(report)
    return kept


def _unused(d: Directive, ctx: LintContext, active: set[str], meta: Rule) -> Diagnostic | None:
    from ssmlkit.linter.registry import all_rules

    codes = [r.code for r in all_rules()]
    written = ctx.source[d.start : d.end]
    if not d.valid:
        message = (
            f"{written!r} is not a suppression directive; "
            "write ssmlkit: disable=CODE, enable=CODE or disable-next-line=CODE"
        )
        return _diagnostic(ctx, meta, d, message, None)
    unused: list[str] = []
    notes: list[str] = []
    for token in d.tokens:
        if token in d.used:
            continue
        named = _covered(token, codes)
        if _canonical(token) != "ALL" and meta.code in named:
            continue  # a directive silencing MT001 itself is not checked (it would report itself)
        if not named:
            notes.append(f"{token!r} names no rule")
            unused.append(token)
        elif any(c in active for c in named):
            unused.append(token)
    if not unused:
        return None
    what = f"{d.action}={','.join(d.tokens)}"
    if not d.followed:
        notes.append("no line follows it")
    detail = f" ({'; '.join(notes)})" if notes else ""
    if len(unused) == len(d.tokens):
        message = f"suppression '{what}' suppressed nothing{detail}"
        fix = Fix("remove the suppression comment", (_removal(ctx, d),))
    else:
        left = [t for t in d.tokens if t not in unused]
        message = f"{', '.join(repr(t) for t in unused)} in '{what}' suppressed nothing{detail}"
        fix = Fix(
            f"drop {', '.join(unused)} from the suppression",
            (Edit(d.codes_at[0], d.codes_at[1], ",".join(left)),),
        )
    if d.action == "enable":
        message = (
            f"'{what}' closes no earlier disable{detail}"
            if len(unused) == len(d.tokens)
            else message
        )
    return _diagnostic(ctx, meta, d, message, fix)


def _removal(ctx: LintContext, d: Directive) -> Edit:
    """Remove the comment; remove its whole line when nothing else stands on it."""
    src = ctx.source
    line_start = max(src.rfind("\n", 0, d.start), src.rfind("\r", 0, d.start)) + 1
    lb = _LINE_BREAK.match(src, len(src[: d.end]) + _trailing_blanks(src, d.end))
    if line_start > 0 and not src[line_start : d.start].strip() and lb is not None:
        return Edit(line_start, lb.end(), "")
    return Edit(d.start, d.end, "")


def _trailing_blanks(src: str, at: int) -> int:
    n = 0
    while at + n < len(src) and src[at + n] in " \t":
        n += 1
    return n


def _diagnostic(
    ctx: LintContext, meta: Rule, d: Directive, message: str, fix: Fix | None
) -> Diagnostic:
    line, column = ctx.index.position(d.start)
    end_line, end_column = ctx.index.position(d.end)
    return Diagnostic(
        code=meta.code,
        name=meta.name,
        severity=meta.severity,
        message=message,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=d.start,
        end=d.end,
        fix=fix,
        path=ctx.path,
    )
