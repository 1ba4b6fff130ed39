"""``ssmlkit lsp``: a language server for SSML in the CosyVoice dialect (the ``[lsp]`` extra).

Usage::

    pip install 'ssmlkit[lsp]'
    ssmlkit lsp                          # LSP over stdin/stdout; point an editor at it

    from ssmlkit.lsp.server import serve
    serve()

Modules: :mod:`~ssmlkit.lsp.text` (open documents, positions in UTF-16/8/32),
:mod:`~ssmlkit.lsp.outline` (a forgiving reading of half-typed SSML),
:mod:`~ssmlkit.lsp.findings` (lint findings as diagnostics, code actions),
:mod:`~ssmlkit.lsp.dialect` (the dialect's documentation and values, from the profiles),
:mod:`~ssmlkit.lsp.features` (hover, completion, symbols, folding),
:mod:`~ssmlkit.lsp.project` (each document's configuration) and
:mod:`~ssmlkit.lsp.server` (the pygls wiring). ``findings``, ``features`` and ``server`` need
lsprotocol (``server`` also pygls); this ``__init__`` imports nothing, so that ``ssmlkit lsp`` can
say how to install the extra when it is missing.
"""
