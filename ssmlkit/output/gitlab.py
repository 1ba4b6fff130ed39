"""``--format gitlab``: a GitLab Code Quality report (merge request widget and diff annotations).

Usage in ``.gitlab-ci.yml``::

    ssmlkit-lint:
      script: ssmlkit lint --format gitlab --output-file gl-code-quality.json
      artifacts:
        reports:
          codequality: gl-code-quality.json

A JSON array with one issue per finding: ``description``, ``check_name`` (the rule code),
``fingerprint``, ``severity`` and ``location`` (``path`` and ``lines.begin``/``lines.end``).
Paths must be relative to the repository root: run from there. The fingerprint hashes the path,
code, message and the finding's rank among identical ones, not its line, so GitLab keeps
recognising a finding when lines above it move.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence

from ssmlkit.output import FileResult, Formatter, register_formatter

__all__ = ["GitlabFormatter"]

# GitLab's scale: info, minor, major, critical, blocker.
_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


@register_formatter
class GitlabFormatter(Formatter):
    """The Code Quality JSON array (``[]`` when clean, which GitLab reads as "no issues")."""

    name = "gitlab"

    def format(self, results: Sequence[FileResult]) -> str:
        """The report as indented JSON."""
        issues = []
        seen: Counter[tuple[str, str, str]] = Counter()
        for result in results:
            path = result.path.replace("\\", "/").removeprefix("./")
            for d in result.diagnostics:
                key = (path, d.code, d.message)
                seen[key] += 1
                digest = hashlib.sha256(
                    "\0".join((*key, str(seen[key]))).encode("utf-8")
                ).hexdigest()
                issues.append(
                    {
                        "type": "issue",
                        "check_name": d.code,
                        "description": f"{d.code} {d.name}: {d.message}",
                        "categories": ["Style" if d.severity.value == "info" else "Bug Risk"],
                        "severity": _SEVERITY.get(d.severity.value, "major"),
                        "fingerprint": digest,
                        "location": {
                            "path": path,
                            "lines": {"begin": d.line, "end": max(d.end_line, d.line)},
                        },
                    }
                )
        return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
