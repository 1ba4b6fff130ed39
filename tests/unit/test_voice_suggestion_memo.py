"""Voice suggestions are computed once per distinct unknown voice per process, in a bounded memo."""

from __future__ import annotations

import ssmlkit
from ssmlkit.profiles import voices


def test_a_repeated_unknown_voice_is_answered_from_the_memo() -> None:
    voices._suggestions.cache_clear()
    first = voices.suggest_voice("longxiaochun")
    second = voices.suggest_voice("longxiaochun")
    assert first == second == ["longxiaochun_v2", "longxiaochun_v3"]
    info = voices._suggestions.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_callers_get_their_own_list() -> None:
    hints = voices.suggest_voice("longxiaochun")
    hints.clear()
    assert voices.suggest_voice("longxiaochun") == ["longxiaochun_v2", "longxiaochun_v3"]


def test_the_model_is_part_of_the_question() -> None:
    # Spelled two ways, one model: one entry; another model: another answer.
    plus = voices.suggest_voice("longanyan", model="tongyi/cosyvoice-v3-plus")
    assert plus == voices.suggest_voice("longanyan", model="cosyvoice-v3-plus")
    assert all(v in voices.voices_for_model("cosyvoice-v3-plus") for v in plus)
    assert voices.suggest_voice("longanyan", limit=1) == voices.suggest_voice("longanyan")[:1]
    assert voices.suggest_voice("longanyan", limit=0) == []


def test_the_memo_is_bounded() -> None:
    voices._suggestions.cache_clear()
    for k in range(voices.SUGGESTION_MEMO_SIZE + 50):
        voices.suggest_voice(f"cloned_voice_{k}")
    assert voices._suggestions.cache_info().currsize == voices.SUGGESTION_MEMO_SIZE


def test_linting_many_documents_with_one_unknown_voice_asks_once() -> None:
    voices._suggestions.cache_clear()
    messages = set()
    for k in range(20):  # distinct documents (the engine's verdict memo cannot answer for them)
        found = ssmlkit.lint(f'<speak voice="longxiaochun">第{k}段</speak>')
        messages.update(d.message for d in found if d.code == "VO001")
    assert len(messages) == 1
    assert "did you mean 'longxiaochun_v2' or 'longxiaochun_v3'" in next(iter(messages))
    assert voices._suggestions.cache_info().misses == 1
