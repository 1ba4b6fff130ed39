"""The tolerant Python scanner: every SSML text, well-formed or not, with every problem found.

It walks the decoded text once with one regular expression, builds the model with exact spans,
and, instead of stopping at the first syntax error, records every problem it can recover from.
:func:`ssmlkit._scan.scan` uses it for whatever the C fast path declines; it is also the reference
that fast path is tested against (``tests/property/test_cscan_props.py``).
"""

from __future__ import annotations

import re

from ssmlkit._syntax import (
    BARE_AMPERSAND,
    MAX_DEPTH,
    MAX_PROBLEMS,
    LineIndex,
    ScanResult,
    SyntaxProblem,
    doctype_end,
    is_xml_char,
)
from ssmlkit._syntax import new_span as _new_span
from ssmlkit.model import (
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Span,
    Text,
    scanned_element,
)

__all__ = ["NAME", "Scanner", "char_code", "decode_attr", "decode_text"]

# XML names, approximated with \w (letters, digits, underscore in every script) so that the pattern
# compiles in well under a millisecond; lxml confirms exact XML name rules afterwards.
NAME = r"[^\W\d][\w.\-:\u00B7]*"
_ATTR = rf"""\s+{NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*')"""

_TOKEN = re.compile(
    rf"""
    (?P<text>[^<&]+)
  | (?P<ref>&(?:\#[0-9]+|\#x[0-9A-Fa-f]+|{NAME});)
  | (?P<amp>&)
  | (?P<start><(?P<sname>{NAME})(?P<sattrs>(?:{_ATTR})*)\s*(?P<selfclose>/?)>)
  | (?P<end></(?P<ename>{NAME})\s*>)
  | (?P<comment><!--(?P<cbody>.*?)-->)
  | (?P<cdata><!\[CDATA\[(?P<cdbody>.*?)\]\]>)
  | (?P<pi><\?(?P<pitarget>{NAME})(?:\s+(?P<pidata>.*?))?\?>)
  | (?P<lt><)
    """,
    re.S | re.X,
)
# Groups by number (1 name, 3 value): the scanner reads them in its hottest loop.
_ATTR_ITEM = re.compile(rf"""\s+({NAME})\s*=\s*(["'])(.*?)\2""", re.S)
_AMP = re.compile("&")
_REF = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|[^;&<\s#][^;&<\s]*);")
# The complement of XML's Char production, spelled as the few ranges it excludes: the negated form
# ([^\t\n\r\x20-\ud7ff...]) means the same but takes ~20 ms to compile at import.
_INVALID_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_WS = re.compile(r"\r\n|[\r\n\t]")

PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def char_code(body: str) -> int:
    """The code point a character reference's body (``#65``, ``#x41``) names; -1 when it is none.

    Never raises: ``#x``, ``#=`` and a reference with thousands of digits (``int()`` refuses
    more than 4,300) are simply not characters.
    """
    hex_ = body[1:2] == "x"
    digits = (body[2:] if hex_ else body[1:]).lstrip("0") or "0"
    if (
        not (digits.isascii() and (digits.isalnum() if hex_ else digits.isdigit()))
        or len(digits) > 8
    ):
        return -1
    try:
        return int(digits, 16 if hex_ else 10)
    except ValueError:
        return -1


def decode_text(raw: str) -> str:
    """Character data as XML reads it: line ends normalised, references replaced."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = _REF.sub(_expand, raw)
    return raw


def decode_attr(raw: str) -> str:
    """An attribute value as XML reads it: literal white space becomes a space, refs replaced."""
    if "\r" in raw or "\n" in raw or "\t" in raw:
        raw = _ATTR_WS.sub(" ", raw)
    if "&" in raw:
        raw = _REF.sub(_expand, raw)
    return raw


def _expand(match: re.Match[str]) -> str:
    body = match.group(1)
    if body[0] == "#":
        code = char_code(body)
        return chr(code) if is_xml_char(code) else match.group(0)
    return PREDEFINED.get(body, match.group(0))


class _Frame:
    __slots__ = ("attr_spans", "attrs", "children", "name", "start", "start_tag", "value_spans")

    def __init__(
        self,
        name: str,
        start: int,
        start_tag: Span | None,
        attrs: tuple[tuple[str, str], ...],
        attr_spans: tuple[Span, ...],
        value_spans: tuple[Span, ...],
    ) -> None:
        self.name = name
        self.start = start
        self.start_tag = start_tag
        self.attrs = attrs
        self.attr_spans = attr_spans
        self.value_spans = value_spans
        self.children: list[Node] = []


def _make_element(frame: _Frame, span: Span, end_tag: Span | None) -> Element:
    # Hot: one call per element. The frame's parts are already what the model holds (tuples,
    # and flush_text never leaves two text children side by side or an empty one), so they go
    # to the scanners' factory as they are; tests/unit/test_scan_elements.py checks the result
    # equals what the public constructors build.
    return scanned_element(
        frame.name,
        frame.attrs,
        tuple(frame.children),
        span,
        frame.start_tag,
        end_tag,
        frame.attr_spans,
        frame.value_spans,
    )


class Scanner:
    """One scan of one text: ``Scanner(text, body_start).run()``."""

    def __init__(self, text: str, body_start: int) -> None:
        self.text = text
        self.body_start = body_start
        self.index = LineIndex(text)
        # Most SSML is one line: spans are then built inline, without the line look-ups.
        self.one_line = len(self.index._starts) == 1
        self.problems: list[SyntaxProblem] = []
        self.prefixes: set[str] = set()
        self.root = _Frame("", 0, None, (), (), ())
        self.stack: list[_Frame] = [self.root]
        self.text_start = -1
        self.text_parts: list[str] = []
        self.seen_dtd = False
        self.stopped = False  # too deep, or too many problems: the rest is not read

    # -- helpers -------------------------------------------------------------------------------
    def problem(self, kind: str, message: str, start: int, end: int | None = None) -> None:
        if self.stopped:
            return
        line, column = self.index.position(start)
        if len(self.problems) >= MAX_PROBLEMS:
            self.stopped = True
            kind = "too-many-problems"
            message = (
                f"more than {MAX_PROBLEMS} syntax problems; the rest of the input was not read"
            )
        self.problems.append(
            SyntaxProblem(kind, message, start, start + 1 if end is None else end, line, column)
        )

    def add_text(self, start: int, value: str) -> None:
        if self.text_start < 0:
            self.text_start = start
        self.text_parts.append(value)

    def flush_text(self, end: int) -> None:
        if self.text_start >= 0:
            parts = self.text_parts
            value = parts[0] if len(parts) == 1 else "".join(parts)
            if value:
                children = self.stack[-1].children
                start = self.text_start
                span = (
                    _new_span((start, end, 1, start + 1, 1, end + 1))
                    if self.one_line
                    else self.index.span(start, end)
                )
                prev = children[-1] if children else None
                if type(prev) is Text:
                    # Text right after text (a stray end tag between them): merge them here, as
                    # the model would, so that elements never need to.
                    p = prev.span
                    merged = (
                        None
                        if p is None
                        else _new_span(
                            (p.start, span.end, p.line, p.column, span.end_line, span.end_column)
                        )
                    )
                    children[-1] = Text(prev.value + value, merged)
                else:
                    children.append(Text(value, span))
            self.text_start = -1
            self.text_parts = []

    def note_prefix(self, name: str) -> None:
        if ":" in name:
            prefix = name.split(":", 1)[0]
            if prefix not in ("xml", "xmlns"):
                self.prefixes.add(prefix)

    # -- tokens --------------------------------------------------------------------------------
    def run(self, encoding: str | None = None, declared_encoding: str | None = None) -> ScanResult:
        text = self.text
        for bad in _INVALID_CHAR.finditer(text):
            if self.stopped:
                break
            code = ord(bad.group())
            self.problem(
                "invalid-char",
                f"character U+{code:04X} is not allowed in XML; remove it",
                bad.start(),
            )
        pos = self.body_start
        end = len(text)
        token = _TOKEN
        while pos < end and not self.stopped:
            m = token.match(text, pos)
            assert m is not None  # the last alternative matches any '<'
            kind = m.lastgroup
            start, pos = m.span()
            if kind == "text":  # the commonest token: add_text inlined; it holds no '&'
                value = m.group()
                if "\r" in value:
                    value = decode_text(value)
                if self.text_start < 0:
                    self.text_start = start
                self.text_parts.append(value)
            elif kind == "ref":
                self.reference(m)
            elif kind == "start":
                if self.text_start >= 0:  # (flush_text's own test, saving the call)
                    self.flush_text(start)
                self.start_tag(m)
            elif kind == "end":
                if self.text_start >= 0:
                    self.flush_text(start)
                self.end_tag(m.group("ename"), start, pos)
            elif kind == "comment":
                self.flush_text(start)
                body = m.group("cbody")
                if "--" in body or body.endswith("-"):
                    at = start + 4 + (body.find("--") if "--" in body else len(body) - 1)
                    self.problem("comment-dashes", "'--' is not allowed inside a comment", at)
                self.stack[-1].children.append(
                    Comment(decode_text_lines(body), self.index.span(start, pos))
                )
            elif kind == "cdata":
                self.add_text(start, decode_text_lines(m.group("cdbody")))
            elif kind == "pi":
                self.flush_text(start)
                self.processing_instruction(m, start, pos)
            elif kind == "amp":
                self.problem("bare-ampersand", BARE_AMPERSAND, start)
                self.add_text(start, "&")
            else:  # lt
                pos = self.bad_markup(start)
        self.flush_text(end)
        while len(self.stack) > 1:
            frame = self.stack.pop()
            line, column = self.index.position(frame.start)
            if self.stopped:  # the scan stopped early: its open elements are not errors
                element = _make_element(frame, self.index.span(frame.start, end), None)
                self.stack[-1].children.append(element)
                continue
            self.problem(
                "unclosed-tag",
                f"<{frame.name}> opened at {line}:{column} is never closed; add </{frame.name}>",
                frame.start,
                frame.start_tag.end if frame.start_tag else frame.start + 1,
            )
            element = _make_element(frame, self.index.span(frame.start, end), None)
            self.stack[-1].children.append(element)
        document = Document(tuple(self.root.children), self.text, encoding, declared_encoding)
        return ScanResult(document, tuple(self.problems), frozenset(self.prefixes))

    def reference(self, m: re.Match[str]) -> None:
        raw = m.group()
        body = raw[1:-1]
        if body[0] == "#":
            code = char_code(body)
            if not is_xml_char(code):
                self.problem(
                    "bad-char-ref",
                    f"{raw} names a character XML does not allow",
                    m.start(),
                    m.end(),
                )
                return
            self.add_text(m.start(), chr(code))
            return
        value = PREDEFINED.get(body)
        if value is None:
            self.problem(
                "undefined-entity",
                f"undefined entity {raw}: only &amp; &lt; &gt; &quot; &apos; and "
                "numeric references (&#160;) are allowed; DTDs are not",
                m.start(),
                m.end(),
            )
            self.add_text(m.start(), raw)
            return
        self.add_text(m.start(), value)

    def parse_attrs(
        self, raw: str, offset: int, element: str
    ) -> tuple[tuple[tuple[str, str], ...], tuple[Span, ...], tuple[Span, ...]]:
        if not raw:
            return (), (), ()
        if self.one_line and not (
            "&" in raw or ":" in raw or "\r" in raw or "\n" in raw or "\t" in raw
        ):
            return self.parse_plain_attrs(raw, offset, element)
        attrs: list[tuple[str, str]] = []
        spans: list[Span] = []
        values: list[Span] = []
        seen: list[str] = []  # a handful of names: a list beats a set
        span = self.index.span
        one_line = self.one_line
        for a in _ATTR_ITEM.finditer(raw):
            name, raw_value = a.group(1, 3)
            a_start = offset + a.start(1)
            if name in seen:
                self.problem(
                    "duplicate-attribute",
                    f"attribute '{name}' appears twice on <{element}>",
                    a_start,
                    a_start + len(name),
                )
                continue
            seen.append(name)
            if ":" in name:
                self.note_prefix(name)
            v_start, v_end = a.span(3)
            for ref in _AMP.finditer(raw_value) if "&" in raw_value else ():
                rm = _REF.match(raw_value, ref.start())
                at = offset + v_start + ref.start()
                if rm is None:
                    self.problem(
                        "bare-ampersand",
                        f"unescaped '&' in attribute '{name}'; write &amp;",
                        at,
                    )
                elif rm.group(1)[0] != "#" and rm.group(1) not in PREDEFINED:
                    self.problem(
                        "undefined-entity",
                        f"undefined entity {rm.group()} in attribute '{name}'",
                        at,
                        at + len(rm.group()),
                    )
            if "&" in raw_value or "\r" in raw_value or "\n" in raw_value or "\t" in raw_value:
                raw_value = decode_attr(raw_value)
            attrs.append((name, raw_value))
            a_end = offset + a.end()
            v_start += offset
            v_end += offset
            if one_line:
                spans.append(_new_span((a_start, a_end, 1, a_start + 1, 1, a_end + 1)))
                values.append(_new_span((v_start, v_end, 1, v_start + 1, 1, v_end + 1)))
            else:
                spans.append(span(a_start, a_end))
                values.append(span(v_start, v_end))
        return tuple(attrs), tuple(spans), tuple(values)

    def parse_plain_attrs(
        self, raw: str, offset: int, element: str
    ) -> tuple[tuple[tuple[str, str], ...], tuple[Span, ...], tuple[Span, ...]]:
        """:meth:`parse_attrs` for the usual case: one line, no reference, prefix, tab or break.

        Nothing to decode or note then; only duplicates remain to be checked.
        """
        attrs: list[tuple[str, str]] = []
        spans: list[Span] = []
        values: list[Span] = []
        for a in _ATTR_ITEM.finditer(raw):
            pair: tuple[str, str] = a.group(1, 3)  # type: ignore[assignment]
            name_start, v_start = a.start(1) + offset, a.start(3) + offset
            if attrs and any(pair[0] == other for other, _ in attrs):
                self.problem(
                    "duplicate-attribute",
                    f"attribute '{pair[0]}' appears twice on <{element}>",
                    name_start,
                    name_start + len(pair[0]),
                )
                continue
            attrs.append(pair)
            a_end = a.end() + offset
            v_end = a_end - 1
            spans.append(_new_span((name_start, a_end, 1, name_start + 1, 1, a_end + 1)))
            values.append(_new_span((v_start, v_end, 1, v_start + 1, 1, v_end + 1)))
        return tuple(attrs), tuple(spans), tuple(values)

    def start_tag(self, m: re.Match[str]) -> None:
        name, raw_attrs, selfclose = m.group("sname", "sattrs", "selfclose")
        start, end = m.span()
        if ":" in name:
            self.note_prefix(name)
        if raw_attrs:
            attrs, spans, values = self.parse_attrs(raw_attrs, m.start("sattrs"), name)
        else:
            attrs = spans = values = ()
        tag_span = (
            _new_span((start, end, 1, start + 1, 1, end + 1))
            if self.one_line
            else self.index.span(start, end)
        )
        if selfclose:  # open_element's common cases, inlined
            frame = _Frame(name, start, tag_span, attrs, spans, values)
            self.stack[-1].children.append(_make_element(frame, tag_span, None))
        elif len(self.stack) <= MAX_DEPTH:
            self.stack.append(_Frame(name, start, tag_span, attrs, spans, values))
        else:
            self.open_element(name, start, end, tag_span, attrs, spans, values, False)

    def open_element(
        self,
        name: str,
        start: int,
        end: int,
        tag_span: Span,
        attrs: tuple[tuple[str, str], ...],
        spans: tuple[Span, ...],
        values: tuple[Span, ...],
        self_closing: bool,
    ) -> None:
        frame = _Frame(name, start, tag_span, attrs, spans, values)
        if not self_closing and len(self.stack) > MAX_DEPTH:
            self.problem(
                "too-deep",
                f"<{name}> is nested more than {MAX_DEPTH} elements deep; the rest of the input "
                "was not read (SSML needs only a few levels)",
                start,
                end,
            )
            self.stopped = True
            return
        if self_closing:
            self.stack[-1].children.append(_make_element(frame, tag_span, None))
        else:
            self.stack.append(frame)

    def end_tag(self, name: str, start: int, end: int) -> None:
        stack = self.stack
        if len(stack) > 1 and stack[-1].name == name:  # the usual case: it closes the open one
            frame = stack.pop()
            f_start = frame.start
            if self.one_line:
                whole = _new_span((f_start, end, 1, f_start + 1, 1, end + 1))
                tag = _new_span((start, end, 1, start + 1, 1, end + 1))
            else:
                span = self.index.span
                whole, tag = span(f_start, end), span(start, end)
            stack[-1].children.append(_make_element(frame, whole, tag))
            return
        names = [f.name for f in self.stack[1:]]
        if name not in names:
            self.problem(
                "stray-end-tag",
                f"</{name}> closes nothing"
                + (f" (the open element is <{names[-1]}>)" if names else "")
                + "; remove it",
                start,
                end,
            )
            return
        while True:
            frame = self.stack.pop()
            if frame.name == name:
                element = _make_element(
                    frame, self.index.span(frame.start, end), self.index.span(start, end)
                )
                self.stack[-1].children.append(element)
                return
            line, column = self.index.position(frame.start)
            self.problem(
                "mismatched-tag",
                f"</{name}> found where </{frame.name}> was expected "
                f"(<{frame.name}> opened at {line}:{column})",
                start,
                end,
            )
            element = _make_element(frame, self.index.span(frame.start, start), None)
            self.stack[-1].children.append(element)

    def processing_instruction(self, m: re.Match[str], start: int, end: int) -> None:
        target = m.group("pitarget")
        if target.lower() == "xml":
            self.problem(
                "misplaced-declaration",
                "the XML declaration <?xml ...?> may only stand at the very start of the input",
                start,
                end,
            )
            return
        data = m.group("pidata") or ""
        self.stack[-1].children.append(
            ProcessingInstruction(target, decode_text_lines(data), self.index.span(start, end))
        )

    def bad_markup(self, start: int) -> int:
        """Diagnose a '<' that starts no valid markup; return where scanning resumes."""
        text = self.text
        rest = text[start : start + 12]
        if rest.startswith("<!DOCTYPE") or rest.startswith("<!doctype"):
            self.flush_text(start)
            stop = doctype_end(text, start)
            self.problem(
                "dtd",
                "a <!DOCTYPE> declaration is not allowed: DTDs and entity declarations are "
                "refused (never expanded); remove it",
                start,
                stop,
            )
            self.seen_dtd = True
            return stop
        if (
            rest.startswith("<!ENTITY")
            or rest.startswith("<!ELEMENT")
            or rest.startswith("<!ATTLIST")
        ):
            self.flush_text(start)
            stop = text.find(">", start)
            stop = len(text) if stop < 0 else stop + 1
            self.problem("dtd", "DTD declarations are not allowed; remove it", start, stop)
            return stop
        if rest.startswith("<!--"):
            self.flush_text(start)
            self.problem("unclosed-comment", "comment is never closed; add -->", start, start + 4)
            return len(text)
        if rest.startswith("<![CDATA["):
            self.problem(
                "unclosed-cdata", "CDATA section is never closed; add ]]>", start, start + 9
            )
            return len(text)
        if rest.startswith("<?"):
            stop = text.find("?>", start)
            self.problem("malformed-pi", "malformed processing instruction", start, start + 2)
            return len(text) if stop < 0 else stop + 2
        if rest.startswith("</"):
            stop = text.find(">", start)
            nm = re.match(NAME, text[start + 2 :])
            self.flush_text(start)
            if nm is None:
                self.problem(
                    "malformed-tag", "malformed end tag: expected a name after '</'", start
                )
                return start + 2
            self.problem(
                "malformed-tag",
                f"malformed end tag </{nm.group()}: expected '>'",
                start,
                start + 2 + nm.end(),
            )
            if stop >= 0 and "<" not in text[start + 1 : stop]:
                self.end_tag(nm.group(), start, stop + 1)
                return stop + 1
            return start + 2 + nm.end()
        nm = re.match(NAME, text[start + 1 : start + 1 + 256])
        if nm is None:
            self.problem("bare-lt", "unescaped '<'; write &lt;", start)
            self.add_text(start, "<")
            return start + 1
        return self.salvage_start_tag(start, nm.group())

    def salvage_start_tag(self, start: int, name: str) -> int:
        """A start tag whose attributes are malformed: say where, keep what can be read."""
        text = self.text
        pos = start + 1 + len(name)
        attrs_end = pos
        good = re.compile(rf"(?:{_ATTR})*").match(text, pos)
        if good is not None:
            attrs_end = good.end()
        close = re.compile(r"\s*(/?)>").match(text, attrs_end)
        self.flush_text(start)
        if close is not None:  # pragma: no cover - the main pattern would have matched
            return attrs_end
        at = attrs_end
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        snippet = text[at : at + 20]
        if at >= len(text):
            reason = f"<{name}> tag is cut off by the end of the input"
        elif snippet.startswith("<"):
            reason = f"<{name}> tag is not closed with '>' before the next '<'"
        else:
            am = re.match(rf"({NAME})(\s*=\s*)?(.?)", snippet)
            if am is None:
                reason = f"unexpected {snippet[:1]!r} in <{name}> tag"
            elif not am.group(2):
                reason = f"attribute '{am.group(1)}' of <{name}> has no value; write {am.group(1)}=\"...\""
            else:
                reason = (
                    f"value of attribute '{am.group(1)}' of <{name}> must be quoted "
                    f"(\"...\" or '...') and may not contain '<'"
                )
        self.problem("malformed-tag", reason, at)
        attrs, spans, values = self.parse_attrs(text[pos:attrs_end], pos, name)
        # Resume after this tag's '>' when one comes before the next '<'.
        gt = text.find(">", at)
        lt = text.find("<", at)
        if gt >= 0 and (lt < 0 or gt < lt):
            self.note_prefix(name)
            self_closing = text[gt - 1] == "/"
            tag_span = self.index.span(start, gt + 1)
            self.open_element(name, start, gt + 1, tag_span, attrs, spans, values, self_closing)
            return gt + 1
        return at if lt < 0 else lt


def decode_text_lines(raw: str) -> str:
    """Normalise line ends only (comments, CDATA and PIs hold no references)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw
