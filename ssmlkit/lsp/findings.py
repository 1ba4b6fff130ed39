"""Lint findings as LSP diagnostics, and the code actions that act on them.

Usage::

    from ssmlkit.lsp.findings import code_actions, to_lsp
    from ssmlkit.lsp.text import LineIndex
    index = LineIndex(text, "utf-16")
    found = ssmlkit.lint(text, config=config, path=path)
    diagnostics = [to_lsp(d, index) for d in found]
    actions = code_actions(uri, text, found, index, first_line, last_line, config, path)

Every diagnostic carries ``source: "ssmlkit"``, the rule code as ``code`` and the rule's entry in
the rule reference as ``codeDescription.href``; its range comes from the finding's offsets, so it
is exact in any position encoding. Code actions: each finding's fix as a quick fix (a safe fix is
*preferred*; an unsafe one says so in its title), ``disable CODE for this line`` (a
``<!-- ssmlkit: disable-next-line=CODE -->`` comment on the line above, indented as that line),
and one ``source.fixAll.ssmlkit`` action applying every safe fix of the file as ``ssmlkit lint
--fix`` would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ssmlkit.lsp.outline import outline
from ssmlkit.severity import Severity

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.linter.diagnostic import Diagnostic, Edit
    from ssmlkit.lsp.text import LineIndex

__all__ = [
    "FIX_ALL_KIND",
    "RULE_REFERENCE",
    "code_actions",
    "lint_text",
    "rule_href",
    "to_lsp",
    "to_range",
]

#: Where the rule reference (``docs/rules.md``) is published; each rule is an anchor in it.
#: Clients may point elsewhere with the initialization option ``ruleReference``.
RULE_REFERENCE = "https://github.com/ssmlkit/ssmlkit/blob/main/docs/rules.md"

#: The kind of the "fix all safe" source action (editors may run it on save).
FIX_ALL_KIND = "source.fixAll.ssmlkit"

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def rule_href(code: str, name: str, base: str = RULE_REFERENCE) -> str:
    """The rule's entry in the reference: ``base#br002-break-time-out-of-range``."""
    return f"{base}#{code.lower()}-{name}"


def to_range(index: LineIndex, start: int, end: int) -> lsp.Range:
    """The LSP range of ``text[start:end]``."""
    a = index.position(start)
    b = index.position(max(start, end))
    return lsp.Range(lsp.Position(*a), lsp.Position(*b))


def to_lsp(found: Diagnostic, index: LineIndex, base: str = RULE_REFERENCE) -> lsp.Diagnostic:
    """One finding as an LSP diagnostic."""
    return lsp.Diagnostic(
        range=to_range(index, found.start, found.end),
        message=found.message,
        severity=_SEVERITY.get(found.severity, lsp.DiagnosticSeverity.Warning),
        code=found.code,
        code_description=lsp.CodeDescription(href=rule_href(found.code, found.name, base)),
        source="ssmlkit",
        data={"name": found.name},
    )


def lint_text(text: str, config: Config | None = None, path: str | None = None) -> list[Diagnostic]:
    """``ssmlkit.lint`` of an editor's text, offsets into that very text.

    The linter reads a leading byte-order mark as encoding, not content, and counts its offsets
    after it; an editor that keeps the mark in the text counts it, so the offsets move by one.
    """
    from ssmlkit.linter.api import lint

    if not text.startswith("\ufeff"):
        return lint(text, config=config, path=path)
    return [_shifted(d, 1) for d in lint(text[1:], config=config, path=path)]


def _shifted(d: Diagnostic, by: int) -> Diagnostic:
    from ssmlkit.linter.diagnostic import Diagnostic, Edit, Fix

    fix = d.fix
    if fix is not None:
        moved = tuple(Edit(e.start + by, e.end + by, e.replacement) for e in fix.edits)
        fix = Fix(fix.description, moved, fix.safety)
    return Diagnostic(
        d.code,
        d.name,
        d.severity,
        d.message,
        d.line,
        d.column,
        d.end_line,
        d.end_column,
        d.start + by,
        d.end + by,
        fix,
        d.path,
    )


