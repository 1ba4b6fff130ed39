"""``--format concise``: one line a finding, ``path:line:col: CODE [severity] message``.

The text report's headline without the source excerpt and the summary: what editors' error
parsers (Vim's ``errorformat``, Emacs' ``compile``) and ``grep`` read best. Control characters
(a newline in a message included) are shown as symbols, so a finding never spans two lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from ssmlkit.output import FileResult, register_formatter
from ssmlkit.output.text import TextFormatter

__all__ = ["ConciseFormatter"]


@register_formatter
class ConciseFormatter(TextFormatter):
    """``doc.ssml:2:7: XM002 [error] unescaped '&'...``, one line each, nothing else."""

    name = "concise"

    def format(self, results: Sequence[FileResult]) -> str:
        """The findings, one a line (or the per-code counts); empty for clean files."""
        if self.statistics:
            lines = self._statistics(results)
        else:
            lines = [self._headline(r.path, d) for r in results for d in r.diagnostics]
        return "".join(f"{line}\n" for line in lines)
