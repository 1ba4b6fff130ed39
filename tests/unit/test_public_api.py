"""The public API: ``__all__`` is complete and every public name has a docstring."""

from __future__ import annotations

import inspect
import subprocess
import sys

import ssmlkit


def test_all_names_resolve_and_are_documented() -> None:
    for name in ssmlkit.__all__:
        value = getattr(ssmlkit, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(value), f"ssmlkit.{name} has no docstring"


def test_all_is_complete() -> None:
    public = {
        n
        for n, v in vars(ssmlkit).items()
        if not n.startswith("_")
        and not inspect.ismodule(v)
        and n not in {"annotations", "TYPE_CHECKING", "Any"}
    }
    missing = public - set(ssmlkit.__all__)
    assert not missing, f"public names missing from __all__: {sorted(missing)}"


def test_import_does_not_load_network_or_renderer() -> None:
    code = "import sys, ssmlkit; print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx','ssmlkit')))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "httpx" not in out
    assert "ssmlkit.render" not in out
