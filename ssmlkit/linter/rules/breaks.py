"""Break rules (BR): ``<break time>`` grammar and range, and runs of breaks past the 10 s cap."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.model import (
    KNOWN_ELEMENTS,
    Break,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Span,
    Text,
    UnknownElement,
)
from ssmlkit.profiles import cosyvoice
from ssmlkit.profiles.values import (
    break_duration,
    break_time_unit,
    decimal_text,
    format_break_time,
    parse_break_time,
    whole_break_ms,
)
from ssmlkit.profiles.values import break_ms_in_range as _in_range

if TYPE_CHECKING:
    from decimal import Decimal

# ``decimal`` is imported where a duration must be read exactly, not at the top: the usual
# "500ms" is settled by is_break_time with integers, and the import costs 4 ms of start-up.

__all__ = [
    "BreakTimeOutOfRange",
    "ConsecutiveBreaksOverCap",
    "MalformedBreakTime",
    "parse_break_time",
]


# A number without a unit, for BR001's hint: source text, compiled by re's cache on the first
# such finding rather than at every `ssmlkit lint` start-up.
_UNITLESS = r"\s*[0-9]+(\.[0-9]+)?\s*"
_STRENGTH_WORDS = frozenset({"none", "x-weak", "weak", "medium", "strong", "x-strong"})
_BREAK_MS_LO, _BREAK_MS_HI = cosyvoice.BREAK_MS_RANGE


def _where(node: Break, index: int) -> Span | Break:
    """Where a finding about ``time``, the attribute at ``index``, points.

    Its value inside the quotes, else the whole attribute, else the element: what
    ``attr_span("time", value=True) or attr_span("time") or node`` gives, by index.
    """
    spans = node.value_spans
    if spans is not None and index < len(spans):
        return spans[index]
    spans = node.attr_spans
    if spans is not None and index < len(spans):
        return spans[index]
    return node


def _canonical(value: str, ms: Decimal) -> str:
    """The documented spelling of an in-range duration: whole seconds stay seconds."""
    return format_break_time(int(ms), seconds=break_time_unit(value) == "s")


def _time(node: Break) -> tuple[str, int] | None:
    """``node``'s ``time`` value and the index of its attribute, or None: ``node.get("time")``
    without a method call (BR001 and BR002 ask on every ``<break>``), and the index says where
    a finding points. (Counted by hand: ``enumerate`` would cost every call an iterator and a
    tuple per attribute.)"""
    index = 0
    for key, value in node.attrs:
        if key == "time":
            return value, index
        index += 1  # noqa: SIM113 (see above)
    return None


@register
class MalformedBreakTime(Rule):
    """``<break time>`` is not written as whole seconds (``2s``) or whole milliseconds (``500ms``).

    The dialect takes an integer followed by ``s`` (1-10) or ``ms`` (50-10000), in lower case and
    without spaces. Decimal seconds, spaces and upper-case units are fixed safely when the
    duration is in range (``1.5s`` → ``1500ms``, ``500 MS`` → ``500ms``); a value without a unit or
    with another unit is not. Durations out of range are reported by BR002 instead.

    Examples::

        pass: <speak>你好<break time="500ms"/>再见<break time="2s"/></speak>
        fail: <speak>你好<break time="1.5s"/>再见</speak>  # 1:23
        fix: <speak>你好<break time="1500ms"/>再见</speak>
        fail: <speak>你好<break time="500 ms"/>再见</speak>  # 1:23
        fix: <speak>你好<break time="500ms"/>再见</speak>
        fail: <speak>你好<break time="500MS"/>再见</speak>  # 1:23
        fix: <speak>你好<break time="500ms"/>再见</speak>
        fail: <speak>你好<break time="500"/>再见</speak>  # 1:23
        fail: <speak>你好<break time="medium"/>再见</speak>  # 1:23
    """

    code = "BR001"
    name = "malformed-break-time"
    summary = "break time must be whole seconds (1s-10s) or whole milliseconds (50ms-10000ms)"
    severity = Severity.ERROR
    targets = ("break",)
    needs = Needs(attributes={"time"}, depends_on="start-tag")
    fix_safety = "safe"

    def visit(self, node: Break, ctx: LintContext) -> None:
        found = _time(node)
        if found is None:
            return
        value, at = found
        # The documented form ("500ms", "2s") is the usual value: in range it is fine, and out of
        # range it is BR002's finding (whole seconds or milliseconds are in range exactly when
        # is_break_time says so), so it is settled here without the lenient reading.
        if whole_break_ms(value) is not None or not value.strip():
            return
        where = _where(node, at)
        ms = parse_break_time(value)
        if ms is None:
            hint = ""
            # (a number without a unit ends in a digit: most odd values end in a letter)
            if value.rstrip()[-1:].isdigit() and re.fullmatch(_UNITLESS, value):
                hint = "; add the unit: 'ms' or 's'"
            elif value.strip().lower() in _STRENGTH_WORDS:
                hint = "; W3C strength words are not supported"
            ctx.report(
                where,
                f'time="{value}" is not a duration; write whole seconds (1s-10s) or whole '
                f"milliseconds (50ms-10000ms){hint}",
            )
            return
        if not _in_range(ms):
            return  # BR002 reports it
        fixed = _canonical(value, ms)
        span = node.attr_span("time", value=True)
        fix = None
        if span is not None and ctx.raw(span) == value:
            fix = LintContext.replace(span, fixed, f'write time="{fixed}"')
        ctx.report(
            where,
            f'time="{value}" is not in the documented form (whole "s" or "ms", lower case, no '
            f'spaces); write time="{fixed}"',
            fix=fix,
        )


@register
class BreakTimeOutOfRange(Rule):
    """``<break time>`` is outside 1-10 s (50-10000 ms).

    A single break pauses at most 10 seconds and at least 50 milliseconds. There is no fix: split
    a longer pause into consecutive breaks only where up to 10 s in total is wanted (see BR003),
    or insert silence when assembling the audio.

    Examples::

        pass: <speak>你好<break time="10s"/>再见<break time="50ms"/></speak>
        fail: <speak>你好<break time="20s"/>再见</speak>  # 1:23
        fail: <speak>你好<break time="30ms"/>再见</speak>  # 1:23
        fail: <speak>你好<break time="0.01s"/>再见</speak>  # 1:23
    """

    code = "BR002"
    name = "break-time-out-of-range"
    summary = "break time must be 1-10 s or 50-10000 ms"
    severity = Severity.ERROR
    targets = ("break",)
    needs = Needs(attributes={"time"}, depends_on="start-tag")

    def visit(self, node: Break, ctx: LintContext) -> None:
        found = _time(node)
        if found is None:
            return
        value, at = found
        whole = whole_break_ms(value)
        if whole is not None:  # the documented form, the usual case: read with integers
            if _BREAK_MS_LO <= whole <= _BREAK_MS_HI:
                return
            why = "is too long" if whole > _BREAK_MS_HI else "is too short"
        else:
            ms = parse_break_time(value)
            if ms is None or _in_range(ms):
                return  # unreadable: BR001's finding; a fraction in range: BR001 fixes it
            if _BREAK_MS_LO <= ms <= _BREAK_MS_HI:
                why = "is not a whole number of milliseconds"
            else:
                why = "is too long" if ms > _BREAK_MS_HI else "is too short"
        ctx.report(_where(node, at), f'time="{value}" {why}: a break lasts 1-10 s or 50-10000 ms')


def _duration_ms(node: Break) -> Decimal | None:
    return break_duration(node.get("time"))


def _adjacent_breaks(children: tuple[Node, ...], types: list[type]) -> bool:
    """Whether two breaks of ``children`` have only gaps (comments, white space) between them.

    ``types`` are the children's exact types. Each break but the first looks back past the gaps
    before it: the run it would extend needs a break there.
    """
    count = types.count(Break)
    if count < 2:
        return False
    at = types.index(Break)
    for _ in range(count - 1):
        at = types.index(Break, at + 1)
        back = at - 1
        while True:
            kind = types[back]
            if kind is Break:
                return True
            if kind is Comment or (kind is Text and not children[back].value.strip()):  # type: ignore[union-attr]
                back -= 1  # a gap: there is a break further back, so this stops there at the latest
                continue
            break
    return False


#: The node types of the model (the scanner makes no others).
_MODEL_TYPES = frozenset(
    {Text, Comment, ProcessingInstruction, UnknownElement, *KNOWN_ELEMENTS.values()}
)


def _format_ms(ms: Decimal) -> str:
    return f"{decimal_text(ms / 1000)} s"


@register
class ConsecutiveBreaksOverCap(Rule):
    """Consecutive breaks add up to more than 10 s: only the first 10 s take effect.

    Breaks are consecutive when only whitespace or comments stand between them. A bare
    ``<break/>`` counts 1 s; a break whose time cannot be read counts nothing. The finding points
    at the break that takes the total past 10 s.

    Examples::

        pass: <speak>你好<break time="5s"/><break time="5s"/>再见</speak>
        pass: <speak>你好<break time="8s"/>嗯<break time="8s"/>再见</speak>
        fail: <speak>你好<break time="5s"/><break time="5s"/><break time="5s"/>再见</speak>  # 1:46
        fail: <speak>你好<break time="9500ms"/>\\n  <!-- pause --> <break/>再见</speak>  # 2:18
    """

    code = "BR003"
    name = "consecutive-breaks-over-cap"
    summary = "Consecutive breaks add up past 10 s; only the first 10 s take effect"
    severity = Severity.WARNING
    targets = ("element", "document")
    needs = Needs(children=2)  # a run needs two breaks (the document is always visited)

    def visit(self, node: Element | Document, ctx: LintContext) -> None:
        children = node.items if isinstance(node, Document) else node.children
        # Most elements hold fewer than two breaks, or breaks with text between them: found from
        # the children's types, listed and searched in C. Only the model's own types, since a
        # subclass would not be matched by its type (the scanner makes no others).
        types = list(map(type, children))
        if _MODEL_TYPES.issuperset(types) and not _adjacent_breaks(children, types):
            return
        # Runs of breaks that only white space or comments separate, found in one pass without a
        # call per child: an element holding many breaks between sentences (the usual long
        # document) has only runs of one.
        run: list[Break] = []
        for child in children:
            if isinstance(child, Break):
                run.append(child)
            elif run and not (
                isinstance(child, Comment) or (isinstance(child, Text) and not child.value.strip())
            ):  # not a gap: the run ends here
                if len(run) > 1:
                    self._check_run(run, ctx)
                run = []
        if len(run) > 1:
            self._check_run(run, ctx)

    @staticmethod
    def _check_run(run: list[Break], ctx: LintContext) -> None:
        from decimal import Decimal

        cap = Decimal(cosyvoice.BREAK_TOTAL_CAP_MS)
        durations = [_duration_ms(b) or Decimal(0) for b in run]
        total = sum(durations, Decimal(0))
        if total <= cap:
            return
        running = Decimal(0)
        for brk, ms in zip(run, durations, strict=True):
            running += ms
            if running > cap:
                ctx.report(
                    brk,
                    f"{len(run)} consecutive breaks add up to {_format_ms(total)}; only the "
                    f"first {_format_ms(cap)} take effect",
                )
                break
