"""The CosyVoice system-voice catalogue: which voice belongs to which model, speaks what, takes SSML.

    >>> get_voice("longxiaochun_v3").ssml
    True
    >>> language_of("longjiaxin_v3")
    'yue'
    >>> suggest_voice("longxiaochun")
    ['longxiaochun_v2', 'longxiaochun_v3']

Sources (see the project's spec notes, §9): the vendor's v3-flash table (68 voices, every one marked
SSML-supported), the newer v3-flash voices found only in unofficial catalogues (their SSML support
is unknown: ``ssml=None``), the two v3-plus voices, and the cosyvoice-v2 voices the spec names with
their flags. A voice id may belong to more than one model (``longanyang`` is both a v3-flash and a
v3-plus voice): :data:`VOICES` holds the first entry, :func:`get_voice` takes a model to choose.

Languages are BCP 47 tags: ``cmn`` Mandarin, ``yue`` Cantonese, ``nan`` Min Nan (Hokkien), ``en``,
``ja``, ``ko``, ``id``; a region is added where the source gives one (``en-US``, ``en-GB``).
Dialects of Mandarin (Northeastern, Shaanxi) are ``cmn``, with the dialect named in ``scenario``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from ssmlkit._records import Record, record
from ssmlkit.phonetics import closest

_set = object.__setattr__

__all__ = [
    "CATALOGUE",
    "MODELS",
    "SSML_FLAG_DISPUTED",
    "SUGGESTION_MEMO_SIZE",
    "V2",
    "V3_FLASH",
    "V3_PLUS",
    "VOICES",
    "Voice",
    "get_voice",
    "language_of",
    "models_of",
    "namesakes",
    "normalize_model",
    "suggest_voice",
    "voice_stem",
    "voices_for_model",
]

V3_FLASH: Final = "cosyvoice-v3-flash"
V3_PLUS: Final = "cosyvoice-v3-plus"
V2: Final = "cosyvoice-v2"
#: Models that have system voices, newest first.
MODELS: Final = (V3_FLASH, V3_PLUS, V2)


# A Record (see ssmlkit._records): the catalogue makes hundreds at import, on the way to every
# ``ssmlkit lint``, where a generated frozen dataclass would cost ~1.5 ms of start-up.
@record
class Voice(Record):
    """One system voice of one model.

        >>> Voice("longfei_v3", V3_FLASH, ("cmn", "en"), True, "poetry recital").languages[0]
        'cmn'

    ``ssml`` is True (the vendor marks it SSML-supported), False (marked unsupported: SSML fails
    with "SSML text is not supported at the moment!") or None (no authoritative source).
    ``instruct`` and ``timestamps`` are the vendor's Instruct and word-timestamp flags (None where
    the spec does not say).
    """

    id: str
    model: str
    languages: tuple[str, ...]
    ssml: bool | None
    scenario: str
    instruct: bool | None = None
    timestamps: bool | None = None

    def __init__(
        self,
        id: str,
        model: str,
        languages: tuple[str, ...],
        ssml: bool | None,
        scenario: str,
        instruct: bool | None = None,
        timestamps: bool | None = None,
    ) -> None:
        _set(self, "id", id)
        _set(self, "model", model)
        _set(self, "languages", languages)
        _set(self, "ssml", ssml)
        _set(self, "scenario", scenario)
        _set(self, "instruct", instruct)
        _set(self, "timestamps", timestamps)


# One row per group of voices: model | ids | languages | SSML | Instruct | timestamps | scenario.
# Flags: "y" yes, "n" no, "?" unknown. Rows keep the order of the sources (spec §9).
_TABLE: Final = """
v3-flash | longanyang longanhuan | cmn en | y | y | y | social companion (flagship)
v3-flash | longhuhu_v3 | cmn en | y | y | y | child voice (flagship)
v3-flash | longpaopao_v3 | cmn en | y | n | y | toys / kids' story machine
v3-flash | longjielidou_v3 longxian_v3 longling_v3 | cmn en | y | n | y | toys
v3-flash | longshanshan_v3 longniuniu_v3 | cmn en | y | n | y | kids' audiobooks
v3-flash | longjiaxin_v3 longjiayi_v3 longanyue_v3 | yue en | y | n | y | dialect: Cantonese
v3-flash | longlaotie_v3 | cmn en | y | n | y | dialect: Northeastern Mandarin
v3-flash | longshange_v3 | cmn en | y | n | y | dialect: Shaanxi
v3-flash | longanmin_v3 | nan en | y | n | y | dialect: Minnan (Hokkien)
v3-flash | loongkyong_v3 | ko | y | n | y | overseas marketing
v3-flash | loongriko_v3 loongtomoka_v3 | ja | y | n | y | overseas marketing
v3-flash | longfei_v3 | cmn en | y | n | y | poetry recital
v3-flash | longyingxiao_v3 | cmn en | y | n | y | telesales
v3-flash | longyingxun_v3 longyingjing_v3 longyingling_v3 longyingtao_v3
         | cmn en | y | n | y | customer service
