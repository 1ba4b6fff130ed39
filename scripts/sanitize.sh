#!/usr/bin/env bash
# The C fast path (ssmlkit/_cscan.c) under AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/sanitize.sh                 # the C tests below, a few minutes
#   scripts/sanitize.sh -k alloc        # extra arguments go to pytest
#
# It copies the checkout's tracked files to a temporary tree (the checkout's own extension stays
# as it is), builds the extension there with -fsanitize=address,undefined -fno-sanitize-recover
# (hatch_build.py's "sanitize" build), and runs there, with the sanitizer runtimes preloaded into
# an ordinary Python and PYTHONMALLOC=malloc (so every Python object is a malloc block ASan sees):
# the scanner's differential property tests, the fuzz tests, the walk tests, the regression tests
# of the audit's bugs and the allocation-failure loop. Any memory error or undefined behaviour in
# the extension stops the process with a report and fails the script.
#
# Leak checking (LeakSanitizer) is off: CPython itself keeps memory until exit by design, which
# LSan reports by the thousand; the allocation-failure test checks leaks by reference counts
# instead (and by pymalloc's block count in the ordinary suite).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}

CC=${CC:-gcc}
if ! command -v "$CC" >/dev/null || [[ ! -e "$("$CC" -print-file-name=libasan.so)" ]]; then
    # A fresh Debian machine: gcc and its sanitizer runtimes (libasan, libubsan come with gcc).
    apt-get update -qq && apt-get install -y -qq gcc >/dev/null
fi
ASAN_LIB=$("$CC" -print-file-name=libasan.so)
UBSAN_LIB=$("$CC" -print-file-name=libubsan.so)
for lib in "$ASAN_LIB" "$UBSAN_LIB"; do
    [[ -e "$lib" ]] || { echo "sanitize: $lib not found (is gcc's sanitizer runtime installed?)" >&2; exit 2; }
done

TREE=$(mktemp -d "${TMPDIR:-/tmp}/ssmlkit-sanitize.XXXXXX")
trap 'rm -rf "$TREE"' EXIT
# Tracked files and new ones not yet committed (as they are in the working tree), ignored ones not.
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$TREE"

echo "== build (sanitize) in $TREE"
"$PY" "$ROOT/hatch_build.py" sanitize "$TREE" >"$TREE/build.log" 2>&1 || {
    cat "$TREE/build.log"
    exit 1
}
SO=$(ls "$TREE"/ssmlkit/_cscan*.so)
# The build must really be instrumented, or this script would pass without checking anything.
# (Read whole, then matched: `ldd | grep -q` under pipefail fails whenever grep exits before ldd
# has written its last line.)
DEPS=$(ldd "$SO")
if [[ $DEPS != *libasan* ]]; then
    echo "sanitize: $SO is not linked against libasan" >&2
    exit 1
fi

# ASan keeps its shadow memory at fixed addresses. With high address-randomization entropy
# (vm.mmap_rnd_bits above 28, as some kernels are configured), gcc 12's runtime can fail at the
# start of a process whose mappings happen to land there, at random (google/sanitizers#1614);
# this step starts dozens of processes (the allocation-failure loops, the rule-mutation test,
# other interpreters), so one of them would fail it now and then on such a machine. `setarch -R`
# turns randomization off for the process tree (inherited across fork and exec, no privileges);
# a container that forbids it runs without.
NORAND=()
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
    NORAND=(setarch "$(uname -m)" -R)
fi

export LD_PRELOAD="$ASAN_LIB $UBSAN_LIB"
export PYTHONMALLOC=malloc
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export SSMLKIT_REQUIRE_CEXT=1
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}

cd "$TREE"
# The tree's own ssmlkit (with the instrumented extension) comes first on sys.path.
"${NORAND[@]}" "$PY" -c 'import ssmlkit._cscan as m, sys; assert m.__file__.startswith(sys.argv[1]), m.__file__' "$TREE"

echo "== pytest under ASan + UBSan"
# What a failure here depends on, for a CI record that shows only this step's tail.
echo "   $(LD_PRELOAD= "$CC" --version | head -n 1); kernel $(uname -r); vm.mmap_rnd_bits $(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo '?'); address randomization $([[ ${#NORAND[@]} -gt 0 ]] && echo 'off (setarch -R)' || echo 'on (setarch -R not allowed here)')"
"${NORAND[@]}" "$PY" -c 'import sys, lxml.etree as e, hypothesis as h; print("   Python", sys.version.split()[0], "lxml", e.__version__, "libxml2", e.LIBXML_VERSION, "hypothesis", h.__version__)'
# (-p no:faulthandler: ASan, not Python, reports a crash, with the C stack.)
"${NORAND[@]}" "$PY" -m pytest -p no:cacheprovider -p no:faulthandler -q -x \
    tests/unit/test_cscan_bugs.py \
    tests/unit/test_cscan_api.py \
    tests/unit/test_cscan_bare.py \
    tests/unit/test_cscan_gc.py \
    tests/hardening/test_cscan_alloc.py \
    tests/unit/test_c_walk.py \
    tests/unit/test_c_records.py \
    tests/unit/test_rule_plugins.py \
    tests/property/test_cscan_props.py \
    tests/fuzz \
    "$@"
