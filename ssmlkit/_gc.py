"""Pause Python's cyclic garbage collector around work that allocates many objects but no cycles.

Usage::

    from ssmlkit._gc import paused_gc

    with paused_gc():
        document = build_a_million_nodes()

Parsing a large document creates millions of small acyclic objects (nodes, spans, tuples); each
one counts toward the collector's thresholds, so the collector keeps re-walking the growing tree
(and any large document already alive, such as the one being split) without ever freeing
anything. That was a third of the time of a 10 MB parse and over half of a 10 MB split. Reference
counting still frees everything as usual; the collector only resumes afterwards. When the
collector was already disabled by the caller, it stays disabled.
"""

from __future__ import annotations

import gc
from types import TracebackType

__all__ = ["paused_gc"]


class paused_gc:  # lower case: it reads like a function, ``with paused_gc():``
    """Context manager: the cyclic collector is off inside the block, restored on leaving it."""

    __slots__ = ("_was_enabled",)

    def __init__(self) -> None:
        self._was_enabled = False

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            gc.disable()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()
