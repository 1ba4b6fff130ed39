#!/usr/bin/env bash
# A longer fuzz run: the suite in tests/fuzz with many more examples and random seeds.
#   scripts/fuzz_long.sh            # 5,000 examples per property
#   scripts/fuzz_long.sh 50000      # more
# Any failure prints a minimal input; add it to tests/fuzz/test_regressions.py.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SSMLKIT_FUZZ_EXAMPLES="${1:-5000}"
export HYPOTHESIS_PROFILE=dev
exec "${PYTHON:-.venv/bin/python}" -m pytest tests/fuzz -p no:cacheprovider -q \
    --hypothesis-show-statistics --hypothesis-seed="${SEED:-$RANDOM}" "${@:2}"
