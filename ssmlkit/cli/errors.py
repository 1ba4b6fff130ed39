"""One way for every command to report a failure: ``ssmlkit: error: <what>`` on stderr, exit 2 or 1."""

from __future__ import annotations

from typing import IO, Any

import click

__all__ = ["CLIError", "UnreadableInput", "unreadable"]


class CLIError(click.ClickException):
    """A failure the user can fix, printed as ``ssmlkit: error: message`` (no traceback)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"ssmlkit: error: {self.format_message()}", err=True, file=file)


class UnreadableInput(CLIError):
    """An input file that cannot be read (missing, a directory, no permission): exit 2."""

    exit_code = 2


def unreadable(name: str, exc: OSError) -> CLIError:
    """The error for an input file that cannot be read, worded like ``ssmlkit lint`` does."""
    reason = exc.strerror or str(exc)
    return UnreadableInput(f"{name}: {reason[:1].lower()}{reason[1:]}")
