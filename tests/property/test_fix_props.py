"""Properties of ``fix``: fixing twice changes nothing more, and fixed output parses.

Documents are generated as raw text from dialect fragments (valid and broken values, bare XML
specials, suppression comments) and then mutated by inserting stray characters or tags, so the
linter meets what people actually write, not just what the serializer produces.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.errors import ParseError
from ssmlkit.linter.api import fix, lint
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.parse import parse

_TEXT = [
    "你好",
    "中文，测试。",
    "hello",
    "Tom & Jerry",
    "a < b",
    "x > y",
    "&amp;",
    "&lt;",
    "&unknown;",
    "&#38;",
    " ",
    "\n",
    "\r\n",
    "\t",
    "1.5",
    "2024-01-01",
]
_BREAK_TIMES = ["500ms", "1.5s", "20s", "2s", "0.5s", "500 ms", "1S", "", "abc", "50ms", "10001ms"]
_ELEMENTS = [
    *(f'<break time="{t}"/>' for t in _BREAK_TIMES),
    "<break/>",
    '<break time="1s"></break>',
    '<sub alias="世界卫生组织">WHO</sub>',
    "<sub>WHO</sub>",
    '<sub alais="x">WHO</sub>',
    '<phoneme alphabet="py" ph="ni3 hao3">你好</phoneme>',
    '<phoneme alphabet="PY" ph="ni hao">你好</phoneme>',
    '<phoneme alphabet="cmu" ph="HH AH0 L OW1">hello</phoneme>',
    '<say-as interpret-as="digits">123</say-as>',
    '<say-as interpret_as="digits">123</say-as>',
    '<say-as interpret-as="cardinal">abc</say-as>',
    '<prosody rate="fast">x</prosody>',
    '<soundEvent src="https://a.oss-cn-beijing.aliyuncs.com/x.wav"/>',
    '<soundEvent src="ftp://example.com/x.wav"/>',
    "<emphasis>x</emphasis>",
    "<!-- ssmlkit: disable=XM004 -->",
    "<!-- ssmlkit: disable-next-line=all -->",
    "<!-- ssmlkit: enable=XM -->",
    "<!-- ssmlkit: disable=NOPE9 -->",
    "<!-- a note -->",
]
_SPEAK_ATTRS = [
    "",
    ' rate="1"',
    ' rate="1.5"',
    ' rate="200"',
    ' pitch="-100"',
    ' volume="50"',
    ' volume="50.5"',
    ' voice="longxiaochun"',
    ' effect="robot"',
    ' effect="eq" effectValue="1 2 3"',
    ' bgm="https://a.oss-cn-beijing.aliyuncs.com/b.mp3" backgroundMusicVolume="30"',
]
_STRAY = ["&", "<", ">", "</speak>", "<speak>", "<br>", '"', "]]>", "\ufeff"]

_PLAIN = [e for e in _ELEMENTS if "ssmlkit:" not in e]


@st.composite
def ssml_documents(draw: st.DrawFn, *, directives: bool = True) -> str:
    """A raw SSML document: one or two <speak>s of fragments, maybe mutated by a stray insert.

    ``directives=False`` leaves out suppression comments (a suppressed error is not fixed).
    """
    fragments = st.one_of(
        st.sampled_from(_TEXT), st.sampled_from(_ELEMENTS if directives else _PLAIN)
    )
    speaks = []
    for _ in range(draw(st.integers(1, 2))):
        body = "".join(draw(st.lists(fragments, max_size=8)))
        speaks.append(f"<speak{draw(st.sampled_from(_SPEAK_ATTRS))}>{body}</speak>")
    text = draw(st.sampled_from(["", "\n"])).join(speaks)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_STRAY)) + text[at:]
    return text


@settings(deadline=None)
@given(ssml_documents(), st.booleans())
def test_fixing_twice_changes_nothing_more(source: str, unsafe: bool) -> None:
    once = fix(source, unsafe=unsafe)
    twice = fix(once.text, unsafe=unsafe)
    assert twice.text == once.text
    assert twice.applied == []


@settings(deadline=None)
@given(ssml_documents(directives=False))
def test_output_parses_when_every_error_was_fixable(source: str) -> None:
    errors = [d for d in lint(source) if d.severity is Severity.ERROR]
    if not all(d.fix is not None and d.fix.safety == "safe" for d in errors):
        return
    fixed = fix(source).text
    try:
        parse(fixed)
    except ParseError as exc:  # pragma: no cover - a failure message for hypothesis
        raise AssertionError(f"fixed output does not parse: {exc}\n{fixed!r}") from exc


@settings(deadline=None)
@given(st.text(max_size=60))
def test_fix_never_raises(text: str) -> None:
    result = fix(text)
    assert isinstance(result.text, str)
    assert fix(result.text).text == result.text
