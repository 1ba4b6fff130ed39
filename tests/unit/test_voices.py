"""The voice catalogue: counts and flags stated in the spec (§9), lookups and near misses."""

from __future__ import annotations

import dataclasses
import doctest
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.profiles import voices as v


def _ids(text: str) -> list[str]:
    return text.split()


# Typed here from the spec's §9.1 table, group by group, with the size of each group.
SPEC_V3_FLASH_GROUPS = {
    "flagship": ("longanyang longanhuan longhuhu_v3", 3),
    "toys": ("longpaopao_v3 longjielidou_v3 longxian_v3 longling_v3", 4),
    "kids": ("longshanshan_v3 longniuniu_v3", 2),
    "cantonese": ("longjiaxin_v3 longjiayi_v3 longanyue_v3", 3),
    "other dialects": ("longlaotie_v3 longshange_v3 longanmin_v3", 3),
    "overseas": ("loongkyong_v3 loongriko_v3 loongtomoka_v3", 3),
    "single rows": ("longfei_v3 longyingxiao_v3", 2),
    "customer service": ("longyingxun_v3 longyingjing_v3 longyingling_v3 longyingtao_v3", 4),
    "assistant": (
        "longxiaochun_v3 longxiaoxia_v3 longyumi_v3 longanyun_v3 longanwen_v3 longanli_v3 "
        "longanlang_v3 longyingmu_v3",
        8,
    ),
    "companion": (
        "longantai_v3 longhua_v3 longcheng_v3 longze_v3 longzhe_v3 longyan_v3 longxing_v3 "
        "longtian_v3 longwan_v3 longqiang_v3 longfeifei_v3 longhao_v3 longanrou_v3 longhan_v3 "
        "longanzhi_v3 longanling_v3 longanya_v3 longanqin_v3",
        18,
    ),
    "audiobooks": (
        "longmiao_v3 longsanshu_v3 longyuan_v3 longyue_v3 longxiu_v3 longnan_v3 longwanjun_v3 "
        "longyichen_v3 longlaobo_v3 longlaoyi_v3",
        10,
    ),
    "dubbing": ("longjiqi_v3 longhouge_v3 longdaiyu_v3", 3),
    "commerce": ("longanran_v3 longanxuan_v3", 2),
    "news": ("longshuo_v3 longshu_v3 loongbella_v3", 3),
}
SPEC_V3_FLASH = {i for ids, _ in SPEC_V3_FLASH_GROUPS.values() for i in ids.split()}

SPEC_V2_NO_SSML = _ids(
    "loongeva_v2 loongbrian_v2 loongluna_v2 loongluca_v2 loongemily_v2 loongeric_v2 loongabby_v2 "
    "loongannie_v2 loongandy_v2 loongava_v2 loongbeth_v2 loongbetty_v2 loongcindy_v2 "
    "loongcally_v2 loongdavid_v2 loongdonna_v2 loongkyong_v2 loongtomoka_v2 loongtomoya_v2"
)
SPEC_V3_FLASH_NEWER = _ids(
    "longanhuan_v3 loongabby_v3 loongandy_v3 loongannie_v3 loongava_v3 loongbeth_v3 loongbetty_v3 "
    "loongcally_v3 loongcindy_v3 loongdavid_v3 loongdonna_v3 loongemily_v3 loongeric_v3 "
    "loongluna_v3 loongluca_v3 loongtomoya_v3 loongyuuna_v3 loongyuuma_v3 loongjihun_v3 "
    "loongindah_v3"
)


def test_spec_groups_add_up_to_68() -> None:
    for name, (ids, size) in SPEC_V3_FLASH_GROUPS.items():
        assert len(ids.split()) == size, name
    assert len(SPEC_V3_FLASH) == 68


def test_catalogue_has_exactly_the_68_official_v3_flash_voices_with_ssml() -> None:
    official = {x.id for x in v.CATALOGUE if x.model == v.V3_FLASH and x.ssml is True}
    assert len(official) == 68
    assert official == SPEC_V3_FLASH


def test_newer_v3_flash_voices_are_uncertain() -> None:
    assert len(SPEC_V3_FLASH_NEWER) == 20
    for voice_id in SPEC_V3_FLASH_NEWER:
        voice = v.get_voice(voice_id, v.V3_FLASH)
        assert voice is not None, voice_id
        assert voice.ssml is None, voice_id
    uncertain = {x.id for x in v.CATALOGUE if x.ssml is None}
    assert uncertain == set(SPEC_V3_FLASH_NEWER)


def test_v3_plus_has_the_two_flagship_voices() -> None:
    plus = v.voices_for_model(v.V3_PLUS)
    assert set(plus) == {"longanyang", "longanhuan"}
    assert all(x.ssml is True and x.instruct is True for x in plus.values())


def test_v2_foreign_voices_without_ssml() -> None:
    assert len(SPEC_V2_NO_SSML) == 19
    for voice_id in SPEC_V2_NO_SSML:
        voice = v.get_voice(voice_id)
        assert voice is not None, voice_id
        assert (voice.model, voice.ssml) == (v.V2, False), voice_id