v3-flash | longxiaochun_v3 longxiaoxia_v3 longyumi_v3 longanyun_v3 longanwen_v3 longanli_v3
           longanlang_v3 longyingmu_v3
         | cmn en | y | n | y | voice assistant
v3-flash | longantai_v3 longhua_v3 longcheng_v3 longze_v3 longzhe_v3 longyan_v3 longxing_v3
           longtian_v3 longwan_v3 longqiang_v3 longfeifei_v3 longhao_v3 longanrou_v3 longhan_v3
           longanzhi_v3 longanling_v3 longanya_v3 longanqin_v3
         | cmn en | y | n | y | social companion
v3-flash | longmiao_v3 longsanshu_v3 longyuan_v3 longyue_v3 longxiu_v3 longnan_v3 longwanjun_v3
           longyichen_v3 longlaobo_v3 longlaoyi_v3
         | cmn en | y | n | y | audiobooks
v3-flash | longjiqi_v3 longhouge_v3 longdaiyu_v3 | cmn en | y | n | y | short-video dubbing
v3-flash | longanran_v3 longanxuan_v3 | cmn en | y | n | y | live commerce
v3-flash | longshuo_v3 longshu_v3 loongbella_v3 | cmn en | y | n | y | news

v3-flash | longanhuan_v3 | cmn | ? | ? | ? | multi-dialect (unofficial listing)
v3-flash | loongabby_v3 loongandy_v3 loongannie_v3 loongava_v3 loongbeth_v3 loongbetty_v3
           loongcally_v3 loongcindy_v3 loongdavid_v3 loongdonna_v3
         | en-US | ? | ? | ? | US English (unofficial listing)
v3-flash | loongemily_v3 loongeric_v3 loongluna_v3 loongluca_v3
         | en-GB | ? | ? | ? | UK English (unofficial listing)
v3-flash | loongtomoya_v3 loongyuuna_v3 loongyuuma_v3 | ja | ? | ? | ? | Japanese (unofficial listing)
v3-flash | loongjihun_v3 | ko | ? | ? | ? | Korean (unofficial listing)
v3-flash | loongindah_v3 | id | ? | ? | ? | Indonesian (unofficial listing)

v3-plus | longanyang longanhuan | cmn en | y | y | y | social companion (flagship)

v2 | longxiaochun_v2 longcheng_v2 loongbella_v2 | cmn | y | ? | ? | Mandarin
v2 | longhuhu | cmn | y | ? | ? | child voice
v2 | longanyue | yue | y | ? | ? | Cantonese
v2 | loongyuuna_v2 loongyuuma_v2 | ja | y | ? | ? | Japanese
v2 | loongjihun_v2 | ko | y | ? | ? | Korean
v2 | loongeva_v2 loongbrian_v2 | en | n | ? | ? | English
v2 | loongluna_v2 loongluca_v2 loongemily_v2 loongeric_v2 | en-GB | n | ? | ? | UK English
v2 | loongabby_v2 loongannie_v2 loongandy_v2 loongava_v2 loongbeth_v2 loongbetty_v2
     loongcindy_v2 loongcally_v2 loongdavid_v2 loongdonna_v2
   | en-US | n | ? | ? | US English
