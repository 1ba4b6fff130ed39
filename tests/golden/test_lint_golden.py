"""Lint findings and safe fixes stay byte-identical on real documents (``tests/golden/lint.json``).

After a deliberate change in findings, record them again with
``python scripts/lint_golden.py --write`` and say why in the commit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lint_golden", ROOT / "scripts" / "lint_golden.py")
assert _spec is not None
assert _spec.loader is not None
golden_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden_script)

GOLDEN = json.loads((ROOT / "tests" / "golden" / "lint.json").read_text())
DOCUMENTS = dict(golden_script.documents())


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_findings_unchanged(key: str) -> None:
    if key not in DOCUMENTS:
        if key.startswith("corpus/") and not golden_script.CORPUS.is_dir():
            pytest.skip(f"the shared corpus is not beside the checkout ({golden_script.CORPUS})")
        pytest.fail(f"{key} is recorded but no longer exists: record again")
    now = golden_script.record(key, DOCUMENTS[key].read_bytes())
    assert now == GOLDEN[key]


def test_every_document_is_recorded() -> None:
    assert sorted(set(DOCUMENTS) - set(GOLDEN)) == []
