"""Type stub for the C fast path of the scanner (ssmlkit/_cscan.c, compiled by hatch_build.py)."""

from typing import Any, TypeVar

from ssmlkit.model import Element, Node

_R = TypeVar("_R")

def configure(
    span: type[tuple[int, int, int, int, int, int]],
    text: type[Node],
    comment: type[Node],
    unknown: type[Element],
    known: dict[str, type[Element]],
    max_depth: int,
    /,
) -> None: ...
def scan(text: str, body_start: int, bare: list[int] = ..., /) -> tuple[Node, ...] | None: ...
def walk(
    items: tuple[Node, ...],
    ctx: Any,
    plan: Any,
    by_shape: dict[Any, Any],
    element_type: type,
    speak_type: type | None = ...,
    /,
) -> None: ...
def new_record(cls: type[_R], members: tuple[Any, ...], /, *values: Any) -> _R: ...
