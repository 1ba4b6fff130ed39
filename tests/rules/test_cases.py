"""Every case file under ``cases/`` runs: the rule's findings must sit exactly at ``expect``.

A case file is ``cases/<CODE>.toml`` holding ``[[case]]`` tables:

* ``source``: the document, linted as text;
* ``expect``: ``[[line, column], ...]`` of every finding of rule ``<CODE>``, in order (empty for a
  passing case);
* ``config`` (optional): keyword arguments for :class:`~ssmlkit.config.Config`
  (e.g. ``{ max_chars = 10 }``); lists become tuples;
* ``no_error`` (optional): when true, no rule at all may report an error (vendor examples that
  the spec marks valid);
* ``messages`` (optional): one substring per expected finding, which its message must contain;
* ``severities`` (optional): the severity of each expected finding (``"error"``, ...);
* ``fixed`` (optional): the source after applying every fix of the rule's findings;
* ``name`` (optional): what the case shows.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from ssmlkit.config import Config
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.engine import lint
from ssmlkit.linter.registry import find_rule

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get("case", [])):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}-{i}"))
    return params


def _config(raw: dict[str, Any] | None) -> Config:
    if not raw:
        return Config()
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    return Config(**kwargs)


CASES = _load()


def test_case_files_name_registered_rules() -> None:
    for path in CASES_DIR.glob("*.toml"):
        assert find_rule(path.stem) is not None, f"{path.name} names no registered rule"


@pytest.mark.parametrize(("code", "case"), CASES)
def test_case(code: str, case: dict[str, Any]) -> None:
    rule = find_rule(code)
    assert rule is not None
    reason = rule.inactive_reason()
    if reason is not None:
        pytest.skip(f"{code} is inactive here: {reason}")
    found = lint(case["source"], config=_config(case.get("config")))
    positions = [[d.line, d.column] for d in found if d.code == code]
    assert positions == case["expect"], [d for d in found if d.code == code]
    mine = [d for d in found if d.code == code]
    if "messages" in case:
        assert len(case["messages"]) == len(mine)
        for d, part in zip(mine, case["messages"], strict=True):
            assert part in d.message, (part, d.message)
    if "severities" in case:
        assert [str(d.severity) for d in mine] == case["severities"]
    if "fixed" in case:
        from ssmlkit.linter.fixer import apply_fixes

        assert apply_fixes(case["source"], mine) == case["fixed"]
    if case.get("no_error"):
        errors = [d for d in found if d.severity is Severity.ERROR]
        assert errors == [], errors
