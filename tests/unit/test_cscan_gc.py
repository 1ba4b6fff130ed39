"""The C fast path leaves the tuples that can never form a cycle to reference counting alone.

A scanned tree lives while the linter's rules allocate, and every collection of the cyclic
collector re-walked all of it: on the benchmark's corpus the collector's walks over scanned trees
cost about a third as much as the scan itself. Most of a tree's objects are tuples of ints and
strings (a span per node, two spans and a name/value pair per attribute), which cannot be part of
a cycle; ``_cscan.c`` takes them out of the collector's sight as it builds them. Nodes and the
tuples of children stay tracked, so a cycle someone makes through a node is still collected.
"""

from __future__ import annotations

import gc
import os

import pytest

from ssmlkit import _scan
from ssmlkit.model import Element, Node
from ssmlkit.parse import parse
from tests.fuzz.oracle import shape

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here", allow_module_level=True)

TEXT = '<speak voice="a" rate="1.1">x &amp; y<break time="1s"/><!-- c --><p>z</p></speak>'


def nodes(items: tuple[Node, ...]) -> list[Node]:
    out: list[Node] = []
    for node in items:
        out.append(node)
        if isinstance(node, Element):
            out.extend(nodes(node.children))
    return out


def test_spans_and_attribute_tuples_are_untracked_and_nodes_tracked() -> None:
    assert _scan.FAST_SCAN is not None
    items = _scan.FAST_SCAN(TEXT, 0)
    assert items is not None
    for node in nodes(items):
        assert gc.is_tracked(node)
        assert not gc.is_tracked(node.span)
        if isinstance(node, Element):
            assert gc.is_tracked(node.children) or node.children == ()
            assert not gc.is_tracked(node.start_tag)
            for part in (node.attrs, node.attr_spans, node.value_spans, *node.attrs):
                assert not gc.is_tracked(part)
            assert all(not gc.is_tracked(s) for s in (*node.attr_spans, *node.value_spans))


def test_a_tree_outliving_collections_is_intact() -> None:
    assert _scan.FAST_SCAN is not None
    items = _scan.FAST_SCAN(TEXT, 0)
    assert items is not None
    expected = [shape(n) for n in _scan.scan_python(TEXT).document.items]
    for _ in range(3):
        gc.collect()
        junk = [[k] for k in range(10_000)]  # allocations that trigger young collections
        del junk
    assert [shape(n) for n in items] == expected


def test_a_cycle_made_through_a_scanned_node_is_still_collected() -> None:
    speak = parse(TEXT).items[0]
    assert isinstance(speak, Element)
    # A rule (or anyone) can put a node inside its own children: only the collector frees that.
    object.__setattr__(speak, "children", (speak,))
    gc.collect()
    del speak
    assert gc.collect() >= 2, "the node and its children tuple were not found as garbage"


@pytest.mark.parametrize("enabled", [True, False])
def test_lint_pauses_the_collector_and_gives_back_its_state(enabled: bool) -> None:
    # The engine pauses the cyclic collector for the run (many acyclic objects), even when a
    # rule raises; afterwards the collector is as the caller left it.
    import ssmlkit

    seen: list[bool] = []

    class Probe:
        def __init__(self) -> None:
            seen.append(gc.isenabled())

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        from ssmlkit.linter.engine import lint

        assert lint("<speak>a & b<p>x</p></speak>")
        original = ssmlkit.linter.engine._walk
        ssmlkit.linter.engine._walk = lambda *args: (Probe(), 1 / 0)  # type: ignore[assignment]
        try:
            with pytest.raises(ZeroDivisionError):
                lint("<speak>x</speak>")
        finally:
            ssmlkit.linter.engine._walk = original
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
