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
    assert "ssmlkit.rendering" not in out


def test_public_functions_are_plain_functions_whatever_was_imported_first() -> None:
    # No module shares a public function's name, so importing the modules never hides a function.
    code = (
        "import ssmlkit.splitter, ssmlkit.linter.engine, ssmlkit.rendering.client, ssmlkit\n"
        "assert ssmlkit.lint('<speak>a & b</speak>')[0].code == 'XM002'\n"
        "assert len(ssmlkit.split('<speak>one two</speak>', max_chars=4)) == 2\n"
        "import types\n"
        "for name in ('lint', 'split', 'render', 'fix', 'validate', 'convert', 'measure'):\n"
        "    assert isinstance(getattr(ssmlkit, name), types.FunctionType), name\n"
        "from ssmlkit.splitter import split\n"
        "assert split('<speak>x</speak>')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
