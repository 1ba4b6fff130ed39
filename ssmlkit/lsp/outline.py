"""A forgiving reading of SSML being typed: elements, attributes and what the cursor is in.

Usage::

    from ssmlkit.lsp.outline import context_at, outline
    tree = outline('<speak voice="x">hi <break time="1s"/></speak>')
    [(e.name, e.start, e.end) for e in tree.elements]    # [('speak', 0, 46), ('break', 20, 38)]
    context_at('<speak><bre', 11).kind                   # 'tag-name'

The parser (:mod:`ssmlkit.parse`) refuses what is not well-formed, and the linter reports that;
an editor needs more: the shape of a document that is half typed. This reader never fails. It
takes every ``<name ...>`` as a start tag, closes elements at the matching end tag (and with them
any left open inside), and treats what is unterminated at the end of the text as still going,
which is what the cursor's context needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Attribute", "Context", "Element", "Outline", "context_at", "outline"]

_NAME = re.compile(r"[A-Za-z_:][\w.:-]*")
_SPACE = re.compile(r"\s*")
_ATTR_NAME = re.compile(r"[^\s=/>\"'<]+")


@dataclass
class Attribute:
    """One attribute as written: name and value with their offsets (value ``None``: none yet)."""

    name: str
    name_start: int
    name_end: int
    value: str | None = None
    value_start: int = -1
    value_end: int = -1
    closed: bool = True


@dataclass
class Element:
    """One element: ``start``..``tag_end`` is its start tag, ``start``..``end`` all of it.

    ``end`` is ``-1`` while the element is not closed; ``parent`` indexes :attr:`Outline.elements`.
    """

    name: str
    start: int
    name_end: int
    tag_end: int
    end: int = -1
    parent: int = -1
    attributes: list[Attribute] = field(default_factory=list)
    empty: bool = False
    close_start: int = -1

    def attribute(self, name: str) -> Attribute | None:
        """The attribute called ``name``, if written."""
        return next((a for a in self.attributes if a.name == name), None)


@dataclass
class Outline:
    """Every element and comment of a text, and the state it ends in.

    ``open`` lists the elements still open at the end (innermost last); ``tail`` is what the
    text ends inside of: ``"text"``, ``"comment"``, ``"markup"`` (a declaration or CDATA),
    ``"closing-tag"`` or ``"start-tag"`` (then ``tail_element`` is the element being written).
    """

    elements: list[Element] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)
    open: list[int] = field(default_factory=list)
    tail: str = "text"
    tail_element: int = -1
    tail_start: int = 0


def _start_tag(text: str, at: int, tree: Outline) -> int:
    """Read the start tag at ``text[at] == '<'``; return where reading goes on."""
    m = _NAME.match(text, at + 1)
    assert m is not None
    el = Element(m.group(), at, m.end(), -1, parent=tree.open[-1] if tree.open else -1)
    index = len(tree.elements)
    tree.elements.append(el)
    i = m.end()
    n = len(text)
    while True:
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        if i >= n:
            break
        ch = text[i]
        if ch == ">":
            el.tag_end = i + 1
            tree.open.append(index)
            return i + 1
        if text.startswith("/>", i):
            el.tag_end = i + 2
            el.empty = True
            el.end = i + 2
            return i + 2
        if ch == "<":
            # an unterminated tag: XML forbids '<' inside it, so the next markup starts here
            el.tag_end = i
            tree.open.append(index)
            return i
        am = _ATTR_NAME.match(text, i)
        if am is None:  # a stray '=', quote or '/'
            i += 1
            continue
        attr = Attribute(am.group(), am.start(), am.end())
        el.attributes.append(attr)
        i = _SPACE.match(text, am.end()).end()  # type: ignore[union-attr]
        if i < n and text[i] == "=":
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if i < n and text[i] in "\"'":
                quote = text[i]
                close = text.find(quote, i + 1)
                lt = text.find("<", i + 1)
                if close < 0 or (0 <= lt < close):
                    stop = lt if lt >= 0 else n
                    attr.value, attr.value_start, attr.value_end = text[i + 1 : stop], i + 1, stop
                    attr.closed = False
                    i = stop
                    if stop >= n:
                        break
                    continue
                attr.value, attr.value_start, attr.value_end = text[i + 1 : close], i + 1, close
                i = close + 1
            elif i < n:
                vm = _ATTR_NAME.match(text, i)
                if vm is not None:  # unquoted: kept so that the cursor in it still has a context
                    attr.value, attr.value_start, attr.value_end = vm.group(), vm.start(), vm.end()
                    i = vm.end()
    el.tag_end = n
    tree.tail, tree.tail_element, tree.tail_start = "start-tag", index, at
    return n


def _end_tag(text: str, at: int, tree: Outline) -> int:
    m = _NAME.match(text, at + 2)
    name = m.group() if m else ""
    gt = text.find(">", at + 2)
    lt = text.find("<", at + 2)
    if gt < 0 or (0 <= lt < gt):
        stop = lt if lt >= 0 else len(text)
        if stop >= len(text):
            # still being typed: the element it will close stays open for the cursor's context
            tree.tail, tree.tail_start = "closing-tag", at
            return stop
        end = stop
    else:
        end = gt + 1
    for depth in range(len(tree.open) - 1, -1, -1):
        if tree.elements[tree.open[depth]].name == name:
            for index in tree.open[depth:]:
                tree.elements[index].end = end
            tree.elements[tree.open[depth]].close_start = at
            del tree.open[depth:]
            break
    return end


def _until(text: str, at: int, token: str, tree: Outline, kind: str) -> int:
    close = text.find(token, at)
    if close < 0:
        tree.tail, tree.tail_start = kind, at
        if kind == "comment":
            tree.comments.append((at, len(text)))
        return len(text)
    if kind == "comment":
        tree.comments.append((at, close + len(token)))
    return close + len(token)


def outline(text: str) -> Outline:
    """Read ``text`` forgivingly: never raises, whatever the text."""
    tree = Outline()
    i = 0
    n = len(text)
    while True:
        lt = text.find("<", i)
        if lt < 0:
            break
        tree.tail, tree.tail_element, tree.tail_start = "text", -1, lt
        if text.startswith("<!--", lt):
            i = _until(text, lt + 4, "-->", tree, "comment")
            if tree.tail == "comment":
                tree.tail_start = lt
        elif text.startswith("<![CDATA[", lt):
            i = _until(text, lt + 9, "]]>", tree, "markup")
        elif text.startswith("<?", lt):
            i = _until(text, lt + 2, "?>", tree, "markup")
        elif text.startswith("<!", lt):
            i = _until(text, lt + 2, ">", tree, "markup")
        elif text.startswith("</", lt):
            i = _end_tag(text, lt, tree)
        elif _NAME.match(text, lt + 1):
            i = _start_tag(text, lt, tree)
        elif lt + 1 >= n:
            tree.tail, tree.tail_start = "tag-name", lt
            i = n
        else:
            i = lt + 1
        if i >= n:
            break
    if tree.tail == "text":
        tree.tail_start = n
    return tree


@dataclass
class Context:
    """What the cursor is in, for completion.

    ``kind`` is ``"text"``, ``"tag-name"`` (after ``<``), ``"closing-tag"`` (after ``</``),
    ``"attribute-name"``, ``"attribute-value"``, or ``"none"`` (a comment, a declaration).
    ``parent`` is the innermost open element's name (``None`` at the top level), ``element`` the
    element whose tag the cursor is in, ``attribute`` the attribute whose value it is in, ``prefix``
    what is already typed of the word completed, starting at ``prefix_start``.
    """

    kind: str
    parent: str | None = None
    element: str | None = None
    attribute: str | None = None
    prefix: str = ""
    prefix_start: int = 0
    present: tuple[str, ...] = ()
    open: tuple[str, ...] = ()


def context_at(text: str, offset: int) -> Context:
    """The completion context at ``offset`` of ``text`` (clamped into it)."""
    offset = max(0, min(offset, len(text)))
    before = text[:offset]
    tree = outline(before)
    names = tuple(tree.elements[i].name for i in tree.open)
    tail = tree.tail
    if tail == "start-tag":
        el = tree.elements[tree.tail_element]
        parent_names = tuple(tree.elements[i].name for i in tree.open)
        parent = parent_names[-1] if parent_names else None
        if offset <= el.name_end:
            return Context("tag-name", parent, None, None, el.name, el.start + 1, (), parent_names)
        present = tuple(a.name for a in el.attributes)
        last = el.attributes[-1] if el.attributes else None
        if last is not None and last.value is not None and not last.closed:
            return Context(
                "attribute-value",
                parent,
                el.name,
                last.name,
                last.value,
                last.value_start,
                present,
                parent_names,
            )
        if last is not None and last.name_end == offset and last.value is None:
            return Context(
                "attribute-name",
                parent,
                el.name,
                None,
                last.name,
                last.name_start,
                present[:-1],
                parent_names,
            )
        if before[-1:].isspace() or offset == el.name_end:
            return Context(
                "attribute-name", parent, el.name, None, "", offset, present, parent_names
            )
        return Context("none", open=names)
    if tail == "closing-tag":
        typed = before[tree.tail_start + 2 :]
        return Context(
            "closing-tag",
            names[-1] if names else None,
            None,
            None,
            typed,
            tree.tail_start + 2,
            (),
            names,
        )
    if tail == "tag-name":
        return Context("tag-name", names[-1] if names else None, None, None, "", offset, (), names)
    if tail in ("comment", "markup"):
        return Context("none", open=names)
    return Context("text", names[-1] if names else None, open=names, prefix_start=offset)
