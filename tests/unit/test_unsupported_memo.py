"""ST005's verdict (message and fix kind) is remembered per element name, bounded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.linter.rules import structure

_NAMES = st.one_of(
    st.sampled_from(
        ["p", "s", "prosody", "voice", "audio", "Break", "soundevent", "mstts:express-as"]
    ),
    st.from_regex(r"[a-zA-Z][a-zA-Z:_-]{0,10}", fullmatch=True),
)


@given(_NAMES, st.booleans())
def test_the_memo_answers_as_the_computation_does(name: str, has_children: bool) -> None:
    assert structure._unsupported(name, has_children) == structure.UnsupportedElement.verdict(
        name, has_children
    )


def test_many_paragraphs_compute_the_verdict_once() -> None:
    structure._unsupported.cache_clear()
    body = "".join(f"<p>第{k}段</p>" for k in range(30))
    found = [d for d in ssmlkit.lint(f"<speak>{body}</speak>") if d.code == "ST005"]
    assert len(found) == 30
    assert all(d.fix is not None for d in found)
    assert structure._unsupported.cache_info().misses == 1
    assert structure._unsupported.cache_info().maxsize == 1024
