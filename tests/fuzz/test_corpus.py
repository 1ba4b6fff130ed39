"""The fuzzer's seed corpus, replayed through its differential oracle on every run.

``tests/fuzz/corpus/`` holds the seeds of ``scripts/fuzz.sh`` and every input a fuzz run found
failing (kept as it was found, named ``crash-*``): each file here is a regression test of the C
fast path against the Python scanner and lxml (``tests.fuzz.oracle.check``), in the ordinary
suite and under the sanitizers (``scripts/sanitize.sh`` runs ``tests/fuzz``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ssmlkit import _scan
from tests.fuzz.oracle import check

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file())

if _scan.FAST_SCAN is None:
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError("SSMLKIT_REQUIRE_CEXT=1 but ssmlkit._cscan is not importable")
    pytest.skip("the C extension is not built here: nothing to compare", allow_module_level=True)


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 40


#: Inputs the fuzzer found failing whose fix has not landed yet: each is an expected failure
#: (strict, so that the fix makes it pass and its entry here must go). None now.
OPEN: dict[str, str] = {}


def _case(path: Path) -> Any:
    reason = OPEN.get(path.name)
    marks = [pytest.mark.xfail(raises=AssertionError, strict=True, reason=reason)] if reason else []
    return pytest.param(path, id=path.name, marks=marks)


@pytest.mark.parametrize("path", [_case(p) for p in FILES])
def test_corpus_input_holds_the_oracle(path: Path) -> None:
    # As the fuzzer reads its inputs: UTF-8, undecodable bytes as lone surrogates.
    check(path.read_bytes().decode("utf-8", "surrogateescape"))


def test_the_fast_path_takes_most_seeds() -> None:
    # Seeds the fast path declines exercise only the oracle's easy side: most must be taken.
    seeds = [p for p in FILES if p.name.startswith("seed-")]
    taken = sum(check(p.read_bytes().decode("utf-8", "surrogateescape")) for p in seeds)
    assert taken >= len(seeds) // 2, f"the fast path took only {taken} of {len(seeds)} seeds"
