"""A new user's install: the sdist, a wheel built from it, a fresh venv with the core only, then with
``[offline]``.

The core venv gets the wheel with ``--no-deps`` plus exactly the core requirements read from the
wheel's own metadata (from pip's cache or the configured index), so numpy, soxr, eSpeak NG and
lameenc are not installed there at all. In it, ``import ssmlkit``, lint, fix, split, convert and an
HTTP render against a real server on 127.0.0.1 must work without importing any of them; the
offline engine must fail with one line naming ``pip install 'ssmlkit[offline]'``. A second venv
with the extra must render ``examples/hello.ssml`` to a WAV.

Everything runs from a folder outside the checkout, so nothing can come from it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tarfile
import venv
import wave
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.e2e.fake_service import FakeService

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
KEY = "sk-core-install-test"
HINT = "pip install 'ssmlkit[offline]'"
OFFLINE_STACK = ("numpy", "soxr", "espeakng_loader", "lameenc")
# The engine's modules that load that stack (ssmlkit.offline.plan is pure Python and may be shared).
ENGINE_MODULES = ("ssmlkit.offline.engine", "ssmlkit.offline.encode", "ssmlkit.offline._espeak")

pytestmark = pytest.mark.slow

# Runs inside the core venv: every core entry point on every example, then reports what got imported.
PROBE = """
import json, sys
from pathlib import Path

examples, base_url, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
import ssmlkit

report = {"module": ssmlkit.__file__, "documents": {}}
for path in sorted(examples.glob("*.ssml")):
    data = path.read_bytes()
    fixed = ssmlkit.fix(data)
    report["documents"][path.name] = {
        "findings": len(ssmlkit.lint(data, path=str(path))),
        "fixed": isinstance(fixed.text, str),
        "chunks": len(ssmlkit.split(data, max_chars=400)),
        "converted": ssmlkit.convert(data).text.startswith(("<speak", "<!--")),
    }
ssmlkit.render(
    "<speak>你好, core install.</speak>", out, engine="http", base_url=base_url,
    api_key=sys.argv[4], voice="longanyang", format="wav", cache=False,
)
try:
    ssmlkit.render("<speak>hi</speak>", engine="offline", format="wav", cache=False)
except ssmlkit.EngineUnavailableError as exc:
    report["offline_error"] = str(exc)
report["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in {stack})
report["offline_modules"] = sorted(set(sys.modules) & {engine_modules})
print(json.dumps(report))
""".replace("{stack}", repr(set(OFFLINE_STACK))).replace(
    "{engine_modules}", repr(set(ENGINE_MODULES))
)


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env.pop("PYTHONPATH", None)  # the venvs must see only what was installed into them
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist of this checkout and a wheel built from that sdist (as ``python -m build`` does)."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(3, "--no-isolation")  # offline: use the hatchling installed here
    result = _run(command, cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    sdists = list(out.glob("ssmlkit-*.tar.gz"))
    wheels = list(out.glob("ssmlkit-*.whl"))
    assert len(sdists) == 1, sdists
    assert len(wheels) == 1, wheels
    return {"sdist": sdists[0], "wheel": wheels[0]}


def test_the_sdist_carries_the_licence_and_the_notices(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "THIRD_PARTY_NOTICES.md", "hatch_build.py", "ssmlkit/_cscan.c"} <= names


def _core_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, flags=re.MULTILINE)
    # No extras; platform markers as they apply on this machine (pip would decide the same).
    return [
        r.strip()
        for r in requires
        if (marker := Requirement(r).marker) is None or marker.evaluate({"extra": ""})
    ]


def test_the_core_metadata_names_only_the_light_dependencies(dist: dict[str, Path]) -> None:
    core = {
        re.split(r"[ <>=!;\[]", r, maxsplit=1)[0].lower() for r in _core_requirements(dist["wheel"])
    }
    assert core == {"lxml", "httpx", "click", "pathspec"}


@pytest.fixture(scope="module")
def core_venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("core")
    bin_dir = _venv(home / "venv")
    python = str(bin_dir / "python")
    result = _run([python, "-m", "pip", "install", "--no-deps", str(dist["wheel"])], cwd=home)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run([python, "-m", "pip", "install", *_core_requirements(dist["wheel"])], cwd=home)
    assert result.returncode == 0, result.stdout + result.stderr
    return bin_dir


def test_the_core_install_has_no_offline_stack(core_venv: Path, tmp_path: Path) -> None:
    probe = f"import importlib.util as u; print([m for m in {OFFLINE_STACK!r} if u.find_spec(m)])"
    result = _run([str(core_venv / "python"), "-c", probe], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_core_lints_fixes_splits_converts_and_renders_over_http(
    core_venv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "http.wav"
    with FakeService(api_key=KEY) as service:
        result = _run(
            [
                str(core_venv / "python"),
                "-c",
                PROBE,
                str(EXAMPLES),
                service.base_url,
                str(out),
                KEY,
            ],
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not Path(report["module"]).is_relative_to(ROOT)
    documents = report["documents"]
    assert "hello.ssml" in documents
    assert len(documents) == len(list(EXAMPLES.glob("*.ssml")))
    assert all(d["fixed"] and d["chunks"] >= 1 and d["converted"] for d in documents.values())
    with wave.open(str(out), "rb") as w:
        assert w.getnframes() > 0
    assert report["offline_error"].endswith(HINT), report["offline_error"]
    assert report["loaded"] == [], "the offline stack was imported by core work"
    assert report["offline_modules"] == [], report["offline_modules"]


def test_the_core_cli_works_and_render_without_a_key_says_how_to_get_the_extra(
    core_venv: Path, tmp_path: Path
) -> None:
    ssmlkit = str(core_venv / "ssmlkit")
    hello = str(EXAMPLES / "hello.ssml")
    result = _run([ssmlkit, "lint", hello], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    bad = tmp_path / "bad.ssml"
    bad.write_text('<speak rate="200"><break time="20s"/>Tom & Jerry</speak>', encoding="utf-8")
    result = _run([ssmlkit, "lint", str(bad)], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert all(code in result.stdout for code in ("VA001", "BR002", "XM002")), result.stdout
    for command in (["split", hello, "--max-chars", "400"], ["convert", hello]):
        result = _run([ssmlkit, *command], cwd=tmp_path)
        assert result.returncode == 0, (command, result.stdout + result.stderr)
        assert "<speak" in result.stdout, command
    result = _run([ssmlkit, "render", hello, "-o", str(tmp_path / "hello.wav")], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ssmlkit: error: ")
    assert lines[0].endswith(HINT)
    assert not (tmp_path / "hello.wav").exists()


def test_the_offline_extra_renders_hello(dist: dict[str, Path], tmp_path: Path) -> None:
    bin_dir = _venv(tmp_path / "venv")
    wheel = dist["wheel"]
    result = _run(
        [str(bin_dir / "python"), "-m", "pip", "install", f"ssmlkit[offline] @ {wheel.as_uri()}"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "hello.wav"
    result = _run(
        [str(bin_dir / "ssmlkit"), "render", str(EXAMPLES / "hello.ssml"), "-o", str(out)],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "preview voice" in result.stderr
    with wave.open(str(out), "rb") as w:
        assert w.getnframes() / w.getframerate() > 1.0
