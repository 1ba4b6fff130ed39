"""The syllables or phones of a ``<phoneme ph>``, with where each stands in the source, and
their verdicts answered cheaply for the usual, valid ones (:func:`syllable_ok`,
:func:`phone_verdict`).

Shared by the pronunciation rules (``ssmlkit.linter.rules.pronunciation`` and
``ssmlkit.linter.rules.pronounce``), which point a finding at the offending syllable inside the
attribute value, as PR002 does: no rule module imports another. Usage, in a rule's ``visit``::

    for syllable in words(node):            # cheap: most values are fine
        if bad(syllable):
            break
    else:
        return
    for syllable, offsets in tokens(node, ctx):
        if bad(syllable):
            ctx.report(where(node, offsets), f"{syllable!r} ...")
"""

from __future__ import annotations

import re

from ssmlkit.linter.context import LintContext
from ssmlkit.model import Phoneme
from ssmlkit.phonetics import cmu, pinyin

__all__ = ["phone_verdict", "syllable_ok", "tokens", "where", "words"]

_WORD = re.compile(r"\S+")

_SYLLABLES = pinyin.SYLLABLES
_TONE_DIGITS = frozenset("12345")
_diagnose_syllable = pinyin.diagnose_syllable
_PHONES = cmu.PHONES
_check_phone = cmu.check_phone


def syllable_ok(syllable: str) -> bool:
    """Whether ``syllable`` is valid pinyin: ``pinyin.diagnose_syllable(syllable) is None``.

    The usual syllable, lower-case letters of the inventory and a tone digit 1-5, is answered by
    two look-ups; anything else by ``diagnose_syllable`` (its checks of case, tone marks and ü
    spellings cost ~2 us a syllable, and every syllable of every ``py`` phoneme is checked by
    several rules).
    """
    if syllable[-1:] in _TONE_DIGITS and syllable[:-1] in _SYLLABLES:
        return True
    return _diagnose_syllable(syllable) is None


def phone_verdict(phone: str) -> tuple[str, str] | None:
    """``cmu.check_phone(phone)``, answered by one look-up for a bare CMU phone (its verdict is
    None exactly when the phone is one of :data:`ssmlkit.phonetics.cmu.PHONES`)."""
    return None if phone in _PHONES else _check_phone(phone)


def tokens(node: Phoneme, ctx: LintContext) -> list[tuple[str, tuple[int, int] | None]]:
    """Each syllable/phone of ``ph`` with its source offsets (None when they cannot be mapped).

    Offsets are exact only when the value holds no references (raw text equals decoded value).
    """
    value = node.get("ph") or ""
    span = node.attr_span("ph", value=True)
    if span is not None and ctx.raw(span) == value:
        start = span.start
        return [(m.group(), (start + m.start(), start + m.end())) for m in _WORD.finditer(value)]
    return [(m.group(), None) for m in _WORD.finditer(value)]


def words(node: Phoneme) -> list[str]:
    """The syllables or phones of ``ph``: :func:`tokens` without the offsets.

    ``str.split()`` and ``\\S+`` agree on what white space is (both ask Python's ``isspace``).
    Rules check these first and work out offsets only to report: most phonemes are fine, and
    the offsets cost more than the checks (measured: ~40% of the PR rules' time on the lint
    benchmark).
    """
    return (node.get("ph") or "").split()


def where(node: Phoneme, offsets: tuple[int, int] | None) -> tuple[int, int] | Phoneme:
    """Where to report a token: its offsets, else the whole ``ph`` value, else the element."""
    if offsets is not None:
        return offsets
    span = node.attr_span("ph", value=True)
    return (span.start, span.end) if span is not None else node
