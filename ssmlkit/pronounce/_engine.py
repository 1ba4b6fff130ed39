"""The pronunciation engine: sentences in, batched model, readings out (see :mod:`ssmlkit.pronounce`).

    >>> engine = Engine.load()
    >>> [(p.char, p.reading) for p in engine.predict("银行行长")]
    [('行', 'hang2'), ('行', 'hang2'), ('长', 'zhang3')]

The text is cut into sentences (after 。！？；, their ASCII forms, and line breaks), as the model was
trained on sentences; a sentence longer than :data:`WINDOW` characters (a run-on text, a table
without punctuation) is read in overlapping windows so no step of the recurrent network runs over
thousands of characters. Sentences with polyphones are sorted by length and run in batches of
:data:`BATCH`, so padding stays short; results do not depend on the batching (see
:mod:`ssmlkit.pronounce._model`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from ssmlkit.pronounce._model import Model
from ssmlkit.pronounce._prediction import Prediction
from ssmlkit.pronounce._table import HAN_RUN, Table, numbered

__all__ = ["BATCH", "WINDOW", "Engine", "predict_many", "sentences"]

#: Sentences run through the network together. Small on purpose: each step multiplies a
#: (BATCH, 64) state by a (64, 256) matrix, and OpenBLAS hands a product to its threads above
#: 2^18 multiply-adds (64 x 256 x 16 is exactly that). Threads cost more than they give on
#: products this small, and far more on a busy machine: a 20,000-character text took 0.2-0.3 s
#: at 8-32 sentences a batch and 1.0-1.6 s at 64 on a loaded 2-core VM.
BATCH: Final = 16
#: The longest stretch of text the network reads at once; a longer sentence is read in windows.
WINDOW: Final = 128
#: Characters of context kept on each side of a window's own part.
MARGIN: Final = 32

#: Below this confidence the model consults the phrase dictionary (see
#: :meth:`Engine._consult_dictionary`); chosen on the CPP development split.
UNSURE: Final = 0.95
#: A sentence shorter than this always consults the dictionary (a bare word or phrase).
SHORT: Final = 10
#: The dictionary's weight when it is consulted: an even mixture, so its reading wins.
DICTIONARY_WEIGHT: Final = 0.5

_END = re.compile(r"[。！？；!?;\n\r]+[”’」』）)]*")


def sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` spans that cut ``text`` after each sentence end, covering all of it.

    >>> sentences("你好。再见！\\n好")
    [(0, 3), (3, 7), (7, 8)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class _Job(NamedTuple):
    start: int  # offset of the window in the text
    text: str  # the window
    targets: list[int]  # offsets of the polyphones it decides, in the window


class Engine:
    """The model and the table together; immutable after :meth:`load`, so threads may share it."""

    def __init__(self, model: Model, table: Table) -> None:
        self.model = model
        self.table = table
        # The model's classes are spelled as CEDICT spells them (``lu:4``); names are ours (``lv4``).
        self.class_names = tuple(numbered(c) or "" for c in model.classes)
        self.candidate_ids = {
            ch: tuple(
                model.class_ids[r]
                for r in model.cedict[ch]
                if r in model.class_ids and self.class_names[model.class_ids[r]]
            )
            for ch in table.candidates
        }
        # The same as a (polyphones, most candidates) array of class ids padded with -1.
        import numpy as np

        self.candidate_row = {ch: row for row, ch in enumerate(self.candidate_ids)}
        widest = max((len(ids) for ids in self.candidate_ids.values()), default=1)
        self.candidate_table = np.full((len(self.candidate_ids), widest), -1, dtype=np.int64)
        for row, ids in enumerate(self.candidate_ids.values()):
            self.candidate_table[row, : len(ids)] = ids

    @classmethod
    def load(cls) -> Engine:
        """Load g2pM's model and pypinyin's tables from the installed packages."""
        model = Model.load()
        return cls(model, Table.load(model.cedict))

    def _jobs(self, text: str) -> list[_Job]:
        polyphone = self.candidate_ids
        jobs: list[_Job] = []
        for first, last in sentences(text):
            # The model reads the sentence without the white space around it (a line break is an
            # unknown token to it, and would make a line's reading depend on what follows it).
            start = first + len(text[first:last]) - len(text[first:last].lstrip())
            end = last - (len(text[first:last]) - len(text[first:last].rstrip()))
            own = [i - start for i in range(start, end) if text[i] in polyphone]
            if not own:
                continue
            if end - start <= WINDOW:
                jobs.append(_Job(start, text[start:end], own))
                continue
            step = WINDOW - 2 * MARGIN
            for core in range(start, end, step):
                core_end = min(core + step, end)
                lo, hi = max(start, core - MARGIN), min(end, core_end + MARGIN)
                mine = [i - lo for i in range(core, core_end) if text[i] in polyphone]
                if mine:
                    jobs.append(_Job(lo, text[lo:hi], mine))
        return jobs

    def predict(self, text: str) -> list[Prediction]:
        """One :class:`~ssmlkit.pronounce.Prediction` per polyphone of ``text``, in order."""
        import numpy as np

        jobs = self._jobs(text)
        if not jobs:
            return []
        jobs.sort(key=lambda j: len(j.text))
        states = []
        for first in range(0, len(jobs), BATCH):
            batch = jobs[first : first + BATCH]
            encoded = self.model.encode([j.text for j in batch])
            targets = [(row, t) for row, j in enumerate(batch) for t in j.targets]
            states.append(self.model.states(encoded, targets))
        where = [(j.start + t, j.text[t]) for j in jobs for t in j.targets]
        table = self.candidate_table
        rows = np.fromiter((self.candidate_row[ch] for _, ch in where), np.int64, len(where))
        candidates = table[rows]
        scores = self.model.candidate_logits(np.concatenate(states), candidates).astype(np.float64)
        probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        short = np.fromiter(
            (len(j.text) < SHORT for j in jobs for _ in j.targets), dtype=bool, count=len(where)
        )
        self._consult_dictionary(text, where, candidates, probabilities, short)
        # Best first; ties (never seen in practice) keep the dictionary's order.
        order = np.argsort(-probabilities, axis=1, kind="stable")
        ranked = np.take_along_axis(candidates, order, 1).tolist()
        best = np.take_along_axis(probabilities, order[:, :1], 1)[:, 0].tolist()
        names = self.class_names
        found = [
            Prediction(index, char, names[r[0]], p, tuple(names[c] for c in r if c >= 0))
            for (index, char), r, p in zip(where, ranked, best, strict=True)
        ]
        found.sort(key=lambda p: p.index)
        return found

    def _consult_dictionary(
        self,
        text: str,
        where: list[tuple[int, str]],
        candidates: Any,
        probabilities: Any,
        short: Any,
    ) -> None:
        """Where the model is unsure, let the phrase dictionary weigh in (in place).

        A polyphone inside a word of the dictionary (:meth:`Table.segment`) whose model confidence
        is below :data:`UNSURE` gets ``0.5 * model + 0.5 * dictionary``: the word's reading
        then wins, with a confidence between 0.5 and 1 that still shows the model's doubt. A sure
        model is left alone: segmentation slips (手|重新 read as 手重) and the dictionary's own
        choices (吡咯 as ge1) are wrong more often than a confident model (CPP development split:
        the dictionary always: 97.51%; only where the model is below 0.95: 97.77%; the model
        alone: 97.36%; any threshold from 0.9 to 0.99 gives 97.70-97.77%).

        In a sentence shorter than :data:`SHORT` characters (``short``, one flag a polyphone) the
        dictionary is consulted whatever the model's confidence: the model learnt from sentences
        like CPP's (9 to 51 characters in its development split) and can be confidently wrong
        on a bare word (银行行长 alone: 行 as
        xing2 at 0.97). The development split cannot confirm this (81 of its 9,893 sentences
        are that short; its accuracy is the same with or without the rule).
        """
        import numpy as np

        unsure = np.flatnonzero((probabilities.max(axis=1) < UNSURE) | short).tolist()
        if not unsure:
            return
        # Runs of Han characters segment independently: only those holding an unsure polyphone.
        runs = [(m.start(), m.end()) for m in HAN_RUN.finditer(text)]
        run_starts = [a for a, _ in runs]
        words: dict[int, list[tuple[int, int]]] = {}
        for n in unsure:
            index = where[n][0]
            run = bisect.bisect_right(run_starts, index) - 1
            if run not in words:
                words[run] = self.table.words(text, *runs[run])
            word = next((w for w in words[run] if w[0] <= index < w[1]), None)
            if word is None:
                continue
            a, b = word
            reading = self.table.phrases[text[a:b]][index - a]
            for k, class_id in enumerate(candidates[n].tolist()):
                if class_id >= 0 and self.class_names[class_id] == reading:
                    probabilities[n] *= 1.0 - DICTIONARY_WEIGHT
                    probabilities[n, k] += DICTIONARY_WEIGHT
                    break

    def transcribe(self, text: str) -> list[str | None]:
        """One reading per character of ``text`` (see :func:`ssmlkit.pronounce.transcribe`).

        Polyphones are read as :meth:`predict` reads them. Another Han character inside a word
        of the phrase dictionary takes the word's reading of it (一个 yi2 ge4, and a later
        syllable's neutral tone: 意思 yi4 si5, although 思 alone has none);
        elsewhere its first reading, except 一 and 不, which change tone before another syllable
        (:func:`sandhi`).
        """
        readings = self.table.readings
        phrases = self.table.phrases
        out: list[str | None] = []
        for ch in text:
            listed = readings.get(ch)
            out.append(listed[0] if listed else None)
        in_word = [False] * len(text)
        for a, b in self.table.words(text):
            for i, reading in enumerate(phrases[text[a:b]], start=a):
                in_word[i] = True
                # A word's reading of a character is one of the character's readings, or the
                # neutral tone a word's later syllable may take (意思 yi4 si5); anything else
                # the word list says (25 odd entries) is not trusted over the character's own.
                if reading in readings.get(text[i], ()) or (i > a and reading[-1] == "5"):
                    out[i] = reading
        for p in self.predict(text):
            out[p.index] = p.reading
        for i, ch in enumerate(text):
            if ch in _SANDHI and not in_word[i]:
                out[i] = sandhi(text, i, out)
        return out

    def segment(self, text: str) -> list[tuple[int, int]]:
        """Word spans over the Han characters of ``text`` (see :meth:`Table.segment`)."""
        return self.table.segment(text)

    def readings(self, char: str) -> tuple[str, ...]:
        """Every reading of one character, most common first; ``()`` for none."""
        return self.table.readings.get(char, ()) if len(char) == 1 else ()

    def is_polyphone(self, char: str) -> bool:
        """Whether ``char`` is one of the characters the model disambiguates."""
        return char in self.candidate_ids


_SANDHI: Final = frozenset("一不")
# Digits read one by one (一九八四, 三一): 一 keeps its own tone among them.
_DIGITS: Final = frozenset("零〇一二三四五六七八九")
_NUMERALS: Final = _DIGITS | frozenset("十百千万亿两")


def sandhi(text: str, i: int, out: Sequence[str | None]) -> str:
    """The tone of 一 or 不 at ``text[i]`` from the syllable after it (``out``: the readings).

        >>> sandhi("不是", 0, ["bu4", "shi4"]), sandhi("不好", 0, ["bu4", "hao3"])
        ('bu2', 'bu4')
        >>> [sandhi(t, 0, ["yi1", r]) for t, r in (("一样", "yang4"), ("一般", "ban1"), ("一九", "jiu3"))]
        ['yi2', 'yi4', 'yi1']
        >>> sandhi("第一", 1, ["di4", "yi1"]), sandhi("看一看", 1, ["kan4", "yi1", "kan4"])
        ('yi1', 'yi1')

    The standard rules: 不 is bu2 before a fourth tone and bu4 elsewhere; 一 is yi2 before a
    fourth (or neutral) tone and yi4 before the other tones, but keeps yi1 at the end of a
    phrase, as an ordinal or a digit (第一, 十一, 一九八四), and between a repeated verb (看一看).
    """
    following = out[i + 1] if i + 1 < len(out) else None
    if text[i] == "不":
        return "bu2" if following is not None and following.endswith("4") else "bu4"
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if (
        following is None
        or before == "第"
        or before in _NUMERALS
        or after in _DIGITS
        or (before and before == after)
    ):
        return "yi1"
    return "yi2" if following[-1] in "45" else "yi4"


def predict_many(engine: Engine, texts: Sequence[str]) -> list[list[Prediction]]:
    """Predictions for several texts at once (joined by line breaks, so batched together)."""
    joined = "\n".join(texts)
    found = engine.predict(joined)
    out: list[list[Prediction]] = [[] for _ in texts]
    starts: list[int] = []
    at = 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    for p in found:
        which = bisect.bisect_right(starts, p.index) - 1
        out[which].append(
            Prediction(p.index - starts[which], p.char, p.reading, p.confidence, p.candidates)
        )
    return out
