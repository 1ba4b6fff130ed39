"""Hypothesis strategies for SSML documents: small named strategies composed by ``documents()``."""

from __future__ import annotations

from hypothesis import strategies as st

from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Node,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
    UnknownElement,
)

# Every character XML 1.0 can carry (the serializer rejects the rest).
xml_chars = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\ufffe\uffff",
).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)

nasty = st.sampled_from(
    [*"&<>\"'\r\n\t ;#", "&amp;", "]]>", "--", "中", "𠀀", "😀", "👍🏽", "é", "\u0301"]
)

xml_text = st.lists(st.one_of(xml_chars, nasty), max_size=12).map("".join)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
prefixed = st.builds(lambda p, n: f"{p}:{n}", st.sampled_from(["amazon", "mstts", "x"]), names)
attr_values = xml_text


def _unique_attrs(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for k, v in pairs:
        seen.setdefault(k, v)
    return tuple(seen.items())


attrs = st.lists(st.tuples(names, attr_values), max_size=3).map(_unique_attrs)
texts = xml_text.filter(bool).map(Text)
comments = xml_text.filter(lambda s: "--" not in s and not s.endswith("-") and "\r" not in s).map(
    Comment
)
pis = st.builds(
    ProcessingInstruction,
    names.filter(lambda n: n.lower() != "xml"),
    st.text(alphabet="abc =\"'", max_size=8).map(str.strip),
)


def _leaf_elements() -> st.SearchStrategy[Node]:
    text_children = st.lists(texts, max_size=2).map(tuple)
    return st.one_of(
        st.builds(lambda a: Break(attrs=a), attrs),
        st.builds(lambda a: SoundEvent(attrs=a), attrs),
        st.builds(lambda a, c: Sub(attrs=a, children=c), attrs, text_children),
        st.builds(lambda a, c: Phoneme(attrs=a, children=c), attrs, text_children),
        st.builds(lambda a, c: SayAs(attrs=a, children=c), attrs, text_children),
    )


def inline_nodes() -> st.SearchStrategy[Node]:
    """Nodes that may stand inside <speak>, including unknown elements nesting further."""
    return st.recursive(
        st.one_of(texts, comments, pis, _leaf_elements()),
        lambda inner: st.builds(
            lambda q, a, c: UnknownElement(qname=q, attrs=a, children=tuple(c)),
            st.one_of(
                names.filter(
                    lambda n: n not in {"speak", "break", "sub", "phoneme", "say-as", "soundEvent"}
                ),
                prefixed,
            ),
            attrs,
            st.lists(inner, max_size=3),
        ),
        max_leaves=8,
    )


speaks = st.builds(
    lambda a, c: Speak(attrs=a, children=tuple(c)), attrs, st.lists(inline_nodes(), max_size=5)
)


def documents() -> st.SearchStrategy[Document]:
    """Documents of several top-level items: speaks, whitespace, comments, stray text."""
    items = st.one_of(speaks, speaks, comments, st.sampled_from([Text("\n"), Text(" "), Text("x")]))
    return st.lists(items, max_size=4).map(lambda xs: Document(tuple(xs)))
