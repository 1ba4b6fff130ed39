"""Mandarin pinyin syllables for ``<phoneme alphabet="py" ph="...">``, and their validation.

    >>> check_syllable("hao3") is None
    True
    >>> check_syllable("shii3")
    "'shii3' is not a Mandarin syllable; did you mean 'shi3', 'shai3' or 'shei3'?"
    >>> check_syllable("hǎo")
    "'hǎo' uses a tone mark; write the tone as a digit: 'hao3'"
    >>> parse_syllable("lv4")
    ('lv', 4)

The vendor documents a ``ph`` value as syllables separated by spaces, each made of pinyin letters
and one tone digit 1-5 (5 = neutral tone). It says nothing else, so this module takes a strict
reading and documents each choice:

* **ü** is written ``v`` (``lv4`` 绿, ``nve4`` 虐), the ASCII spelling of Chinese input methods and
  of most pinyin tools. ``SYLLABLES`` uses it. ``u:`` (the CC-CEDICT convention) and a literal
  ``ü`` are recognised but rejected with a hint to write ``v``: no document shows that the
  service reads them. Because even ``v`` is not documented, :func:`umlaut_spelling` tells the
  linter which spelling a syllable used so it can warn. After j, q, x and y the letter ü is
  written ``u`` (``ju3``, ``yue4``), as in standard pinyin.
* **Erhua** (``huar1``) is rejected. The vendor requires one syllable per character, and 儿 is a
  character of its own, so 花儿 is written ``hua1 er5``; :func:`erhua_base` detects the suffix
  so the message can say so.
* **Tone marks** (``hǎo``) and tone 0 or 6-9 are rejected with the digit form to use instead.
* **Upper case** (``Hao3``) is rejected: every vendor example is lower case.

The inventory is the standard table of initials times finals (普通话声韵拼合总表) with its gaps,
plus the interjection and rare syllables that dictionaries list: ê, m, n, ng, hm, hng, lo, yo,
dia, den, tei, fiao, ei, and the colloquial zhei, shei, nei, kei, chua, rua.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from ssmlkit._records import Record, record
from ssmlkit.phonetics import closest

_set = object.__setattr__

__all__ = [
    "ACCEPTED_UMLAUT_SPELLINGS",
    "REJECTED_UMLAUT_SPELLINGS",
    "SYLLABLES",
    "TONES",
    "SyllableProblem",
    "check_syllable",
    "diagnose_syllable",
    "erhua_base",
    "is_valid_base",
    "parse_syllable",
    "split_syllables",
    "suggest",
    "umlaut_spelling",
]

# One line per initial; every syllable is spelled as written in pinyin, with ü as "v".
_TABLE: Final = """
    a o e ê ai ei ao ou an en ang eng er
    yi ya yo ye yao you yan yin yang ying yong yu yue yuan yun
    wu wa wo wai wei wan wen wang weng
    ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu
    pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu
    ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu
    fa fo fei fou fan fen fang feng fiao fu
    da de dai dei dao dou dan den dang deng dong di dia die diao diu dian ding du duo dui duan dun
    ta te tai tei tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun
    na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning
    nu nuo nuan nun nv nve
    la lo le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling
    lu luo luan lun lv lve
    ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
    ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
    ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
    ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun
    qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun
    xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun
    zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong
    zhu zhua zhuo zhuai zhui zhuan zhun zhuang
    cha che chi chai chao chou chan chen chang cheng chong
    chu chua chuo chuai chui chuan chun chuang
    sha she shi shai shei shao shou shan shen shang sheng
    shu shua shuo shuai shui shuan shun shuang
    re ri rao rou ran ren rang reng rong ru rua ruo rui ruan run
    za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
    ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
    sa se si sai sao sou san sen sang seng song su suo sui suan sun
    m n ng hm hng
