"""Pronunciation rules that need the pronunciation data (PR008, PR010): readings that cannot be right.

PR002-PR007 (:mod:`ssmlkit.linter.rules.pronunciation`) check that a ``ph`` is spelled right; the
rules here check that it fits its text: a pinyin syllable that is no reading of its character
(``ph="ma1 ma1 ma1"`` on 典当行), CMU phones that match no dictionary pronunciation of the word
(``ph="K AE T"`` on "dog"). Both need the ``[pronounce]`` extra (``pip install
'ssmlkit[pronounce]'``): the character readings and the CMU Pronouncing Dictionary come from
:mod:`ssmlkit.pronounce`. Without it they are inactive (``ssmlkit rules`` says so) and every other
rule runs as ever.

Findings point at the syllable inside the attribute value, as PR002 does (through the same
helpers, :mod:`ssmlkit.linter.phoneme_ph`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice, product
from operator import methodcaller

from ssmlkit import pronounce
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.phoneme_ph import phone_verdict as _phone_verdict
from ssmlkit.linter.phoneme_ph import syllable_ok as _syllable_ok
from ssmlkit.linter.phoneme_ph import tokens as _tokens
from ssmlkit.linter.phoneme_ph import where as _where
from ssmlkit.linter.phoneme_ph import words as _words
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule
from ssmlkit.measure import ideograph_mask
from ssmlkit.model import Phoneme

__all__ = ["CmuNotInDictionary", "PinyinNotAReading", "misreadings"]


#: Tones that tone sandhi gives 一 and 不 in running speech, written by careful authors whatever
#: a dictionary lists: 一 yi1 alone and counting, yi2 before a 4th tone, yi4 before the others; 不
#: bu4, and bu2 before a 4th tone.
_SANDHI: dict[str, frozenset[str]] = {
    "一": frozenset({"yi1", "yi2", "yi4"}),
    "不": frozenset({"bu4", "bu2"}),
}
#: How many readings a message names at most.
_SHOWN = 6


def _listed(char: str, readings: Sequence[str]) -> str:
    shown = ", ".join(readings[:_SHOWN])
    return f"{char} reads {shown}" + (", ..." if len(readings) > _SHOWN else "")


def _third_tone(char: str, base: str, readings: Callable[[str], tuple[str, ...]]) -> bool:
    return f"{base}3" in readings(char)


def misreadings(
    chars: Sequence[str],
    syllables: Sequence[str],
    readings: Callable[[str], tuple[str, ...]],
    has: Callable[[str, str], bool] | None = None,
) -> list[tuple[int, str]]:
    """``(index, message)`` for each syllable that is not a reading of its character.

    ``chars`` and ``syllables`` pair up one to one (the caller has checked their counts);
    ``readings`` gives a character's readings in numbered pinyin (:func:`ssmlkit.pronounce.readings`).
    Syllables that are not valid pinyin are skipped (PR002 reports them), and so are characters
    with no known reading. ``has(char, syllable)``, when given, says whether the syllable is one
    of ``readings(char)`` more cheaply (:func:`ssmlkit.pronounce.has_reading`: the usual yes
    without loading all the data). What is accepted besides the listed readings (see
    :class:`PinyinNotAReading`): the neutral tone 5 after a word's first syllable, the sandhi tones
    of 一 and 不, and a third tone written as the 2nd it becomes before another third tone.

        >>> table = {"典": ("dian3",), "当": ("dang1", "dang4"), "行": ("xing2", "hang2")}
        >>> misreadings("典当行", ["ma1", "dang4", "hang2"], lambda c: table.get(c, ()))
        [(0, "'ma1' is not a reading of 典: 典 reads dian3")]
    """
    found: list[tuple[int, str]] = []
    last = len(syllables) - 1
    for i, (char, syllable) in enumerate(zip(chars, syllables, strict=True)):
        if not _syllable_ok(syllable) or (has is not None and has(char, syllable)):
            continue
        listed = readings(char)
        if not listed or syllable in listed or syllable in _SANDHI.get(char, ()):
            continue
        base, tone = syllable[:-1], syllable[-1]
        if any(r[:-1] == base for r in listed):
            if tone == "5" and i > 0:
                continue  # neutral tone on a later syllable of a word: 妈妈 ma1 ma5, 东西 dong1 xi5
            if tone == "2" and f"{base}3" in listed:
                # third-tone sandhi: 你好 ni2 hao3, 展览馆 zhan2 lan2 guan3; the last syllable may
                # stand before a third tone outside the phoneme, which this rule does not read
                if i == last:
                    continue
                nxt = syllables[i + 1]
                if nxt[-1:] in ("2", "3") and _third_tone(chars[i + 1], nxt[:-1], readings):
                    continue
        hint = ""
        if tone == "5" and any(r[:-1] == base for r in listed):
            hint = " (a neutral tone is accepted after a word's first syllable)"
        found.append((i, f"'{syllable}' is not a reading of {char}: {_listed(char, listed)}{hint}"))
    return found


@register
class PinyinNotAReading(Rule):
    """A ``py`` syllable that is not a reading of its character: the service reads what you wrote.

    Each syllable of ``ph`` spells one Han character of the text, in order (as PR003 counts them:
    digits, Latin letters and punctuation have none; when the counts differ PR003 speaks and
    this rule says nothing). A syllable whose letters are no reading of the character, or whose
    tone is not one that reading takes, is a finding naming the readings the character has,
    most common first. Syllables that are not valid pinyin are PR002's.

    Written as careful authors write, and accepted:

    - the neutral tone 5 where the character has a neutral reading (了 le5), and on any syllable
      after the first, where words put it whatever a dictionary lists for the character alone
      (妈妈 ``ma1 ma5``, 东西 ``dong1 xi5``, 看一看 ``kan4 yi5 kan4``);
    - the sandhi tones of 一 (``yi1``, ``yi2``, ``yi4``) and 不 (``bu4``, ``bu2``);
    - a third tone written as the 2nd it becomes before another third tone (你好 ``ni2 hao3``),
      also on the last syllable, whose next character lies outside the phoneme.

    Needs the ``[pronounce]`` extra (the readings of :func:`ssmlkit.pronounce.readings`).

    Examples::

        pass: <speak>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme></speak>
        pass: <speak><phoneme alphabet="py" ph="ni2 hao3">你好</phoneme></speak>
        pass: <speak><phoneme alphabet="py" ph="yi2 ge4">一个</phoneme>人</speak>
        fail: <speak><phoneme alphabet="py" ph="ma1 ma1 ma1">典当行</phoneme></speak>  # 1:35
        fail: <speak><phoneme alphabet="py" ph="dian3 dang4 xing1">典当行</phoneme></speak>  # 1:47
    """

    code = "PR008"
    name = "pinyin-not-a-reading"
    summary = "A py syllable must be a reading of its character"
    severity = Severity.WARNING
    targets = ("phoneme",)
    needs = Needs(attributes={"alphabet"}, depends_on="element")
    extra = "pronounce"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "py":
            return
        syllables = _words(node)
        text = node.text
        mask = ideograph_mask(text)
        if not syllables or mask.count(1) != len(syllables):
            return  # empty ph is VA010's, a count that differs PR003's
        chars = [ch for ch, han in zip(text, mask, strict=True) if han]
        found = misreadings(chars, syllables, pronounce.readings, pronounce.has_reading)
        if not found:
            return
        tokens = _tokens(node, ctx)
        for index, message in found:
            ctx.report(_where(node, tokens[index][1]), message)


#: Most words a CMU ``ph`` is compared over (their pronunciations multiply).
_MAX_WORDS = 6
#: Most combinations of pronunciations compared.
_MAX_COMBINATIONS = 4096
#: Characters stripped from the ends of each word of the text (full stops apart: see below).
_PUNCTUATION = ',;:!?"()[]{}…“”‘’«»'


def _bare(phones: Sequence[str]) -> tuple[str, ...]:
    return tuple(map(_unstressed, phones))  # (map over a C method: no generator frame per phone)


#: ``phone.rstrip("012")``: a phone without its stress digit.
_unstressed: Callable[[str], str] = methodcaller("rstrip", "012")


def _dictionary_words(text: str) -> list[str] | None:
    """The words of ``text`` to look up, or None when it is no plain English word sequence.

    Words are separated by white space and hyphens, with punctuation at their ends stripped; a
    word must then be letters with inner apostrophes or dots (``don't``, ``U.S.``).
    """
    words = []
    for raw in text.replace("-", " ").split():
        word = raw.strip(_PUNCTUATION)
        if "." not in word.rstrip("."):
            word = word.rstrip(".")  # a full stop, not an abbreviation's dots (U.S.)
        if not word:
            continue
        if not word.replace("'", "").replace(".", "").isalpha() or not word.isascii():
            return None
        words.append(word)
    return words if 0 < len(words) <= _MAX_WORDS else None


def _options(
    words: Sequence[str], lookup: Callable[[str], tuple[tuple[str, ...], ...]]
) -> list[list[tuple[str, ...]]] | None:
    """Each word's distinct pronunciations (stress digits dropped), in the dictionary's order; None
    when a word is not in it, or when their combinations are too many to compare."""
    options = []
    count = 1
    for word in words:
        found = lookup(word)
        if not found:
            return None
        options.append(list(dict.fromkeys(_bare(p) for p in found)))
        count *= len(options[-1])
    return None if count > _MAX_COMBINATIONS else options


def _said_so(phones: tuple[str, ...], options: Sequence[Sequence[tuple[str, ...]]]) -> bool:
    """Whether ``phones`` is one pronunciation of each word, one after the other: whether it is
    one of :func:`_combinations`, found without making them (the usual case, a ``ph`` that
    matches, then costs a few comparisons instead of the product of every word's pronunciations).

    The offsets of ``phones`` where the pronunciations of the words so far can end are carried
    from word to word.
    """
    ends = {0}
    for said in options:
        ends = {at + len(p) for at in ends for p in said if phones[at : at + len(p)] == p}
        if not ends:
            return False
    return len(phones) in ends


def _combinations(options: Sequence[Sequence[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    """Each way the dictionary says the words one after the other, in its order, once each."""
    return list(
        dict.fromkeys(tuple(p for part in combo for p in part) for combo in product(*options))
    )


@register
class CmuNotInDictionary(Rule):
    """A ``cmu`` ``ph`` that matches no pronunciation the CMU dictionary gives its word.

    The text is read as words (split at white space and hyphens, punctuation at their ends
    stripped): one word, or several (``New York``) whose pronunciations are compared one after
    the other, every combination. Stress digits are ignored on both sides (PR006 is about them).
    The message lists the dictionary's pronunciations (at most three).

    Nothing is said when a word is not in the dictionary (names, brands: that is why people write
    ``ph``), when the text is not plain words (digits, Han characters: PR004), or when a phone is
    not ARPAbet (PR005). A different pronunciation can be meant: the vendor's own example reads
    "sin" as the sine (``S AY N``), where the dictionary has only the sin (``S IH N``), and an
    accent or a name may be said another way; so this is information, not a warning.

    Needs the ``[pronounce]`` extra (the dictionary of :func:`ssmlkit.pronounce.cmu_pronunciations`).

    Examples::

        pass: <speak><phoneme alphabet="cmu" ph="D AO1 G">dog</phoneme></speak>
        pass: <speak><phoneme alphabet="cmu" ph="N UW Y AO R K">New York</phoneme></speak>
        pass: <speak><phoneme alphabet="cmu" ph="ZH AA K">Xiaq</phoneme></speak>
        fail: <speak><phoneme alphabet="cmu" ph="K AE T">dog</phoneme></speak>  # 1:36
        fail: <speak>How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?</speak>  # 1:49
    """

    code = "PR010"
    name = "cmu-not-in-dictionary"
    summary = "A cmu ph should match a CMU dictionary pronunciation of its word"
    severity = Severity.INFO
    targets = ("phoneme",)
    needs = Needs(attributes={"alphabet"}, depends_on="element")
    extra = "pronounce"

    def visit(self, node: Phoneme, ctx: LintContext) -> None:
        if node.get("alphabet") != "cmu":
            return
        phones = _words(node)
        if not phones or any(
            (verdict := _phone_verdict(p)) is not None and verdict[0] == "error" for p in phones
        ):
            return  # empty ph is VA010's, a phone that is not ARPAbet PR005's
        words = _dictionary_words(node.text)
        if words is None:
            return
        options = _options(words, pronounce.cmu_pronunciations)
        if options is None or _said_so(_bare(phones), options):
            return
        said = _combinations(options)
        listed = "; ".join(" ".join(p) for p in islice(said, 3))
        more = f" (and {len(said) - 3} more)" if len(said) > 3 else ""
        text = " ".join(words)
        ctx.report(
            node.attr_span("ph", value=True) or node,
            f"ph {' '.join(phones)!r} matches no CMU dictionary pronunciation of {text!r}: "
            f"{listed}{more} (stress digits aside)",
        )


# --- polyphone-without-hint (PR009) ---
# PR009 lives in its own module, ssmlkit/linter/rules/polyphone.py.
