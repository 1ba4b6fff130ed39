"""docs/dialect.md: every rule it cites exists and links to its entry in docs/rules.md."""

from __future__ import annotations

import re
from pathlib import Path

from ssmlkit.linter import all_rules

DOCS = Path(__file__).resolve().parents[2] / "docs"
LINK = re.compile(r"\[([A-Z]{2}\d{3})\]\(rules\.md#([a-z0-9-]+)\)")


def _anchors(markdown: str) -> set[str]:
    """GitHub-style anchors of the headings in ``markdown``."""
    out = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def test_every_cited_rule_exists_and_links_to_its_anchor():
    text = (DOCS / "dialect.md").read_text(encoding="utf-8")
    anchors = _anchors((DOCS / "rules.md").read_text(encoding="utf-8"))
    rules = {rule.code: rule.name for rule in all_rules()}
    links = LINK.findall(text)
    assert links
    for code, anchor in links:
        assert code in rules, f"{code} is not a rule"
        assert anchor == f"{code.lower()}-{rules[code]}", f"{code} links to {anchor}"
        assert anchor in anchors, f"rules.md has no heading #{anchor}"


def test_every_rule_code_in_the_text_is_a_link():
    text = (DOCS / "dialect.md").read_text(encoding="utf-8")
    bare = set(re.findall(r"\b[A-Z]{2}\d{3}\b", text)) - {code for code, _ in LINK.findall(text)}
    # BR002 appears once more inside the suppression-comment example.
    assert bare <= {"BR002"}


def test_the_guide_covers_every_rule_family():
    text = (DOCS / "dialect.md").read_text(encoding="utf-8")
    cited = {code for code, _ in LINK.findall(text)}
    families = {rule.code[:2] for rule in all_rules()}
    assert families == {code[:2] for code in cited}
