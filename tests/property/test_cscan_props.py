"""The C fast path (``ssmlkit/_cscan.c``) builds exactly what the Python scanner builds.

The fast path either returns ``None`` (and the Python scanner runs) or the top-level nodes of a
document the Python scanner finds nothing wrong with. These tests compare the two on generated,
serialized, mutated and hostile text, position metadata included (node equality ignores spans, so
the comparison here walks both trees itself).

CI sets ``SSMLKIT_REQUIRE_CEXT=1``: there, a missing extension fails instead of skipping, so a
broken build cannot hide behind the pure-Python fallback.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ssmlkit import _scan
from ssmlkit._scan import scan, scan_python
from ssmlkit.model import Element, Node
from ssmlkit.parse import _lxml_check, decode
from ssmlkit.serialize import serialize
from tests.fuzz.strategies import HOSTILE_BITS, SEEDS, any_text, mutated
from tests.property.strategies import documents

FAST = _scan.FAST_SCAN

if FAST is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip(
        "the C fast path is not built here (pure-Python install); nothing to compare",
        allow_module_level=True,
    )

pytestmark = pytest.mark.filterwarnings("error")


def shape(node: Node) -> tuple[Any, ...]:
    """Everything about a node, every field with the spans: what equality alone would not compare."""
    values = tuple(getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "children")
    children = tuple(shape(c) for c in node.children) if isinstance(node, Element) else ()
    return (type(node).__name__, values, children)


def agree(text: str, body_start: int = 0) -> bool:
    """Assert the fast path matches the Python scanner; return whether it took the input."""
    assert FAST is not None
    fast = FAST(text, body_start)
    if fast is None:
        return False
    reference = scan_python(text, body_start)
    assert reference.problems == (), f"fast path accepted input with problems: {text!r}"
    assert [shape(n) for n in fast] == [shape(n) for n in reference.document.items]
    # And through scan(), which wraps the nodes in a Document as the Python scanner does.
    wrapped = scan(text, body_start)
    assert wrapped.problems == ()
    assert wrapped.well_formed
    # parse() skips its lxml check for what the fast path took: libxml2 must agree it is fine,
    # checked as the Python path would check it (its undeclared prefixes declared by the wrapper).
    assert _lxml_check(decode(text), reference) is None, f"lxml refuses what C took: {text!r}"
    assert [shape(n) for n in wrapped.document.items] == [shape(n) for n in fast]
    return True


ORDINARY = [
    *SEEDS,
    "",
    "plain text, no markup",
    "<speak/>",
    "<speak>a<b c='1'/>d</speak>",
    '<speak>\n  <break time="1s" />\n  多行\n  文本\n</speak>\n',
    "<speak a=\"&amp;&lt;&gt;&quot;&apos;&#65;&#x4E2D;\" b='\t tab\nline'>&#10;x&#x1F600;</speak>",
    "<speak><!----><!-- - --><!--中-->x</speak>",
    "<speak>" + "<p>" * 40 + "deep" + "</p>" * 40 + "</speak>",
    "<a.b-c_d e.f-g='1'/>",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_documents_agree(text: str) -> None:
    agree(text)


@pytest.mark.parametrize(
    "text",
    [
        '<speak voice="a">x<break/></speak>',
        "<speak>\n\t<sub alias='x'>y</sub>\n</speak>",
        "a &amp; b",
    ],
)
def test_the_fast_path_takes_ordinary_documents(text: str) -> None:
    assert agree(text), "the fast path fell back on a document it is meant to handle"


@pytest.mark.parametrize(
    "text",
    [
        "<speak>\r\n</speak>",
        "<speak>a\x00</speak>",
        "<speak>\ud800</speak>",
        "<speak><![CDATA[x]]></speak>",
        "<speak><?pi x?></speak>",
        "<!DOCTYPE speak><speak/>",
        "<speak><amazon:effect>x</amazon:effect></speak>",
        '<speak xml:lang="en"/>',
        '<speak xml:space="preserve"/>',  # xml: attributes other than lang and id fall back
        '<speak xmlns="foo bar"/>',  # lxml refuses: not a URI
        '<speak xmlns="http://a:b/"/>',
        '<speak xmlns="http://a:/x"/>',
        '<speak xmlns="urn:a#b#c"/>',
        '<speak xmlns="urn:a&#32;b"/>',
        '<speak xmlns="urn:a\tb"/>',
        '<speak xmlns="1a:x"/>',
        '<speak xmlns="urn:x\u012d"/>',  # U+012D would pass for '-' if truncated to a char
        '<speak xmlns="urn:x\u672c"/>',
        '<speak xmlns="urn:x\U0001f600"/>',
        '<speak xmlns:p=""/>',
        '<speak xmlns:xml="urn:x"/>',
        '<speak xmlns:xmlns="urn:x"/>',
        '<speak xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
        '<speak xmlns="http://www.w3.org/2000/xmlns/"/>',
        '<speak xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>',
        "<xmlns:speak/>",
        "<a:b:c/>",
        '<a b:c:d="1"/>',
        "<a:/>",
        '<a b:="1"/>',
        "<p:speak></q:speak>",
        '<speak xmlns:p="urn:x" xmlns:p="urn:y"/>',
        "<spéak/>",
        "<speak a='1' a='2'/>",
        "<speak>&nbsp;</speak>",
        "<speak>&#0;</speak>",
        "<speak>&#X41;</speak>",
        "<speak>&#000000065;</speak>",  # leading zeros are fine ...
        "<speak>&#123456789;</speak>",  # ... more than 8 significant digits are not
        "<speak>&amp</speak>",
        "<speak a='&amp'/>",
        "<speak a='<'/>",
        "<speak a=1/>",
        '<speak a="1"b="2"/>',
        "<speak></speek>",
        "</speak>",
        "<speak>",
        "<speak><!-- a -- b --></speak>",
        "<speak><!-- a ---></speak>",
        "<speak><!-- a </speak>",
        "<speak>a < b</speak>",
        "<speak / >",
        "<speak\u3000a='1'/>",
        "<" + "x>" * 300 + "</x>" * 300,
        "<speak>a]]>b</speak>",  # the fast path leaves these to lxml: it would take them
        "<speak>]]]>b</speak>",
        "<speak>]] >b ]>]</speak>",
        '<speak xmlns="http://www.w3.org/XML/1998/namespace"/>',
        '<speak xmlns="urn:x"/>',
        "<" + "n" * 1001 + "/>",
        "<" + "n" * 1000 + "/>",
    ],
)
def test_unusual_input_agrees(text: str) -> None:
    agree(text)


def test_leading_zero_reference_is_taken() -> None:
    assert agree("<speak>&#000000065;</speak>")


def test_too_deep_falls_back_to_the_python_scanner() -> None:
    assert FAST is not None
    deep = "<x>" * (_scan.MAX_DEPTH + 1) + "</x>" * (_scan.MAX_DEPTH + 1)
    assert FAST(deep, 0) is None
    assert scan(deep).problems[0].kind == "too-deep"
    ok = "<x>" * _scan.MAX_DEPTH + "</x>" * _scan.MAX_DEPTH
    assert agree(ok)


def test_long_runs_fall_back_to_lxml_limits() -> None:
    # libxml2 refuses text nodes over 10,000,000 bytes without huge_tree; the fast path leaves
    # runs past 2,400,000 code points to the Python scanner and lxml.
    assert FAST is not None
    assert FAST("<a>" + "x" * 2_400_000 + "</a>", 0) is not None
    assert FAST("<a>" + "x" * 2_400_001 + "</a>", 0) is None
    assert FAST("<a b='" + "x" * 2_400_001 + "'/>", 0) is None
    assert FAST("<a><!--" + "x" * 2_400_001 + "--></a>", 0) is None


def test_body_start_skips_the_declaration() -> None:
    text = '<?xml version="1.0"?>\n<speak>x</speak>'
    assert agree(text, text.index("\n"))


@given(documents())
def test_serialized_documents_agree(doc: Any) -> None:
    agree(serialize(doc))


@given(mutated())
@settings(deadline=None)
def test_mutated_documents_agree(text: str) -> None:
    agree(text)


@given(any_text)
@settings(deadline=None)
@example("".join(HOSTILE_BITS))
def test_hostile_text_agrees(text: str) -> None:
    agree(text)


@given(
    st.lists(
        st.sampled_from(
            [*"<>/=&;#x'\" \t\n-!abé中", "speak", "amp", "lt", "<!--", "-->", "&#65;", "&#x1F600;"]
        ),
        max_size=40,
    ).map("".join)
)
@settings(deadline=None)
def test_markup_soup_agrees(text: str) -> None:
    agree(text)


def test_pure_python_switch_disables_the_fast_path() -> None:
    code = "import ssmlkit._scan as s; print(s.FAST_SCAN is None)"
    env = {**os.environ, "SSMLKIT_PURE_PYTHON": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_found(enabled: bool) -> None:
    import gc

    assert FAST is not None
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert FAST("<speak>x<break/></speak>", 0) is not None
        assert FAST("<speak>\x00</speak>", 0) is None  # a fallback leaves it alike
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


LAZY_PROBE = """
import sys
from ssmlkit.cli import main
try:
    main(["lint", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print(code, "lxml.etree" in sys.modules)
"""


@pytest.mark.parametrize(
    ("source", "lxml_loaded"),
    [
        ('<speak rate="1.1">你好<break time="500ms"/></speak>', False),  # the fast path took it
        ("<speak><![CDATA[x]]></speak>", True),  # the Python scanner, then lxml's check
    ],
)
def test_lxml_is_loaded_only_when_its_check_runs(
    tmp_path: Any, source: str, lxml_loaded: bool
) -> None:
    # ``import lxml.etree`` is a large part of ``ssmlkit lint``'s start-up; a valid document
    # must not need it (parse.py imports it where the check runs).
    path = tmp_path / "one.ssml"
    path.write_text(source, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert out.stdout.split()[-1] == str(lxml_loaded), out.stdout + out.stderr


# -- namespaces, prefixes, line ends and declarations ---------------------------------------------
# What real documents carry (W3C, Azure, Polly): the fast path takes them when it can prove that
# libxml2 agrees, and the property tests hold it to the Python scanner and to lxml there.

TAKEN = [
    '<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">x</speak>',
    '<speak xmlns:mstts="https://www.w3.org/2001/mstts"><mstts:express-as style="calm">'
    "好</mstts:express-as></speak>",
    '<speak><amazon:effect name="whispered">x</amazon:effect><p amazon:max-duration="2s"/></speak>',
    '<speak xmlns="" xml:id="a1"><lang xml:lang="zh-CN">中文</lang></speak>',
    '<speak xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.w3.org/2001/10/synthesis x.xsd">x</speak>',
    '<speak xmlns="urn:x?y#z" xmlns:a="http://h.example:8080/p/q?r=1#f" p:a="1" q:b="2"/>',
    "<speak>\r\n  <break time='1s'/>\r\n  多行\r\n</speak>\r\n",
    "<speak>\r<p>a\rb</p>\r</speak>",
    "<speak a='x\r\ny\rz'>&amp;\r\n&#13;\r</speak>",
    "<speak>\r\n<!-- a\r\nb\rc & d -->\r\n</speak>",
    "<speak\r\n  a='1'\r\n  b = '2'\r\n></speak\r\n>",
]


@pytest.mark.parametrize("text", TAKEN)
def test_the_fast_path_takes_namespaces_and_line_ends(text: str) -> None:
    assert agree(text), "the fast path fell back on a document it is meant to handle"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_fast_path_takes_a_declaration(newline: str) -> None:
    text = f'<?xml version="1.0" encoding="UTF-8"?>{newline}<speak xml:lang="zh">x</speak>'
    assert agree(text, decode(text).body_start)


def test_line_ends_give_the_python_scanners_positions() -> None:
    # Spelled out, so that the expectation does not come from either scanner.
    items = scan("<speak>\r\na\r<break/></speak>").document.items
    speak = items[0]
    assert isinstance(speak, Element)
    text, brk = speak.children
    assert getattr(text, "value", None) == "\na\n"
    assert brk.span is not None
    assert (brk.span.line, brk.span.column) == (3, 1)


uri_soup = st.lists(
    st.sampled_from([*"aZ09-._~:/?#[]@!$&'()*+,;=% \t<", "//", "http", "%20", "%2", "&amp;"]),
    max_size=12,
).map("".join)
good_uris = st.sampled_from(
    [
        "http://www.w3.org/2001/10/synthesis",
        "https://www.w3.org/2001/mstts",
        "urn:x",
        "urn:",
        "a+b.c-d:x/y;z=1",
        "http://h:80/p?q=1#f",
        "http://h.example",
        "mailto:x@y",
    ]
)
bad_uris = st.sampled_from(
    [
        "",
        "rel/ative",
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/2000/xmlns/",
        "http://",
        "http://h:/x",
        "http://a b",
        "u:#a#b",
    ]
)
prefixes = st.sampled_from(["p", "q", "amazon", "mstts", "xml", "xmlns", "xsi", "XmlX", "a.b-c"])
locals_ = st.sampled_from(["a", "lang", "id", "space", "effect", "express-as", "xmlns"])
line_ends = st.sampled_from(["\n", "\r\n", "\r"])
words = st.sampled_from(["x", "你好", "&amp;", "&#x4E2D;", " ", "\t", "\n", "\r", "\r\n", "]]"])


@st.composite
def namespaced_documents(draw: st.DrawFn, good: bool = False) -> str:
    """A document with namespace declarations, prefixed names, xml: attributes, CR/CRLF line ends
    and an optional XML declaration. ``good``: only what the fast path is meant to take."""
    nl = draw(line_ends)
    uris = good_uris if good else st.one_of(good_uris, bad_uris, uri_soup)
    pfx = st.sampled_from(["p", "q", "amazon", "mstts", "xsi"]) if good else prefixes
    names_ = st.sampled_from(["speak", "voice", "p", "express-as", "lang"])

    def attribute(k: int) -> str:
        kind = draw(st.integers(0, 4))
        if kind == 0:
            return f'xmlns="{draw(uris)}"'
        if kind == 1:
            return f'xmlns:{draw(pfx)}="{draw(uris)}"'
        if kind == 2:
            return f'xml:{draw(st.sampled_from(["lang", "id"]) if good else locals_)}="en{k}"'
        if kind == 3:  # prefixed: distinct local names when good (lxml may refuse p:a with q:a)
            local = f"l{k}" if good else draw(locals_)
            return f"{draw(pfx)}:{local}='v{nl}{draw(words)}'"
        return f"a{k} ={nl}'{draw(words)}'"

    def element(depth: int) -> str:
        prefix = draw(st.one_of(st.just(""), pfx.map(lambda p: p + ":")))
        name = prefix + draw(names_)
        pairs = [attribute(k) for k in range(draw(st.integers(0, 3)))]
        if good:  # one declaration per name
            seen: dict[str, str] = {}
            for pair in pairs:
                seen.setdefault(pair.split("=", 1)[0].strip(), pair)
            pairs = list(seen.values())
        head = f"<{name}" + "".join(
            f"{draw(st.sampled_from([' ', nl, ' ' + nl]))}{a}" for a in pairs
        )
        if depth > 1 or draw(st.booleans()):
            return head + "/>"
        inner = []
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 2))
            if choice == 0:
                inner.append(element(depth + 1))
            elif choice == 1:
                inner.append(f"<!-- {draw(words).replace('&', 'and')}{nl}c -->")
            else:
                inner.append(draw(words) + nl)
        return head + ">" + "".join(inner) + f"</{name}{draw(st.sampled_from(['', nl]))}>"

    declaration = draw(
        st.sampled_from(["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>'])
    )
    return declaration + (nl if declaration else "") + element(0) + draw(st.sampled_from(["", nl]))


@given(namespaced_documents())
@settings(deadline=None)
def test_namespaced_documents_agree(text: str) -> None:
    agree(text, decode(text).body_start)


@given(namespaced_documents(good=True))
@settings(deadline=None)
def test_the_fast_path_takes_plain_namespaced_documents(text: str) -> None:
    assert agree(text, decode(text).body_start), f"fell back on {text!r}"


@given(documents(), line_ends)
@settings(deadline=None)
def test_serialized_documents_with_other_line_ends_agree(doc: Any, nl: str) -> None:
    agree(serialize(doc).replace("\n", nl))


PURE_PROBE = """
import json, sys
from ssmlkit._scan import FAST_SCAN, scan
texts = json.load(sys.stdin)
assert FAST_SCAN is None
print(json.dumps([repr([n for n in scan(t, b).document.items]) for t, b in texts]))
"""


def test_the_pure_python_path_gives_the_same_documents() -> None:
    # SSMLKIT_PURE_PYTHON=1 in a fresh interpreter against the fast path in this one: the same
    # nodes (their reprs hold every value; spans are compared by agree() above).
    import json

    texts = [(t, decode(t).body_start) for t in [*TAKEN, *ORDINARY]]
    assert sum(FAST(t, b) is not None for t, b in texts) >= len(TAKEN)
    env = {**os.environ, "SSMLKIT_PURE_PYTHON": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PURE_PROBE],
        input=json.dumps(texts),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    mine = [repr(list(scan(t, b).document.items)) for t, b in texts]
    assert json.loads(out.stdout) == mine
