"""``--format text``: ``path:line:col: CODE [severity] message``, the source line and a caret."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ssmlkit.output import FileResult, Formatter, register_formatter, summarize

if TYPE_CHECKING:
    from ssmlkit.linter.diagnostic import Diagnostic

__all__ = ["TextFormatter", "excerpt"]

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
#: Lines longer than this are shown as a window around the finding.
WIDTH = 100


def _cell(ch: str) -> str:
    """What to put under ``ch`` to keep the caret aligned (tabs stay tabs, wide chars take two)."""
    if ch == "\t":
        return "\t"
    return "  " if unicodedata.east_asian_width(ch) in ("W", "F") else " "


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as symbols (one for one, so columns still line up).

    A hostile file could otherwise send terminal escape sequences (window titles, clipboard
    writes) through the report. C0 controls become their Unicode control pictures (␛ for ESC),
    DEL becomes ␡, C1 controls become U+FFFD.
    """
    if _CONTROL.search(text) is None:
        return text

    def picture(m: re.Match[str]) -> str:
        code = ord(m.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else "\ufffd"

    return _CONTROL.sub(picture, text)


def excerpt(line: str, column: int, end_column: int | None = None) -> tuple[str, str]:
    """The source ``line`` (cut to a window when long) and a caret line under ``column``.

    ``end_column`` (exclusive, on the same line) makes the caret span the finding. Columns are
    1-based code points. Control characters are shown as symbols (see :func:`visible`).
    """
    line = visible(line)
    start = max(column - 1, 0)
    stop = max(end_column - 1, start + 1) if end_column is not None else start + 1
    stop = min(stop, max(len(line), start + 1))
    left = 0
    prefix = suffix = ""
    if len(line) > WIDTH:
        left = max(0, min(start - WIDTH // 3, len(line) - WIDTH))
        right = left + WIDTH
        prefix = "…" if left > 0 else ""
        suffix = "…" if right < len(line) else ""
        line = line[left:right]
        start -= left
        stop = min(stop - left, len(line) + 1)
    pad = "".join(_cell(c) for c in line[:start])
    marks = sum(len(_cell(c)) for c in line[start:stop]) if stop > start else 1
    lead = " " * len(prefix)
    return prefix + line + suffix, lead + pad + "^" * max(1, min(marks, WIDTH))


@register_formatter
class TextFormatter(Formatter):
    """The human-readable report; colours only when ``color`` is on (a terminal without NO_COLOR)."""

    name = "text"

    def _style(self, text: str, *, fg: str | None = None, bold: bool = False) -> str:
        if not self.color:
            return text
        import click

        return click.style(text, fg=fg, bold=bold)

    def format(self, results: Sequence[FileResult]) -> str:
        """Every finding with its excerpt (or the per-code counts), then a summary line."""
        out: list[str] = []
        if self.statistics:
            out.extend(self._statistics(results))
        else:
            for result in results:
                lines = result.source.splitlines() if result.source else []
                for d in result.diagnostics:
                    out.append(self._headline(result.path, d))
                    if 0 < d.line <= len(lines):
                        text = lines[d.line - 1]
                        end = d.end_column if d.end_line == d.line else len(text) + 1
                        shown, caret = excerpt(text, d.column, end)
                        out.append(f"    {shown}")
                        out.append(
                            "    " + self._style(caret, fg=_COLOURS[d.severity.value], bold=True)
                        )
        summary = summarize(results)
        if summary.problems or summary.fixed:
            out.append(
                self._summary_line(
                    summary.problems,
                    summary.errors,
                    summary.warnings,
                    summary.info,
                    summary.fixable,
                    summary.fixed,
                )
            )
        return "".join(f"{line}\n" for line in out)

    def _headline(self, path: str, d: Diagnostic) -> str:
        where = self._style(f"{visible(path)}:{d.line}:{d.column}:", bold=True)
        code = self._style(d.code, fg=_COLOURS[d.severity.value], bold=True)
        return f"{where} {code} [{d.severity.value}] {visible(d.message)}"

    def _statistics(self, results: Sequence[FileResult]) -> list[str]:
        counts: Counter[str] = Counter()
        names: dict[str, str] = {}
        fixable: set[str] = set()
        for r in results:
            for d in r.diagnostics:
                counts[d.code] += 1
                names[d.code] = d.name
                if d.has_fix("safe"):
                    fixable.add(d.code)
        width = max((len(str(n)) for n in counts.values()), default=1)
        return [
            f"{n:>{width}}  {code}  {'[*]' if code in fixable else '   '} {names[code]}"
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    @staticmethod
    def _summary_line(
        problems: int, errors: int, warnings: int, info: int, fixable: int, fixed: int
    ) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        parts = []
        if problems:
            kinds = [plural(errors, "error"), plural(warnings, "warning"), f"{info} info"]
            parts.append(f"Found {plural(problems, 'problem')} ({', '.join(kinds)})")
        else:
            parts.append("No problems remain")
        if fixed:
            parts.append(f"fixed {plural(fixed, 'problem')}")
        if fixable:
            parts.append(f"{fixable} fixable with --fix")
        return "; ".join(parts) + "."
