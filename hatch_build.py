"""Build hook: compile the scanner's C fast path (``ssmlkit/_cscan.c``) when a wheel is built.

Hatchling calls :class:`CScanHook` for every wheel, editable installs included
(``pip install -e .``). It compiles the extension in place, next to ``_cscan.c``, with setuptools'
``build_ext`` (which knows each platform's compiler and flags), and puts it into the wheel.

The extension is optional: without a C compiler the build warns and produces a pure-Python wheel,
and ssmlkit runs its Python scanner (same results, slower). Set ``SSMLKIT_REQUIRE_CEXT=1`` to make
a failed compile fail the build instead (CI does, so a broken extension cannot go unnoticed).

After editing ``_cscan.c`` in a checkout, rebuild it in place with ``python hatch_build.py``
(``python hatch_build.py sanitize DIR`` or ``coverage DIR`` builds the checked variants in DIR).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SOURCE = Path("ssmlkit") / "_cscan.c"


#: Compiler and linker flags per kind of build. ``release`` is what wheels get; ``sanitize``
#: (scripts/sanitize.sh) makes any memory error or undefined behaviour stop the process with a
#: report; ``coverage`` (scripts/c_coverage.sh) writes gcov data, unoptimised so that lines map.
BUILDS: dict[str, list[str]] = {
    "release": ["-O2"],
    "sanitize": [
        "-O1",
        "-g",
        "-fno-omit-frame-pointer",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
    ],
    "coverage": ["-O0", "-g", "--coverage"],
    # scripts/fuzz.sh: comparisons reported to libFuzzer (atheris), which steers by them
    "fuzz": ["-O1", "-g", "-fsanitize-coverage=trace-cmp"],
}


def compile_extension(root: Path = ROOT, build: str = "release") -> Path | None:
    """Compile ``ssmlkit/_cscan.c`` in place under ``root``; return the built file, or ``None``.

    ``build`` names a set of flags in :data:`BUILDS` (the sanitizer and coverage scripts build
    their own copies of the tree with ``sanitize`` and ``coverage``).
    """
    flags = [] if os.name == "nt" else BUILDS[build]
    try:
        from setuptools import Distribution, Extension
    except ImportError as exc:
        return _give_up(f"setuptools is not installed ({exc})")
    here = Path.cwd()
    os.chdir(root)  # build_ext's in-place output is relative to the working directory
    try:
        distribution = Distribution(
            {
                "name": "ssmlkit",
                "ext_modules": [
                    Extension(
                        "ssmlkit._cscan",
                        [str(SOURCE)],
                        extra_compile_args=flags,
                        extra_link_args=flags if build != "release" else [],
                    )
                ],
                "script_args": ["build_ext", "--inplace"],
            }
        )
        distribution.parse_command_line()
        distribution.run_commands()
    except Exception as exc:  # any compiler or setup failure: fall back to pure Python
        return _give_up(f"{type(exc).__name__}: {exc}")
    finally:
        os.chdir(here)
    built = root / "ssmlkit" / f"_cscan{sysconfig.get_config_var('EXT_SUFFIX') or '.so'}"
    if not built.is_file():
        return _give_up(f"{built} was not produced")
    return built


def _give_up(reason: str) -> None:
    message = f"ssmlkit: the C scanner was not built ({reason}); using the pure-Python scanner"
    if os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
        raise RuntimeError(message)
    # A banner, not a line: build logs are long, and this wheel lints about 20x slower. (pip shows
    # a backend's output only with -v; `python -m build` and cibuildwheel always show it.)
    rule = "!" * 78
    print(
        f"\n{rule}\nWARNING: {message}.\nThe wheel is pure Python (tagged py3-none-any) and "
        "lints about 20x slower.\nInstall a C compiler, or set SSMLKIT_REQUIRE_CEXT=1 to make "
        f"this an error.\n{rule}\n",
        file=sys.stderr,
        flush=True,
    )
    return None


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script without hatchling: only compile_extension is needed
    BuildHookInterface = object  # type: ignore[assignment,misc]


class CScanHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Compiles the extension and marks the wheel as platform-specific when that worked."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Called by hatchling before it collects the wheel's files."""
        if self.target_name != "wheel":
            return
        built = compile_extension(Path(self.root))
        if built is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":  # an editable install imports it from the checkout
            build_data["force_include"][str(built)] = f"ssmlkit/{built.name}"


if __name__ == "__main__":
    # python hatch_build.py [release|sanitize|coverage|fuzz] [ROOT]
    result = compile_extension(
        Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT,
        sys.argv[1] if len(sys.argv) > 1 else "release",
    )
    print(result if result is not None else "not built")
    sys.exit(0 if result is not None else 1)
