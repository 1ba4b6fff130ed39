"""Pronunciation rules (PR): ``<phoneme>`` alphabets, pinyin syllables and CMU ARPAbet phones.

A ``ph`` finding points at the offending syllable or phone inside the attribute value, unless the
value is written with character references (then at the value's start, since offsets in the
decoded value no longer match the source).
"""

from __future__ import annotations

import re

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Edit, Fix, Severity
from ssmlkit.linter.phoneme_ph import phone_verdict as _phone_verdict
from ssmlkit.linter.phoneme_ph import syllable_ok as _syllable_ok
from ssmlkit.linter.phoneme_ph import tokens as _tokens
from ssmlkit.linter.phoneme_ph import where as _where
from ssmlkit.linter.phoneme_ph import words as _words
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.measure import count_text
from ssmlkit.model import Phoneme
from ssmlkit.phonetics import closest, cmu, pinyin
from ssmlkit.profiles import cosyvoice

__all__ = [
    "AlphabetTextMismatch",
    "CmuStressDigit",
    "InvalidPinyinSyllable",
    "PinyinSyllableCountMismatch",
    "UndocumentedUmlautSpelling",
    "UnknownCmuPhone",
    "UnknownPhonemeAlphabet",
]

_diagnose_syllable = pinyin.diagnose_syllable

#: Other names people give the two alphabets.
_ALPHABET_ALIASES = {
    "pinyin": "py",
    "hanyu-pinyin": "py",
    "zh-pinyin": "py",
    "x-pinyin": "py",
    "cmudict": "cmu",
    "arpabet": "cmu",
    "arpa": "cmu",
    "x-arpabet": "cmu",
}
_IPA_LIKE = {"ipa", "x-sampa", "sampa", "x-ipa"}


def _han_count(text: str) -> int:
    # count_text counts each ideograph 2 and everything else 1: the excess is the ideographs.
    return count_text(text) - len(text)


@register
class UnknownPhonemeAlphabet(Rule):
    """``<phoneme alphabet>`` is neither ``py`` (pinyin) nor ``cmu`` (ARPAbet).

    CosyVoice knows two alphabets: ``py`` for Chinese (pinyin with tone digits) and ``cmu`` for
    English (CMU dictionary phones). There is no IPA or X-SAMPA. Upper-case spellings (``PY``)
    get a safe fix; other names for the two alphabets (``pinyin``, ``arpabet``) an unsafe one.

    Examples::

        pass: <speak><phoneme alphabet="py" ph="hao3">好</phoneme></speak>
        fail: <speak><phoneme alphabet="PY" ph="hao3">好</phoneme></speak>  # 1:27
        fix: <speak><phoneme alphabet="py" ph="hao3">好</phoneme></speak>
        fail: <speak><phoneme alphabet="ipa" ph="haʊ">好</phoneme></speak>  # 1:27
        fail: <speak><phoneme alphabet="pinyin" ph="hao3">好</phoneme></speak>  # 1:27
    """

    code = "PR001"
    name = "unknown-phoneme-alphabet"
    summary = "phoneme alphabet must be py (pinyin) or cmu (ARPAbet)"
    severity = Severity.ERROR
    targets = ("phoneme",)
    needs = Needs(attributes={"alphabet"}, depends_on="start-tag")
    fix_safety = "safe"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        value = node.get("alphabet")
        if value in cosyvoice.ALPHABETS or value is None or not value.strip():
            return
        span = node.attr_span("alphabet", value=True)
        where = span or node.attr_span("alphabet") or node
        low = value.strip().lower()
        replacement: str | None = None
        safe = False
        if low in cosyvoice.ALPHABETS:
            replacement, safe = low, value.lower() == low
            message = f"alphabet=\"{value}\" is written in lower case: '{low}'"
        elif low in _ALPHABET_ALIASES:
            replacement = _ALPHABET_ALIASES[low]
            message = f"alphabet=\"{value}\" is not a CosyVoice alphabet; write '{replacement}'"
        elif low in _IPA_LIKE:
            message = (
                f'alphabet="{value}": CosyVoice has no IPA or X-SAMPA; write pinyin with '
                'alphabet="py" for Chinese or ARPAbet with alphabet="cmu" for English'
            )
        else:
            hits = closest(low, cosyvoice.ALPHABETS, max_distance=1)
            message = f'alphabet="{value}" is not a CosyVoice alphabet; ' + (
                f"did you mean '{hits[0]}'?" if hits else "use 'py' (pinyin) or 'cmu' (ARPAbet)"
            )
        fix = None
        if replacement is not None and span is not None and ctx.raw(span) == value:
            fix = LintContext.replace(
                span, replacement, f'write alphabet="{replacement}"', safe=safe
            )
        ctx.report(where, message, fix=fix)


