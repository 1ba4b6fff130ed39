"""Opt-in and inactive rules (issue 17's additions to the rule contract).

An opt-in rule runs only when ``select``/``extend-select`` names it by code or name; an inactive
rule (``Rule.inactive_reason()`` is not None) never runs, ``ssmlkit rules`` says why, and naming it
gives one note on stderr (``ssmlkit lint``) or one :class:`InactiveRuleWarning` (``ssmlkit.lint``).

The rules here are real plugin rules registered for the test (and unregistered after it): the
engine, the configuration loader and the CLI run as they do for the built-in ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit.cli import main
from ssmlkit.config import Config, load_config
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.docs import render_rules_doc, rule_text
from ssmlkit.linter.engine import build_rules
from ssmlkit.linter.registry import all_rules, inactive_selected, register_rule, unregister_rule
from ssmlkit.linter.rule import InactiveRuleWarning, Rule

DOC = "<speak>你好<sub alias='x'>W3C</sub></speak>\n"

#: How many times the inactive rule's visit ran (it must stay 0).
VISITS: list[object] = []


class EverySub(Rule):
    """Each ``<sub>``: a plugin rule that is opt-in."""

    code = "XQ101"
    name = "every-sub-opt-in"
    summary = "Each sub (opt-in)"
    severity = Severity.INFO
    targets = ("sub",)
    opt_in = True

    def visit(self, node: Any, ctx: LintContext) -> None:
        ctx.report(node, "a sub")


class NeedsMissing(Rule):
    """Each ``<sub>``, if only the package it needs were installed: an inactive plugin rule."""

    code = "XQ102"
    name = "every-sub-inactive"
    summary = "Each sub (needs a missing package)"
    severity = Severity.ERROR
    targets = ("sub", "text", "document")
    extra = "nothing"

    @classmethod
    def inactive_reason(cls) -> str | None:
        return "needs the [nothing] extra: pip install 'ssmlkit[nothing]'"

    def visit(self, node: Any, ctx: LintContext) -> None:
        VISITS.append(node)
        ctx.report(node, "must never run")


@pytest.fixture
def plugins() -> Iterator[None]:
    register_rule(EverySub)
    register_rule(NeedsMissing)
    VISITS.clear()
    try:
        yield
    finally:
        unregister_rule(EverySub)
        unregister_rule(NeedsMissing)


def _codes(config: Config) -> set[str]:
    return {d.code for d in ssmlkit.lint(DOC, config=config)}


def _project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "ssmlkit.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    doc = tmp_path / "doc.ssml"
    doc.write_text(DOC, encoding="utf-8")
    return doc


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize(
    ("select", "extend", "runs"),
    [
        (("ALL",), (), False),
        (("XQ",), (), False),
        (("XQ1",), (), False),
        (("XQ101",), (), True),
        (("every-sub-opt-in",), (), True),
        (("ALL",), ("XQ101",), True),
        (("ALL",), ("XQ",), False),
    ],
)
def test_an_opt_in_rule_runs_only_when_named(
    select: tuple[str, ...], extend: tuple[str, ...], runs: bool
) -> None:
    config = Config(select=select, extend_select=extend)
    assert config.is_enabled("XQ101", "every-sub-opt-in", opt_in=True) is runs
    assert ("XQ101" in _codes(config)) is runs


@pytest.mark.usefixtures("plugins")
def test_ignore_still_wins_over_a_prefix_but_not_over_the_name() -> None:
    assert "XQ101" not in _codes(Config(select=("XQ101",), ignore=("XQ101",)))
    # as for any rule: a full code beats a prefix
    assert "XQ101" in _codes(Config(select=("XQ101",), ignore=("XQ",)))


@given(
    st.lists(
        st.sampled_from(["ALL", "XQ", "XQ1", "XQ10", "XQ101", "every-sub-opt-in", "BR", "XQ102"]),
        max_size=4,
    ),
    st.lists(st.sampled_from(["XQ", "XQ101", "every-sub-opt-in", "BR001"]), max_size=2),
)
def test_opt_in_is_the_plain_selection_restricted_to_exact_names(
    select: list[str], ignore: list[str]
) -> None:
    # Invariant: opt-in runs iff the plain rule runs and some selector names it exactly.
    config = Config(select=tuple(select), ignore=tuple(ignore))
    plain = config.is_enabled("XQ101", "every-sub-opt-in")
    named = any(s in ("XQ101", "every-sub-opt-in") for s in select)
    assert config.is_enabled("XQ101", "every-sub-opt-in", opt_in=True) is (plain and named)


@pytest.mark.usefixtures("plugins")
def test_an_inactive_rule_is_never_visited() -> None:
    config = Config(select=("ALL",), extend_select=("XQ102",))
    assert all(type(r) is not NeedsMissing for r in build_rules(config))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InactiveRuleWarning)
        found = ssmlkit.lint(DOC, config=config)
        fixed = ssmlkit.fix(DOC, config=config)
    assert "XQ102" not in {d.code for d in found}
    assert "XQ102" not in {d.code for d in fixed.remaining}
    assert VISITS == []


@pytest.mark.usefixtures("plugins")
def test_inactive_selected_lists_only_rules_named_and_not_ignored() -> None:
    assert inactive_selected(Config()) == []
    assert inactive_selected(Config(select=("XQ",))) == []  # a prefix is no explicit choice
    reason = NeedsMissing.inactive_reason()
    assert inactive_selected(Config(select=("xq102",))) == [(NeedsMissing, reason)]
    named = Config(extend_select=("every-sub-inactive", "XQ102"))
    assert inactive_selected(named) == [(NeedsMissing, reason)]
    assert inactive_selected(Config(select=("XQ102",), ignore=("every-sub-inactive",))) == []


@pytest.mark.usefixtures("plugins")
def test_rules_command_shows_opt_in_and_inactive() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert lines["CODE"].split() == ["CODE", "NAME", "SEVERITY", "FIX", "NOTES"]
    assert lines["XQ101"].endswith("opt-in")
    assert lines["XQ102"].endswith(
        "inactive: needs the [nothing] extra: pip install 'ssmlkit[nothing]'"
    )
    assert lines["BR001"].split() == ["BR001", "malformed-break-time", "error", "safe"]
    rows = {
        r["code"]: r
        for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)
    }
    assert rows["XQ101"]["opt_in"] is True
    assert rows["XQ101"]["inactive"] is None
    assert rows["XQ102"]["opt_in"] is False
    assert rows["XQ102"]["inactive"] == NeedsMissing.inactive_reason()
    assert rows["BR001"]["inactive"] is None


@pytest.mark.usefixtures("plugins")
def test_docs_say_opt_in_and_extra_whatever_is_installed() -> None:
    doc = render_rules_doc([EverySub, NeedsMissing])
    assert "| Each sub (opt-in) *(opt-in)* |" in doc
    assert "| Each sub (needs a missing package) *([nothing])* |" in doc
    assert "- Runs: opt-in: runs only when select or extend-select names XQ101" in doc
    assert "- Runs: needs the [nothing] extra (pip install 'ssmlkit[nothing]')" in doc
    text = rule_text(NeedsMissing)
    assert "Inactive: needs the [nothing] extra" in text
    assert "Inactive:" not in rule_text(EverySub)


@pytest.mark.usefixtures("plugins")
def test_lint_notes_a_named_inactive_rule_once_on_stderr(tmp_path: Path) -> None:
    doc = _project(tmp_path, 'extend-select = ["XQ102", "XQ101"]\n')
    other = tmp_path / "sub" / "other.ssml"
    other.parent.mkdir()
    other.write_text(DOC, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "lint",
            "--format",
            "concise",
            "--config",
            str(tmp_path / "ssmlkit.toml"),
            str(doc),
            str(other),
        ],
    )
    note = (
        "ssmlkit: note: rule XQ102 (every-sub-inactive) is selected but inactive: "
        "needs the [nothing] extra: pip install 'ssmlkit[nothing]'"
    )
    assert result.stderr.count(note) == 1, result.stderr
    assert "XQ102" not in result.stdout
    assert "XQ101" in result.stdout  # the opt-in rule named next to it runs
    assert result.exit_code == 0  # the note is no finding: XQ101 is info


@pytest.mark.usefixtures("plugins")
def test_lint_notes_nothing_without_an_explicit_choice(tmp_path: Path) -> None:
    doc = _project(tmp_path, 'select = ["ALL"]\nignore = ["XQ101"]\n')
    result = CliRunner().invoke(main, ["lint", str(doc)])
    assert result.exit_code == 0, result.output
    assert "note" not in result.stderr
    with_flag = CliRunner().invoke(main, ["lint", "--select", "every-sub-inactive", str(doc)])
    assert "rule XQ102 (every-sub-inactive) is selected but inactive" in with_flag.stderr
    assert with_flag.exit_code == 0  # nothing else selected: no finding


@pytest.mark.usefixtures("plugins")
def test_config_file_selects_an_opt_in_rule_by_name(tmp_path: Path) -> None:
    doc = _project(tmp_path, 'select = ["ALL", "every-sub-opt-in"]\n')
    config = load_config(tmp_path / "ssmlkit.toml", rules=all_rules())
    assert "XQ101" in {d.code for d in ssmlkit.lint(doc.read_bytes(), config=config)}


_WARN_SCRIPT = """
import warnings
import ssmlkit
from ssmlkit.config import Config
from ssmlkit.linter.registry import register_rule
from ssmlkit.linter.rule import Rule
from ssmlkit.linter.diagnostic import Severity

