"""``--format sarif``: a SARIF 2.1.0 log (GitHub code scanning and other tools read it).

Each rule has a plain-text ``shortDescription`` and ``fullDescription`` (the docstring without
its reST markup), a Markdown ``help`` (severity, fix, options, description and examples, as in
``docs/rules.md``) and a ``helpUri`` to its section of the rule reference. A finding that has a
fix carries it as a SARIF ``fixes`` entry: the replacements, with regions in the same line and
column terms as the result (columns count code points: ``columnKind: unicodeCodePoints``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ssmlkit.output import FileResult, Formatter, register_formatter

if TYPE_CHECKING:
    from ssmlkit.linter.diagnostic import Diagnostic
    from ssmlkit.linter.rule import Rule

__all__ = ["RULES_URI", "SarifFormatter", "plain_text"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where each rule's documentation lives; ``#code-name`` picks its section.
RULES_URI = "https://github.com/ssmlkit/ssmlkit/blob/main/docs/rules.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_FIX = {"none": "none", "safe": "safe (`--fix`)", "unsafe": "unsafe (`--fix --unsafe-fixes`)"}

_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")
_INTERPRETED = re.compile(r"(?<![`\w])`([^`]+)`(?![`\w])")


def plain_text(rest: str) -> str:
    """reST as plain text: ``literal`` and `interpreted` lose their quotes, :role:`X` is X,
    and a paragraph's closing ``::`` (a literal block follows) becomes ``:``."""
    text = _ROLE.sub(
        lambda m: m.group(1).rpartition(".")[2] if "." in m.group(1) else m.group(1), rest
    )
    text = _LITERAL.sub(r"\1", text)
    text = _INTERPRETED.sub(r"\1", text)
    return re.sub(r"(?<=\S)::(?=\s*$)", ":", text, flags=re.MULTILINE)


def _markdown(rest: str) -> str:
    text = _ROLE.sub(lambda m: f"`{m.group(1).lstrip('~')}`", rest)
    text = _LITERAL.sub(r"`\1`", text)
    return re.sub(r"(?<=\S)::(?=\s*$)", ":", text, flags=re.MULTILINE)


def _uri(path: str) -> str:
    if path in ("-", "<stdin>"):
        return "stdin"
    return quote(PurePath(path).as_posix(), safe="/:")


def _help(rule: type[Rule], description: str) -> str:
    from ssmlkit.linter.docs import option_rows
    from ssmlkit.linter.rule import examples_of

    lines = [
        f"**{rule.code} {rule.name}**: {_markdown(rule.summary)}",
        "",
        f"- Severity: {rule.severity.value}",
        f"- Fix: {_FIX.get(rule.fix_safety, rule.fix_safety)}",
    ]
    rows = option_rows(rule)
    if rows:
        lines.append(f"- Options (in `[tool.ssmlkit.rules.{rule.code}]`):")
        lines += [f"  - `{name}` ({kind}, default `{default}`)" for name, kind, default in rows]
    if description:
        lines += ["", _markdown(description)]
    examples = list(examples_of(rule))
    if examples:
        lines += ["", "Examples:", "", "```xml"]
        for ex in examples:
            lines += [f"<!-- {ex.kind} -->", ex.source]
            if ex.fixed is not None:
                lines += ["<!-- fixed -->", ex.fixed]
        lines.append("```")
    return "\n".join(lines)


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    from ssmlkit.linter.docs import rule_description

    description = rule_description(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": plain_text(rule.summary)},
        "fullDescription": {"text": plain_text(description or rule.summary)},
        "help": {
            "text": plain_text(f"{rule.summary}\n\n{description}".strip()),
            "markdown": _help(rule, description),
        },
        "helpUri": f"{RULES_URI}#{rule.code.lower()}-{rule.name}",
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"fix": rule.fix_safety},
    }


class _Positions:
    """Offsets in a decoded text as 1-based lines and code-point columns (SARIF regions)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def at(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _fixes(d: Diagnostic, uri: str, positions: _Positions | None) -> list[dict[str, Any]]:
    if d.fix is None or positions is None or not d.fix.edits:
        return []
    replacements = []
    for edit in d.fix.edits:
        start_line, start_column = positions.at(edit.start)
        end_line, end_column = positions.at(edit.end)
        replacements.append(
            {
                "deletedRegion": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column,
                },
                "insertedContent": {"text": edit.replacement},
            }
        )
    return [
        {
            "description": {"text": f"{d.fix.description} ({d.fix.safety} fix)"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }
    ]


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
        found = []
        for result in results:
            uri = _uri(result.path)
            positions = _Positions(result.source) if result.source else None
            for d in result.diagnostics:
                entry: dict[str, object] = {
                    "ruleId": d.code,
                    "level": _LEVEL.get(d.severity.value, "error"),
                    "message": {"text": d.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
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
                fixes = _fixes(d, uri, positions)
                if fixes:
                    entry["fixes"] = fixes
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
                            "rules": [_descriptor(rule) for rule in rules],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": found,
                }
            ],
        }
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