#: Problems whose fix only respells the same syllable.
_SAFE_SYLLABLE_FIXES = {"tone-mark", "upper-case", "umlaut-spelling"}


@register
class InvalidPinyinSyllable(Rule):
    """A ``py`` syllable that does not exist in Mandarin or lacks a tone digit 1-5.

    Each syllable is pinyin letters (ü written ``v``) followed by one tone digit: 1-4, or 5 for
    the neutral tone. The message names the syllable and the nearest valid ones. Tone marks
    (``hǎo``), upper case and ``u:`` get a safe fix; a single likely correction an unsafe one.

    Examples::

        pass: <speak>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme></speak>
        fail: <speak><phoneme alphabet="py" ph="dian3 dang hang2">典当行</phoneme></speak>  # 1:41
        fail: <speak><phoneme alphabet="py" ph="shii3">是</phoneme></speak>  # 1:35
        fail: <speak><phoneme alphabet="py" ph="hǎo">好</phoneme></speak>  # 1:35
        fix: <speak><phoneme alphabet="py" ph="hao3">好</phoneme></speak>
    """

    code = "PR002"
    name = "invalid-pinyin-syllable"
    summary = "Pinyin syllables must exist in Mandarin and carry a tone digit 1-5"
    severity = Severity.ERROR
    targets = ("phoneme",)
    # Only the alphabet and ph values decide (the text is PR003's and PR004's business).
    needs = Needs(attributes={"alphabet"}, depends_on="start-tag")
    fix_safety = "safe"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "py":
            return
        for syllable in _words(node):
            if not _syllable_ok(syllable):
                break
        else:
            return
        for syllable, offsets in _tokens(node, ctx):
            problem = _diagnose_syllable(syllable)
            if problem is None:
                continue
            fix = None
            if problem.replacement is not None and offsets is not None:
                fix = Fix(
                    f"write '{problem.replacement}'",
                    (Edit(offsets[0], offsets[1], problem.replacement),),
                    "safe" if problem.kind in _SAFE_SYLLABLE_FIXES else "unsafe",
                )
            ctx.report(_where(node, offsets), problem.message, fix=fix)


@register
class PinyinSyllableCountMismatch(Rule):
    """The number of ``py`` syllables differs from the number of Han characters in the text.

    The vendor requires one syllable per character. Only Han characters count (punctuation,
    digits and Latin letters in the text have no syllable); 儿 in erhua is a character of its own.

    Examples::

        pass: <speak><phoneme alphabet="py" ph="dang4 diao4">当掉</phoneme></speak>
        pass: <speak><phoneme alphabet="py" ph="hao3">好！</phoneme></speak>
        fail: <speak><phoneme alphabet="py" ph="dang4">当掉</phoneme></speak>  # 1:35
        fail: <speak><phoneme alphabet="py" ph="hua1 er2">花儿朵</phoneme></speak>  # 1:35
    """

    code = "PR003"
    name = "pinyin-syllable-count-mismatch"
    summary = "A py ph needs one syllable per Han character"
    severity = Severity.ERROR
    targets = ("phoneme",)
    needs = Needs(attributes={"alphabet"}, depends_on="element")

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "py":
            return
        syllables = _words(node)  # pinyin.split_syllables, without the call
        han = _han_count(node.text)
        if not syllables or not han or len(syllables) == han:
            return  # empty ph is VA010's; text without Han is PR004's
        plural = "s" if len(syllables) != 1 else ""
        ctx.report(
            node.attr_span("ph", value=True) or node,
            f"ph has {len(syllables)} syllable{plural} but the text {node.text.strip()!r} has "
            f"{han} Han character{'s' if han != 1 else ''}; write one syllable per character",
        )


