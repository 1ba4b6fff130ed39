"""The ``ssmlkit`` command line: thin click commands over the library's functions.

Each command lives in its own module of this package and is imported only when it runs (or when
``--help`` lists the commands), so ``ssmlkit lint`` never pays for the renderer's imports.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading

import click

from ssmlkit._version import __version__

# command name -> (module, attribute)
_COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("ssmlkit.cli.lint", "lint_command"),
    "rules": ("ssmlkit.cli.lint", "rules_command"),
    "rule": ("ssmlkit.cli.lint", "rule_command"),
    "split": ("ssmlkit.cli.split", "split_command"),
    "render": ("ssmlkit.cli.render", "render_command"),
    "convert": ("ssmlkit.cli.convert", "convert_command"),
    "serve": ("ssmlkit.cli.serve", "serve_command"),
    "cache": ("ssmlkit.cli.cache", "cache_command"),
    "lsp": ("ssmlkit.cli.lsp", "lsp_command"),
    "annotate": ("ssmlkit.cli.annotate", "annotate_command"),
}


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return self.commands.get(cmd_name)
        command = getattr(importlib.import_module(target[0]), target[1])
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ssmlkit")
def main() -> None:
    """Write, check, split and speak SSML for Alibaba's CosyVoice.

    \b
    Examples:
      ssmlkit lint doc.ssml                 report every problem with line and column
      ssmlkit lint --fix docs/              apply the safe fixes in place
      ssmlkit split long.ssml --out-dir chunks/
      ssmlkit render doc.ssml -o doc.wav    HTTP with SSMLKIT_API_KEY, else the offline preview voice
      ssmlkit convert azure.ssml -o cosy.ssml
      ssmlkit annotate doc.ssml -o hinted.ssml  pinyin hints for polyphones (多音字)
      ssmlkit rule BR001                    explain a rule
    """


#: Set by a command that has finished and left nothing for the interpreter's teardown to do (no
#: other thread, every file it wrote closed): see :func:`run`.
_quick_exit = False


def allow_quick_exit() -> None:
    """Let :func:`run` end the process without the interpreter's teardown (``ssmlkit lint``)."""
    global _quick_exit
    _quick_exit = True


def run() -> None:
    """The ``ssmlkit`` console command and ``python -m ssmlkit``: :func:`main` as a program.

    A command that calls :func:`allow_quick_exit` before exiting (``ssmlkit lint``) ends the
    process without the interpreter's teardown, which frees every module and object one by one:
    5-10 ms, a tenth of linting one file, paid again on each commit a pre-commit hook checks. The
    standard streams are flushed and the ``atexit`` handlers run first (logging's among them), and
    the exit status is the command's. In any other case (another thread alive, an exit that is
    not a plain status) the exit is the usual one. Calling :func:`main` itself (tests, click's
    ``CliRunner``, other programs) never exits early.
    """
    try:
        main()
    except SystemExit as exc:
        status = exc.code if exc.code is not None else 0
        if not _quick_exit or not isinstance(status, int) or threading.active_count() > 1:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise exc from None  # a closed or broken stream: Python's own exit reports it
        atexit._run_exitfuncs()
        os._exit(status)