def _edits(index: LineIndex, edits: Sequence[Edit]) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(to_range(index, e.start, e.end), e.replacement) for e in edits]


def _workspace_edit(uri: str, version: int | None, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
    if version is None:
        return lsp.WorkspaceEdit(changes={uri: edits})
    document = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return lsp.WorkspaceEdit(
        document_changes=[lsp.TextDocumentEdit(text_document=document, edits=list(edits))]
    )


def _suppression(text: str, index: LineIndex, found: Diagnostic) -> lsp.TextEdit | None:
    """The comment that silences ``found`` on its line; ``None`` where no comment may go.

    The comment goes on a line of its own above the finding's line. That is only possible where
    the line starts outside any tag, comment or declaration, and not before an XML declaration.
    """
    line = index.line_of(found.start)
    start = index.starts[line]
    if text.startswith("<?xml", start) or text.startswith("\ufeff<?xml", start):
        return None
    tree = outline(text[:start])
    if tree.tail not in ("text",):
        return None
    content = text[start : index.line_end(line)]
    indent = content[: len(content) - len(content.lstrip(" \t"))]
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    comment = f"{indent}<!-- ssmlkit: disable-next-line={found.code} -->{newline}"
    position = lsp.Position(line, 0)
    return lsp.TextEdit(lsp.Range(position, position), comment)


def _minimal_edit(index: LineIndex, old: str, new: str) -> lsp.TextEdit:
    """One edit turning ``old`` into ``new``, as small as the common prefix and suffix allow."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return lsp.TextEdit(to_range(index, prefix, len(old) - suffix), new[prefix : len(new) - suffix])


def code_actions(
    uri: str,
    text: str,
    found: Sequence[Diagnostic],
    index: LineIndex,
    selection: tuple[int, int],
    *,
    version: int | None = None,
    config: Config | None = None,
    path: str | None = None,
    base: str = RULE_REFERENCE,
    only: Sequence[str] | None = None,
) -> list[lsp.CodeAction]:
    """The code actions for the findings touching ``selection`` (offsets), and "fix all safe"."""
    a, b = selection
    wanted = list(only) if only else None

    def allowed(kind: str) -> bool:
        return wanted is None or any(kind == w or kind.startswith(w + ".") for w in wanted)

    actions: list[lsp.CodeAction] = []
    here = [d for d in found if (d.start <= b and a <= max(d.end, d.start + 1)) or d.start == a]
    if allowed(lsp.CodeActionKind.QuickFix):
        for d in here:
            diagnostic = to_lsp(d, index, base)
            if d.fix is not None and d.fix.edits:
                unsafe = d.fix.safety == "unsafe"
                title = f"{d.code}: {d.fix.description}" + (" (unsafe fix)" if unsafe else "")
                actions.append(
                    lsp.CodeAction(
                        title=title,
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=not unsafe,
                        edit=_workspace_edit(uri, version, _edits(index, d.fix.edits)),
                    )
                )
        seen: set[tuple[int, str]] = set()
        for d in here:
            key = (index.line_of(d.start), d.code)
            if key in seen:
                continue
            seen.add(key)
            edit = _suppression(text, index, d)
            if edit is None:
                continue
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {d.code} ({d.name}) for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[to_lsp(d, index, base)],
                    edit=_workspace_edit(uri, version, [edit]),
                )
            )
    if allowed(FIX_ALL_KIND) and any(d.has_fix("safe") for d in found):
        from ssmlkit.linter.api import fix

        fixed = fix(text, config=config, path=path)
        if fixed.text != text:
            actions.append(
                lsp.CodeAction(
                    title="ssmlkit: fix all safe problems",
                    kind=FIX_ALL_KIND,
                    edit=_workspace_edit(uri, version, [_minimal_edit(index, text, fixed.text)]),
                )
            )
    return actions
