"""``--format json``: one JSON document for the whole run (schema version 1)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ssmlkit.output import FileResult, Formatter, register_formatter, summarize

__all__ = ["JsonFormatter"]


@register_formatter
class JsonFormatter(Formatter):
    """``{"version": 1, "files": [{"path", "diagnostics": [...]}], "summary": {...}}``.

    Each diagnostic has ``code``, ``name``, ``severity``, ``message``, ``line``, ``column``,
    ``end_line``, ``end_column`` and ``fix`` (``null`` or description, safety and edits).
    """

    name = "json"

    def format(self, results: Sequence[FileResult]) -> str:
        """The report as indented JSON."""
        report = {
            "version": 1,
            "files": [
                {"path": r.path, "diagnostics": [d.to_dict() for d in r.diagnostics]}
                for r in results
            ],
            "summary": summarize(results).to_dict(),
        }
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
