"""docs/api.md: every public name has a docstring, and the committed reference is up to date."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

import ssmlkit
from ssmlkit import _apidoc

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "api.md"


def test_every_public_name_has_a_docstring():
    assert _apidoc.missing_docstrings() == []


def test_docs_api_md_is_up_to_date():
    assert API_MD.read_text(encoding="utf-8") == _apidoc.render_markdown(), (
        "docs/api.md is stale: run python -m ssmlkit._apidoc docs/api.md"
    )


def test_reference_has_an_entry_for_every_public_name():
    text = API_MD.read_text(encoding="utf-8")
    for module in _apidoc.MODULES:
        for name in __import__(module, fromlist=["__all__"]).__all__:
            assert f"### `{module}.{name}`" in text, f"{module}.{name} missing from docs/api.md"


def test_reference_shows_real_signatures_and_docstrings():
    import inspect
    import re

    text = API_MD.read_text(encoding="utf-8")
    section = text.split("### `ssmlkit.parse`", 1)[1].split("\n### ", 1)[0]
    # Taken from the object itself, not from the generator: its parameters and first line's words.
    for param in inspect.signature(ssmlkit.parse).parameters:
        assert param in section
    for word in re.findall(r"[A-Za-z]{3,}", inspect.getdoc(ssmlkit.parse).splitlines()[0]):
        if word not in {"class", "func"}:
            assert word in section
    assert "def split(" in text
    assert " at 0x" not in text  # default values that print addresses are made stable


def test_lazily_exported_names_are_documented_as_the_function_not_the_submodule():
    # Importing the submodule rebinds ssmlkit.split to the module; the reference must not care.
    import ssmlkit.splitter  # noqa: F401

    objects = dict(_apidoc.public_objects("ssmlkit"))
    assert callable(objects["split"])
    assert not isinstance(objects["split"], types.ModuleType)


@pytest.fixture
def fake_module(monkeypatch):
    module = types.ModuleType("fake_api")

    def documented() -> None:
        """I have a docstring."""

    def undocumented() -> None:
        pass

    class Thing:
        """A class with one undocumented method."""

        def method(self) -> None:
            pass

    module.documented = documented  # type: ignore[attr-defined]
    module.undocumented = undocumented  # type: ignore[attr-defined]
    module.Thing = Thing  # type: ignore[attr-defined]
    module.VERSION = "1"  # type: ignore[attr-defined]
    module.__all__ = ["documented", "undocumented", "Thing", "VERSION"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_api", module)
    return module


def test_the_checker_reports_missing_docstrings(fake_module):
    assert _apidoc.missing_docstrings(("fake_api",)) == [
        "fake_api.Thing.method",
        "fake_api.undocumented",
    ]


def test_dataclass_generated_docstrings_do_not_count(monkeypatch):
    import dataclasses

    module = types.ModuleType("fake_dc")

    @dataclasses.dataclass
    class Record:
        x: int

    module.Record = Record  # type: ignore[attr-defined]
    module.__all__ = ["Record"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_dc", module)
    assert Record.__doc__  # dataclass() invented one
    assert _apidoc.missing_docstrings(("fake_dc",)) == ["fake_dc.Record"]


def test_check_mode_detects_a_stale_file(tmp_path):
    stale = tmp_path / "api.md"
    stale.write_text(
        API_MD.read_text(encoding="utf-8").replace("## ssmlkit.render", "## old"), encoding="utf-8"
    )
    cmd = [sys.executable, "-m", "ssmlkit._apidoc", "--check"]
    done = subprocess.run([*cmd, str(stale)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "out of date" in done.stderr
    done = subprocess.run([*cmd, str(API_MD)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
