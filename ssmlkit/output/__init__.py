"""Report formatters for ``ssmlkit lint``: text, concise, json, json-lines, github, gitlab, junit, sarif.

Usage::

    from ssmlkit.output import FileResult, get_formatter
    report = get_formatter("json")().format([FileResult("doc.ssml", source, diagnostics)])

A formatter is a :class:`Formatter` subclass registered under its ``name`` with
:func:`register_formatter`; ``--format`` looks it up with :func:`get_formatter`, so adding a
format is adding a class, not another branch.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from ssmlkit._records import Record, record

if TYPE_CHECKING:
    from ssmlkit.linter.diagnostic import Diagnostic
    from ssmlkit.linter.rule import Rule

__all__ = [
    "FileResult",
    "Formatter",
    "formatter_names",
    "get_formatter",
    "register_formatter",
    "summarize",
]

_BUILTIN = {
    "text": "ssmlkit.output.text",
    "json": "ssmlkit.output.jsonout",
    "github": "ssmlkit.output.github",
    "sarif": "ssmlkit.output.sarif",
    "concise": "ssmlkit.output.concise",
    "json-lines": "ssmlkit.output.jsonlines",
    "gitlab": "ssmlkit.output.gitlab",
    "junit": "ssmlkit.output.junit",
}
_FORMATTERS: dict[str, type[Formatter]] = {}
F = TypeVar("F", bound="type[Formatter]")


# Records (see ssmlkit._records), not generated frozen dataclasses: made on the way to every
# ``ssmlkit lint`` report, where generating one costs ~1.5 ms of start-up. Made once or once a
# file, they take the generic constructor.
@record
class FileResult(Record):
    """The findings for one linted input: ``path`` as shown to the user, the decoded ``source``
    (for source excerpts; ``""`` when it could not be decoded), the ``diagnostics`` and the number
    of problems ``fixed`` by ``--fix``."""

    path: str
    source: str
    diagnostics: Sequence[Diagnostic]
    fixed: int = 0


class Formatter:
    """Turns lint results into one report string. Subclasses set ``name`` and ``format``.

    ``color`` allows ANSI colour (only the text format uses it); ``rules`` are the rule classes
    known to the run (SARIF lists them); ``statistics`` asks for counts per code instead of a
    listing where the format has such a mode.
    """

    name: ClassVar[str]

    def __init__(
        self,
        *,
        color: bool = False,
        rules: Sequence[type[Rule]] = (),
        statistics: bool = False,
    ) -> None:
        self.color = color
        self.rules = list(rules)
        self.statistics = statistics

    def format(self, results: Sequence[FileResult]) -> str:
        """The whole report for ``results`` (ends with a newline unless empty)."""
        raise NotImplementedError


def register_formatter(cls: F) -> F:
    """Class decorator: make ``cls`` available as ``--format <cls.name>``."""
    _FORMATTERS[cls.name] = cls
    return cls


def _load(name: str | None = None) -> None:
    # Import only the formatter asked for: the others pull in json, urllib, inspect.
    for key, module in _BUILTIN.items():
        if name is None or key == name:
            importlib.import_module(module)


def formatter_names() -> list[str]:
    """The registered format names, sorted."""
    _load()
    return sorted(_FORMATTERS)


def get_formatter(name: str) -> type[Formatter]:
    """The formatter class registered as ``name``; :class:`KeyError` for an unknown one."""
    if name not in _FORMATTERS:
        _load(name)
    return _FORMATTERS[name]


@record
class Summary(Record):
    """Counts over a run: files, problems by severity and by code, fixable and fixed."""

    files: int
    problems: int
    errors: int
    warnings: int
    info: int
    fixable: int
    fixed: int
    by_code: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The ``summary`` object of the JSON report."""
        return {
            "files": self.files,
            "problems": self.problems,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.info,
            "fixable": self.fixable,
            "fixed": self.fixed,
            "by_code": dict(self.by_code),
        }


def summarize(results: Sequence[FileResult]) -> Summary:
    """Count the findings of ``results``."""
    diags = [d for r in results for d in r.diagnostics]
    severities = Counter(d.severity.value for d in diags)
    by_code = Counter(d.code for d in diags)
    return Summary(
        files=len(results),
        problems=len(diags),
        errors=severities["error"],
        warnings=severities["warning"],
        info=severities["info"],
        fixable=sum(1 for d in diags if d.has_fix("safe")),
        fixed=sum(r.fixed for r in results),
        by_code=dict(sorted(by_code.items())),
    )
