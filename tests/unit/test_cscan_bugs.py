"""Regression tests for the five bugs an audit found in ``ssmlkit/_cscan.c`` (issue 14).

1. ``start_tag`` used an attribute list whose creation had failed: the allocation-failure loop in
   ``tests/hardening/test_cscan_alloc.py`` covers it (and every other allocation point).
2. ``walk`` iterated children a rule could free: a third-party rule that empties what it visits.
3. On CPython 3.14, spans built in C cached the hash 0: ``hash(span) == hash(tuple(span))`` here,
   and on every other CPython this machine has (the extension compiled for each).
4. ``configure`` took any ``max_depth`` and overflowed the heap with a negative or huge one.
5. ``decode`` ignored a reference it could not parse and read before the string.

``scripts/sanitize.sh`` runs this file under AddressSanitizer and UndefinedBehaviorSanitizer.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from ssmlkit import _scan
from ssmlkit.model import KNOWN_ELEMENTS, Comment, Element, Span, Text, UnknownElement

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

from ssmlkit import _cscan

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "ssmlkit" / "_cscan.c"

# ---- bug 2: a rule that mutates what it visits ----------------------------------------------

VANDAL = """
import ssmlkit
from ssmlkit.linter.rule import Rule
from ssmlkit.linter.diagnostic import Severity

class Vandal(Rule):
    '''Empties every element it visits.

    Examples::

        pass: <speak>x</speak>
    '''

    code = "XT901"
    name = "vandal"
    summary = "replaces the children it is visiting"
    severity = Severity.WARNING
    targets = ("element",)

    def visit(self, node, ctx):
        object.__setattr__(node, "children", ())

ssmlkit.register_rule(Vandal)
source = "<speak>" + "<p><s>x</s>y</p>" * 200 + "</speak>"
found = ssmlkit.lint(source)
print(sum(d.code == "MT002" for d in found), sum(1 for _ in ssmlkit.parse(source).walk()))
"""


def test_a_rule_emptying_the_element_it_visits_is_reported_not_a_crash() -> None:
    # A subprocess: before the fix this was a segfault (heap-use-after-free under ASan), which
    # would have taken the test run down with it.
    out = subprocess.run(
        [sys.executable, "-c", VANDAL], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-2000:]
    reported, nodes = map(int, out.stdout.split())
    assert reported > 0  # MT002 internal-error for each element emptied
    assert nodes == 1 + 200 * 4  # the document itself is unchanged afterwards


# ---- bug 3: spans built in C hash like tuples --------------------------------------------------


def _spans(items: tuple[object, ...]) -> list[Span]:
    spans: list[Span] = []
    stack = list(items)
    while stack:
        node = stack.pop()
        spans.append(node.span)  # type: ignore[attr-defined]
        if isinstance(node, Element):
            spans += [node.start_tag, *node.attr_spans, *node.value_spans]
            if node.end_tag is not None:
                spans.append(node.end_tag)
            stack += node.children
    return spans


HASHED = "<speak a=\"1\" b='&amp;'>x<!--c--><break/>" + "y" * 300 + "<z>w</z></speak>"


def test_spans_built_in_c_hash_like_their_tuples() -> None:
    items = _cscan.scan(HASHED, 0)
    assert items is not None
    spans = _spans(items)
    assert len(spans) >= 10
    assert all(type(s) is Span for s in spans)
    for span in spans:
        assert hash(span) == hash(tuple(span)) == hash(Span(*span))
    # Sets and dicts mixing spans from C and from Python see them as the same keys.
    python_spans = [Span(*s) for s in spans]
    assert set(spans) | set(python_spans) == set(spans)
    table = dict.fromkeys(python_spans, "python")
    assert all(table[s] == "python" for s in spans)


# Run with another interpreter against the extension compiled for it: only the module, with
# stand-in classes of the same layout as ssmlkit.model's (that interpreter has no lxml).
OTHER = """
import sys
from typing import NamedTuple
sys.path.insert(0, sys.argv[1])
import _cscan

class Span(NamedTuple):
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

class Valued:
    __slots__ = ("value", "span")
class Text(Valued):
    __slots__ = ()
class Comment(Valued):
    __slots__ = ()
class Element:
    __slots__ = ("attrs", "children", "start_tag", "end_tag", "attr_spans", "value_spans", "span")
class Speak(Element):
    __slots__ = ()
class Unknown(Element):
    __slots__ = ("qname",)

_cscan.configure(Span, Text, Comment, Unknown, {"speak": Speak}, 255)
items = _cscan.scan(sys.argv[2], 0)
spans, stack = [], list(items)
while stack:
    node = stack.pop()
    spans.append(node.span)
    if isinstance(node, Element):
        spans += [node.start_tag, *node.attr_spans, *node.value_spans]
        stack += node.children
