"""Builder prosody: checked values, inheritance, merging of equal neighbours."""

from __future__ import annotations

import pytest

from ssmlkit.builder import brk, document, prosody, speak
from ssmlkit.errors import BuildError
from ssmlkit.model import Document, Speak
from ssmlkit.parse import parse
from ssmlkit.prosody import effective_prosody, segments
from ssmlkit.serialize import serialize


def test_prosody_splits_into_sibling_speaks() -> None:
    doc = speak("一", prosody("二", rate=1.5), "三", voice="longxiaochun_v3")
    assert isinstance(doc, Document)
    assert [s.attrs for s in doc.speaks] == [
        (("voice", "longxiaochun_v3"),),
        (("voice", "longxiaochun_v3"), ("rate", "1.5")),
        (("voice", "longxiaochun_v3"),),
    ]
    assert [s.text for s in doc.speaks] == ["一", "二", "三"]


def test_inner_prosody_inherits_and_overrides() -> None:
    doc = speak(prosody("a", prosody("b", pitch=0.8), prosody("c", rate=2), rate=1.2, volume=80))
    assert [dict(s.attrs) for s in doc.speaks] == [
        {"rate": "1.2", "volume": "80"},
        {"rate": "1.2", "volume": "80", "pitch": "0.8"},
        {"rate": "2", "volume": "80"},
    ]


def test_equal_neighbours_merge_and_empty_prosody_vanishes() -> None:
    doc = speak("a", prosody("b", rate=1.5), prosody(rate=0.5), prosody("c", rate="1.50"))
    assert [s.text for s in doc.speaks] == ["a", "bc"]


def test_whitespace_and_breaks_stay_in_place() -> None:
    doc = speak(" a ", prosody(brk(500), "b", rate=1.5), " ")
    text = serialize(doc)
    assert text == '<speak> a </speak><speak rate="1.5"><break time="500ms"/>b </speak>'
    assert parse(text).text == " a b "


@pytest.mark.parametrize(
    ("kwargs", "attribute"),
    [
        ({"rate": 3}, "rate"),
        ({"pitch": 0.1}, "pitch"),
        ({"volume": 101}, "volume"),
        ({"rate": "fast"}, "rate"),
    ],
)
def test_values_are_checked_at_the_call(kwargs: dict[str, object], attribute: str) -> None:
    with pytest.raises(BuildError) as info:
        prosody("x", **kwargs)  # type: ignore[arg-type]
    assert info.value.attribute == attribute


def test_children_are_checked() -> None:
    with pytest.raises(BuildError):
        prosody(speak("nested"))  # type: ignore[arg-type]
    with pytest.raises(BuildError):
        prosody(42)  # type: ignore[arg-type]


def test_document_accepts_segments() -> None:
    doc = document(speak("a", prosody("b", volume=10)), "\n", speak("c"))
    assert [s.text for s in doc.speaks] == ["a", "b", "c"]


def test_effective_prosody_reads_speak_attributes() -> None:
    doc = parse('<speak pitch="1.2">x<sub alias="y">z</sub></speak><speak volume="9">w</speak>')
    assert effective_prosody(doc) == [
        ("x", (None, "1.2", None)),
        ("z", (None, "1.2", None)),
        ("w", (None, None, "9")),
    ]


def test_segments_of_nothing_is_one_empty_speak() -> None:
    assert segments([], root=(("rate", "1.1"),)) == (Speak(attrs=(("rate", "1.1"),)),)


def test_prosody_module_never_imports_the_builder() -> None:
    # The builder imports ssmlkit.prosody; an import back, even inside a function, is a cycle.
    import ast
    import inspect

    import ssmlkit.prosody

    tree = ast.parse(inspect.getsource(ssmlkit.prosody))
    type_checking = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]
    skipped = {id(n) for block in type_checking for n in ast.walk(block)}
    imported = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert imported
    assert not {name for name in imported if name.startswith("ssmlkit.builder")}
