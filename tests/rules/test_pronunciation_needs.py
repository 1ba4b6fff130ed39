"""PR002, PR005, PR006 and PR007 declare ``depends_on="start-tag"``: the alphabet and ``ph``
values alone decide whether they report, whatever the text of the ``<phoneme>``.

The engine then remembers start tags found clean and skips their rules on a phoneme written
with the same start tag; these tests hold the declaration to the rules' behaviour.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.config import Config
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.rules.pronunciation import (
    CmuStressDigit,
    InvalidPinyinSyllable,
    UndocumentedUmlautSpelling,
    UnknownCmuPhone,
)
from ssmlkit.model import Phoneme
from ssmlkit.parse import scan_source

_RULES = (InvalidPinyinSyllable, UnknownCmuPhone, CmuStressDigit, UndocumentedUmlautSpelling)

_SYLLABLES = ["hao3", "lv4", "shii3", "hǎo", "dang", "HAO3", "nu:3", "er2", "S", "AY1", "AX", "s"]
_TEXTS = ["好", "典当行", "hello", "", "你好 world", "绿<break/>色", "一个"]

start_tags = st.tuples(
    st.sampled_from(["py", "cmu", "PY", "pinyin"]),
    st.lists(st.sampled_from(_SYLLABLES), max_size=4).map(" ".join),
)


def _findings(rule: type, alphabet: str, ph: str, text: str) -> list[str]:
    source = f'<speak><phoneme alphabet="{alphabet}" ph="{ph}">{text}</phoneme></speak>'
    _decoded, scanned = scan_source(source)
    (phoneme,) = [n for n in scanned.document.items[0].children if isinstance(n, Phoneme)]
    ctx = LintContext(source, scanned.document, Config(), None)
    ctx.rule = rule()
    ctx.rule.visit(phoneme, ctx)
    return [repr(d) for d in ctx.diagnostics]


@settings(max_examples=300, deadline=None)
@given(start_tags, st.sampled_from(_TEXTS), st.sampled_from(_TEXTS))
def test_the_start_tag_alone_decides(tag: tuple[str, str], text: str, other: str) -> None:
    alphabet, ph = tag
    for rule in _RULES:
        assert rule.needs.depends_on == "start-tag"
        # Same start tag at the same place: the same findings, whatever follows it.
        assert _findings(rule, alphabet, ph, text) == _findings(rule, alphabet, ph, other)