@register
class AlphabetTextMismatch(Rule):
    """The alphabet does not fit the text: ``py`` on text without Han characters, ``cmu`` on Han text.

    Pinyin spells Chinese characters and CMU phones spell English words; the service cannot apply
    either to the other kind of text.

    Examples::

        pass: <speak>How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?</speak>
        fail: <speak><phoneme alphabet="py" ph="hao3">hello</phoneme></speak>  # 1:27
        fail: <speak><phoneme alphabet="cmu" ph="N IY HH AW">你好</phoneme></speak>  # 1:27
    """

    code = "PR004"
    name = "phoneme-alphabet-text-mismatch"
    summary = "py needs Han text and cmu needs text without Han characters"
    severity = Severity.ERROR
    targets = ("phoneme",)
    needs = Needs(attributes={"alphabet"}, depends_on="element")

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        alphabet = node.get("alphabet")
        if alphabet not in cosyvoice.ALPHABETS:
            return
        text = node.text.strip()
        if not text:
            return
        han = _han_count(text)
        if alphabet == "py" and not han:
            ctx.report(
                node.attr_span("alphabet", value=True) or node,
                f'alphabet="py" spells Chinese characters, but {text!r} has none; '
                'use alphabet="cmu" with ARPAbet phones for English',
            )
        elif alphabet == "cmu" and han:
            ctx.report(
                node.attr_span("alphabet", value=True) or node,
                f'alphabet="cmu" spells English words, but {text!r} has Han characters; '
                'use alphabet="py" with pinyin syllables for Chinese',
            )


@register
class UnknownCmuPhone(Rule):
    """A ``cmu`` phone outside the CMU dictionary's ARPAbet set (39 upper-case phones).

    Lower case and a stress digit on a consonant get a safe fix; ARPAbet symbols that CMUdict
    lacks (``AX``) are named with their CMU spelling.

    Examples::

        pass: <speak>How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?</speak>
        fail: <speak><phoneme alphabet="cmu" ph="S AX N">sin</phoneme></speak>  # 1:38
        fail: <speak><phoneme alphabet="cmu" ph="s AY N">sin</phoneme></speak>  # 1:36
        fix: <speak><phoneme alphabet="cmu" ph="S AY N">sin</phoneme></speak>
    """

    code = "PR005"
    name = "unknown-cmu-phone"
    summary = "cmu phones must be CMU dictionary ARPAbet symbols"
    severity = Severity.ERROR
    targets = ("phoneme",)
    # Only the alphabet and ph values decide (the text is PR003's and PR004's business).
    needs = Needs(attributes={"alphabet"}, depends_on="start-tag")
    fix_safety = "safe"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "cmu":
            return
        for phone in _words(node):
            verdict = _phone_verdict(phone)
            if verdict is not None and verdict[0] == "error":
                break
        else:
            return
        for phone, offsets in _tokens(node, ctx):
            verdict = _phone_verdict(phone)
            if verdict is None or verdict[0] != "error":
                continue
            fix = None
            replacement = _phone_fix(phone)
            if replacement is not None and offsets is not None:
                fix = Fix(f"write '{replacement}'", (Edit(offsets[0], offsets[1], replacement),))
            ctx.report(_where(node, offsets), verdict[1], fix=fix)


def _phone_fix(phone: str) -> str | None:
    """The one respelling of ``phone`` that cannot change the sound (case, consonant digits)."""
    m = re.fullmatch(r"([A-Za-z]+)([0-9]*)", phone)
    if m is None:
        return None
    letters, digits = m.group(1).upper(), m.group(2)
    if letters in cmu.CONSONANTS:
        return letters
    if letters in cmu.VOWELS and (not digits or digits in cmu.STRESS_DIGITS):
        return letters + digits
    return None


