"""The C fast path under memory exhaustion: every allocation of ``scan`` and ``walk`` may fail.

``_testcapi.set_nomemory(start, stop)`` makes the interpreter's allocations number ``start`` to
``stop - 1`` (counted from the call) fail. For each allocation point of a call in turn, one
failure is injected there; the call must then either succeed with the right result (a failure
some code absorbs) or raise ``MemoryError``, never crash, never return a half-built result, never
raise anything else, and never leak what it had built. The loop walks the points until the call
has run through with no failure left to inject.

Leaks are measured twice: the inputs' reference counts, and ``sys.getallocatedblocks()`` after a
second pass over every point (each pass leaves the same warm caches, so any growth is a leak).
Each loop runs in a fresh interpreter (``python -m tests.hardening.test_cscan_alloc scan 0``):
the failures hit every thread, and nothing else of a test run may meet them. ``scripts/sanitize.sh``
runs this file under AddressSanitizer, where a bad error path is a
use-after-free or NULL dereference report instead of a chance crash.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ssmlkit import _scan
from ssmlkit._scan import scan_python
from ssmlkit.model import Element, Node, Text

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

try:
    import _testcapi
except ImportError:  # a Python built without its test modules
    if os.environ.get("CI"):
        raise
    pytest.skip("this Python has no _testcapi (set_nomemory)", allow_module_level=True)

from ssmlkit import _cscan

ROOT = Path(__file__).resolve().parents[2]

#: After the last failing point, this many clean runs in a row end the loop: a few allocations
#: near the end of a call may be absorbed (a failed cache fill), so one success is not enough.
SETTLED = 25

DOCUMENTS = [
    # attributes (plain, with references and tabs), text with references, comments, self-closing
    # and unknown elements, nesting, and offsets past 256 (the int cache) ...
    '<speak voice="longxiaochun" rate="1.1">你好&amp;<break time="500ms"/>\n'
    "<sub alias='a&#x4E2D;\tb'>x</sub><!-- note --><custom k=\"v\" j='w'>y<z/></custom>"
    + "<p><s>deep</s></p>" * 20
    + "</speak>\n",
    # ... 4-byte code points, several top-level nodes, text after the root
    "<speak>😀 &#x1F600; <phoneme alph='py' ph='ni3'>你</phoneme></speak> tail &lt;",
    # more than 16 lines (the line index grows) and deeper than 16 (the walk's stack grows)
    "<speak>\n" + "<p>\n" * 20 + "x&#x4e2d;\n" + "</p>\n" * 20 + "</speak>",
    # input the fast path declines part-way (a fallback must also release what it built)
    "<speak a='1'><p>x</p><b>&nbsp;</b></speak>",
]

#: Input with bare '&'s, scanned with the list that receives their offsets (past offset 256 too,
#: where each offset is a new int), and one the fast path declines after reporting some.
BARE_DOCUMENTS = [
    "<speak>R&D\r\n" + "<p>x &amp; y</p>" * 20 + "A&B &#; &</speak> & tail",
    "<speak>R&D " + "<p>x</p>" * 40 + "&</speak><x:y/>",
]


def drained() -> list[Any]:
    """Hold every free-listed empty list and small tuple, so that the call must allocate its own.

    CPython keeps freed lists and small tuples for reuse; taken from a free list, they never reach
    the allocator, and a failure could not be injected there (``PyList_New(0)`` in ``start_tag``
    is such a point).
    """
    held: list[Any] = [[] for _ in range(100)]
    held.extend((k, k) for k in range(2_100))
    return held


def attempt(call: Callable[[], Any], start: int) -> Any:
    """``call()`` with allocation number ``start`` failing: its result, or ``MemoryError``."""
    held = drained()
    # No collection inside the window: it would run other objects' finalizers on the failure.
    collecting = gc.isenabled()
    gc.disable()
    _testcapi.set_nomemory(start, start + 1)
    try:
        return call()
    except MemoryError:
        return MemoryError
    finally:
        _testcapi.remove_mem_hooks()
        if collecting:
            gc.enable()
        del held


def every_point(call: Callable[[], Any], check: Callable[[Any], bool]) -> int:
    """Inject a failure at each allocation point of ``call``; return how many failed cleanly.

    ``check`` asserts that a result is right, and says whether it shows the failure absorbed
    (then the loop is not settled yet: the call's later allocations remain to be tried).
    """
    failures = 0
    start = 0
    clean = 0
    while clean < SETTLED:
        assert start < 200_000, "the loop never settled"
        result = attempt(call, start)
        if result is MemoryError:
            failures += 1
            clean = 0
        elif check(result):
            clean = 0
        else:
            clean += 1
        start += 1
    return failures


def shape(node: Node) -> tuple[Any, ...]:
    children = tuple(shape(c) for c in node.children) if isinstance(node, Element) else ()
    return (type(node).__name__, tuple(sorted(vars_of(node).items())), children)


def vars_of(node: Node) -> dict[str, Any]:
    import dataclasses

    return {f.name: getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "children"}


def scan_loop(text: str, bare: bool = False) -> int:
    """Every allocation point of ``_cscan.scan(text, 0)`` (with a list for bare '&'s when
    ``bare``); the number that failed cleanly."""

    def call() -> Any:
        if not bare:
            return _cscan.scan(text, 0)
        offsets: list[int] = []
        items = _cscan.scan(text, 0, offsets)
        return None if items is None else (items, offsets)

    def shapes(result: Any) -> Any:
        if result is None:
            return None
        items, offsets = result if bare else (result, None)
        return [shape(n) for n in items], offsets

    reference = call()
    expected = shapes(reference)
    if reference is not None:
        assert [shape(n) for n in scan_python(text).document.items] == expected[0]
    del reference

    def check(result: Any) -> bool:
        assert shapes(result) == expected
        return False

    text_refs = sys.getrefcount(text)
    failures = every_point(call, check)
    assert failures >= 5, "set_nomemory injected (almost) nothing: the loop tests nothing"
    gc.collect()
    blocks = sys.getallocatedblocks()
    every_point(call, check)  # (free lists shift the count a little)
    gc.collect()
    assert sys.getrefcount(text) == text_refs
    # With PYTHONMALLOC=malloc (the sanitizer run) pymalloc counts nothing: LeakSanitizer and the
    # reference counts above are the checks there.
    assert sys.getallocatedblocks() - blocks <= 10, "scan leaks on an allocation failure"
    return failures


class Ctx:
    __slots__ = ("ancestors", "rule")


class Plan:
    """The shape table the engine keeps, with a rule that records what it visits."""

    def __init__(self) -> None:
        self.by_shape: dict[tuple[Any, ...], Any] = {}
        self.seen: list[int] = []
        self.failures: list[BaseException] = []

    def _visit(self, node: Node, ctx: Ctx) -> None:
        self.seen.append(id(node))

    def _holding(self, node: Node, ctx: Ctx) -> None:
        pass  # a call with chars (the walk looks in the node's text or attribute values)

    def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
        calls = (("r", self._visit), ("c", self._holding, ">&"))
        self.by_shape[key] = calls
        return calls

    def text_calls(self, parent: type | None, within: bool = False) -> Any:
        calls = (("t", self._visit), ("c", self._holding, "中x"))
        self.by_shape[(Text, parent, within)] = calls
        return calls

    def failed(self, node: Node, ctx: Ctx, error: BaseException) -> None:
        # A rule that met the injected MemoryError: reported, as the engine reports it.
        self.failures.append(error)

    def mutated(self, node: Node, ctx: Ctx, children: object, attrs: object) -> None:
        raise AssertionError("nothing mutates here")


def walk_loop() -> int:
    """Every allocation point of ``_cscan.walk`` over a document; the number that failed cleanly."""
    from ssmlkit.parse import parse

    document = parse(DOCUMENTS[0] + DOCUMENTS[2])
    nodes = sum(1 for _ in document.walk())
    items = document.items

    def run() -> Plan:
        plan = Plan()
        _cscan.walk(items, Ctx(), plan, plan.by_shape, Element)
        return plan

    def check(plan: Plan) -> bool:
        # Either every node was visited, or the injected failure hit a rule's own code, which the
        # walk reports and goes on (then that one visit is missing).
        assert len(plan.seen) + len(plan.failures) == nodes
        assert all(isinstance(e, MemoryError) for e in plan.failures)
        absorbed = bool(plan.failures)
        # Release the reported error now. It is a cycle (error -> traceback -> the rule's frame ->
        # plan -> error) that only a collection frees, and CPython keeps just 16 MemoryErrors
        # for reuse: with more of them waiting in garbage, PyErr_NoMemory() on 3.12+ raises its
        # immortal last-resort instance, whose traceback then only grows (each raise prepends
        # to it) and keeps every frame and plan in it alive. The test would count that as a leak.
        plan.failures.clear()
        return absorbed

    return _every_point_leaking_nothing(items, run, check, "walk")


def _every_point_leaking_nothing(
    items: tuple[Node, ...], run: Callable[[], Any], check: Callable[[Any], bool], what: str
) -> int:
    """:func:`every_point` twice over a walk of ``items``: the clean failures of the first pass;
    the second, with every cache warm, must leave no block and no reference to ``items``."""
    items_refs = sys.getrefcount(items)
    failures = every_point(run, check)
    gc.collect()
    blocks = sys.getallocatedblocks()
    every_point(run, check)
    gc.collect()
    assert sys.getrefcount(items) == items_refs
    assert sys.getallocatedblocks() - blocks <= 10, f"{what} leaks on an allocation failure"
    return failures


class GateCtx:
    __slots__ = ("ancestors", "reported", "rule", "source")

    def __init__(self, source: str) -> None:
        self.reported = 0
        self.source = source


class GatePlan(Plan):
    """A plan whose elements go through a gate (dispatch._gate's call, which the C walk runs
    itself): its rule reports on every <p>, so a <p> written again is visited again through the
    memo, and a <s> written again is not."""

    def __init__(self) -> None:
        super().__init__()
        self.memo: dict[str, Any] = {}
        self.gated: list[str] = []

    def _gated(self, node: Element, ctx: GateCtx) -> None:
        self.gated.append(node.name)
        if node.name == "p":
            ctx.reported += 1

    def for_shape(self, key: tuple[Any, ...], node: Node) -> Any:
        visits = (("g", self._gated),)
        calls: tuple[Any, ...] = (("r", self._visit),)
        if len(key) > 3:  # an element's shape (the others: (type, parent, within))
            calls += (("g", self._gated, self.memo, visits, False),)
        self.by_shape[key] = calls
        return calls


def gate_loop() -> int:
    """Every allocation point of ``_cscan.walk`` through a gate; the number that failed cleanly."""
    from ssmlkit.parse import parse

    text = DOCUMENTS[0]
    document = parse(text)
    nodes = sum(1 for _ in document.walk())
    items = document.items

    def run() -> GatePlan:
        plan = GatePlan()
        _cscan.walk(items, GateCtx(text), plan, plan.by_shape, Element)
        return plan

    def check(plan: GatePlan) -> bool:
        # A failure injected into a rule's own code is reported and the walk goes on; otherwise
        # every node was visited, and every <p> (it reports) but only the first <s> of its
        # spelling went through the gate's rule.
        assert all(isinstance(e, MemoryError) for e in plan.failures)
        absorbed = bool(plan.failures)
        if not absorbed:
            assert len(plan.seen) == nodes
            assert plan.gated.count("p") == 20
            assert plan.gated.count("s") == 1
        plan.failures.clear()
        return absorbed

    return _every_point_leaking_nothing(items, run, check, "a gate")


def record_loop() -> int:
    """Every allocation point of ``_cscan.new_record`` making a finding; the clean failures."""
    from ssmlkit.linter.diagnostic import DIAGNOSTIC_SLOTS, Diagnostic, Severity

    fields = ("XM004", "x", Severity.ERROR, "m" * 300, 1, 2, 3, 4, 5000, 6000, None, "p")

    def call() -> Any:
        return _cscan.new_record(Diagnostic, DIAGNOSTIC_SLOTS, *fields)

    expected = Diagnostic(*fields)

    def check(made: Any) -> bool:
        assert made == expected
        return False

    refs = sys.getrefcount(fields[3])
    failures = every_point(call, check)
    gc.collect()
    assert sys.getrefcount(fields[3]) == refs
    return failures


# The loops run in a fresh interpreter each: set_nomemory fails the allocations of every thread,
# and a suite's leftovers (a server thread, an unclosed file's finalizer) must neither meet the
# injected failures nor be counted as this extension's leaks. A crash there fails the test here.


def _in_subprocess(*args: str) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "tests.hardening.test_cscan_alloc", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, f"exit {out.returncode}:\n{out.stdout[-2000:]}{out.stderr[-4000:]}"
    return int(out.stdout.split()[-1])


@pytest.mark.parametrize("index", range(len(DOCUMENTS)))
def test_every_allocation_failure_in_scan_is_a_clean_memory_error(index: int) -> None:
    assert _in_subprocess("scan", str(index)) >= 5, "set_nomemory injected (almost) nothing"


@pytest.mark.parametrize("index", range(len(BARE_DOCUMENTS)))
def test_every_allocation_failure_in_a_scan_with_bare_ampersands_is_a_clean_memory_error(
    index: int,
) -> None:
    assert _in_subprocess("scan-bare", str(index)) >= 5, "set_nomemory injected (almost) nothing"


def test_every_allocation_failure_in_walk_is_a_clean_memory_error() -> None:
    assert _in_subprocess("walk") >= 5


def test_every_allocation_failure_in_a_gate_is_a_clean_memory_error() -> None:
    assert _in_subprocess("gate") >= 5


def test_every_allocation_failure_in_new_record_is_a_clean_memory_error() -> None:
    assert _in_subprocess("record") >= 1


if __name__ == "__main__":
    # python -m tests.hardening.test_cscan_alloc scan INDEX | scan-bare INDEX | walk | gate | record:
    # prints the clean failures.
    if sys.argv[1] == "scan":
        print(scan_loop(DOCUMENTS[int(sys.argv[2])]))
    elif sys.argv[1] == "scan-bare":
        print(scan_loop(BARE_DOCUMENTS[int(sys.argv[2])], bare=True))
    elif sys.argv[1] == "record":
        print(record_loop())
    elif sys.argv[1] == "gate":
        print(gate_loop())
    else:
        print(walk_loop())
