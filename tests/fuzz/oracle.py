"""The differential oracle for the C fast path, shared by the fuzzer and the corpus replay test.

For any text, ``ssmlkit._cscan.scan`` must either decline (return ``None``, and the Python scanner
runs) or build exactly what the Python scanner builds, every field and span included, for a text
the Python scanner finds nothing wrong with; and lxml must accept whatever the fast path took,
because ``parse()`` then skips its lxml check.

Asked for bare ampersands (a list as its third argument), it may also take a text whose only
problems are bare ``&`` in character data: then the nodes, and ``ssmlkit._scan.scan``'s whole
result (problems, prefixes, ``well_formed``), must equal the Python scanner's.

Usage::

    from tests.fuzz.oracle import check
    check('<speak>x</speak>')     # True: the fast path took it; raises AssertionError on a bug
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ssmlkit import _scan
from ssmlkit._scan import scan, scan_python
from ssmlkit.errors import SSMLKitError
from ssmlkit.model import Element, Node
from ssmlkit.parse import _lxml_check, decode


def shape(node: Node) -> tuple[Any, ...]:
    """Every field of a node, spans included (node equality ignores spans), and its children's."""
    values = tuple(getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "children")
    children = tuple(shape(c) for c in node.children) if isinstance(node, Element) else ()
    return (type(node).__name__, values, children)


def check(text: str) -> bool:
    """Hold the fast path to the Python scanner and to lxml on ``text``; whether it took it.

    Both forms are held: without the bare-ampersand list (this returns whether that one took the
    text) and with it (:func:`check_bare`).
    """
    check_bare(text)
    return _check_strict(text)


def check_bare(text: str) -> bool:
    """The fast path asked for bare ampersands, held to the Python scanner; whether it took it."""
    fast_scan = _scan.FAST_SCAN
    assert fast_scan is not None, "the C extension is not built"
    try:
        body_start = decode(text).body_start
    except SSMLKitError:
        return False
    bare: list[int] = []
    fast = fast_scan(text, body_start, bare)
    if fast is None:
        return False
    reference = scan_python(text, body_start)
    assert [shape(n) for n in fast] == [shape(n) for n in reference.document.items], (
        f"the fast path built other nodes than the Python scanner: {text!r}"
    )
    assert [(p.kind, p.start) for p in reference.problems] == [
        ("bare-ampersand", at) for at in bare
    ], f"the fast path's bare '&'s are not the Python scanner's problems: {text!r}"
    if not bare:
        return True  # as without the list: _check_strict holds it to lxml
    result = scan(text, body_start)
    assert result.problems == reference.problems, f"problems differ: {text!r}"
    assert result.prefixes == reference.prefixes, f"prefixes differ: {text!r}"
    assert not result.well_formed
    assert [shape(n) for n in result.document.items] == [shape(n) for n in fast]
    return True


def _check_strict(text: str) -> bool:
    fast_scan = _scan.FAST_SCAN
    assert fast_scan is not None, "the C extension is not built"
    try:
        body_start = decode(text).body_start  # after an XML declaration, as parse() scans
    except SSMLKitError:  # what decode refuses, parse refuses before any scan
        return False
    fast = fast_scan(text, body_start)
    if fast is None:
        return False
    reference = scan_python(text, body_start)
    assert reference.problems == (), f"the fast path took a text with problems: {text!r}"
    assert [shape(n) for n in fast] == [shape(n) for n in reference.document.items], (
        f"the fast path built other nodes than the Python scanner: {text!r}"
    )
    assert _lxml_check(decode(text), reference) is None, f"lxml refuses what C took: {text!r}"
    return True
