"""``ssmlkit lsp``: the language server over stdio, for any editor with an LSP client."""

from __future__ import annotations

import click

__all__ = ["lsp_command"]

INSTALL_HINT = "ssmlkit lsp needs the [lsp] extra: pip install 'ssmlkit[lsp]'"


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Speak over stdin/stdout (the default and only transport; accepted because many "
    "editors pass it).",
)
def lsp_command(stdio: bool) -> None:
    """Check SSML as you type: a language server for any editor, over stdin/stdout.

    \b
    It publishes the linter's findings (under the file's [tool.ssmlkit] or ssmlkit.toml) a moment
    after each change, offers their fixes and "disable for this line" as code actions, explains
    rules and the dialect on hover, completes elements, attributes, voices and break times, and
    outlines each <speak>. It is started by the editor, not by hand: set-ups for VS Code, Neovim,
    Helix and Emacs are in docs/editors.md.

    \b
    Example (Neovim 0.11):
      vim.lsp.config('ssmlkit', { cmd = { 'ssmlkit', 'lsp' }, filetypes = { 'ssml', 'xml' } })
      vim.lsp.enable('ssmlkit')
    """
    try:
        from ssmlkit.lsp.server import serve
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            raise click.ClickException(INSTALL_HINT) from None
        raise
    serve()
