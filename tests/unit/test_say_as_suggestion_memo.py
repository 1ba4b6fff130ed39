"""say-as suggestions are computed once per distinct ``interpret-as`` value per process, bounded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.linter.rules import say_as


def test_many_documents_with_one_wrong_value_ask_once() -> None:
    say_as._suggestion.cache_clear()
    messages = set()
    for k in range(20):  # distinct start tags: the engine's verdict memo cannot answer for them
        text = f'<speak><say-as interpret-as="spel-out" data-k="{k}">AB</say-as></speak>'
        messages.update(d.message for d in ssmlkit.lint(text) if d.code == "SA001")
    assert len(messages) == 1
    assert say_as._suggestion.cache_info().misses == 1


def test_the_memo_is_bounded() -> None:
    say_as._suggestion.cache_clear()
    for k in range(say_as.SUGGESTION_MEMO_SIZE + 50):
        say_as._suggestion(f"reading-{k}")
    assert say_as._suggestion.cache_info().currsize == say_as.SUGGESTION_MEMO_SIZE


@given(st.text(alphabet="abcdeilmnorstu-_ ", max_size=14))
def test_the_memo_answers_as_the_computation_does(value: str) -> None:
    assert say_as._suggestion(value) == say_as._suggestion.__wrapped__(value)
