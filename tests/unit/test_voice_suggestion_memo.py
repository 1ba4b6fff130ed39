"""Voice suggestions are computed once per distinct unknown voice per process, in a bounded memo."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.phonetics import closest
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


def _unfiltered(voice_id: str, limit: int = 3, model: str | None = None) -> list[str]:
    """suggest_voice as it was before any filter or index (every voice of the pool compared):
    the reference it must equal."""
    pool = list(voices.voices_for_model(model) if model else voices.VOICES)
    word = voice_id.strip().lower()
    stem = voices.voice_stem(word)
    exact: list[str] = []
    if word in pool and word != voice_id:
        exact.append(word)
    exact += sorted(
        v for v in pool if voices.voice_stem(v) == stem and v not in exact and v != voice_id
    )
    rest = closest(word, pool, max_distance=2, limit=limit + len(exact))
    return (exact + [v for v in rest if v not in exact and v != voice_id])[:limit]


@st.composite
def near_voices(draw: st.DrawFn) -> str:
    """A catalogue voice with up to three random edits (or a random word), maybe in other case
    or with white space around it."""
    if draw(st.booleans()):
        return draw(st.text("abcdefghijklmnopqrstuvwxyz_-0123456789", max_size=22))
    word = list(draw(st.sampled_from(sorted(voices.VOICES))))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(word)))
        op = draw(st.integers(0, 3))
        letter = draw(st.sampled_from("aegilnouvxy_23"))
        if op == 0:
            word.insert(at, letter)
        elif word and op == 1:
            del word[min(at, len(word) - 1)]
        elif word and op == 2:
            word[min(at, len(word) - 1)] = letter
        elif len(word) > at + 1:
            word[at], word[at + 1] = word[at + 1], word[at]
    out = "".join(word)
    if draw(st.booleans()):
        out = draw(st.sampled_from([out.upper(), out.title(), f" {out}\t", out.capitalize()]))
    return out


@given(near_voices())
def test_the_filters_change_no_suggestion(voice_id: str) -> None:
    voices._suggestions.cache_clear()
    assert voices.suggest_voice(voice_id) == _unfiltered(voice_id)


@given(
    near_voices(),
    st.integers(1, 6),
    st.sampled_from([None, *voices.MODELS, "COSYVOICE-V2", "tongyi/cosyvoice-v3-plus", "nope"]),
)
def test_the_filters_change_no_suggestion_for_any_limit_or_model(
    voice_id: str, limit: int, model: str | None
) -> None:
    voices._suggestions.cache_clear()
    assert voices.suggest_voice(voice_id, limit, model) == _unfiltered(voice_id, limit, model)


def test_the_filters_keep_every_voice_within_two_edits() -> None:
    # Each catalogue voice, changed by two edits of each kind, still finds the voice it came from
    # among the candidates (the letter-count filter must never drop a voice within reach).
    pool = voices._pool(None)
    for voice_id in voices.VOICES:
        variants = {
            voice_id[1:-1],  # two deletions
            "xy" + voice_id,  # two insertions
            "qq" + voice_id[2:],  # two substitutions
            voice_id[1] + voice_id[0] + voice_id[3] + voice_id[2] + voice_id[4:],  # two swaps
            "q" + voice_id[:-1],  # an insertion and a deletion
        }
        for word in variants:
            assert voice_id in pool.near(word), (voice_id, word)
