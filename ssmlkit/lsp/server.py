"""The language server: pygls wiring of diagnostics, code actions, hover, completion and outline.

Usage::

    from ssmlkit.lsp.server import make_server, serve
    serve()                      # speak LSP on stdin/stdout until `exit` or until stdin closes
    server = make_server()       # or drive it yourself: server.start_io(stdin, stdout)

Diagnostics follow each ``didOpen`` and ``didChange`` after :data:`DEBOUNCE` seconds of quiet,
for the version the client last sent; a lint whose version was overtaken meanwhile is dropped
unpublished. The server keeps its own copy of each open document (see :mod:`ssmlkit.lsp.text`)
so that line breaks and positions follow the protocol exactly, in the negotiated encoding.

Every request answers: a handler that fails logs the error (to stderr, never stdout, which
carries the protocol) and returns an empty result, so no document and no position can take the
server down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from ssmlkit._version import __version__
from ssmlkit.lsp.features import complete, fold, hover, symbols
from ssmlkit.lsp.findings import FIX_ALL_KIND, RULE_REFERENCE, code_actions, lint_text, to_lsp
from ssmlkit.lsp.project import Projects
from ssmlkit.lsp.text import OpenDocument, apply_change

__all__ = ["DEBOUNCE", "SsmlLanguageServer", "make_server", "serve"]

logger = logging.getLogger(__name__)

#: Seconds of quiet after a change before the document is linted.
DEBOUNCE = 0.15

_T = TypeVar("_T")


class _Protocol(LanguageServerProtocol):
    """pygls's protocol without its own copy of the open documents.

    The server keeps the documents itself (:mod:`ssmlkit.lsp.text`). pygls's copy would cost a
    second copy of every text, and applying a change to it rewrites the change's range in place,
    clamped by its own reading of the line, before the server's handler sees it (a change
    ending past the end of a line then lost characters).
    """

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Any:
        """Hand the notification to the server, untouched."""
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Any:
        """Hand the notification to the server, untouched."""
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Any:
        """Hand the notification to the server, untouched."""
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class SsmlLanguageServer(LanguageServer):
    """A pygls server holding the open documents, their findings and their configuration."""

    def __init__(self, debounce: float = DEBOUNCE) -> None:
        super().__init__("ssmlkit", __version__, protocol_cls=_Protocol)
        self.debounce = debounce
        self.documents: dict[str, OpenDocument] = {}
        self.findings: dict[str, tuple[str, list[Any]]] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.projects = Projects()
        self.rule_reference = RULE_REFERENCE
        self.snippets = False

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log out-of-band errors to stderr instead of popping up a message for each."""
        logger.error("ssmlkit lsp: %s: %s", type(error).__name__, error)

    @property
    def encoding(self) -> str:
        """The position encoding agreed at ``initialize`` (UTF-16 before it)."""
        try:
            value = self.workspace.position_encoding
        except Exception:
            return "utf-16"
        return str(getattr(value, "value", value) or "utf-16")

    def lint(self, uri: str) -> tuple[OpenDocument, list[Any]] | None:
        """The current findings of an open document (linted now if its text changed)."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        cached = self.findings.get(uri)
        if cached is not None and cached[0] is doc.text:
            return doc, cached[1]
        config, path = self.projects.for_uri(uri)
        self._report_config_problems()
        found = lint_text(doc.text, config, path)
        self.findings[uri] = (doc.text, found)
        return doc, found

    def _report_config_problems(self) -> None:
        while self.projects.problems:
            problem = self.projects.problems.pop(0)
            self.window_show_message(
                lsp.ShowMessageParams(
                    type=lsp.MessageType.Error,
                    message=f"ssmlkit: {problem} (linting with the default settings)",
                )
            )

    def publish(self, uri: str, version: int | None) -> None:
        """Lint ``uri`` and publish its diagnostics, unless a newer version has arrived."""
        self.pending.pop(uri, None)
        doc = self.documents.get(uri)
        if doc is None or doc.version != version:
            return
        result = self.lint(uri)
        if result is None or doc.version != version:
            return
        index = doc.index(self.encoding)
        diagnostics = [to_lsp(d, index, self.rule_reference) for d in result[1]]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def schedule(self, uri: str) -> None:
        """Publish the diagnostics of ``uri`` after the debounce, cancelling an earlier plan."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        doc = self.documents.get(uri)
        if doc is None:
            return
        version = doc.version  # the version this plan is for, fixed now
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(
            self.debounce, _guarded(lambda: self.publish(uri, version), None)
        )


