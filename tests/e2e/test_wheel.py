"""The wheel ships the schema and the type marker, and an installed ssmlkit finds its own schema.

Builds the wheel from this checkout (offline when hatchling is installed: no build isolation),
unpacks it into a temporary folder and imports ssmlkit from there in a fresh interpreter whose
working directory is elsewhere, so nothing can come from the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ssmlkit import _scan

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import ssmlkit
from ssmlkit.schema import load_schema, schema_path, validate
import ssmlkit._scan
load_schema()
issues = validate('<speak><break time="20s"/></speak>')
print(json.dumps({
    "module": ssmlkit.__file__,
    "schema": str(schema_path()),
    "schema_bytes": schema_path().read_bytes().decode("utf-8"),
    "issues": [[i.element, i.attribute, i.line, i.column] for i in issues],
    "fast_scan": ssmlkit._scan.FAST_SCAN is not None,
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(4, "--no-isolation")  # offline: use the hatchling installed here
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(out.glob("ssmlkit-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow
def test_wheel_contains_the_schema_and_py_typed(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = archive.read("ssmlkit/schemas/cosyvoice.xsd")
    assert "ssmlkit/py.typed" in names
    assert "ssmlkit/schema.py" in names
    assert shipped == (ROOT / "schemas" / "cosyvoice.xsd").read_bytes()
    assert not any(name.startswith(("tests/", "schemas/")) for name in names)


@pytest.mark.slow
def test_installed_package_loads_its_shipped_schema(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert Path(report["module"]).is_relative_to(site)
    assert Path(report["schema"]) == site / "ssmlkit" / "schemas" / "cosyvoice.xsd"
    assert not Path(report["schema"]).is_relative_to(ROOT)
    assert (
        report["schema_bytes"].encode("utf-8") == (ROOT / "schemas" / "cosyvoice.xsd").read_bytes()
    )
    assert report["issues"] == [["break", "time", 1, 15]]
    # The C fast path ships in the wheel and loads from it whenever this checkout has it built.
    assert report["fast_scan"] == (_scan.FAST_SCAN is not None)


@pytest.mark.slow
def test_wheel_carries_the_compiled_fast_path(wheel: Path) -> None:
    if _scan.FAST_SCAN is None and os.environ.get("SSMLKIT_REQUIRE_CEXT") != "1":
        pytest.skip("no C compiler here: the wheel is pure Python, which the next test covers")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(n.startswith("ssmlkit/_cscan") and n.endswith((".so", ".pyd")) for n in names)
    assert not wheel.name.endswith("-none-any.whl"), "a wheel with C code must be platform-tagged"


@pytest.mark.slow
def test_wheel_carries_the_licence_files_and_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{info}/METADATA").decode("utf-8")
        shipped = archive.read(f"{info}/licenses/LICENSE")
    assert shipped == (ROOT / "LICENSE").read_bytes()
    assert f"{info}/licenses/THIRD_PARTY_NOTICES.md" in names
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Provides-Extra: offline" in metadata


def _copy_tree(dest: Path) -> Path:
    """The files a build needs, without compiled extensions, so a build cannot reuse one."""
    shutil.copytree(
        ROOT / "ssmlkit",
        dest / "ssmlkit",
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"),
    )
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copy2(ROOT / "THIRD_PARTY_NOTICES.md", dest / "THIRD_PARTY_NOTICES.md")
    return dest


def _build_without_a_compiler(
    tree: Path, out: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(tree)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(4, "--no-isolation")
    environment = {k: v for k, v in os.environ.items() if k != "SSMLKIT_REQUIRE_CEXT"}
    environment.update(CC="false", **env)  # a "compiler" that always fails
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False, timeout=300
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="CC= selects the compiler only on Unix")
def test_a_failed_compile_warns_visibly_and_require_cext_makes_it_fatal(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path / "tree")
    result = _build_without_a_compiler(tree, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "WARNING: ssmlkit: the C scanner was not built" in output
    assert "!" * 78 in output
    (built,) = (tmp_path / "out").glob("ssmlkit-*.whl")
    assert built.name.endswith("-py3-none-any.whl")
    result = _build_without_a_compiler(tree, tmp_path / "fatal", SSMLKIT_REQUIRE_CEXT="1")
    assert result.returncode != 0
    assert "the C scanner was not built" in result.stdout + result.stderr
    assert not list((tmp_path / "fatal").glob("*.whl"))
