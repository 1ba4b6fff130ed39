#!/usr/bin/env bash
# Run the scanner, parser, lint and split tests on every other supported CPython this machine has.
#
# Usage: bash scripts/other_pythons.sh [MAIN_PYTHON]
#
# .ci/run runs the whole suite on the main interpreter (3.11, MAIN_PYTHON, default .venv/bin/python)
# and then this. Each other CPython found (python3.N on PATH, or pyenv's ~/.pyenv/versions/3.N.*)
# within requires-python gets its own venv (.venv-3.N), an editable install that compiles the C
# fast path for that version (SSMLKIT_REQUIRE_CEXT=1 makes a failed compile fatal, as in CI), and
# the tests of the parts that depend on CPython's internals. It prints which versions ran and which
# it skipped, and exits non-zero if any version failed. `nox` runs the whole suite on each instead.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

main=${1:-.venv/bin/python}
main_version=$("${main}" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# The versions pyproject.toml promises (keep in step with requires-python and the classifiers).
supported=(3.11 3.12 3.13)
tests=(
    tests/unit/test_parse.py
    tests/unit/test_scan_elements.py
    tests/unit/test_c_walk.py
    tests/unit/test_cscan_bugs.py
    tests/unit/test_records.py
    tests/unit/test_split.py
    tests/unit/test_fix.py
    tests/unit/test_suppress.py
    tests/rules
    tests/property/test_cscan_props.py
    # allocation failures (about 2 s): 3.12 changed how MemoryError is raised under exhaustion
    tests/hardening/test_cscan_alloc.py
)

find_python() {  # the interpreter for version $1, or nothing
    local version=$1 candidate
    for candidate in "$(command -v "python${version}" 2>/dev/null)" \
        "${HOME}"/.pyenv/versions/"${version}".*/bin/python3; do
        # pyenv's shims answer for every version but run only the selected ones: ask, don't trust
        if [[ -x ${candidate} ]] && "${candidate}" -c 'import sys' >/dev/null 2>&1; then
            echo "${candidate}"
            return
        fi
    done
}

ran=()
failed=()
skipped=()
for version in "${supported[@]}"; do
    if [[ ${version} == "${main_version}" ]]; then
        continue
    fi
    python=$(find_python "${version}")
    if [[ -z ${python} ]]; then
        skipped+=("${version} (not installed)")
        continue
    fi
    echo "== CPython ${version}: ${python}"
    venv=".venv-${version}"
    # [pronounce]: tests/rules runs PR008-PR010's examples, which need its data (skipped without)
    if ! { "${python}" -m venv "${venv}" &&
        "${venv}/bin/pip" install -q -e ".[pronounce]" "pytest>=8" "hypothesis>=6.100" "packaging"; }; then
        failed+=("${version} (install)")
        continue
    fi
    # The C fast path must load on this version too (or CI says so, instead of testing pure Python).
    if ! "${venv}/bin/python" -c '
import os, sys, ssmlkit._scan as scan
print("C fast path:", "loaded" if scan.FAST_SCAN else "NOT loaded")
sys.exit(scan.FAST_SCAN is None and os.environ.get("SSMLKIT_REQUIRE_CEXT") == "1")'; then
        failed+=("${version} (no C fast path)")
        continue
    fi
    # pytest-asyncio's option in pyproject.toml is unknown without it: not an error here.
    if "${venv}/bin/python" -m pytest -q -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
        "${tests[@]}"; then
        ran+=("${version}")
    else
        failed+=("${version}")
    fi
done

echo "-- other CPythons: main ${main_version} (whole suite); passed: ${ran[*]:-none};" \
    "failed: ${failed[*]:-none}; skipped: ${skipped[*]:-none}"
[[ ${#failed[@]} -eq 0 ]]
