#!/usr/bin/env bash
# Line and branch coverage (gcov) of the C fast path, ssmlkit/_cscan.c, under the tests.
#
#   scripts/c_coverage.sh                  # the C-facing tests; fails below 95% of lines
#   FAIL_UNDER=97 scripts/c_coverage.sh    # another threshold
#   scripts/c_coverage.sh tests            # the whole suite (pytest arguments replace the list)
#
# It copies the checkout to a temporary tree, builds the extension there unoptimised with
# --coverage (hatch_build.py's "coverage" build), runs the tests there (subprocesses they start
# count too), and prints gcov's summary, writing the annotated source to c-coverage/_cscan.c.gcov
# in the checkout (ignored by git): lines marked ##### never ran. Only gcc's own gcov is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
FAIL_UNDER=${FAIL_UNDER:-95}

if ! command -v gcov >/dev/null || ! command -v "${CC:-gcc}" >/dev/null; then
    apt-get update -qq && apt-get install -y -qq gcc >/dev/null  # gcov comes with gcc
fi

TREE=$(mktemp -d "${TMPDIR:-/tmp}/ssmlkit-coverage.XXXXXX")
trap 'rm -rf "$TREE"' EXIT
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$TREE"
"$PY" "$ROOT/hatch_build.py" coverage "$TREE" >"$TREE/build.log" 2>&1 || {
    cat "$TREE/build.log"
    exit 1
}
NOTES=$(find "$TREE/build" -name '_cscan.gcno' | head -n 1)
[[ -n "$NOTES" ]] || { echo "c_coverage: no _cscan.gcno: not a coverage build" >&2; exit 1; }

if [[ $# -eq 0 ]]; then
    set -- tests/unit/test_cscan_bugs.py tests/unit/test_cscan_bare.py tests/unit/test_cscan_gc.py \
        tests/hardening/test_cscan_alloc.py \
        tests/unit/test_cscan_api.py tests/unit/test_c_walk.py tests/unit/test_c_records.py \
        tests/unit/test_rule_plugins.py \
        tests/unit/test_scan_elements.py \
        tests/property/test_cscan_props.py tests/fuzz tests/rules
fi
echo "== pytest (coverage build)"
(cd "$TREE" && SSMLKIT_REQUIRE_CEXT=1 HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci} \
    "$PY" -m pytest -p no:cacheprovider -q "$@" | tail -n 3)

echo "== gcov ssmlkit/_cscan.c"
OUT="$ROOT/c-coverage"
mkdir -p "$OUT"
cd "$TREE"
gcov --branch-probabilities --branch-counts --object-directory "$(dirname "$NOTES")" \
    ssmlkit/_cscan.c >"$TREE/gcov.txt"
mv _cscan.c.gcov "$OUT/"
# gcov's summary for the file itself (not the headers it inlines).
summary=$(awk '/^File .*_cscan\.c/{found=1; next} found && /^$/{exit} found' "$TREE/gcov.txt")
echo "$summary"
lines=$(echo "$summary" | sed -n 's/^Lines executed:\([0-9.]*\)% of .*/\1/p')
[[ -n "$lines" ]] || { echo "c_coverage: no line summary from gcov" >&2; cat "$TREE/gcov.txt"; exit 1; }
echo "annotated source: $OUT/_cscan.c.gcov (##### marks lines never run)"
if awk -v got="$lines" -v want="$FAIL_UNDER" 'BEGIN{exit !(got < want)}'; then
    echo "c_coverage: FAILED: ${lines}% of lines, below ${FAIL_UNDER}%"
    exit 1
fi
echo "c_coverage: ok: ${lines}% of lines (at least ${FAIL_UNDER}%)"
