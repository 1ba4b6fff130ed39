"""``--format json-lines``: one JSON object a finding, one a line (streamable, ``jq``-friendly).

Each object is the ``--format json`` diagnostic with the file's ``path`` in front::

    {"path": "doc.ssml", "code": "XM002", "name": "unescaped-ampersand", "severity": "error", ...}
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ssmlkit.output import FileResult, Formatter, register_formatter

__all__ = ["JsonLinesFormatter"]


@register_formatter
class JsonLinesFormatter(Formatter):
    """A line of compact JSON per finding; nothing for clean files."""

    name = "json-lines"

    def format(self, results: Sequence[FileResult]) -> str:
        """The findings as JSON Lines."""
        return "".join(
            json.dumps({"path": r.path, **d.to_dict()}, ensure_ascii=False) + "\n"
            for r in results
            for d in r.diagnostics
        )