@pytest.mark.parametrize(
    "voice_id",
    [
        "longxiaochun_v2",
        "longcheng_v2",
        "loongbella_v2",
        "longhuhu",
        "longanyue",
        "loongyuuna_v2",
        "loongyuuma_v2",
        "loongjihun_v2",
    ],
)
def test_v2_voices_with_ssml(voice_id: str) -> None:
    voice = v.get_voice(voice_id, "cosyvoice-v2")
    assert voice is not None
    assert voice.ssml is True


def test_ids_are_unique_per_model_and_well_formed() -> None:
    pairs = Counter((x.model, x.id) for x in v.CATALOGUE)
    assert [p for p, n in pairs.items() if n > 1] == []
    for x in v.CATALOGUE:
        assert re.fullmatch(r"lo{1,2}ng[a-z]+(_v[23])?", x.id), x.id
        assert x.model in v.MODELS
        assert x.languages
        assert x.scenario


def test_voices_map_holds_each_id_once_preferring_v3_flash() -> None:
    assert set(v.VOICES) == {x.id for x in v.CATALOGUE}
    assert v.VOICES["longanyang"].model == v.V3_FLASH
    assert v.models_of("longanyang") == (v.V3_FLASH, v.V3_PLUS)
    assert v.models_of("longcheng_v2") == (v.V2,)
    assert v.models_of("nobody") == ()


def test_get_voice_by_model() -> None:
    assert v.get_voice("longanyang", "tongyi/cosyvoice-v3-plus") is not None
    assert v.get_voice("longcheng_v3", v.V2) is None
    assert v.get_voice("longcheng_v3", "cosyvoice-v1") is None
    assert v.get_voice("not-a-voice") is None
    assert v.get_voice("LONGCHENG_V3") is None  # ids are exact


def test_voice_is_frozen() -> None:
    voice = v.get_voice("longfei_v3")
    assert voice is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        voice.ssml = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("voice_id", "language"),
    [
        ("longjiaxin_v3", "yue"),
        ("longjiayi_v3", "yue"),
        ("longanyue_v3", "yue"),
        ("longanyue", "yue"),
        ("longanmin_v3", "nan"),
        ("longlaotie_v3", "cmn"),
        ("loongkyong_v3", "ko"),
        ("loongriko_v3", "ja"),
        ("loongtomoka_v2", "ja"),
        ("loongava_v3", "en"),
        ("loongluna_v2", "en"),
        ("loongindah_v3", "id"),
        ("longxiaochun_v3", "cmn"),
        ("a-cloned-voice-id", "cmn"),
    ],
)
def test_language_of(voice_id: str, language: str) -> None:
    assert v.language_of(voice_id) == language


@pytest.mark.parametrize(
    ("wrong", "meant"),
    [
        ("longxiaochun", "longxiaochun_v3"),  # generation suffix left off
        ("longanyang_v3", "longanyang"),  # suffix added where there is none
        ("longbella_v3", "loongbella_v3"),  # long/loong mix-up
        ("LongFei_v3", "longfei_v3"),  # case
        ("longfie_v3", "longfei_v3"),  # swapped letters
        ("longcheng_v4", "longcheng_v3"),
    ],
)
def test_suggest_voice_near_misses(wrong: str, meant: str) -> None:
    hits = v.suggest_voice(wrong)
    assert meant in hits
    assert len(hits) <= 3
    assert wrong not in hits


def test_suggest_voice_within_a_model() -> None:
    assert v.suggest_voice("longxiaochun", model=v.V2) == ["longxiaochun_v2"]
    assert v.suggest_voice("longfei_v3", model=v.V3_PLUS) == []
    assert v.suggest_voice("zzz") == []
    assert v.suggest_voice("longfei_v3", limit=0) == []


@given(st.sampled_from(sorted(v.VOICES)))
def test_a_known_id_never_suggests_itself(voice_id: str) -> None:
    assert voice_id not in v.suggest_voice(voice_id)
    assert all(h in v.VOICES for h in v.suggest_voice(voice_id))


def test_disputed_flags_are_official_voices() -> None:
    for voice_id in v.SSML_FLAG_DISPUTED:
        voice = v.get_voice(voice_id)
        assert voice is not None
        assert voice.ssml is True
        assert v.language_of(voice_id) in {"ja", "ko"}


def test_docstring_examples() -> None:
    result = doctest.testmod(v, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "model", [*v.MODELS, "COSYVOICE-V2", "tongyi/cosyvoice-v3-plus", "", "/", "nope"]
)
def test_namesakes_are_the_models_voices_of_the_same_stem_in_catalogue_order(model: str) -> None:
    for voice_id in [*v.VOICES, "longcheng", "loongbella", "cloned-voice", ""]:
        expected = tuple(
            x for x in v.voices_for_model(model) if v.voice_stem(x) == v.voice_stem(voice_id)
        )
        assert v.namesakes(voice_id, model) == expected
