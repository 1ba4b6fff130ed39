"""Lint findings on real documents, frozen: ``tests/golden/lint.json`` and its check.

Usage::

    python scripts/lint_golden.py --write     # record the findings of today's code
    python scripts/lint_golden.py --check     # exit 1 and name each document whose findings changed
    python scripts/lint_golden.py --show FILE # the findings of one document, as recorded

The documents are every ``*.ssml`` and ``*.xml`` file of ``examples/`` and of the shared corpus
(``../shared/corpus``, beside the checkout). For our own examples the record holds the findings and
the fixed text; for the corpus it holds only their codes and a SHA-256 of the findings and the fixed
text, so that nothing of those documents is copied into the project.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "lint.json"
CORPUS = ROOT.parent / "shared" / "corpus"


def documents() -> list[tuple[str, Path]]:
    """(key, path) of every document, keys relative to ``examples/`` or the corpus, sorted."""
    found: list[tuple[str, Path]] = []
    for prefix, base in (("examples", ROOT / "examples"), ("corpus", CORPUS)):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix in {".ssml", ".xml"} and path.is_file():
                found.append((f"{prefix}/{path.relative_to(base).as_posix()}", path))
    return found


def findings(data: bytes, key: str) -> dict[str, Any]:
    """What today's code says of one document: every finding and the safe-fixed text."""
    import ssmlkit

    diagnostics = ssmlkit.lint(data, path=key)
    text = data.decode("utf-8", errors="replace")
    fixed = ssmlkit.fix(text).text
    return {
        "findings": [d.to_dict() for d in diagnostics],
        "fixed": fixed,
    }


def record(key: str, data: bytes) -> dict[str, Any]:
    result = findings(data, key)
    canonical = json.dumps(result, ensure_ascii=False, sort_keys=True)
    entry: dict[str, Any] = {
        "codes": [f["code"] for f in result["findings"]],
        "sha256": hashlib.sha256(canonical.encode()).hexdigest(),
    }
    if key.startswith("examples/"):
        entry.update(result)
    return entry


def current() -> dict[str, dict[str, Any]]:
    return {key: record(key, path.read_bytes()) for key, path in documents()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    group.add_argument("--show", metavar="KEY")
    args = parser.parse_args(argv)
    if args.show:
        path = dict(documents())[args.show]
        print(json.dumps(findings(path.read_bytes(), args.show), ensure_ascii=False, indent=1))
        return 0
    now = current()
    if args.write:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(now)} documents in {GOLDEN.relative_to(ROOT)}")
        return 0
    golden = json.loads(GOLDEN.read_text())
    changed = [key for key in now if key in golden and golden[key] != now[key]]
    for key in changed:
        print(f"{key}: {golden[key]['codes']} -> {now[key]['codes']}")
    print(f"{len(changed)} of {len(now)} documents changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
