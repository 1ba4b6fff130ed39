"""Converting generated W3C documents: the result lints without errors, keeps the spoken words in
order, and reports every change (an empty report means the text came back unchanged)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.conversion import convert
from ssmlkit.conversion import tables as T
from ssmlkit.linter import lint
from ssmlkit.model import Break, Document, Element, Node, SayAs, Speak, Sub, Text, UnknownElement
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize

SILENT = {"audio", "desc", "mark", "meta", "metadata", "lexicon"}
BLOCKS = set(T.BLOCK_PAUSE_MS)

word = st.sampled_from(["hello", "world", "good", "day", "你好", "世界", "42", "NASA"])
punct = st.sampled_from(["", "", ".", ",", "!", "。"])
text = st.builds(
    lambda ws, p, lead, trail: lead + " ".join(ws) + p + trail,
    st.lists(word, min_size=1, max_size=3),
    punct,
    st.sampled_from(["", " ", "\n  "]),
    st.sampled_from(["", " ", "\n"]),
)
rate = st.sampled_from([*T.RATE_NAMED, "default", "80%", "+20%", "-30%", "1.3", "900%", "odd"])
pitch = st.sampled_from([*T.PITCH_NAMED, "+20Hz", "-3st", "+10%", "150Hz"])
volume = st.sampled_from([*T.VOLUME_NAMED, "+6dB", "-3dB", "+10", "80"])
time = st.sampled_from(["250ms", "1.5s", "2s", "20s", "10ms", "0s", "3 S"])
interpret = st.sampled_from([*T.INTERPRET_AS_MAP, "characters"])


def unknown(qname: str, children: list[Node], /, **attrs: str) -> UnknownElement:
    return UnknownElement(qname=qname, attrs=tuple(attrs.items()), children=tuple(children))


def inline(depth: int) -> st.SearchStrategy[Node]:
    leaves: list[st.SearchStrategy[Node]] = [
        text.map(Text),
        st.builds(lambda t: Break(attrs=(("time", t),)), time),
        st.builds(
            lambda s: Break(attrs=(("strength", s),)), st.sampled_from(list(T.BREAK_STRENGTH_MS))
        ),
        st.just(unknown("mark", [], name="m1")),
        st.builds(lambda w: Sub(attrs=(("alias", "spoken"),), children=(Text(w),)), word),
        st.builds(
            lambda i, w: SayAs(attrs=(("interpret-as", i),), children=(Text(w),)), interpret, word
        ),
        st.builds(lambda w: unknown("audio", [Text(w)], src="https://example.com/a.wav"), word),
        st.builds(
            lambda ph: unknown("phoneme", [Text("好")], alphabet="pinyin", ph=ph),
            st.sampled_from(["hǎo", "hao3", "HAO3", "xyz"]),
        ),
        st.just(unknown("phoneme", [Text("tomato")], alphabet="ipa", ph="təˈmɑːtəʊ")),
    ]
    if depth == 0:
        return st.one_of(leaves)
    kids = st.lists(st.deferred(lambda: inline(depth - 1)), min_size=1, max_size=3)
    containers = [
        st.builds(lambda c: unknown("p", c), kids),
        st.builds(lambda c: unknown("s", c), kids),
        st.builds(lambda c: unknown("emphasis", c, level="strong"), kids),
        st.builds(lambda c: unknown("lang", c, **{"xml:lang": "en-US"}), kids),
        st.builds(lambda c, r: unknown("prosody", c, rate=r), kids, rate),
        st.builds(lambda c, p, v: unknown("prosody", c, pitch=p, volume=v), kids, pitch, volume),
        st.builds(lambda c: unknown("voice", c, name="en-GB-Someone"), kids),
        st.builds(lambda c: unknown("voice", c, name="longxiaochun_v3"), kids),
        st.builds(lambda c: unknown("amazon:effect", c, name="whispered"), kids),
        st.builds(lambda c: unknown("mstts:express-as", c, style="cheerful"), kids),
    ]
    return st.one_of(*leaves, *containers)


INLINE = inline(2)


@st.composite
def w3c_documents(draw: st.DrawFn) -> str:
    children = draw(st.lists(INLINE, max_size=5))
    first = draw(text)
    attrs: tuple[tuple[str, str], ...] = ()
    if draw(st.booleans()):
        attrs = (
            ("version", "1.1"),
            ("xmlns", "http://www.w3.org/2001/10/synthesis"),
            ("xml:lang", "en-US"),
        )
    return serialize(Document((Speak(attrs=attrs, children=(Text(first), *children)),)))


def _silent_break(node: Break) -> bool:
    """W3C: strength="none" (and a zero time) means no prosodic break at all."""
    return node.get("strength") == "none" or node.get("time") in ("0s", "0ms")


def spoken_words(doc: Document, *, converted: bool) -> list[str]:
    """The words a listener hears, in order (element boundaries that pause separate words)."""
    parts: list[str] = []

    def visit(nodes: tuple[Node, ...]) -> None:
        for n in nodes:
            if isinstance(n, Text):
                parts.append(n.value)
            elif isinstance(n, Element):
                if not converted and n.name in SILENT:
                    continue
                boundary = n.name in BLOCKS or (isinstance(n, Break) and not _silent_break(n))
                parts.append(" " if boundary else "")
                visit(n.children)
                parts.append(" " if boundary else "")

    visit(doc.items)
    return re.findall(r"\w+", "".join(parts))


@settings(max_examples=150, deadline=None)
@given(w3c_documents())
def test_conversion_lints_clean_and_keeps_the_words(source: str) -> None:
    result = convert(source)
    errors = [
        f"{d.code}@{d.line}:{d.column} {d.message}"
        for d in lint(result.text)
        if str(d.severity) == "error"
    ]
    assert errors == [], (source, result.text)
    assert spoken_words(parse(result.text), converted=True) == spoken_words(
        parse(source), converted=False
    )


@settings(max_examples=150, deadline=None)
@given(w3c_documents())
def test_every_change_is_reported(source: str) -> None:
    result = convert(source)
    original = parse(source)
    if not result.changes:
        assert result.text == source
        return
    foreign = [n.name for n, _ in original.walk() if isinstance(n, UnknownElement)]
    touched = {c.element.split()[0].rstrip(">").lstrip("<") for c in result.changes}
    for name in foreign:
        assert name in touched, (name, [str(c) for c in result.changes])
    for change in result.changes:
        assert change.line is not None
        assert change.column is not None


@settings(max_examples=60, deadline=None)
@given(w3c_documents())
def test_conversion_is_a_fixpoint(source: str) -> None:
    once = convert(source)
    twice = convert(once.text)
    assert twice.changes == (), [str(c) for c in twice.changes]
    assert twice.text == once.text
