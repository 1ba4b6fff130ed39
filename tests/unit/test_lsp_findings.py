"""Findings as LSP diagnostics and the code actions built from them."""

from __future__ import annotations

from lsprotocol import types as lsp

from ssmlkit.linter.api import fix, lint
from ssmlkit.lsp.findings import FIX_ALL_KIND, code_actions, lint_text, rule_href, to_lsp
from ssmlkit.lsp.text import LineIndex

URI = "file:///tmp/doc.ssml"


def _apply(text: str, index: LineIndex, edits: list[lsp.TextEdit]) -> str:
    spans = [
        (
            index.offset(e.range.start.line, e.range.start.character),
            index.offset(e.range.end.line, e.range.end.character),
            e.new_text,
        )
        for e in edits
    ]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _edits(action: lsp.CodeAction) -> list[lsp.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        change = action.edit.document_changes[0]
        assert isinstance(change, lsp.TextDocumentEdit)
        return [e for e in change.edits if isinstance(e, lsp.TextEdit)]
    assert action.edit.changes is not None
    return list(action.edit.changes[URI])


def test_diagnostic_fields():
    text = "<speak>\n  中文😀 & x <break time='20s'/></speak>"
    index = LineIndex(text, "utf-16")
    found = lint(text)
    amp = next(d for d in found if d.code == "XM002")
    diagnostic = to_lsp(amp, index)
    assert diagnostic.source == "ssmlkit"
    assert diagnostic.code == "XM002"
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.range.start == lsp.Position(1, 7)
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == rule_href("XM002", amp.name)
    assert diagnostic.code_description.href.endswith("rules.md#xm002-unescaped-ampersand")
    info = next(
        d
        for d in lint('<speak><soundEvent src="http://example.com/a.wav"/></speak>')
        if d.severity.value == "info"
    )
    assert to_lsp(info, index).severity == lsp.DiagnosticSeverity.Information


def test_quick_fix_is_preferred_and_applies_the_linters_edit():
    text = "<speak>\n  中文 Tom & Jerry</speak>"
    index = LineIndex(text, "utf-16")
    found = lint(text)
    amp = next(d for d in found if d.code == "XM002")
    actions = code_actions(URI, text, found, index, (amp.start, amp.start))
    quick = next(a for a in actions if a.title.startswith("XM002"))
    assert quick.is_preferred
    assert quick.kind == lsp.CodeActionKind.QuickFix
    assert _apply(text, index, _edits(quick)) == text.replace("&", "&amp;")


def test_unsafe_fix_says_so_and_is_not_preferred():
    text = '<speak><prosody rate="2">x</prosody></speak>'
    index = LineIndex(text)
    found = lint(text)
    st = next(d for d in found if d.code == "ST005")
    actions = code_actions(URI, text, found, index, (st.start, st.end))
    unsafe = next(a for a in actions if a.title.startswith("ST005"))
    assert "unsafe" in unsafe.title
    assert not unsafe.is_preferred


def test_disable_for_this_line_silences_exactly_that_finding():
    text = '<speak>\n    <break time="20s"/>\n</speak>\n'
    index = LineIndex(text)
    found = lint(text)
    br = next(d for d in found if d.code == "BR002")
    actions = code_actions(URI, text, found, index, (br.start, br.end), version=3)
    disable = next(a for a in actions if a.title.startswith("Disable BR002"))
    after = _apply(text, index, _edits(disable))
    assert "    <!-- ssmlkit: disable-next-line=BR002 -->\n    <break" in after
    assert [d.code for d in lint(after)] == [d.code for d in found if d.code != "BR002"]


def test_no_disable_action_where_a_comment_cannot_go():
    # the finding's line starts inside a tag that began on the line before
    text = '<speak>\n<break\n time="20s"/></speak>'
    index = LineIndex(text)
    found = lint(text)
    br = next(d for d in found if d.code == "BR002")
    actions = code_actions(URI, text, found, index, (br.start, br.end))
    assert not any(a.title.startswith("Disable") for a in actions)


def test_fix_all_safe_equals_ssmlkit_fix_and_respects_only():
    text = "<speak>\n  A & B > C\n  <break time='1.5s'/></speak>"
    index = LineIndex(text, "utf-8")
    found = lint(text)
    actions = code_actions(URI, text, found, index, (0, 0), only=["source"])
    assert [a.kind for a in actions] == [FIX_ALL_KIND]
    assert _apply(text, index, _edits(actions[0])) == fix(text).text
    assert not code_actions(URI, text, found, index, (0, 0), only=["refactor"])


def test_a_byte_order_mark_kept_in_the_text_does_not_shift_findings_or_fixes():
    text = "\ufeff<speak>a & b</speak>"
    index = LineIndex(text)
    found = lint_text(text)
    amp = next(d for d in found if d.code == "XM002")
    assert text[amp.start : amp.end] == "&"
    assert to_lsp(amp, index).range.start == lsp.Position(0, text.index("&"))
    quick = next(
        a for a in code_actions(URI, text, found, index, (amp.start, amp.start)) if a.is_preferred
    )
    assert _apply(text, index, _edits(quick)) == "\ufeff<speak>a &amp; b</speak>"
