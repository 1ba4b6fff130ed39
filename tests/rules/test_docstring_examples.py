"""Every rule's docstring examples run as tests: pass lines give no finding of that rule, fail lines do."""

from __future__ import annotations

import pytest

from ssmlkit.config import Config
from ssmlkit.linter.engine import lint
from ssmlkit.linter.registry import all_rules
from ssmlkit.linter.rule import Rule, examples_of

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{i}-{example.kind}")
    for rule in all_rules()
    for i, example in enumerate(examples_of(rule))
]


def test_every_rule_has_pass_and_fail_examples() -> None:
    for rule in all_rules():
        kinds = {e.kind for e in examples_of(rule)}
        assert "pass" in kinds, f"{rule.code} has no pass example"
        # An oversized input cannot sit in a docstring: size rules are covered by their case files.
        # No built-in rule fails: internal-error (MT002) is shown in tests/unit/test_rule_plugins.py.
        if rule.code not in ("XM007", "MT002") and not rule.code.startswith("SZ"):
            assert "fail" in kinds, f"{rule.code} has no fail example"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_docstring_example(rule: type[Rule], example) -> None:
    reason = rule.inactive_reason()
    if reason is not None:
        pytest.skip(f"{rule.code} is inactive here: {reason}")
    # An opt-in rule runs only when named: its examples name it.
    config = Config(extend_select=(rule.code,)) if rule.opt_in else Config()
    found = [d for d in lint(example.source, config=config) if d.code == rule.code]
    if example.kind == "pass":
        assert found == [], f"{rule.code} flagged a pass example: {found}"
        return
    assert found, f"{rule.code} missed a fail example: {example.source!r}"
    if example.position is not None:
        assert (found[0].line, found[0].column) == example.position
    if example.fixed is not None:
        from ssmlkit.linter.fixer import apply_fixes

        fixed = apply_fixes(example.source, [d for d in found if d.fix is not None])
        assert fixed == example.fixed
