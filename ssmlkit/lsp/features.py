"""Hover, completion, document symbols and folding ranges over a document's text.

Usage::

    from ssmlkit.lsp.features import complete, fold, hover, symbols
    from ssmlkit.lsp.text import LineIndex
    index = LineIndex(text, "utf-16")
    hover(text, index, offset, findings, max_chars=20000)   # an lsp.Hover or None
    complete(text, index, offset)                            # an lsp.CompletionList
    symbols(text, index)                                     # [lsp.DocumentSymbol]
    fold(text, index)                                        # [lsp.FoldingRange]

Each works on any text, however broken (see :mod:`ssmlkit.lsp.outline`), and answers ``None`` or
an empty list where it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ssmlkit.lsp.dialect import (
    attribute_doc,
    children_of,
    element_doc,
    value_choices,
    voice_doc,
)
from ssmlkit.lsp.findings import RULE_REFERENCE, rule_href, to_range
from ssmlkit.lsp.outline import Element, Outline, context_at, outline
from ssmlkit.profiles import cosyvoice as C

if TYPE_CHECKING:
    from ssmlkit.linter.diagnostic import Diagnostic
    from ssmlkit.lsp.text import LineIndex

__all__ = ["complete", "fold", "hover", "speak_size", "symbols"]


def speak_size(text: str, element: Element) -> int:
    """The counted characters of one ``<speak>`` element, as the service counts them."""
    from ssmlkit.measure import count_text, measure

    end = element.end if element.end >= 0 else len(text)
    piece = text[element.start : end]
    try:
        return measure(piece)
    except Exception:  # a half-written element: count its text, tags left out
        import re

        return count_text(re.sub(r"<[^>]*>?", "", piece[element.tag_end - element.start :]))


def _markdown(value: str) -> lsp.MarkupContent:
    return lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value)


def _rule_hover(found: Diagnostic, base: str) -> str:
    from ssmlkit.linter.docs import rule_description
    from ssmlkit.linter.registry import find_rule

    rule = find_rule(found.code)
    head = (
        f"**{found.code}** `{found.name}` ([reference]({rule_href(found.code, found.name, base)}))"
    )
    if rule is None:
        return f"{head}\n\n{found.message}"
    description = rule_description(rule).replace("``", "`")
    fix = {"safe": "safe fix", "unsafe": "unsafe fix"}.get(rule.fix_safety, "no fix")
    return f"{head}: {rule.summary}\n\n{description}\n\n*{fix}*"


def hover(
    text: str,
    index: LineIndex,
    offset: int,
    findings: Sequence[Diagnostic] = (),
    *,
    max_chars: int = C.MAX_CHARS,
    count_tags: bool = False,
    base: str = RULE_REFERENCE,
) -> lsp.Hover | None:
    """What to show at ``offset``: the rules of findings there, else the dialect's documentation.

    ``max_chars`` and ``count_tags`` are the configuration's: the size shown on a ``<speak>`` is
    counted as the size rule counts it.
    """
    here = [d for d in findings if d.start <= offset <= max(d.end, d.start + 1)]
    if here:
        body = "\n\n---\n\n".join(dict.fromkeys(_rule_hover(d, base) for d in here))
        first = here[0]
        return lsp.Hover(_markdown(body), to_range(index, first.start, first.end))
    tree = outline(text)
    for el in tree.elements:
        if not el.start <= offset < el.tag_end:
            continue
        for attr in el.attributes:
            if (
                attr.name_start <= offset <= attr.value_end
                or attr.name_start <= offset <= attr.name_end
            ):
                doc = attribute_doc(el.name, attr.name)
                if doc is None:
                    return None
                if attr.value and attr.value_start <= offset <= attr.value_end:
                    doc += voice_doc(attr.value) if attr.name == "voice" else ""
                return lsp.Hover(_markdown(doc), to_range(index, attr.name_start, attr.name_end))
        if offset <= el.name_end:
            doc = element_doc(el.name)
            if el.name == "speak":
                doc = (doc or "") + "\n\n" + _size_line(text, tree, el, max_chars, count_tags)
            if doc is None:
                return None
            return lsp.Hover(_markdown(doc), to_range(index, el.start + 1, el.name_end))
        return None
    return None


def _size_line(
    text: str, tree: Outline, el: Element, max_chars: int, count_tags: bool = False
) -> str:
    from ssmlkit.measure import count_text, measure

    if count_tags:  # the older reading: the whole text counts, markup included
        end = el.end if el.end >= 0 else len(text)
        own, total = count_text(text[el.start : end]), count_text(text)
        how = "tags included"
    else:
        own = speak_size(text, el)
        try:
            total = measure(text)  # what the size rule counts: text outside <speak> too
        except Exception:  # not readable as SSML yet: the <speak> elements are what will count
            total = sum(speak_size(text, e) for e in tree.elements if e.name == "speak")
        how = "tags 0"
    verdict = "within" if total <= max_chars else "over"
    return (
        f"**Size:** this `<speak>` counts {own:,} characters; the document {total:,} of "
        f"{max_chars:,} per request ({verdict} the limit; CJK ideographs count 2, {how})."
    )


def _item(
    label: str,
    kind: lsp.CompletionItemKind,
    index: LineIndex,
    start: int,
    end: int,
    insert: str | None = None,
    detail: str | None = None,
    doc: str | None = None,
    snippet: bool = False,
) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        documentation=_markdown(doc) if doc else None,
        text_edit=lsp.TextEdit(
            to_range(index, start, end), insert if insert is not None else label
        ),
        insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None,
        filter_text=label,
    )


def complete(
    text: str, index: LineIndex, offset: int, *, snippets: bool = False
) -> lsp.CompletionList:
    """Completions at ``offset``: element names, closing tags, attribute names and values."""
    offset = max(0, min(offset, len(text)))
    ctx = context_at(text, offset)
    items: list[lsp.CompletionItem] = []
    start = ctx.prefix_start
    if ctx.kind == "tag-name":
        for name in children_of(ctx.parent):
            items.append(
                _item(
                    name, lsp.CompletionItemKind.Class, index, start, offset, doc=element_doc(name)
                )
            )
        if ctx.parent is not None:
            items.append(
                _item(
                    f"/{ctx.parent}>",
                    lsp.CompletionItemKind.Keyword,
                    index,
                    start,
                    offset,
                    detail="closing tag",
                )
            )
    elif ctx.kind == "closing-tag" and ctx.parent is not None:
        end = offset + 1 if text[offset : offset + 1] == ">" else offset
        items.append(
            _item(
                f"{ctx.parent}>",
                lsp.CompletionItemKind.Keyword,
                index,
                start,
                end,
                detail="closing tag",
            )
        )
    elif ctx.kind == "attribute-name" and ctx.element is not None:
        for name in sorted(C.ELEMENT_ATTRIBUTES.get(ctx.element, ())):
            if name in ctx.present:
                continue
            insert = f'{name}="$1"' if snippets else f'{name}=""'
            items.append(
                _item(
                    name,
                    lsp.CompletionItemKind.Property,
                    index,
                    start,
                    offset,
                    insert,
                    detail="required"
                    if name in C.REQUIRED_ATTRIBUTES.get(ctx.element, ())
                    else None,
                    doc=attribute_doc(ctx.element, name),
                    snippet=snippets,
                )
            )
    elif ctx.kind == "attribute-value" and ctx.element is not None and ctx.attribute is not None:
        for value, detail in value_choices(ctx.element, ctx.attribute):
            items.append(
                _item(value, lsp.CompletionItemKind.Value, index, start, offset, detail=detail)
            )
    return lsp.CompletionList(is_incomplete=False, items=items)


def _detail(text: str, el: Element) -> str:
    parts = []
    if el.name == "speak":
        voice = el.attribute("voice")
        if voice is not None and voice.value:
            parts.append(voice.value)
        parts.append(f"{speak_size(text, el):,} chars")
    else:
        for attr in el.attributes[:2]:
            parts.append(f'{attr.name}="{attr.value or ""}"')
    return " · ".join(parts)


def symbols(text: str, index: LineIndex) -> list[lsp.DocumentSymbol]:
    """The document's elements as a tree of symbols; each ``<speak>`` with its voice and size."""
    tree = outline(text)
    made: dict[int, lsp.DocumentSymbol] = {}
    kids: dict[int, list[lsp.DocumentSymbol]] = {}
    roots: list[lsp.DocumentSymbol] = []
    for i, el in enumerate(tree.elements):
        end = el.end if el.end >= 0 else len(text)
        symbol = lsp.DocumentSymbol(
            name=f"<{el.name}>",
            detail=_detail(text, el) or None,
            kind=lsp.SymbolKind.Module if el.name == "speak" else lsp.SymbolKind.Field,
            range=to_range(index, el.start, end),
            selection_range=to_range(index, el.start, max(el.start, el.tag_end)),
            children=kids.setdefault(i, []),
        )
        made[i] = symbol
        if el.parent in made:
            kids[el.parent].append(symbol)
        else:
            roots.append(symbol)
    return roots


def fold(text: str, index: LineIndex) -> list[lsp.FoldingRange]:
    """A folding range per element and per comment that spans more than one line."""
    tree = outline(text)
    out: list[lsp.FoldingRange] = []
    for el in tree.elements:
        end = el.end if el.end >= 0 else len(text)
        first, last = index.line_of(el.start), index.line_of(max(el.start, end - 1))
        if last > first:
            out.append(lsp.FoldingRange(start_line=first, end_line=last))
    for start, end in tree.comments:
        first, last = index.line_of(start), index.line_of(max(start, end - 1))
        if last > first:
            out.append(
                lsp.FoldingRange(start_line=first, end_line=last, kind=lsp.FoldingRangeKind.Comment)
            )
    return out
