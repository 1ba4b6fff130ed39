"""``--format github``: GitHub Actions workflow commands that annotate the pull request."""

from __future__ import annotations

from collections.abc import Sequence

from ssmlkit.output import FileResult, Formatter, register_formatter

__all__ = ["GithubFormatter", "escape_data", "escape_property"]

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value: as data, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


@register_formatter
class GithubFormatter(Formatter):
    """One ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE name::message`` per
    finding (``::warning`` and ``::notice`` for the other severities)."""

    name = "github"

    def format(self, results: Sequence[FileResult]) -> str:
        """The workflow commands, one per line."""
        lines = []
        for result in results:
            for d in result.diagnostics:
                props = ",".join(
                    f"{key}={escape_property(str(value))}"
                    for key, value in (
                        ("file", result.path),
                        ("line", d.line),
                        ("col", d.column),
                        ("endLine", d.end_line),
                        ("endColumn", d.end_column),
                        ("title", f"{d.code} {d.name}"),
                    )
                )
                level = _LEVEL.get(d.severity.value, "error")
                lines.append(f"::{level} {props}::{escape_data(d.message)}")
        return "".join(f"{line}\n" for line in lines)
