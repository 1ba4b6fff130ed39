"""``--format sarif``: a SARIF 2.1.0 log (GitHub code scanning and other tools read it)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import quote

from ssmlkit.output import FileResult, Formatter, register_formatter

__all__ = ["SarifFormatter"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    if path in ("-", "<stdin>"):
        return "stdin"
    return quote(PurePath(path).as_posix(), safe="/:")


@register_formatter
class SarifFormatter(Formatter):
    """One run of tool ``ssmlkit`` with a rule entry per known rule and a result per finding.

    Columns count Unicode code points (``columnKind: unicodeCodePoints``), as ssmlkit does.
    """

    name = "sarif"

    def format(self, results: Sequence[FileResult]) -> str:
        """The SARIF log as indented JSON."""
        from ssmlkit._version import __version__

        rules = list(self.rules)
        if not rules:
            from ssmlkit.linter.registry import all_rules

            rules = all_rules()
        index = {r.code: i for i, r in enumerate(rules)}
        descriptors = []
        for rule in rules:
            doc = inspect.cleandoc(rule.__doc__ or "").split("Examples::")[0].strip()
            descriptors.append(
                {
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": doc or rule.summary},
                    "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
                    "properties": {"fix": rule.fix_safety},
                }
            )
        found = []
        for result in results:
            for d in result.diagnostics:
                entry: dict[str, object] = {
                    "ruleId": d.code,
                    "level": _LEVEL.get(d.severity.value, "error"),
                    "message": {"text": d.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _uri(result.path)},
                                "region": {
                                    "startLine": d.line,
                                    "startColumn": d.column,
                                    "endLine": d.end_line,
                                    "endColumn": d.end_column,
                                },
                            }
                        }
                    ],
                }
                if d.code in index:
                    entry["ruleIndex"] = index[d.code]
                found.append(entry)
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "ssmlkit",
                            "version": __version__,
                            "informationUri": "https://pypi.org/project/ssmlkit/",
                            "rules": descriptors,
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": found,
                }
            ],
        }
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
