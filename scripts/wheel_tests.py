"""Run the scanner, parser, lint and split tests against an installed ssmlkit wheel, not the checkout.

Usage (cibuildwheel's test-command; any OS)::

    python scripts/wheel_tests.py PROJECT_DIR [pytest arguments]

It copies the tests, examples and pyproject.toml (for pytest's settings) from PROJECT_DIR into a
fresh temporary folder, where ``import ssmlkit`` can only find the installed wheel, checks that it
does (and that the wheel's C fast path loads when ``SSMLKIT_REQUIRE_CEXT=1``), then runs pytest there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Tests of the parts that depend on the platform and the CPython version: the C and Python scanners,
# the parser, the rules, fixes and the splitter. None needs a network or the [offline] extra.
TESTS = [
    "tests/unit/test_parse.py",
    "tests/unit/test_scan_elements.py",
    "tests/unit/test_c_walk.py",
    "tests/unit/test_records.py",
    "tests/unit/test_split.py",
    "tests/unit/test_fix.py",
    "tests/unit/test_suppress.py",
    "tests/rules",
]

CHECK = """
import os, sys
from pathlib import Path
import ssmlkit, ssmlkit._scan as scan
project = Path(sys.argv[1]).resolve()
where = Path(ssmlkit.__file__).resolve()
if where.is_relative_to(project):
    sys.exit(f"ssmlkit was imported from the checkout ({where}), not from the wheel")
print(f"ssmlkit {ssmlkit.__version__} from {where.parent}; C fast path:",
      "loaded" if scan.FAST_SCAN else "NOT loaded")
if scan.FAST_SCAN is None and os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1":
    sys.exit("the wheel's C fast path does not load")
"""


def main(argv: list[str]) -> int:
    """Copy the tests next to nothing else and run them against the installed ssmlkit."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    project = Path(argv[0]).resolve()
    with tempfile.TemporaryDirectory(prefix="ssmlkit-wheel-tests-") as tmp:
        here = Path(tmp)
        shutil.copytree(
            project / "tests", here / "tests", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copytree(project / "examples", here / "examples")
        shutil.copy2(project / "pyproject.toml", here / "pyproject.toml")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.setdefault("HYPOTHESIS_PROFILE", "ci")
        check = subprocess.run([sys.executable, "-c", CHECK, str(project)], cwd=here, env=env)
        if check.returncode != 0:
            return check.returncode
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        # Without pytest-asyncio its option in pyproject.toml is unknown: not an error here.
        command += ["-W", "ignore::pytest.PytestConfigWarning", *TESTS, *argv[1:]]
        return subprocess.run(command, cwd=here, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
