"""PR009 ``polyphone-without-hint``: a polyphonic character (多音字) the service must guess.

Opt-in (``select = ["PR009"]``): most documents hold many polyphones the service reads right,
and the rule needs the ``[pronounce]`` extra. Its findings come from the planner of
:mod:`ssmlkit.annotation`, so ``ssmlkit lint --select PR009 --fix --unsafe-fixes`` and
``ssmlkit annotate`` add the same hints.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Fix, Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Rule, RuleOptions
from ssmlkit.model import Document

__all__ = ["PolyphoneOptions", "PolyphoneWithoutHint"]


@dataclass(init=False, repr=False, eq=False)
class PolyphoneOptions(RuleOptions):
    """``chars``: report only these characters (``"行长"``); ``all-polyphones``: every polyphone.

    With neither, the rule reports the polyphones whose reading in context differs from their
    reading out of context (see :data:`ssmlkit.annotation.DEFAULT_SELECTION`).
    """

    chars: str = ""
    all_polyphones: bool = False


@register
class PolyphoneWithoutHint(Rule):
    """A polyphonic character outside any ``<phoneme>``: the message gives its reading in context.

    行 is háng in 银行 and xíng in 行走; the service guesses. The finding names the reading the
    pronunciation engine predicts from the sentence, its confidence and the other readings; the
    unsafe fix wraps the word in ``<phoneme alphabet="py">`` with one syllable per character.
    Opt-in: select ``PR009`` (or ``polyphone-without-hint``) by name; needs
    ``pip install 'ssmlkit[pronounce]'``. Text inside ``<say-as>``, the shown text of ``<sub>``
    and existing hints are never reported.

    Examples::

        pass: <speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。</speak>
        fail: <speak>他在银行工作。</speak>  # 1:11
        fix: <speak>他在<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>工作。</speak>
    """

    code = "PR009"
    name = "polyphone-without-hint"
    summary = "A polyphonic character without a pinyin hint, with its reading in context"
    severity = Severity.INFO
    targets = ("document",)
    fix_safety = "unsafe"
    opt_in = True
    extra = "pronounce"
    Options = PolyphoneOptions

    def visit(self, node: Document, ctx: LintContext) -> None:
        from ssmlkit.annotation import plan_document

        options: PolyphoneOptions = self.options
        try:
            hints, decisions = plan_document(
                ctx.source,
                node,
                options.chars or None,
                all_polyphones=options.all_polyphones,
                index=ctx.index,
            )
        except ValueError as exc:  # the option names a character that is not a polyphone
            ctx.report((0, 0), f"option chars of {self.code}: {exc}")
            return
        fixes = {d.start: hint for hint in hints for d in hint.decisions}
        for d in decisions:
            others = [c for c in d.candidates if c != d.reading]
            message = (
                f"{d.char} is read {d.reading} here (confidence {d.confidence:.0%}"
                + (f"; other readings: {', '.join(others)}" if others else "")
                + ")"
            )
            fix = None
            hint = fixes.get(d.start)
            if hint is not None:
                message += f'; hint: <phoneme alphabet="py" ph="{hint.ph}">{hint.word}</phoneme>'
                fix = Fix(
                    f'wrap {hint.word} in <phoneme alphabet="py" ph="{hint.ph}">',
                    (hint.edit,),
                    "unsafe",
                )
            elif d.reason is not None:
                message += f"; no hint can be added: {d.reason}"
            ctx.report((d.start, d.end), message, fix=fix)
