"""ARPAbet phones of the CMU Pronouncing Dictionary, for ``<phoneme alphabet="cmu" ph="...">``.

    >>> [check_phone(p) for p in split_phones("S AY N")]
    [None, None, None]
    >>> check_phone("AY1")[0]
    'warning'
    >>> check_phone("ay")
    ('error', "'ay' is not a CMU phone; phones are upper case: 'AY'")

The CMU dictionary uses 39 phones: 15 vowels, which carry a stress digit (0 unstressed,
1 primary, 2 secondary), and 24 consonants, which never do. The vendor's only example
(``S AY N``) has no stress digits and the docs neither allow nor forbid them, so a valid vowel with
a digit 0-2 is a warning; everything else that is not a bare phone is an error.
"""

from __future__ import annotations

import re
from typing import Final

from ssmlkit.phonetics import closest

__all__ = [
    "CONSONANTS",
    "EXTENDED_ARPABET",
    "PHONES",
    "STRESS_DIGITS",
    "VOWELS",
    "check_phone",
    "split_phones",
    "suggest_phone",
]

#: The 15 vowels (monophthongs, diphthongs and the r-coloured ER).
VOWELS: Final[frozenset[str]] = frozenset(
    ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
)
#: The 24 consonants: stops, affricates, fricatives, the aspirate, liquids, nasals, semivowels.
CONSONANTS: Final[frozenset[str]] = frozenset(
    [
        "B",
        "CH",
        "D",
        "DH",
        "F",
        "G",
        "HH",
        "JH",
        "K",
        "L",
        "M",
        "N",
        "NG",
        "P",
        "R",
        "S",
        "SH",
        "T",
        "TH",
        "V",
        "W",
        "Y",
        "Z",
        "ZH",
    ]
)
#: All 39 phones.
PHONES: Final[frozenset[str]] = VOWELS | CONSONANTS
#: Stress digits a vowel may carry in the dictionary.
STRESS_DIGITS: Final = ("0", "1", "2")

#: Symbols of the wider ARPAbet (TIMIT and others) that CMUdict lacks, with the CMU spelling.
EXTENDED_ARPABET: Final[dict[str, str]] = {
    "AX": "AH",
    "AXR": "ER",
    "AXH": "AH",
    "IX": "IH",
    "UX": "UW",
    "EL": "AH L",
    "EM": "AH M",
    "EN": "AH N",
    "ENG": "AH NG",
    "NX": "N",
    "DX": "T",
    "H": "HH",
    "HV": "HH",
    "WH": "W",
}

_PHONE = re.compile(r"([A-Za-z]+)(\d*)")


def split_phones(ph: str) -> list[str]:
    """Split a ``ph`` value into phones on runs of whitespace.

    >>> split_phones("  P IY1  T ER0 ")
    ['P', 'IY1', 'T', 'ER0']
    """
    return ph.split()


def suggest_phone(p: str, limit: int = 3) -> list[str]:
    """Return up to ``limit`` CMU phones close to ``p`` (letters only, any case), best first.

    >>> suggest_phone("AX"), suggest_phone("sh")
    (['AH'], ['SH'])
    """
    letters = "".join(ch for ch in p if ch.isalpha()).upper()
    if letters in PHONES:
        return [letters][:limit]
    if letters in EXTENDED_ARPABET:
        return [EXTENDED_ARPABET[letters]][:limit]
    if len(letters) == 1:
        # One letter is one edit from every one-letter phone; only phones it begins are plausible.
        return sorted(ph for ph in PHONES if ph.startswith(letters))[:limit]
    return closest(letters, PHONES, max_distance=1, limit=limit)


def check_phone(p: str) -> tuple[str, str] | None:
    """Return None for a bare CMU phone, else ``(severity, message)``.

        >>> check_phone("S") is None
        True
        >>> check_phone("S1")
        ('error', "'S1': the consonant S takes no stress digit; write 'S'")
        >>> check_phone("AY3")
        ('error', "'AY3': stress digits are 0, 1 and 2; write 'AY' (the vendor's example has no digits)")

    Severity is ``"warning"`` for a vowel with a stress digit 0-2 (valid CMUdict, but not shown by
    the vendor) and ``"error"`` for anything else: unknown phones (with the nearest ones), lower
    case, a digit on a consonant, a digit out of range.
    """
    m = _PHONE.fullmatch(p)
    if m is None:
        return ("error", f"'{p}' is not a CMU phone: write upper-case ARPAbet letters such as 'AY'")
    letters, digits = m.group(1), m.group(2)
    upper = letters.upper()
    if upper in PHONES and letters != upper:
        return ("error", f"'{p}' is not a CMU phone; phones are upper case: '{upper}{digits}'")
    if upper not in PHONES:
        hits = suggest_phone(upper)
        if upper in EXTENDED_ARPABET:
            why = f"'{p}' is ARPAbet but not in the CMU set; write '{EXTENDED_ARPABET[upper]}'"
        elif hits:
            why = f"'{p}' is not a CMU phone; did you mean " + _or_list(hits) + "?"
        else:
            why = f"'{p}' is not a CMU phone"
        return ("error", why)
    if not digits:
        return None
    if upper in CONSONANTS:
        return ("error", f"'{p}': the consonant {upper} takes no stress digit; write '{upper}'")
    if digits not in STRESS_DIGITS:
        return (
            "error",
            f"'{p}': stress digits are 0, 1 and 2; write '{upper}' "
            "(the vendor's example has no digits)",
        )
    return (
        "warning",
        f"'{p}': the vendor documents CMU phones without stress digits; "
        f"'{upper}' is the documented form",
    )


def _or_list(items: list[str]) -> str:
    quoted = [f"'{i}'" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
