"""Pronunciation inventories for ``<phoneme>``: Mandarin pinyin and CMU ARPAbet.

    >>> from ssmlkit.phonetics import pinyin, cmu
    >>> pinyin.check_syllable("hao3") is None
    True
    >>> cmu.check_phone("AY") is None
    True

The submodules are imported on demand (``ssmlkit.phonetics.pinyin``, ``ssmlkit.phonetics.cmu``), so
loading one table never pays for the other. This package only holds the small string-distance
helpers they share (also used for "did you mean" hints on voice ids).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "edit_distance"]


def edit_distance(a: str, b: str) -> int:
    """Return the optimal-string-alignment distance between ``a`` and ``b``.

        >>> edit_distance("shii", "shi"), edit_distance("hoa", "hao"), edit_distance("zh", "ch")
        (1, 1, 1)

    Insertions, deletions, substitutions and swaps of two neighbouring characters cost 1 each
    (a swap is the commonest typing slip, so it counts as one edit, not two).
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if not la or not lb:
        return la or lb
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ca = a[i - 1]
        for j in range(1, lb + 1):
            cb = b[j - 1]
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[lb]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def closest(
    word: str, candidates: Iterable[str], *, max_distance: int = 2, limit: int = 3
) -> list[str]:
    """Return up to ``limit`` candidates within ``max_distance`` edits of ``word``, best first.

        >>> closest("shii", ["shi", "shui", "xi", "shei"])
        ['shi', 'shei', 'shui']

    Ranking: fewer edits first; among equals, a reordering of the same letters (a swap is the
    commonest slip), then the longer shared beginning (slips are likelier at the end of a word),
    then the longer shared ending, then the closer length, then alphabetical.
    """
    if limit <= 0:
        return []
    scored: list[tuple[int, bool, int, int, int, str]] = []
    for cand in candidates:
        if abs(len(cand) - len(word)) > max_distance:
            continue  # cheap lower bound on the distance
        d = edit_distance(word, cand)
        if d > max_distance or cand == word:
            continue
        prefix = _common_prefix(word, cand)
        suffix = _common_prefix(word[::-1], cand[::-1])
        swapped = sorted(cand) != sorted(word)  # False (ranks first) for a pure reordering
        scored.append((d, swapped, -prefix, -suffix, abs(len(cand) - len(word)), cand))
    scored.sort()
    return [item[-1] for item in scored[:limit]]
