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
    assert reference.prefixes == frozenset()
    assert [shape(n) for n in fast] == [shape(n) for n in reference.document.items]
    # And through scan(), which wraps the nodes in a Document as the Python scanner does.
    wrapped = scan(text, body_start)
    assert wrapped.problems == ()
    assert wrapped.well_formed
    # parse() skips its lxml check for what the fast path took: libxml2 must agree it is fine.
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
        "<speak>\r\n</speak>",  # carriage returns are normalised by the Python scanner
        "<speak>a\x00</speak>",
        "<speak>\ud800</speak>",
        "<speak><![CDATA[x]]></speak>",
        "<speak><?pi x?></speak>",
        "<!DOCTYPE speak><speak/>",
        "<speak><amazon:effect>x</amazon:effect></speak>",
        '<speak xml:lang="en"/>',
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
        assert FAST("<speak>\r</speak>", 0) is None  # a fallback leaves it alike
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
