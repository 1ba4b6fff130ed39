"""Parse SSML text or bytes into a :class:`~ssmlkit.model.Document` with exact positions.

    >>> doc = parse('<speak>你好<break time="500ms"/></speak>')
    >>> doc.speaks[0].children[1].span.column
    10

Hardened: input over ``max_bytes`` is refused before it is decoded or parsed; a ``<!DOCTYPE>`` or
entity declaration is a :class:`~ssmlkit.errors.ParseError` at its position and is never expanded;
lxml runs with entity resolution, DTD loading and network access off. Several sibling ``<speak>``
elements and text outside them are accepted (the dialect allows the first; the linter reports the
second). Bytes are UTF-8 unless a BOM or the XML declaration says otherwise.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ssmlkit._records import Record, record, setfield
from ssmlkit._scan import LineIndex, ScanResult, SyntaxProblem, scan
from ssmlkit.errors import InputError, InputTooLargeError, ParseError
from ssmlkit.model import Document

if TYPE_CHECKING:
    from lxml import etree

# lxml is imported where it is used, not here: a document the C fast path took needs no lxml
# check, and ``import lxml.etree`` is 10-15 ms of every ``ssmlkit lint`` start-up.

__all__ = ["DEFAULT_MAX_BYTES", "Decoded", "decode", "parse", "parse_file", "scan_source"]

#: The default input cap: 10 MB.
DEFAULT_MAX_BYTES = 10_000_000

_DECL = re.compile(r"""<\?xml(?P<attrs>(?:\s+[A-Za-z]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\?>""")
_DECL_ENCODING = re.compile(r"""\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WRAPPER = "ssmlkit-document-root"


@record
class Decoded(Record):
    """Input decoded to text: ``encoding`` used, ``declared`` by the XML declaration (or None),
    ``bom`` whether a byte-order mark was present, ``body_start`` the offset after the declaration.

    (A :class:`~ssmlkit._records.Record`: a generated dataclass costs a millisecond of start-up.)
    """

    text: str
    encoding: str
    declared: str | None
    bom: bool
    body_start: int

    def __init__(
        self, text: str, encoding: str, declared: str | None, bom: bool, body_start: int
    ) -> None:
        setfield(self, "text", text)
        setfield(self, "encoding", encoding)
        setfield(self, "declared", declared)
        setfield(self, "bom", bom)
        setfield(self, "body_start", body_start)


def _check_size(size: int, max_bytes: int, path: str | None) -> None:
    if size > max_bytes:
        raise InputTooLargeError(size, max_bytes, path)


def decode(source: str | bytes, *, path: str | None = None) -> Decoded:
    """Decode ``source`` to text the way an XML parser would, without parsing it.

    Raises :class:`ParseError` for bytes that are not valid in the chosen encoding (pointing at the
    first bad byte's line and column) and for an unknown declared encoding.
    """
    declared: str | None
    if isinstance(source, str):
        has_bom = source.startswith("\ufeff")
        text = source[1:] if has_bom else source
        declared, body_start = _declaration(text)
        return Decoded(text, "utf-8", declared, has_bom, body_start)
    data = bytes(source)
    encoding = "utf-8"
    bom = False
    declared = None
    # The usual document starts with '<' and no declaration: no byte-order mark (none starts
    # with '<') and nothing declared, so UTF-8 without looking further.
    plain = data[:1] == b"<" and data[1:2] != b"?"
    for mark, name in () if plain else _BOMS:
        if data.startswith(mark):
            data = data[len(mark) :]
            encoding = name
            bom = True
            break
    if not plain and (not bom or encoding == "utf-8"):
        head = data[:200].decode("latin-1")
        declared = _declared_encoding(head)
        if declared is not None:
            m = _DECL_ENCODING.search(head)
            at = m.start(1 if m.group(1) is not None else 2) if m else 0

            def refuse(reason: str) -> ParseError:
                return ParseError(
                    reason, line=1, column=at + 1, offset=at, path=path, code="encoding"
                )

            try:
                named = codecs.lookup(declared).name
            except LookupError:
                raise refuse(
                    f"unknown encoding {declared!r} in the XML declaration; use UTF-8"
                ) from None
            if bom and named != "utf-8":
                raise refuse(
                    f"the byte-order mark says UTF-8 but the XML declaration says {declared!r}; "
                    'declare encoding="UTF-8"'
                )
            if not bom:
                encoding = named
                _check_declared(data, declared, named, refuse)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode(encoding, errors="replace")
        index = LineIndex(good + "x")
        line, column = index.position(len(good))
        raise ParseError(
            f"byte 0x{data[exc.start]:02X} is not valid {encoding.upper()}"
            + ("" if declared else " (no encoding is declared, so UTF-8 is assumed)"),
            line=line,
            column=column,
            offset=len(good),
            path=path,
            code="encoding",
        ) from exc
    if bom and encoding != "utf-8":
        declared = _declared_encoding(text)
        if declared is not None:
            _check_bom_declaration(text, encoding, declared, path)
    return Decoded(text, encoding, declared, bom, 0 if plain else _declaration(text)[1])


def _check_declared(
    data: bytes, declared: str, named: str, refuse: Callable[[str], ParseError]
) -> None:
    """Refuse a declaration the bytes contradict, instead of decoding them into mojibake."""
    if named == "utf-8":
        return
    # The declaration was read as single bytes, so the encoding must read it back the same way:
    # a "UTF-16" (or EBCDIC) declaration written in ASCII is a lie about the whole file.
    if not data.decode(named, errors="replace").startswith("<?xml"):
        raise refuse(
            f"the XML declaration says {declared!r}, but it is itself written in single bytes, "
            f'so the file is not {declared}; save it as UTF-8 and declare encoding="UTF-8"'
        )
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return
        # Valid multi-byte UTF-8 is practically never a legacy encoding's text by accident.
        raise refuse(
            f"the XML declaration says {declared!r}, but the bytes are UTF-8; "
            'declare encoding="UTF-8" (or nothing)'
        )


_BOM_FAMILY = {
    "utf-16-le": "utf-16",
    "utf-16-be": "utf-16",
    "utf-32-le": "utf-32",
    "utf-32-be": "utf-32",
}


def _check_bom_declaration(text: str, encoding: str, declared: str, path: str | None) -> None:
    """A UTF-16/32 byte-order mark with a declaration of another encoding is contradictory."""
    try:
        named = codecs.lookup(declared).name
    except LookupError:
        named = declared.lower()
    if named in (encoding, _BOM_FAMILY.get(encoding)):
        return
    m = _DECL_ENCODING.search(text[:200])
    at = m.start(1 if m.group(1) is not None else 2) if m else 0
    raise ParseError(
        f"the byte-order mark says {encoding.upper()} but the XML declaration says {declared!r}; "
        'save the file as UTF-8 and declare encoding="UTF-8"',
        line=1,
        column=at + 1,
        offset=at,
        path=path,
        code="encoding",
    )


def _declaration(text: str) -> tuple[str | None, int]:
    """The encoding the XML declaration at the start of ``text`` names (or None), and where the
    declaration ends (0 without one): one match of the pattern for both."""
    if not text.startswith("<?xml"):  # the usual case, without running the pattern
        return None, 0
    m = _DECL.match(text)
    if m is None:
        return None, 0
    e = _DECL_ENCODING.search(m.group("attrs"))
    declared = None if e is None else e.group(1) if e.group(1) is not None else e.group(2)
    return declared, m.end()


def _declared_encoding(text: str) -> str | None:
    return _declaration(text)[0]


def scan_source(
    source: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    path: str | None = None,
) -> tuple[Decoded, ScanResult]:
    """Decode and scan ``source`` without raising for syntax problems (the linter's entry point).

    Returns the decoded input and the scan: a recovered document plus every syntax problem found,
    including the ones only lxml detects. Raises only for oversized or undecodable input.
    """
    size = len(source) if isinstance(source, bytes) else _str_size(source, max_bytes)
    _check_size(size, max_bytes, path)
    decoded = decode(source, path=path)
    result = scan(
        decoded.text,
        decoded.body_start,
        encoding=decoded.encoding,
        declared_encoding=decoded.declared,
    )
    if not result.problems and not result.well_formed:
        problem = _lxml_check(decoded, result)
        if problem is not None:
            result = ScanResult(result.document, (problem,), result.prefixes)
    return decoded, result


def _str_size(text: str, max_bytes: int) -> int:
    # Cheap bound first: a str of n code points is at most 4n UTF-8 bytes.
    if len(text) * 4 <= max_bytes:
        return len(text)
    return len(text.encode("utf-8", errors="surrogatepass"))


#: Holds the ``threading.local`` with each thread's checking parser, made on first use.
_PARSERS: dict[str, object] = {}


class _NoTree:
    """A parser target that builds nothing: libxml2 still checks every byte."""

    def close(self) -> None:
        """Called at the end of a parse; there is nothing to return."""


def _checking_parser() -> etree._parser.CustomTargetParser[None]:
    """This thread's parser for :func:`_lxml_check` (lxml parsers are not shareable across threads)."""
    import threading  # already loaded by then; kept out of the module's start-up imports

    from lxml import etree

    local = _PARSERS.get("local")
    if local is None:
        local = _PARSERS.setdefault("local", threading.local())
    parser: etree._parser.CustomTargetParser[None] | None = getattr(local, "parser", None)
    if parser is None:
        # The stubs want a full target (start, end, data, ...): lxml needs only close(), and any
        # other callback it finds it calls for every node, which is the cost this avoids.
        parser = etree.XMLParser(  # type: ignore[call-overload]
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
            collect_ids=False,
            target=_NoTree(),
        )
        local.parser = parser  # type: ignore[attr-defined]
    return parser


def _lxml_check(decoded: Decoded, result: ScanResult) -> SyntaxProblem | None:
    """Let libxml2 confirm well-formedness; return its first error as a problem."""
    from lxml import etree

    text = decoded.text
    body = text[decoded.body_start :]
    decls = "".join(f' xmlns:{p}="urn:ssmlkit:undeclared:{p}"' for p in sorted(result.prefixes))
    head = f"<{_WRAPPER}{decls}>"
    parser = _checking_parser()
    try:
        # One parser per thread, reused; its target keeps no tree (only well-formedness matters),
        # and the text goes in as str: no UTF-8 copy of a 10 MB document.
        etree.fromstring(head + body + f"</{_WRAPPER}>", parser)
    except etree.XMLSyntaxError as exc:
        failure: str | None = str(exc)
    else:
        # A target parser raises only for fatal errors; building a tree, lxml also refuses
        # namespace errors (an empty xmlns:p, a redefined attribute): refuse those alike.
        failure = "" if parser.error_log.filter_from_errors() else None
    if failure is not None:
        entry = parser.error_log.last_error if parser.error_log else None
        message = entry.message if entry is not None else failure
        line = entry.line if entry is not None and entry.line > 0 else 1
        # libxml2 counts columns in bytes on the wrapped text; recompute from the line's text.
        prefix_line = text[: decoded.body_start].count("\n")
        line += prefix_line
        index = LineIndex(text)
        starts = index.starts
        line = max(1, min(line, len(starts)))
        offset = starts[line - 1]
        if entry is not None and entry.column > 0:
            raw_line = text[offset : starts[line] if line < len(starts) else len(text)]
            byte_col = entry.column - 1 - (len(head.encode()) if line == prefix_line + 1 else 0)
            col_chars = len(raw_line.encode("utf-8")[: max(0, byte_col)].decode("utf-8", "ignore"))
            offset += min(col_chars, len(raw_line))
        line, column = index.position(offset)
        return SyntaxProblem(
            "lxml", f"not well-formed XML: {message.strip()}", offset, offset + 1, line, column
        )
    return None


def parse(
    source: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    path: str | None = None,
) -> Document:
    """Parse SSML ``source`` (text or bytes) into a :class:`Document`.

    Raises :class:`InputTooLargeError` for input over ``max_bytes`` (checked before anything else)
    and :class:`ParseError` (with ``line``/``column``, 1-based) for input that is not well-formed,
    declares a DTD or entities, or cannot be decoded.
    """
    _decoded, result = scan_source(source, max_bytes=max_bytes, path=path)
    if result.problems:
        first = result.problems[0]  # in the order met: innermost unclosed first
        raise ParseError(
            first.message,
            line=first.line,
            column=first.column,
            offset=first.start,
            path=path,
            code=first.kind,
        )
    return result.document


def parse_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse the file at ``path``; its size is checked before it is read."""
    from pathlib import Path  # here, not at the top: `ssmlkit lint` reads files itself

    p = Path(path)
    try:
        size = p.stat().st_size
        _check_size(size, max_bytes, str(p))
        data = p.read_bytes()
    except InputTooLargeError:
        raise
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    return parse(data, max_bytes=max_bytes, path=str(p))
