"""Property tests for the splitter: every guarantee of issue 4 over generated documents.

Documents mix Han runs, Latin words, numbers with units, emoji (modifiers, ZWJ sequences, flags,
keycaps), combining marks, punctuation of both kinds, entities and every dialect element, in up to
four sibling <speak> elements. Small limits (20-200) make sure cuts actually happen.
"""

from __future__ import annotations

import itertools
import math
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.errors import SplitError
from ssmlkit.measure import count_text, is_cjk_ideograph, measure
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Node,
    Phoneme,
    SayAs,
    SoundEvent,
    Speak,
    Sub,
    Text,
)
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize
from ssmlkit.splitter import BGM_RESTARTS, split, split_with_warnings

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成"

han_runs = st.text(alphabet=HAN, min_size=1, max_size=12)
latin_words = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)
number_units = st.sampled_from(
    ["5 kg", "3.5 km", "100%", "20 公里", "$ 5", "1,000", "10:30", "7\u00a0m"]
)
emoji = st.sampled_from(
    ["👍🏽", "👨\u200d👩\u200d👧", "🇨🇳🇺🇸", "1\ufe0f\u20e3", "❤\ufe0f", "e\u0301", "한국어"]
)
punct = st.sampled_from(
    ["。", "，", "、", "！", "？", "…", "”", ". ", ", ", "; ", "! ", "?” ", ": "]
)
spaces = st.sampled_from([" ", "\n", "\u3000", "  "])
specials = st.sampled_from(["&", "<", ">", "Tom & Jerry", '"', "'"])
words = st.one_of(latin_words, number_units, emoji, specials)

# A word is followed by a separator most of the time, so few documents hold a giant "word".
text_tokens = st.one_of(
    han_runs,
    st.tuples(words, st.one_of(spaces, punct, st.just(""))).map("".join),
    punct,
    spaces,
)

short = st.text(alphabet=HAN + "abcXYZ12", min_size=1, max_size=5)
elements = st.one_of(
    st.builds(
        lambda t: Break(attrs=(("time", t),) if t else ()), st.sampled_from(["", "500ms", "2s"])
    ),
    st.builds(lambda s: Sub(attrs=(("alias", "别名"),), children=(Text(s),)), short),
    st.builds(
        lambda s: Phoneme(attrs=(("alphabet", "py"), ("ph", "ni3")), children=(Text(s),)), short
    ),
    st.builds(lambda s: SayAs(attrs=(("interpret-as", "digits"),), children=(Text(s),)), short),
    st.just(SoundEvent(attrs=(("src", "https://a.example/x.wav?a=1&b=2"),))),
    st.builds(Comment, st.sampled_from([" note ", "注释", ""])),
)

children = st.lists(st.one_of(text_tokens.map(Text), elements), min_size=0, max_size=30)

speak_attrs = st.sampled_from(
    [
        (),
        (("voice", "longxiaochun_v2"),),
        (("voice", "longcheng_v2"), ("rate", "1.2"), ("pitch", "0.9")),
        (("volume", "80"), ("effect", "eq"), ("effectValue", "1 1 1 1 1 1 1 1")),
        (("bgm", "https://a.example/m.wav"), ("backgroundMusicVolume", "30")),
    ]
)

speaks = st.builds(lambda a, c: Speak(attrs=a, children=tuple(c)), speak_attrs, children)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """One to four sibling <speak> elements, maybe with whitespace and comments between."""
    items: list[Node] = []
    for i in range(draw(st.integers(1, 4))):
        if i and draw(st.booleans()):
            items.append(Text("\n"))
        if draw(st.integers(0, 5)) == 0:
            items.append(Comment(" top "))
        items.append(draw(speaks))
    # Parse the serialized form, as a user would: spans are set and text is what XML carries.
    return parse(serialize(Document(tuple(items))))


limits = st.integers(20, 200)


def _split(doc: Document, limit: int) -> tuple[list[Document], list[str]] | None:
    error: SplitError | None = None
    try:
        chunks, warnings = split_with_warnings(doc, max_chars=limit)
    except SplitError as exc:
        error = exc
    if error is not None:
        # Only a unit genuinely over the limit may refuse, and the error says where it is.
        assert error.size > limit
        assert error.span is not None
        return None
    return chunks, [w.code for w in warnings]


def _speak_text(doc: Document) -> str:
    return "".join(s.text for s in doc.speaks)


def _markup(doc: Document) -> list[str]:
    """Every element and comment inside the <speak> elements, serialized, in order."""
    return [
        serialize(node)
        for speak in doc.speaks
        for node in speak.children
        if isinstance(node, Element | Comment)
    ]


def _fits(doc: Document, limit: int) -> bool:
    return measure(doc) <= limit


