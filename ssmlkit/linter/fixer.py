"""Apply fixes (edits as data) to source text, and fix a document until nothing changes.

Usage::

    from ssmlkit.linter import fix
    result = fix("<speak>Tom & Jerry</speak>")
    result.text        # '<speak>Tom &amp; Jerry</speak>'
    result.applied     # the findings whose fixes were applied
    result.remaining   # what the linter still reports on result.text
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ssmlkit.errors import ParseError
from ssmlkit.linter.diagnostic import Diagnostic
from ssmlkit.model import Document
from ssmlkit.parse import decode
from ssmlkit.serialize import serialize
from ssmlkit.sources import as_source

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.sources import Source

__all__ = ["MAX_PASSES", "FixResult", "apply_fixes", "choose_fixes", "fix"]

#: How many lint-and-fix passes :func:`fix` makes at most (fixes may enable further fixes).
MAX_PASSES = 10


def choose_fixes(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings whose fixes can be applied together: a fix overlapping an earlier one is left out.

    Findings are taken in source order; insertions at the same point as another edit count as
    overlapping, so the result never depends on the order edits are applied in.
    """
    chosen: list[Diagnostic] = []
    taken: list[tuple[int, int]] = []
    for diag in sorted((d for d in diagnostics if d.fix), key=lambda d: (d.start, d.code)):
        assert diag.fix is not None
        edits = diag.fix.edits
        if any(
            not (e.end <= a or e.start >= b) or e.start == a or e.end == b
            for e in edits
            for a, b in taken
        ):
            continue
        chosen.append(diag)
        taken.extend((e.start, e.end) for e in edits)
    return chosen


def apply_fixes(source: str, diagnostics: Iterable[Diagnostic]) -> str:
    """Apply the fixes of ``diagnostics`` to ``source``; a fix overlapping an earlier one is skipped."""
    edits = sorted(
        (e.start, e.end, e.replacement)
        for d in choose_fixes(diagnostics)
        if d.fix is not None
        for e in d.fix.edits
    )
    out: list[str] = []
    at = 0
    for start, end, replacement in edits:
        out.append(source[at:start])
        out.append(replacement)
        at = end
    out.append(source[at:])
    return "".join(out)


@dataclass(frozen=True)
class FixResult:
    """What :func:`fix` did: the fixed ``text``, the findings it ``applied`` (in the order of the
    passes; their offsets refer to the text of their pass), and the findings ``remaining`` in
    ``text``."""

    text: str
    applied: list[Diagnostic]
    remaining: list[Diagnostic]

    @property
    def changed(self) -> bool:
        """Whether any fix was applied."""
        return bool(self.applied)


def fix(
    source: Source,
    *,
    unsafe: bool = False,
    config: Config | None = None,
    path: str | None = None,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Apply the safe fixes (and the unsafe ones with ``unsafe=True``) until nothing changes.

        fix("<speak>Tom & Jerry</speak>").text        # '<speak>Tom &amp; Jerry</speak>'
        fix(parse_file("a.ssml")).text                # its own text, fixed
        fix([speak("一"), speak("二")]).text            # the serialized speaks, fixed

    Lints, applies every fix that does not overlap another, and lints again, at most
    ``max_passes`` times. Fixing the result again changes nothing more. A byte-order mark at the
    start is kept. Never raises for bad input: text the linter cannot read is returned unchanged
    with its findings in ``remaining``.

    ``source`` is SSML text, bytes or a model object (see :mod:`ssmlkit.sources`); fixes are edits
    of text, so the result is always a :class:`FixResult` whose ``text`` is the fixed SSML text
    (``parse(result.text)`` gives the fixed document back). A model object is fixed as the text it
    was parsed from, or else as its serialized text (so ``fix(doc)`` equals
    ``fix(serialize(doc))`` for a built ``doc``); one that XML cannot carry raises
    :class:`~ssmlkit.errors.BuildError`, as :func:`~ssmlkit.serialize.serialize` does. Bytes are
    decoded as :func:`~ssmlkit.parse.parse` decodes them (a byte-order mark kept as U+FEFF);
    bytes that cannot be decoded come back as UTF-8 read with replacement characters, unfixed,
    with the findings in ``remaining``. A ``source`` of another type raises :class:`TypeError`.
    """
    from ssmlkit.linter.engine import build_rules, lint

    if not isinstance(source, str):
        source = _fixable_text(source)
        if not isinstance(source, str):  # undecodable bytes: nothing can be fixed
            return FixResult(
                source.decode("utf-8", errors="replace"),
                [],
                lint(source, config=config, path=path),
            )
    text = source
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    current = text[len(bom) :]
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    rules = None
    if config is not None or path is not None:
        from ssmlkit.config import Config as _Config

        rules = build_rules(config or _Config(), path)
    applied: list[Diagnostic] = []
    # The linter drops one leading BOM from str input and reports offsets without it; give it the
    # BOM back, so that a second U+FEFF (text, not a BOM) is not dropped as well and the offsets
    # stay those of ``current``.
    diagnostics = lint(bom + current, config=config, path=path, rules=rules)
    for _ in range(max_passes):
        fixable = [d for d in diagnostics if d.has_fix(*allowed)]  # unsafe lazy fixes unbuilt
        chosen = choose_fixes(fixable)
        if not chosen:
            break
        fixed = apply_fixes(current, chosen)
        if fixed == current:
            break
        applied.extend(chosen)
        current = fixed
        diagnostics = lint(bom + current, config=config, path=path, rules=rules)
    return FixResult(bom + current, applied, diagnostics)


def _fixable_text(source: Source) -> str | bytes:
    """The text ``fix`` edits for a non-``str`` ``source``; bytes that cannot be decoded as they are."""
    given = as_source(source, "fix")
    if isinstance(given, Document):
        return given.source if given.source is not None else serialize(given)
    if isinstance(given, bytes):
        try:
            decoded = decode(given)
        except ParseError:
            return given
        return ("\ufeff" if decoded.bom else "") + decoded.text
    return given
