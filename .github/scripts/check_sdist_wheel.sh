#!/usr/bin/env bash
# Build the sdist, a wheel from it, and check both installs a new user can make:
# the core (no extras) lints, splits and converts every example; [offline] renders hello.ssml.
# Usage: bash .github/scripts/check_sdist_wheel.sh [PYTHON]     (from anywhere; Linux or macOS)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
python=${1:-python3}
root=${PWD}
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

"${python}" -m venv "${work}/tools"
"${work}/tools/bin/pip" install -q "build>=1.2"
"${work}/tools/bin/python" -m build --outdir "${work}/dist" .   # the sdist, then a wheel from it
wheel=$(ls "${work}"/dist/ssmlkit-*.whl)

echo "== core: ${wheel##*/}"
"${python}" -m venv "${work}/core"
"${work}/core/bin/pip" install -q "${wheel}"
if "${work}/core/bin/python" -c 'import numpy' 2>/dev/null; then
    echo "the core install brought numpy" >&2
    exit 1
fi
examples=("${root}"/examples/*.ssml)
(cd "${work}" && core/bin/ssmlkit lint "${examples[@]}")
for example in "${examples[@]}"; do
    (cd "${work}" && core/bin/ssmlkit split "${example}" --max-chars 400 >/dev/null)
    (cd "${work}" && core/bin/ssmlkit convert "${example}" >/dev/null)
done
# Without the extra, rendering offline says how to get it, in one line.
if (cd "${work}" && core/bin/ssmlkit render "${root}/examples/hello.ssml" -o hello.wav 2>"${work}/err"); then
    echo "render without [offline] should fail" >&2
    exit 1
fi
grep -q "pip install 'ssmlkit\[offline\]'" "${work}/err"
echo "core: ok"

echo "== [offline]"
"${python}" -m venv "${work}/offline"
"${work}/offline/bin/pip" install -q "ssmlkit[offline] @ file://${wheel}"
(cd "${work}" && offline/bin/ssmlkit render "${root}/examples/hello.ssml" -o hello.wav)
test -s "${work}/hello.wav"
echo "offline: ok"