"""

#: Every valid toneless syllable, lower case, ü written ``v``.
SYLLABLES: Final[frozenset[str]] = frozenset(_TABLE.split())

#: Valid tone digits: 1-4 and 5 for the neutral tone (轻声).
TONES: Final = (1, 2, 3, 4, 5)

#: Spellings of ü that :func:`check_syllable` accepts (none is documented by the vendor).
ACCEPTED_UMLAUT_SPELLINGS: Final = ("v",)
#: Spellings of ü that are recognised only to point at the accepted one.
REJECTED_UMLAUT_SPELLINGS: Final = ("u:", "ü")

_SHAPE = re.compile(r"([a-zê]+)([1-5])")
_TONE_MARKS: Final = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_DIAERESIS = "\u0308"
_CIRCUMFLEX = "\u0302"


def split_syllables(ph: str) -> list[str]:
    """Split a ``ph`` value into syllables on runs of whitespace.

    >>> split_syllables(" dian3  dang4\\thang2 ")
    ['dian3', 'dang4', 'hang2']
    """
    return ph.split()


def parse_syllable(s: str) -> tuple[str, int] | None:
    """Return ``(base, tone)`` for a syllable of the form letters + one tone digit 1-5, else None.

        >>> parse_syllable("Hao3"), parse_syllable("hao"), parse_syllable("hao6")
        (('hao', 3), None, None)

    The base is lower-cased but not checked against the inventory (see :func:`is_valid_base`).
    """
    m = _SHAPE.fullmatch(s.lower())
    if m is None:
        return None
    return m.group(1), int(m.group(2))


def is_valid_base(base: str) -> bool:
    """Return whether ``base`` is a toneless syllable in :data:`SYLLABLES` (lower case, ü as ``v``).

    >>> is_valid_base("zhuang"), is_valid_base("lv"), is_valid_base("biang")
    (True, True, False)
    """
    return base in SYLLABLES


def suggest(base: str, limit: int = 3) -> list[str]:
    """Return up to ``limit`` valid syllables within two edits of ``base``, best first.

    >>> suggest("shii")
    ['shi', 'shai', 'shei']
    >>> suggest("jv")[0]
    'ju'
    """
    word = _to_v(base.lower())
    # A ü written u after l/n, or v after j/q/x/y, has exactly one intended reading: rank it first.
    exact: list[str] = []
    for alt in (word.replace("v", "u"), word.replace("u", "v")):
        if alt != word and alt in SYLLABLES and alt not in exact and _umlaut_slip(word, alt):
            exact.append(alt)
    rest = closest(word, SYLLABLES, max_distance=2, limit=limit + len(exact))
    out = exact + [c for c in rest if c not in exact]
    return out[:limit]


def umlaut_spelling(s: str) -> str | None:
    """Return how a syllable writes ü (``"v"``, ``"u:"`` or ``"ü"``), or None if it has no ü.

        >>> umlaut_spelling("lv4"), umlaut_spelling("nu:3"), umlaut_spelling("lüe4"), umlaut_spelling("ju3")
        ('v', 'u:', 'ü', None)

    The vendor documents no spelling of ü, so the linter may warn about any of them.
    """
    low = unicodedata.normalize("NFC", s.lower())
    if "u:" in low:
        return "u:"
    if any(ch in low for ch in "üǖǘǚǜ"):
        return "ü"
    if "v" in low:
        return "v"
    return None


def erhua_base(s: str) -> str | None:
    """Return the syllable without its erhua ``r`` if ``s`` is a valid syllable plus ``r``.

    >>> erhua_base("huar1"), erhua_base("er2"), erhua_base("hua1")
    ('hua', None, None)
    """
    m = re.fullmatch(r"([a-z]+)r([0-9]?)", s.lower())
    if m is None or m.group(1) == "e":
        return None
    base = m.group(1)
    return base if base in SYLLABLES else None


# A Record (see ssmlkit._records): one per wrong syllable a rule meets, and defined on the way
# to every ``ssmlkit lint``, where a generated frozen dataclass costs ~1.5 ms of start-up.
@record
class SyllableProblem(Record):
    """What is wrong with one syllable, as data (see :func:`diagnose_syllable`).

    ``kind`` is one of ``"empty"``, ``"missing-tone"``, ``"bad-tone"``, ``"tone-mark"``,
    ``"upper-case"``, ``"umlaut-spelling"``, ``"erhua"``, ``"malformed"``, ``"unknown"``.
    ``replacement`` is the single spelling to use when there is one obvious fix, else None.
    """

    kind: str
    message: str
    replacement: str | None = None
    suggestions: tuple[str, ...] = ()

    def __init__(
        self,
        kind: str,
        message: str,
        replacement: str | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "message", message)
        _set(self, "replacement", replacement)
        _set(self, "suggestions", suggestions)


def _to_v(text: str) -> str:
    """Rewrite the ü spellings ``u:`` and ``ü`` (any tone mark stripped) as ``v``.

    >>> _to_v("lu:4"), _to_v("lü4"), _to_v("lǚ4")
    ('lv4', 'lv4', 'lv4')
    """
    decomposed = unicodedata.normalize("NFD", text.replace("u:", "v"))
    out: list[str] = []
    for ch in decomposed:
        if ch == _DIAERESIS and out and out[-1] == "u":
            out[-1] = "v"
        elif ch in _TONE_MARKS and out and out[-1] == "v":
            continue  # a tone mark over the ü: the digit gives the tone
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _umlaut_slip(written: str, intended: str) -> bool:
    """Whether ``written`` is ``intended`` with ü spelled u where v is needed, or the reverse."""
    if len(written) != len(intended) or not written:
        return False
    diffs = [i for i, (a, b) in enumerate(zip(written, intended, strict=True)) if a != b]
    return (
        len(diffs) == 1 and diffs[0] > 0 and {written[diffs[0]], intended[diffs[0]]} == {"u", "v"}
    )


def _from_tone_marks(s: str) -> tuple[str, int] | None:
    """Turn ``hǎo`` into ``("hao", 3)`` and ``lǜ`` into ``("lv", 4)``; None without a tone mark."""
    decomposed = unicodedata.normalize("NFD", s.lower())
    tone = 0
    out: list[str] = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            if tone:
                return None  # two tone marks: not one syllable
            tone = _TONE_MARKS[ch]
        elif ch == _DIAERESIS and out and out[-1] == "u":
            out[-1] = "v"
        elif ch == _CIRCUMFLEX and out and out[-1] == "e":
            out[-1] = "ê"
        else:
            out.append(ch)
    if not tone:
        return None
    base = "".join(out)
    return (base, tone) if base.isalpha() else None


def diagnose_syllable(s: str) -> SyllableProblem | None:
    """Return None if ``s`` is a valid syllable with a tone digit 1-5, else the problem as data.

    >>> diagnose_syllable("lu:4").replacement
    'lv4'
    >>> diagnose_syllable("huar1").kind
    'erhua'
    """
    fix: str | None
    if not s:
        return SyllableProblem("empty", "empty syllable")
    if s != s.lower():
        low = s.lower()
        fixed = low if diagnose_syllable(low) is None else None
        return SyllableProblem(
            "upper-case",
            f"'{s}' has upper-case letters; pinyin syllables are written in lower case"
            + (f": '{fixed}'" if fixed else ""),
            replacement=fixed,
        )
    marked = _from_tone_marks(s)
    if marked is not None and not any(ch.isdigit() for ch in s):
        base, tone = marked
        fix = f"{base}{tone}"
        ok = base in SYLLABLES
        return SyllableProblem(
            "tone-mark",
            f"'{s}' uses a tone mark; write the tone as a digit"
            + (f": '{fix}'" if ok else " after the letters (e.g. 'hao3')"),
            replacement=fix if ok else None,
        )
    spelled = umlaut_spelling(s)
    if spelled in REJECTED_UMLAUT_SPELLINGS:
        as_v = _to_v(unicodedata.normalize("NFC", s))
        # After j, q, x and y standard pinyin writes ü as a plain u. (A rewrite that changed
        # nothing is no fix, and asking about it again would never end.)
        fix = next(
            (f for f in (as_v, as_v.replace("v", "u")) if f != s and diagnose_syllable(f) is None),
            None,
        )
        how = "'u' after j, q, x and y" if fix and "v" not in fix else "'v'"
        return SyllableProblem(
            "umlaut-spelling",
            f"'{s}' writes ü as '{spelled}'; write it as {how}" + (f": '{fix}'" if fix else ""),
            replacement=fix,
        )
    m = re.fullmatch(r"([a-zê]+)([0-9]+)", s)
    if m is None:
        if re.fullmatch(r"[a-zê]+", s):
            if erhua_base(s):
                return _erhua(s, None)
            hint = f" (e.g. '{s}1', or '{s}5' for the neutral tone)" if s in SYLLABLES else ""
            return SyllableProblem("missing-tone", f"'{s}' has no tone digit 1-5{hint}")
        return SyllableProblem(
            "malformed",
            f"'{s}' is not a pinyin syllable: write lower-case letters followed by one tone digit 1-5",
        )
    base, digits = m.group(1), m.group(2)
    if base not in SYLLABLES:
        if erhua_base(base):
            return _erhua(s, int(digits[0]))
        slip = _umlaut_hint(s, base, digits)
        if slip is not None:
            return slip
        hits = suggest(base)
        tone_txt = digits if len(digits) == 1 and digits in "12345" else ""
        named = [f"{h}{tone_txt}" for h in hits]
        return SyllableProblem(
            "unknown",
            f"'{s}' is not a Mandarin syllable" + _did_you_mean(named),
            replacement=named[0] if len(named) == 1 else None,
            suggestions=tuple(named),
        )
    if len(digits) != 1 or digits not in "12345":
        if digits == "0":
            why = "tone 0 is not valid; the neutral tone is written 5"
            fix = f"{base}5"
        elif len(digits) == 1:
            why = f"tone {digits} is not valid; tones are 1-4, and 5 for the neutral tone"
            fix = None
        else:
            why = "a syllable takes exactly one tone digit 1-5"
            fix = None
        return SyllableProblem("bad-tone", f"'{s}': {why}", replacement=fix)
    return None


def _umlaut_hint(s: str, base: str, digits: str) -> SyllableProblem | None:
    """Explain ``lue4`` (ü needs ``v`` after l and n) and ``jv3`` (ü is ``u`` after j, q, x, y)."""
    for alt in (base.replace("u", "v"), base.replace("v", "u")):
        if alt in SYLLABLES and _umlaut_slip(base, alt):
            fix = f"{alt}{digits}"
            rule = (
                "after l and n, ü is written 'v'"
                if "v" in alt
                else "after j, q, x and y, ü is written 'u'"
            )
            return SyllableProblem(
                "umlaut-spelling",
                f"'{s}' is not a Mandarin syllable; {rule}: '{fix}'",
                replacement=fix if diagnose_syllable(fix) is None else None,
                suggestions=(fix,),
            )
    return None


def _erhua(s: str, tone: int | None) -> SyllableProblem:
    base = erhua_base(s) or ""
    t = str(tone) if tone in TONES else "<tone>"
    return SyllableProblem(
        "erhua",
        f"'{s}' adds an erhua 'r', which the service does not document; 儿 is a character of its "
        f"own, so write a syllable for each character: '{base}{t} er5'",
    )


def _did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def check_syllable(s: str) -> str | None:
    """Return None if ``s`` is a valid syllable with a tone digit 1-5, else a message for a person.

        >>> check_syllable("dang4") is None
        True
        >>> check_syllable("hao")
        "'hao' has no tone digit 1-5 (e.g. 'hao1', or 'hao5' for the neutral tone)"
        >>> check_syllable("ma0")
        "'ma0': tone 0 is not valid; the neutral tone is written 5"

    :func:`diagnose_syllable` gives the same verdict as data (kind, replacement, suggestions).
    """
    problem = diagnose_syllable(s)
    return None if problem is None else problem.message