v2 | loongkyong_v2 | ko | n | ? | ? | Korean
v2 | loongtomoka_v2 loongtomoya_v2 | ja | n | ? | ? | Japanese
"""

_FLAGS: Final[dict[str, bool | None]] = {"y": True, "n": False, "?": None}


def _parse_table(text: str) -> tuple[Voice, ...]:
    """Read :data:`_TABLE`; a row continues on indented lines until its last field appears."""
    rows: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0].isspace() and rows:
            rows[-1] += " " + line.strip()
        else:
            rows.append(line.strip())
    voices: list[Voice] = []
    for row in rows:
        model, ids, langs, ssml, instruct, stamps, scenario = (f.strip() for f in row.split("|"))
        for voice_id in ids.split():
            voices.append(
                Voice(
                    voice_id,
                    f"cosyvoice-{model}",
                    tuple(langs.split()),
                    _FLAGS[ssml],
                    scenario,
                    _FLAGS[instruct],
                    _FLAGS[stamps],
                )
            )
    return tuple(voices)


#: Every (voice, model) entry, in source order.
CATALOGUE: Final[tuple[Voice, ...]] = _parse_table(_TABLE)

#: Voice id to its first catalogue entry (v3-flash before v3-plus before v2).
VOICES: Final[dict[str, Voice]] = {}
for _v in CATALOGUE:
    VOICES.setdefault(_v.id, _v)

_BY_MODEL: Final[dict[str, dict[str, Voice]]] = {m: {} for m in MODELS}
for _v in CATALOGUE:
    _BY_MODEL[_v.model][_v.id] = _v
del _v

#: v3-flash voices the official table marks SSML-supported but an unofficial catalogue marks
#: unsupported (spec §9.2): the official flag is kept, and a linter may add a note.
SSML_FLAG_DISPUTED: Final[frozenset[str]] = frozenset(
    {"loongkyong_v3", "loongriko_v3", "loongtomoka_v3"}
)


def normalize_model(model: str) -> str:
    """Return the DashScope model name without a provider prefix, in lower case.

    >>> normalize_model("tongyi/cosyvoice-v3-flash")
    'cosyvoice-v3-flash'
    """
    return model.rsplit("/", 1)[-1].strip().lower()


def get_voice(voice_id: str, model: str | None = None) -> Voice | None:
    """Return the catalogue entry for ``voice_id`` (for ``model`` if given), or None if unknown.

        >>> get_voice("longanyang", "cosyvoice-v3-plus").model
        'cosyvoice-v3-plus'
        >>> get_voice("longanyang", "cosyvoice-v2") is None
        True

    Ids are matched exactly: the service's ids are lower case.
    """
    if model is None:
        return VOICES.get(voice_id)
    table = _BY_MODEL.get(model)  # a model named as the catalogue names it: the usual case
    if table is None:
        table = _BY_MODEL.get(normalize_model(model), {})
    return table.get(voice_id)


def models_of(voice_id: str) -> tuple[str, ...]:
    """Return the models that have ``voice_id`` as a system voice (empty if none).

    >>> models_of("longanhuan")
    ('cosyvoice-v3-flash', 'cosyvoice-v3-plus')
    """
    return tuple(m for m in MODELS if voice_id in _BY_MODEL[m])


def voices_for_model(model: str) -> dict[str, Voice]:
    """Return the system voices of ``model`` (a copy; empty for a model without system voices).

    >>> len(voices_for_model("cosyvoice-v3-plus"))
    2
    """
    return dict(_BY_MODEL.get(normalize_model(model), {}))


def namesakes(voice_id: str, model: str) -> tuple[str, ...]:
    """Return the voices of ``model`` that share ``voice_id``'s :func:`voice_stem` (the same
    voice in another generation or spelling), in catalogue order.

        >>> namesakes("longcheng_v2", "cosyvoice-v3-flash")
        ('longcheng_v3',)
        >>> namesakes("loongbella_v3", "tongyi/cosyvoice-v2")
        ('loongbella_v2',)
    """
    return _pool(normalize_model(model)).by_stem.get(voice_stem(voice_id), ())


def suggest_voice(voice_id: str, limit: int = 3, model: str | None = None) -> list[str]:
    """Return up to ``limit`` known voice ids that ``voice_id`` probably meant, best first.

        >>> suggest_voice("longxiaochun_v3x")
        ['longxiaochun_v3', 'longxiaochun_v2']
        >>> suggest_voice("longanyang_v3")[0]
        'longanyang'

    Catches a missing or wrong generation suffix (``_v2``/``_v3``), ``long``/``loong`` mix-ups,
    case, and up to two typing slips. With ``model``, only that model's voices are offered.

    The answer is computed once per distinct question in a process (a bounded memo of
    :data:`SUGGESTION_MEMO_SIZE` entries): the catalogue never changes. Computing it is cheap
    when nothing is near (~5 us for a cloned voice's id: indexes by stem and by length, and a
    letter-count filter, leave no voice to compare); each voice within two edits costs an edit
    distance (~70 us).
    """
    if limit <= 0:
        return []
    return list(_suggestions(voice_id, limit, normalize_model(model) if model else None))


#: How many distinct (voice, limit, model) questions :func:`suggest_voice` remembers. A batch with
#: more distinct unknown voices than this recomputes the oldest ones; memory stays bounded.
SUGGESTION_MEMO_SIZE: Final = 1024


@lru_cache(maxsize=SUGGESTION_MEMO_SIZE)
def _suggestions(voice_id: str, limit: int, model: str | None) -> tuple[str, ...]:
    pool = _pool(model or None)  # ("" too: a model named "/" offers every voice, as ever)
    word = voice_id.strip().lower()
    exact: list[str] = []
    if word in pool.ids and word != voice_id:
        exact.append(word)  # only the case was wrong
    exact += sorted(
        v for v in pool.by_stem.get(voice_stem(word), ()) if v not in exact and v != voice_id
    )
    near = pool.near(word)  # (usually none: then no call)
    rest = closest(word, near, max_distance=2, limit=limit + len(exact)) if near else []
    out = exact + [v for v in rest if v not in exact and v != voice_id]
    return tuple(out[:limit])


class _Pool:
    """The voices :func:`suggest_voice` chooses from (all, or one model's), indexed for its two
    questions: which share a stem, and which may be within two edits of a word.

    Made once per pool (see :func:`_pool`, ~0.25 ms): the catalogue never changes. Without the
    indexes each new unknown voice cost ~60 us (a cloned voice's long id) to ~350 us (an id the
    length of the catalogue's) before any edit distance, in Python loops over the catalogue.
    """

    __slots__ = ("by_length", "by_stem", "ids")

    def __init__(self, ids: list[str]) -> None:
        self.ids = frozenset(ids)
        by_stem: dict[str, list[str]] = {}
        by_length: dict[int, list[tuple[str, frozenset[str]]]] = {}
        for voice_id in ids:
            by_stem.setdefault(voice_stem(voice_id), []).append(voice_id)
            by_length.setdefault(len(voice_id), []).append((voice_id, _letters(voice_id)))
        self.by_stem = {stem: tuple(group) for stem, group in by_stem.items()}  # catalogue order
        self.by_length = by_length

    def near(self, word: str, edits: int = 2) -> list[str]:
        """The voices that may be within ``edits`` edits of ``word``: a cheap filter before the
        edit distances, which cost ~50 us per voice compared.

        Their lengths differ by at most ``edits``, and so do their letter counts, in total by at
        most ``2 * edits``: one edit changes them by at most 2 (a substitution takes one letter
        and adds another, an insertion or deletion changes one count, a swap none). The total is
        ``len(word) + len(voice) - 2 * shared``, where ``shared`` counts the letters the two have
        in common (a letter twice in both counts twice): the size of the intersection of their
        :func:`_letters`, which a set computes in C.
        """
        size = len(word)
        found: list[str] = []
        mine: frozenset[str] | None = None  # counted once a voice of a near length turns up
        for length in range(size - edits, size + edits + 1):
            # size + length - 2 * shared <= 2 * edits, solved for shared
            needed = size + length - 2 * edits
            for voice_id, theirs in self.by_length.get(length, ()):
                if mine is None:
                    mine = _letters(word)
                if 2 * len(mine & theirs) >= needed:
                    found.append(voice_id)
        return found


@lru_cache(maxsize=8)
def _pool(model: str | None) -> _Pool:
    """The indexed voices of ``model`` (all voices for None; none for a model without any)."""
    return _Pool(list(VOICES if model is None else _BY_MODEL.get(model, {})))


def _letters(word: str) -> frozenset[str]:
    """``word``'s letters as a set that keeps their counts: a letter's k-th occurrence is the
    letter repeated k times (``"loong"``: l, o, oo, n, g), so that the intersection of two such
    sets has as many members as the two words have letters in common."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for ch in word:
        k = seen[ch] = seen.get(ch, 0) + 1
        out.append(ch * k)
    return frozenset(out)


def voice_stem(voice_id: str) -> str:
    """Return the name a voice shares across generations and spellings.

    >>> voice_stem("loongbella_v2"), voice_stem("longbella_v3"), voice_stem("longbella")
    ('longbella', 'longbella', 'longbella')
    """
    base = voice_id.removesuffix("_v2").removesuffix("_v3")
    return "long" + base[5:] if base.startswith("loong") else base


def language_of(voice_id: str) -> str:
    """Return the primary language subtag of a voice (``"cmn"``, ``"yue"``, ``"ja"``, ``"en"``...).

        >>> language_of("loongava_v3"), language_of("loongriko_v3"), language_of("longanyang")
        ('en', 'ja', 'cmn')

    Unknown ids (cloned or designed voices, or voices newer than this catalogue) give ``"cmn"``,
    the language every CosyVoice model speaks.
    """
    voice = VOICES.get(voice_id)
    if voice is None or not voice.languages:
        return "cmn"
    return voice.languages[0].split("-", 1)[0]
