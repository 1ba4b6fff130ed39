"""A coverage-guided differential fuzzer for the C fast path (atheris, that is libFuzzer).

Run it through ``scripts/fuzz.sh`` (which builds the instrumented extension in a copy of the tree
and keeps the corpus out of the repository); by hand, from such a tree::

    python scripts/fuzz_cscan.py -max_total_time=60 -use_value_profile=1 CORPUS_DIR SEED_DIR

Every input, read as UTF-8 (undecodable bytes become lone surrogates, which the scanners must
refuse alike), goes through :func:`tests.fuzz.oracle.check`: the C scanner declines or builds
exactly the Python scanner's nodes, spans included, and lxml accepts whatever C accepted. A broken
promise is an ``AssertionError``; a memory error is a crash; libFuzzer writes either input to
``crash-*`` and stops.

What steers it: atheris instruments the Python modules of ``ssmlkit`` (the Python scanner's
branches) and, through ``-use_value_profile=1``, the comparisons inside ``_cscan.c``, which the
``fuzz`` build of ``hatch_build.py`` compiles with gcc's ``-fsanitize-coverage=trace-cmp``. (Edge
counters for C need clang's ``-fsanitize=fuzzer-no-link``, which gcc has not; comparison operands
are what a scanner's branches depend on.) Those hooks are libFuzzer's, resolved when the
extension is loaded, so the extension is imported only once libFuzzer runs (see ``_load_c``).
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Import ssmlkit (instrumented) without its extension: the extension's coverage hooks live in
# atheris' libFuzzer, which is loaded by atheris.Fuzz(); _load_c brings the extension in then.
os.environ["SSMLKIT_PURE_PYTHON"] = "1"
with atheris.instrument_imports(include=["ssmlkit"]):
    from ssmlkit import _scan
    from tests.fuzz import oracle
del os.environ["SSMLKIT_PURE_PYTHON"]


def _load_c() -> None:
    """Make libFuzzer's symbols global, then import and configure the instrumented extension."""
    core = sys.modules.get("atheris.core_with_libfuzzer")
    if core is not None and core.__file__:
        # RTLD_NOLOAD: no second copy, only the loaded library's symbols made visible to others.
        ctypes.CDLL(core.__file__, mode=os.RTLD_NOW | os.RTLD_GLOBAL | os.RTLD_NOLOAD)
    _scan.FAST_SCAN = _scan._load_fast_path()
    if _scan.FAST_SCAN is None:
        raise SystemExit("fuzz_cscan: ssmlkit._cscan did not load")
    from ssmlkit import _cscan

    print(f"fuzz_cscan: C scanner {_cscan.__file__}", file=sys.stderr)


def one_input(data: bytes) -> None:
    """libFuzzer's entry point: one input through the differential oracle."""
    if _scan.FAST_SCAN is None:
        _load_c()
    oracle.check(data.decode("utf-8", "surrogateescape"))


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
