#!/usr/bin/env bash
# Coverage-guided differential fuzzing of the C fast path (atheris; see scripts/fuzz_cscan.py).
#
#   scripts/fuzz.sh                     # 60 seconds (what CI runs)
#   scripts/fuzz.sh 3600                # an hour; any libFuzzer flags may follow:
#   scripts/fuzz.sh 3600 -workers=2 -jobs=2
#   FUZZ_CORPUS=~/cscan-corpus scripts/fuzz.sh 3600    # keep the grown corpus between runs
#
# It copies the checkout to a temporary tree, builds the extension there with the "fuzz" flags of
# hatch_build.py (gcc's -fsanitize-coverage=trace-cmp), and runs libFuzzer from the seeds in
# tests/fuzz/corpus/ for the given number of seconds. The corpus it grows goes to FUZZ_CORPUS (a
# temporary directory by default), never into the repository. A failing input is copied to
# fuzz-artifacts/ in the checkout and printed; make it a regression test by adding it, as it is,
# to tests/fuzz/corpus/ (tests/fuzz/test_corpus.py replays every file there), then fix the bug.
# tests/fuzz/README.md has the long run and how to fold a grown corpus back into the seeds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
SECONDS_TO_RUN=${1:-60}
shift || true

if ! "$PY" -c 'import atheris' 2>/dev/null; then
    echo "fuzz: atheris is not installed (pip install -e '.[dev]')" >&2
    exit 2
fi
if ! command -v "${CC:-gcc}" >/dev/null; then
    apt-get update -qq && apt-get install -y -qq gcc >/dev/null
fi

TREE=$(mktemp -d "${TMPDIR:-/tmp}/ssmlkit-fuzz.XXXXXX")
trap 'rm -rf "$TREE"' EXIT
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$TREE"
"$PY" "$ROOT/hatch_build.py" fuzz "$TREE" >"$TREE/build.log" 2>&1 || {
    cat "$TREE/build.log"
    exit 1
}
# (Read whole, then matched: `nm | grep -q` under pipefail fails whenever grep exits before nm
# has written its last line.)
SYMBOLS=$(nm -D "$TREE"/ssmlkit/_cscan*.so)
if [[ $SYMBOLS != *__sanitizer_cov_trace_cmp* ]]; then
    echo "fuzz: the extension was built without comparison tracing" >&2
    exit 1
fi

CORPUS=${FUZZ_CORPUS:-$TREE/corpus}
mkdir -p "$CORPUS" "$TREE/artifacts" "$TREE/seeds"
# The seeds; the crash-* inputs are replayed by tests/fuzz/test_corpus.py instead (one whose fix
# has not landed is an expected failure there, and would stop a run here at once).
cp tests/fuzz/corpus/seed-* "$TREE/seeds/"
echo "== fuzz ${SECONDS_TO_RUN}s (corpus: $CORPUS)"
cd "$TREE"
set +e
# -timeout: one input may take at most 10 s (the oracle runs lxml); -rss_limit_mb: Python's own
# footprint plus a 4 KB input stays far below it, so more means a leak.
"$PY" scripts/fuzz_cscan.py -max_total_time="$SECONDS_TO_RUN" -use_value_profile=1 \
    -dict=tests/fuzz/ssml.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$TREE/artifacts/" "$@" "$CORPUS" "$TREE/seeds" >"$TREE/fuzz.log" 2>&1
status=$?
set -e
# libFuzzer prints a line per new coverage event, thousands in a minute: shown are its start, how
# it ended and its statistics; after a failure, its last 200 lines.
if [[ $status -eq 0 ]]; then
    grep -v -e '^INFO: Instrumenting ' -e '^"' -e '# Uses: ' -e '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' \
        "$TREE/fuzz.log" | tail -n 40
else
    grep -v -e '^INFO: Instrumenting ' -e '^"' -e '# Uses: ' "$TREE/fuzz.log" | tail -n 200
fi
if compgen -G "$TREE/artifacts/*" >/dev/null; then
    mkdir -p "$ROOT/fuzz-artifacts"
    cp "$TREE"/artifacts/* "$ROOT/fuzz-artifacts/"
    for found in "$TREE"/artifacts/*; do
        echo "fuzz: failing input $(basename "$found"):"
        "$PY" -c 'import sys; print(repr(open(sys.argv[1], "rb").read()))' "$found"
    done
    echo "fuzz: copied to $ROOT/fuzz-artifacts/; add each to tests/fuzz/corpus/ as a regression test"
fi
exit "$status"