@given(documents(), limits)
def test_every_chunk_is_within_the_limit(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None:
        return
    assert all(measure(c) <= limit for c in result[0])


@given(documents(), limits)
def test_chunks_are_single_speak_documents_that_round_trip(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None:
        return
    chunks = result[0]
    if _fits(doc, limit):
        assert chunks == [doc]
        return
    for chunk in chunks:
        assert len(chunk.speaks) == 1
        assert all(isinstance(i, Speak | Comment) for i in chunk.items)
        assert parse(serialize(chunk)) == chunk


@given(documents(), limits)
def test_nothing_lost_repeated_or_reordered(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None:
        return
    chunks = result[0]
    assert "".join(_speak_text(c) for c in chunks) == _speak_text(doc)
    markup = [m for c in chunks for m in _markup(c)]
    top = "<!-- top -->"
    assert [m for m in markup if m != top] == [m for m in _markup(doc) if m != top]
    # Top-level comments either stay on top or move inside a merged <speak>; none vanish or repeat.
    before = sum(1 for i in doc.items if isinstance(i, Comment)) + _markup(doc).count(top)
    after = sum(1 for c in chunks for i in c.items if isinstance(i, Comment)) + markup.count(top)
    assert after == before


@given(documents(), limits)
def test_context_is_carried_and_voices_never_mix(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None or _fits(doc, limit):
        return
    chunks = result[0]

    def runs(attrs: list[dict[str, str]]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for a in attrs:
            if not out or out[-1] != a:
                out.append(a)
        return out

    source = [dict(s.attrs) for s in doc.speaks]
    got = [dict(c.speaks[0].attrs) for c in chunks]
    assert runs(got) == runs(source)
    assert len(chunks) >= len(runs(source))


def _flat(doc: Document) -> str:
    """The chunk's content with each element as one marker character."""
    parts: list[str] = []
    for child in doc.speaks[0].children:
        if isinstance(child, Text):
            parts.append(child.value)
        elif isinstance(child, Element):
            parts.append("\x00")
    return "".join(parts)


def _latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _extender(c: str) -> bool:
    o = ord(c)
    return (
        unicodedata.category(c)[0] == "M"
        or o == 0x200D
        or 0xFE00 <= o <= 0xFE0F
        or 0x1F3FB <= o <= 0x1F3FF
        or o == 0x20E3
    )


@given(documents(), limits)
def test_cuts_fall_only_at_safe_points(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None or _fits(doc, limit):
        return
    chunks = result[0]
    # The author's own boundaries between <speak> elements are always fair cuts.
    speak_ends = set(itertools.accumulate(len(s.text) for s in doc.speaks))
    offset = 0
    for left_doc, right_doc in itertools.pairwise(chunks):
        offset += len(_speak_text(left_doc))
        left, right = _flat(left_doc), _flat(right_doc)
        if not left or not right or offset in speak_ends:
            continue
        a, b = left[-1], right[0]
        assert not (_latin(a) and _latin(b)), (left, right)
        assert not (a.isdigit() and b.isdigit()), (left, right)
        assert not _extender(b), (left, right)
        assert a != "\u200d"
        assert not (a.isdigit() and (is_cjk_ideograph(b) or _latin(b)))
        assert not ("\U0001f1e6" <= a <= "\U0001f1ff" and "\U0001f1e6" <= b <= "\U0001f1ff")
        stripped = left.rstrip(" \n\u3000")
        if stripped != left and stripped:
            # Whitespace after a number is the number's unit separator: never a cut.
            assert not (stripped[-1].isdigit() and not right[0].isdigit()), (left, right)
        assert a != "\u00a0"
        assert b != "\u00a0"


@given(st.text(alphabet=HAN, min_size=1, max_size=400), st.integers(2, 120))
def test_balanced_han_runs_use_the_minimum_number_of_chunks(text: str, limit: int) -> None:
    doc = Document((Speak(children=(Text(text),)),))
    chunks = split(doc, max_chars=limit)
    size = count_text(text)
    assert len(chunks) == max(1, math.ceil(size / (limit - limit % 2)))
    if len(chunks) > 1:
        # No tiny chunk: every chunk is at least half the average.
        assert min(measure(c) for c in chunks) >= size / len(chunks) / 2


@given(documents(), limits)
def test_stable_and_deterministic(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None:
        return
    chunks = result[0]
    assert split(doc, max_chars=limit) == chunks
    for chunk in chunks:
        # Splitting a chunk again gives it back unchanged: a fixpoint.
        assert split(chunk, max_chars=limit) == [chunk]


@given(documents(), limits)
def test_bgm_warning_only_when_a_bgm_speak_is_cut(doc: Document, limit: int) -> None:
    result = _split(doc, limit)
    if result is None:
        return
    chunks, codes = result
    has_bgm = any(s.has("bgm") for s in doc.speaks)
    if not has_bgm or _fits(doc, limit):
        assert BGM_RESTARTS not in codes
    if len(doc.speaks) == 1 and has_bgm and len(chunks) > 1:
        assert codes.count(BGM_RESTARTS) == 1
