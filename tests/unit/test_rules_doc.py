"""The generated rule reference stays in sync with the rule metadata."""

from __future__ import annotations

from pathlib import Path

from ssmlkit.linter.docs import main, render_rules_doc, rule_text
from ssmlkit.linter.registry import all_rules
from ssmlkit.linter.rule import examples_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_committed_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is out of date: run python -m ssmlkit.linter.docs docs/rules.md"
    )


def test_reference_covers_every_rule() -> None:
    text = render_rules_doc()
    for rule in all_rules():
        assert f"## {rule.code} {rule.name}" in text
        assert f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` |" in text
        for example in examples_of(rule):
            assert example.source in text


def test_rule_text_has_every_part() -> None:
    for rule in all_rules():
        text = rule_text(rule)
        assert text.startswith(f"{rule.code} {rule.name}\n  {rule.summary}\n")
        assert f"Severity: {rule.severity.value}" in text
        assert "Fix:" in text
        assert "Options:" in text


def test_check_mode_detects_drift(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert main([str(target)]) == 0
    assert main(["--check", str(target)]) == 0
    target.write_text("stale\n", encoding="utf-8")
    assert main(["--check", str(target)]) == 1