def _guarded(call: Callable[[], _T], empty: _T) -> Callable[[], _T]:
    def run() -> _T:
        try:
            return call()
        except Exception:
            logger.exception("ssmlkit lsp: a handler failed; answering with an empty result")
            return empty

    return run


def make_server(debounce: float = DEBOUNCE) -> SsmlLanguageServer:
    """A server with every feature registered (not yet started)."""
    server = SsmlLanguageServer(debounce)

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("ruleReference"), str):
            server.rule_reference = options["ruleReference"]
        try:
            item = params.capabilities.text_document.completion.completion_item  # type: ignore[union-attr]
            server.snippets = bool(item.snippet_support)  # type: ignore[union-attr]
        except AttributeError:
            server.snippets = False

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        server.documents[item.uri] = OpenDocument(
            item.uri, item.text, item.version, item.language_id
        )
        server.schedule(item.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        doc = server.documents.get(params.text_document.uri)
        if doc is None:
            return
        text = doc.text
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                r = change.range
                text = apply_change(
                    text,
                    change.text,
                    (r.start.line, r.start.character),
                    (r.end.line, r.end.character),
                    server.encoding,
                )
            else:
                text = change.text
        doc.text = text
        doc.version = params.text_document.version
        server.schedule(doc.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = server.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        server.documents.pop(uri, None)
        server.findings.pop(uri, None)
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def config_changed(params: lsp.DidChangeWatchedFilesParams) -> None:
        # A configuration file appeared, changed or went away: find each document's again and
        # lint every open document under it (clients watch what docs/editors.md tells them to).
        server.projects.forget()
        server.findings.clear()
        for uri in list(server.documents):
            server.schedule(uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        def run() -> list[lsp.CodeAction]:
            result = server.lint(params.text_document.uri)
            if result is None:
                return []
            doc, found = result
            index = doc.index(server.encoding)
            r = params.range
            selection = (
                index.offset(r.start.line, r.start.character),
                index.offset(r.end.line, r.end.character),
            )
            config, path = server.projects.for_uri(doc.uri)
            return code_actions(
                doc.uri,
                doc.text,
                found,
                index,
                selection,
                version=doc.version,
                config=config,
                path=path,
                base=server.rule_reference,
                only=params.context.only,
            )

        return _guarded(run, list[Any]())()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(params: lsp.HoverParams) -> lsp.Hover | None:
        def run() -> lsp.Hover | None:
            result = server.lint(params.text_document.uri)
            if result is None:
                return None
            doc, found = result
            index = doc.index(server.encoding)
            offset = index.offset(params.position.line, params.position.character)
            config, _ = server.projects.for_uri(doc.uri)
            return hover(
                doc.text,
                index,
                offset,
                found,
                max_chars=config.max_chars,
                count_tags=config.count_tags,
                base=server.rule_reference,
            )

        return _guarded(run, None)()

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["<", "/", " ", '"', "'"]),
    )
    def on_completion(params: lsp.CompletionParams) -> lsp.CompletionList:
        empty = lsp.CompletionList(is_incomplete=False, items=[])

        def run() -> lsp.CompletionList:
            doc = server.documents.get(params.text_document.uri)
            if doc is None:
                return empty
            index = doc.index(server.encoding)
            offset = index.offset(params.position.line, params.position.character)
            return complete(doc.text, index, offset, snippets=server.snippets)

        return _guarded(run, empty)()

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        def run() -> list[lsp.DocumentSymbol]:
            doc = server.documents.get(params.text_document.uri)
            return [] if doc is None else symbols(doc.text, doc.index(server.encoding))

        return _guarded(run, list[Any]())()

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    def on_folding(params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
        def run() -> list[lsp.FoldingRange]:
            doc = server.documents.get(params.text_document.uri)
            return [] if doc is None else fold(doc.text, doc.index(server.encoding))

        return _guarded(run, list[Any]())()

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout until the client sends ``exit`` or closes stdin.

    The protocol owns stdout: anything else printed while the server runs goes to stderr.
    """
    import sys

    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    make_server().start_io(sys.stdin.buffer, protocol_out)