assert len(spans) >= 10, spans
for span in spans:
    assert type(span) is Span
    assert hash(span) == hash(tuple(span)) == hash(Span(*span)), (span, hash(span))
assert set(spans) | {Span(*s) for s in spans} == set(spans)
print(sys.version_info[:2], len(spans), "ok")
"""


def _other_interpreters() -> list[str]:
    """CPython 3.12 and later found here (on PATH or under pyenv), other than this one."""
    found: dict[str, str] = {}
    for minor in range(12, 20):
        on_path = shutil.which(f"python3.{minor}")
        # (pyenv's shims are on PATH for every version, but run only the one selected)
        candidates = [on_path] if on_path and "/shims/" not in on_path else []
        candidates += sorted(
            glob.glob(os.path.expanduser(f"~/.pyenv/versions/3.{minor}.*/bin/python3"))
        )
        for candidate in candidates:
            if candidate and f"3.{minor}" not in found:
                found[f"3.{minor}"] = candidate
    mine = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return [path for version, path in sorted(found.items()) if version != mine]


@pytest.mark.parametrize("python", _other_interpreters())
def test_spans_hash_like_tuples_on_other_interpreters(python: str, tmp_path: Path) -> None:
    # 3.14 is where the bug lived (its tuples cache their hash); each CPython found here compiles
    # the extension and checks the same property.
    probe = [
        python,
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['include']); print(sysconfig.get_config_var('EXT_SUFFIX'))",
    ]
    include, suffix = subprocess.run(
        probe, capture_output=True, text=True, check=True
    ).stdout.split()
    if not (Path(include) / "Python.h").is_file():
        pytest.fail(f"{python} has no Python.h: cannot build the extension for it")
    built = tmp_path / f"_cscan{suffix}"
    compiler = sysconfig.get_config_var("CC").split()[0] or "cc"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", f"-I{include}", str(SOURCE), "-o", str(built)],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [python, "-c", OTHER, str(tmp_path), HASHED], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")


# ---- bug 4: configure refuses bad depths -----------------------------------------------------


def _configure(depth: int) -> None:
    _cscan.configure(Span, Text, Comment, UnknownElement, dict(KNOWN_ELEMENTS), depth)


@pytest.mark.parametrize("depth", [-1, -(2**62), 100_001, 2**62, sys.maxsize])
def test_configure_refuses_a_depth_that_would_wrap_the_stack_size(depth: int) -> None:
    try:
        with pytest.raises(ValueError, match="max_depth must be between 0 and 100000"):
            _configure(depth)
        # Refused before anything changed: scans still work, with the depth they had.
        deep = "<x>" * (_scan.MAX_DEPTH + 1) + "</x>" * (_scan.MAX_DEPTH + 1)
        assert _cscan.scan(deep, 0) is None
        assert _cscan.scan("<speak>" + "<p>" * 200 + "x" + "</p>" * 200 + "</speak>", 0)
    finally:
        _configure(_scan.MAX_DEPTH)


def test_configure_takes_depths_within_the_limits() -> None:
    try:
        _configure(0)
        assert _cscan.scan("<a/>x", 0) is not None  # self-closing needs no frame
        assert _cscan.scan("<a>x</a>", 0) is None
        _configure(100_000)
        nested = "<a>" * 5000 + "</a>" * 5000
        assert _cscan.scan(nested, 0) is not None
    finally:
        _configure(_scan.MAX_DEPTH)


def test_configure_overflow_is_an_overflow_error() -> None:
    with pytest.raises(OverflowError):
        _configure(2**80)


# ---- bug 5: decode and an unchecked reference ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a&bogus;b",  # not a reference the scanner knows
        "&",  # at the very end
        "x&#xZZ;",
        "&#0;",  # a character XML forbids
    ],
)
def test_decode_raises_on_a_reference_nobody_checked(text: str) -> None:
    with pytest.raises(SystemError, match="unchecked reference at offset"):
        _cscan._decode(text, 0, len(text), False)


def test_decode_raises_when_a_reference_runs_past_its_range() -> None:
    # "&amp;" is fine, but the range ends inside it: decoding must not read on past the range.
    with pytest.raises(SystemError, match="offset 1"):
        _cscan._decode("a&amp;b", 0, 4, False)


@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    [
        ("a&amp;b\tc\n", False, "a&b\tc\n"),
        ("a&amp;b\tc\n", True, "a&b c "),
        ("&#x1F600;&lt;&#65;", False, "😀<A"),
        ("中&quot;&apos;", True, "中\"'"),
    ],
)
def test_decode_of_checked_references(text: str, attribute: bool, expected: str) -> None:
    assert _cscan._decode(text, 0, len(text), attribute) == expected


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 1), (0, 99)])
def test_decode_checks_its_range(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="start <= end"):
        _cscan._decode("abc", start, end, False)
