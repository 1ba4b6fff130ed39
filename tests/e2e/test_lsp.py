"""`ssmlkit lsp` driven over stdio by a real LSP client (pytest-lsp), as an editor would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from ssmlkit.linter.api import lint
from ssmlkit.lsp.text import LineIndex

SERVER = [sys.executable, "-m", "ssmlkit", "lsp"]

# CJK and an emoji (two UTF-16 code units, four UTF-8 bytes) before each problem.
DOC = '<speak voice="longanyang_v3">\n  你好😀 Tom & Jerry<break time="20s"/>\n</speak>\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "ssmlkit.toml").write_text('ignore = ["VO"]\n', encoding="utf-8")
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def _uri(tmp_path: Path, name: str = "doc.ssml") -> str:
    return (tmp_path / name).as_uri()


async def _open(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "ssml", version, text))
    )


@pytest.mark.asyncio
async def test_session(client: LanguageClient, tmp_path: Path):
    """initialize, didOpen, didChange, completion, hover, codeAction, documentSymbol, shutdown."""
    uri = _uri(tmp_path)
    path = tmp_path / "doc.ssml"
    path.write_text(DOC, encoding="utf-8")
    await _open(client, uri, DOC)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    found = client.diagnostics[uri]
    # exactly the linter's findings under the file's configuration (VO ignored there)
    from ssmlkit.config import load_config

    expected = lint(DOC, config=load_config(tmp_path / "ssmlkit.toml"), path="doc.ssml")
    assert [d.code for d in found] == [d.code for d in expected]
    assert all(not str(d.code).startswith("VO") for d in found)
    index = LineIndex(DOC, "utf-16")
    for got, want in zip(found, expected, strict=True):
        assert got.source == "ssmlkit"
        assert got.code_description is not None
        assert got.code_description.href.endswith(f"#{want.code.lower()}-{want.name}")
        assert (got.range.start.line, got.range.start.character) == index.position(want.start)
    amp = next(d for d in found if d.code == "XM002")
    # line 1: '  你好😀 Tom ' is 2 + 2 + 2 (surrogate pair) + 5 UTF-16 units before '&'
    assert (amp.range.start.line, amp.range.start.character) == (1, 11)
    assert amp.severity == lsp.DiagnosticSeverity.Error

    # didChange (incremental): type an unescaped '<' at the start of line 1
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(lsp.Position(1, 2), lsp.Position(1, 2)), text="a < b "
                )
            ],
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [d.code for d in client.diagnostics[uri]]
    assert "XM003" in codes

    # completion inside <speak>: the dialect's children and the closing tag
    completion = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 0))
    )
    assert completion is not None
    changed = DOC.replace("\n  ", "\n  a < b ", 1)
    at = changed.index("<break")
    line, character = LineIndex(changed, "utf-16").position(at + 1)
    completion = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
    )
    labels = [item.label for item in (completion.items if completion else [])]
    assert "break" in labels
    assert "say-as" in labels

    # hover on the ampersand: the rule's explanation
    amp_now = next(d for d in client.diagnostics[uri] if d.code == "XM002")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), amp_now.range.start)
    )
    assert hover is not None
    assert "XM002" in hover.contents.value  # type: ignore[union-attr]

    # code actions at the ampersand: its fix (preferred), disable-for-line, fix all safe
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            amp_now.range,
            lsp.CodeActionContext(diagnostics=[amp_now]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert any("&amp;" in t for t in titles)
    assert any(t.startswith("Disable XM002") for t in titles)
    assert any(a.kind == "source.fixAll.ssmlkit" for a in actions if isinstance(a, lsp.CodeAction))
    preferred = [a for a in actions if isinstance(a, lsp.CodeAction) and a.is_preferred]
    assert preferred

    # document symbols: the <speak> with its voice and size
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    speak = symbols[0]
    assert isinstance(speak, lsp.DocumentSymbol)
    assert speak.name == "<speak>"
    assert "longanyang_v3" in (speak.detail or "")


@pytest.mark.asyncio
async def test_only_the_latest_version_is_published(tmp_path: Path):
    """Changes faster than the debounce: one publication, for the last version, none between."""
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, default_converter, register_lsp_features

    published: list[tuple[int | None, int]] = []

    def record(_client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        published.append((params.version, sum(d.code == "XM002" for d in params.diagnostics)))

    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(
        client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record}
    )
    await client.start_io(*SERVER)
    try:
        await client.initialize_session(
            lsp.InitializeParams(capabilities=client_capabilities("neovim"))
        )
        uri = _uri(tmp_path, "quick.ssml")
        await _open(client, uri, "<speak>a</speak>")
        for version in range(2, 8):
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    [
                        lsp.TextDocumentContentChangeWholeDocument(
                            text="<speak>" + "&" * version + "</speak>"
                        )
                    ],
                )
            )
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        await asyncio.sleep(0.6)  # four debounces: anything late would have arrived
        assert published[-1] == (7, 7)
        assert all(version in (1, 7) for version, _ in published), published
        await client.shutdown_session()
    finally:
        await client.stop()


@pytest.mark.asyncio
async def test_requests_anywhere_get_an_answer(client: LanguageClient, tmp_path: Path):
    """Positions past the end, unknown documents, half-typed markup: answers, never a dead server."""
    uri = _uri(tmp_path, "broken.ssml")
    await _open(client, uri, '<speak voice="lon\n<break time=<sub 你好😀 &')
    ghost = lsp.TextDocumentIdentifier(_uri(tmp_path, "never-opened.ssml"))
    for doc in (lsp.TextDocumentIdentifier(uri), ghost):
        for position in (lsp.Position(0, 0), lsp.Position(1, 9999), lsp.Position(500, 3)):
            await client.text_document_hover_async(lsp.HoverParams(doc, position))
            await client.text_document_completion_async(lsp.CompletionParams(doc, position))
            await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    doc, lsp.Range(position, lsp.Position(0, 0)), lsp.CodeActionContext([])
                )
            )
        await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc))
        await client.text_document_folding_range_async(lsp.FoldingRangeParams(doc))
    # a change whose range lies past the end of the text is clamped, not fatal
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(lsp.Position(40, 1), lsp.Position(2, 0)), text="</speak>"
                )
            ],
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert client.diagnostics[uri]
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 2))
    )
    assert hover is not None


@pytest.mark.asyncio
async def test_utf8_positions_when_the_client_prefers_them(tmp_path: Path):
    """A client that offers only UTF-8 gets byte columns: 你好😀 is 10 bytes."""
    from pytest_lsp import make_test_lsp_client

    client = make_test_lsp_client()
    await client.start_io(*SERVER)
    try:
        capabilities = client_capabilities("visual-studio-code")
        capabilities.general = lsp.GeneralClientCapabilities(
            position_encodings=[lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]
        )
        result = await client.initialize_session(lsp.InitializeParams(capabilities=capabilities))
        assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
        uri = _uri(tmp_path, "bytes.ssml")
        await _open(client, uri, "<speak>你好😀&</speak>")
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        amp = next(d for d in client.diagnostics[uri] if d.code == "XM002")
        assert (amp.range.start.line, amp.range.start.character) == (0, 7 + 10)
        await client.shutdown_session()
    finally:
        await client.stop()


@pytest.mark.asyncio
async def test_a_changed_configuration_applies_to_open_documents(
    client: LanguageClient, tmp_path: Path
):
    sub = tmp_path / "chapter"
    sub.mkdir()
    uri = (sub / "one.ssml").as_uri()
    await _open(client, uri, '<speak>A & B<break time="20s"/></speak>')
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert {d.code for d in client.diagnostics[uri]} >= {"XM002", "BR002"}
    config = sub / "ssmlkit.toml"
    config.write_text('ignore = ["BR"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(config.as_uri(), lsp.FileChangeType.Created)]
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = {d.code for d in client.diagnostics[uri]}
    assert "XM002" in codes
    assert "BR002" not in codes


def _frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def _run_raw(messages: list[bytes], *, close: bool = True) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        SERVER,
        input=b"".join(_frame(m) for m in messages),
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )


_INIT = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'


def _stdout_is_only_protocol(out: bytes) -> None:
    rest = out
    while rest:
        head, sep, body = rest.partition(b"\r\n\r\n")
        assert sep, f"not a protocol frame: {rest[:80]!r}"
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        assert set(headers) <= {b"Content-Length", b"Content-Type"}, head
        length = int(headers[b"Content-Length"])
        assert body[:length].startswith(b"{")
        rest = body[length:]


def test_exits_cleanly_on_shutdown_and_exit():
    result = _run_raw(
        [
            _INIT,
            b'{"jsonrpc":"2.0","method":"initialized","params":{}}',
            b'{"jsonrpc":"2.0","id":2,"method":"shutdown"}',
            b'{"jsonrpc":"2.0","method":"exit"}',
        ]
    )
    assert result.returncode == 0, result.stderr
    _stdout_is_only_protocol(result.stdout)
    assert b'"id": 2' in result.stdout or b'"id":2' in result.stdout


def test_exits_when_stdin_closes():
    """No shutdown, no exit: the editor died. The server must not linger."""
    result = _run_raw([_INIT])
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    _stdout_is_only_protocol(result.stdout)
    assert b"capabilities" in result.stdout


def test_without_the_extra_says_how_to_install(tmp_path: Path):
    """A Python that cannot import pygls gets one line saying what to install."""
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('blocked', name='pygls')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        SERVER, capture_output=True, timeout=60, env=env, check=False, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 1
    assert result.stdout == b""
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'ssmlkit[lsp]'" in lines[0]