@register_rule
class Off(Rule):
    code = "XQ103"
    name = "off-rule"
    summary = "inactive"
    severity = Severity.ERROR
    targets = ("sub",)

    @classmethod
    def inactive_reason(cls):
        return "needs the moon"

    def visit(self, node, ctx):
        raise AssertionError("visited")

warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    for _ in range(3):
        assert ssmlkit.lint("<speak>a</speak>", config=Config(select=("XQ103", "ALL"))) == []
    ssmlkit.lint("<speak>a</speak>", config=Config(select=("XQ",)))
    ssmlkit.lint("<speak>a</speak>")
for w in caught:
    print(w.category.__name__, w.filename.endswith("<string>"), w.message)
"""


def test_python_lint_warns_once_per_rule_per_process() -> None:
    # A fresh process: the warning is once per process, whatever this one warned before.
    proc = subprocess.run(
        [sys.executable, "-c", _WARN_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "InactiveRuleWarning True rule XQ103 (off-rule) is selected but inactive: needs the moon"
    ]


def test_the_warning_is_a_user_warning_exported_by_the_linter() -> None:
    import ssmlkit.linter

    assert issubclass(ssmlkit.linter.InactiveRuleWarning, UserWarning)
    assert ssmlkit.linter.InactiveRuleWarning is InactiveRuleWarning


def test_built_in_rules_are_active_or_say_why() -> None:
    for rule in all_rules():
        reason = rule.inactive_reason()
        assert reason is None or (reason.strip() and "\n" not in reason), rule.code
        if rule.extra is None:
            assert reason is None, f"{rule.code} is inactive without naming an extra"