@register
class CmuStressDigit(Rule):
    """A ``cmu`` vowel with a stress digit (0-2): valid CMUdict, but not documented by the vendor.

    The vendor's only example (``S AY N``) has no digits, and its documentation neither allows
    nor forbids them. Ignore this rule if your tests show the service honours stress. The fix
    (unsafe: stress may change) removes the digit.

    Examples::

        pass: <speak><phoneme alphabet="cmu" ph="S AY N">sin</phoneme></speak>
        fail: <speak><phoneme alphabet="cmu" ph="S AY1 N">sin</phoneme></speak>  # 1:38
        fix: <speak><phoneme alphabet="cmu" ph="S AY N">sin</phoneme></speak>
    """

    code = "PR006"
    name = "cmu-stress-digit"
    summary = "cmu stress digits are not documented by the vendor"
    severity = Severity.WARNING
    targets = ("phoneme",)
    # Only the alphabet and ph values decide (the text is PR003's and PR004's business).
    needs = Needs(attributes={"alphabet"}, depends_on="start-tag")
    fix_safety = "unsafe"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "cmu":
            return
        for phone in _words(node):
            verdict = _phone_verdict(phone)
            if verdict is not None and verdict[0] == "warning":
                break
        else:
            return
        for phone, offsets in _tokens(node, ctx):
            verdict = _phone_verdict(phone)
            if verdict is None or verdict[0] != "warning":
                continue
            bare = phone.rstrip("0123456789")
            fix = None
            if offsets is not None:
                fix = Fix(f"write '{bare}'", (Edit(offsets[0], offsets[1], bare),), "unsafe")
            ctx.report(_where(node, offsets), verdict[1], fix=fix)


@register
class UndocumentedUmlautSpelling(Rule):
    """A ``py`` syllable writes ü as ``v`` (``lv4``), a spelling the vendor does not document.

    ``v`` is what input methods and pinyin tools use, and the likeliest to work, but no vendor
    page shows any spelling of ü. Listen to the result once; then ignore this rule.

    Examples::

        pass: <speak><phoneme alphabet="py" ph="ju3">举</phoneme></speak>
        fail: <speak><phoneme alphabet="py" ph="lv4">绿</phoneme></speak>  # 1:35
    """

    code = "PR007"
    name = "undocumented-umlaut-spelling"
    summary = "The vendor documents no spelling of ü in pinyin"
    severity = Severity.INFO
    targets = ("phoneme",)
    # Only the alphabet and ph values decide (the text is PR003's and PR004's business).
    needs = Needs(attributes={"alphabet"}, depends_on="start-tag")

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "py":
            return
        for syllable in _words(node):
            if _v_for_umlaut(syllable):
                break
        else:
            return
        for syllable, offsets in _tokens(node, ctx):
            if _v_for_umlaut(syllable):
                ctx.report(
                    _where(node, offsets),
                    f"'{syllable}' writes ü as 'v'; the vendor documents no spelling of ü, so "
                    "check once that the service reads it",
                )


def _v_for_umlaut(syllable: str) -> bool:
    """Whether ``syllable`` is valid pinyin writing ü as ``v`` (PR007's question):
    ``umlaut_spelling`` is ``"v"`` and ``diagnose_syllable`` None.

    A syllable of the inventory plus a tone digit is lower-case letters (``a``-``z``, ``ê``),
    which normalizing leaves as they are, with no ``u:`` or ``ü``: its ü is spelled ``v``
    exactly when it holds a ``v`` (no need for ``umlaut_spelling``'s normalization, ~1.5 us).
    Anything else is asked as before, in the same order.
    """
    if syllable[-1:] in _TONE_DIGITS and syllable[:-1] in pinyin.SYLLABLES:
        return "v" in syllable
    return pinyin.umlaut_spelling(syllable) == "v" and _diagnose_syllable(syllable) is None


_TONE_DIGITS = frozenset("12345")
