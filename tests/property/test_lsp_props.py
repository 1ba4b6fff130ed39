"""The language server's pure parts never fail: any text, any edit sequence, any position.

A document in an editor is mostly broken; these properties feed random SSML-ish text through
random ``didChange`` edits (positions in any encoding, past line ends, past the end, backwards
ranges) and then ask every feature at random positions. Each must answer with ranges inside the
document. The server runs exactly these functions, behind a guard that turns a failure into an
empty answer; these tests make sure the guard is never what saves it.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from ssmlkit.lsp.features import complete, fold, hover, symbols
from ssmlkit.lsp.findings import code_actions, lint_text, to_lsp
from ssmlkit.lsp.outline import context_at, outline
from ssmlkit.lsp.text import ENCODINGS, LineIndex, apply_change

FRAGMENTS = [
    "<speak>",
    "</speak>",
    '<speak voice="longanyang" rate="',
    "<break",
    ' time="20s"/>',
    "<sub alias='x'>",
    "</sub>",
    "<say-as interpret-as=",
    '"date">',
    '<phoneme alphabet="py" ph="ni3">',
    "<!--",
    "-->",
    "<!-- ssmlkit: disable-next-line=BR002 -->",
    "<?xml version='1.0'?>",
    "<![CDATA[",
    "<prosody>",
    "<",
    "</",
    ">",
    "/>",
    "&",
    "&amp;",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "你好",
    "😀",
    "é",
    "text",
    "\ufeff",
]

texts = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)
positions = st.tuples(st.integers(0, 8), st.integers(0, 40))
edits = st.lists(
    st.tuples(st.one_of(st.none(), st.tuples(positions, positions)), texts), max_size=6
)
encodings = st.sampled_from(ENCODINGS)


def _inside(index: LineIndex, r: lsp.Range) -> bool:
    last = len(index.starts) - 1
    for p in (r.start, r.end):
        if not 0 <= p.line <= last:
            return False
    return (r.start.line, r.start.character) <= (r.end.line, r.end.character)


def _roundtrips(index: LineIndex, r: lsp.Range) -> bool:
    """A range the server sends names positions that exist in the text."""
    for p in (r.start, r.end):
        offset = index.offset(p.line, p.character)
        if index.position(offset) != (p.line, p.character):
            return False
    return True


@settings(deadline=None)
@given(text=texts, steps=edits, encoding=encodings)
def test_edits_apply_as_offsets_would(text, steps, encoding):
    for rng, new in steps:
        index = LineIndex(text, encoding)
        if rng is None:
            expected = new
        else:
            a = index.offset(*rng[0])
            b = max(a, index.offset(*rng[1]))
            expected = text[:a] + new + text[b:]
        text = apply_change(text, new, *(rng if rng else (None, None)), encoding)
        assert text == expected


@settings(deadline=None)
@given(text=texts, encoding=encodings)
def test_offsets_and_positions_roundtrip(text, encoding):
    index = LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # between CR and LF: no position names it
        assert index.offset(*index.position(offset)) == offset


@settings(deadline=None)
@given(text=texts, steps=edits, encoding=encodings, at=st.lists(positions, min_size=1, max_size=4))
def test_every_feature_answers_at_any_position(text, steps, encoding, at):
    for rng, new in steps:
        text = apply_change(text, new, *(rng if rng else (None, None)), encoding)
    index = LineIndex(text, encoding)
    found = lint_text(text)
    for d in found:
        diagnostic = to_lsp(d, index)
        assert _inside(index, diagnostic.range)
        assert _roundtrips(index, diagnostic.range)
    for line, character in at:
        offset = index.offset(line, character)
        assert 0 <= offset <= len(text)
        context_at(text, offset)
        result = hover(text, index, offset, found)
        if result is not None and result.range is not None:
            assert _inside(index, result.range)
        for item in complete(text, index, offset).items:
            assert isinstance(item.text_edit, lsp.TextEdit)
            assert _roundtrips(index, item.text_edit.range)
        for action in code_actions("file:///x.ssml", text, found, index, (offset, offset)):
            assert action.edit is not None
    outline(text)
    for symbol in symbols(text, index):
        assert _roundtrips(index, symbol.range)
        assert _roundtrips(index, symbol.selection_range)
    for folding in fold(text, index):
        assert folding.start_line < folding.end_line < len(index.starts)


# --- the same, through a running `ssmlkit lsp` -------------------------------------------------


class _Session:
    """A real server process and just enough of a client: framed JSON-RPC, read by a thread."""

    def __init__(self, encoding: str) -> None:
        import itertools
        import queue
        import subprocess
        import sys
        import threading

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ssmlkit", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,  # stderr inherited: pytest shows what the server logged
        )
        self.messages: queue.Queue[dict] = queue.Queue()
        self.ids = itertools.count(1)
        self.backlog: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        result = self.request(
            "initialize",
            {"capabilities": {"general": {"positionEncodings": [encoding]}}, "processId": None},
        )
        assert result["capabilities"]["positionEncoding"] == encoding
        self.notify("initialized", {})

    def _read(self) -> None:
        import json

        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line == b"\r\n":
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def notify(self, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: object) -> object:
        ident = next(self.ids)
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == ident)
        assert "error" not in message, message
        return message["result"]

    def wait(self, predicate) -> dict:
        """The first message, received or still to come, that ``predicate`` accepts."""
        for i, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(i)
        while True:
            message = self.messages.get(timeout=30)
            if predicate(message):
                return message
            self.backlog.append(message)  # a publication that arrived while a request waited

    def _send(self, message: dict) -> None:
        import json

        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()


_SESSIONS: dict[str, _Session] = {}


def _session(encoding: str) -> _Session:
    if encoding not in _SESSIONS:
        _SESSIONS[encoding] = _Session(encoding)
    assert _SESSIONS[encoding].proc.poll() is None, "the server died"
    return _SESSIONS[encoding]


def teardown_module() -> None:
    for session in _SESSIONS.values():
        session.request("shutdown", None)
        session.notify("exit", None)
        assert session.proc.wait(timeout=30) == 0
        for pipe in (session.proc.stdin, session.proc.stdout):
            if pipe is not None:
                pipe.close()
    _SESSIONS.clear()


_documents = iter(range(10**9))


@settings(deadline=None, max_examples=25)
@given(text=texts, steps=edits, encoding=encodings, at=st.lists(positions, min_size=1, max_size=3))
# found by this test: pygls rewrote a change's range ending past its line before our handler ran
@example(text="<speak>", steps=[(((0, 0), (0, 8)), "")], encoding="utf-16", at=[(0, 0)])
def test_the_server_follows_random_edits_and_answers_everywhere(text, steps, encoding, at):
    session = _session(encoding)
    uri = f"untitled:doc-{next(_documents)}.ssml"
    session.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "ssml", "version": 0, "text": text}},
    )
    version = 0
    for rng, new in steps:
        version += 1
        if rng is None:
            change: dict = {"text": new}
        else:
            (l1, c1), (l2, c2) = rng
            change = {
                "range": {
                    "start": {"line": l1, "character": c1},
                    "end": {"line": l2, "character": c2},
                },
                "text": new,
            }
        text = apply_change(text, new, *(rng if rng else (None, None)), encoding)
        session.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
    doc = {"uri": uri}
    for line, character in at:
        position = {"line": line, "character": character}
        session.request("textDocument/hover", {"textDocument": doc, "position": position})
        session.request("textDocument/completion", {"textDocument": doc, "position": position})
        session.request(
            "textDocument/codeAction",
            {
                "textDocument": doc,
                "range": {"start": position, "end": position},
                "context": {"diagnostics": []},
            },
        )
    session.request("textDocument/documentSymbol", {"textDocument": doc})
    session.request("textDocument/foldingRange", {"textDocument": doc})
    published = session.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
    )
    # the server's copy of the text is the client's: its findings are those of the same text
    index = LineIndex(text, encoding)
    expected = [
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
        )
        for d in (to_lsp(f, index) for f in lint_text(text))
    ]
    got = [
        (
            d["code"],
            d["range"]["start"]["line"],
            d["range"]["start"]["character"],
            d["range"]["end"]["line"],
            d["range"]["end"]["character"],
        )
        for d in published["params"]["diagnostics"]
    ]
    assert got == expected
    session.notify("textDocument/didClose", {"textDocument": doc})
