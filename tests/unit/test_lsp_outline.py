"""The forgiving outline of half-typed SSML and the cursor's context."""

from __future__ import annotations

import pytest

from ssmlkit.lsp.outline import context_at, outline


def test_elements_nest_and_close():
    text = '<speak voice="a"><sub alias="x">y</sub><break time="1s"/></speak>'
    tree = outline(text)
    assert [(e.name, e.start, e.end, e.parent) for e in tree.elements] == [
        ("speak", 0, len(text), -1),
        ("sub", 17, 39, 0),
        ("break", 39, 57, 0),
    ]
    speak = tree.elements[0]
    voice = speak.attribute("voice")
    assert voice is not None
    assert (voice.value, text[voice.value_start : voice.value_end]) == ("a", "a")
    assert tree.elements[2].empty


def test_unclosed_and_mismatched_elements_do_not_break_the_reading():
    tree = outline("<speak><sub alias='x'>y</speak><!-- open")
    assert [e.name for e in tree.elements] == ["speak", "sub"]
    assert tree.elements[1].end == tree.elements[0].end  # closed with the <speak>
    assert tree.tail == "comment"


@pytest.mark.parametrize(
    ("text", "kind", "parent", "element", "attribute", "prefix"),
    [
        ("<speak><bre", "tag-name", "speak", None, None, "bre"),
        ("<", "tag-name", None, None, None, ""),
        ("<speak ", "attribute-name", None, "speak", None, ""),
        ("<speak vo", "attribute-name", None, "speak", None, "vo"),
        ('<speak voice="lon', "attribute-value", None, "speak", "voice", "lon"),
        ('<speak><break time="5', "attribute-value", "speak", "break", "time", "5"),
        ("<speak><sub alias='a'>x</", "closing-tag", "sub", None, None, ""),
        ("<speak></spe", "closing-tag", "speak", None, None, "spe"),
        ("<speak>text", "text", "speak", None, None, ""),
        ("<speak><!-- <", "none", None, None, None, ""),
    ],
)
def test_context_at_the_end_of_what_is_typed(text, kind, parent, element, attribute, prefix):
    ctx = context_at(text, len(text))
    assert (ctx.kind, ctx.element, ctx.attribute, ctx.prefix) == (kind, element, attribute, prefix)
    if kind != "none":
        assert ctx.parent == parent


def test_context_ignores_what_follows_the_cursor():
    text = '<speak voice="">rest</speak>'
    ctx = context_at(text, text.index('"') + 1)
    assert (ctx.kind, ctx.attribute) == ("attribute-value", "voice")
