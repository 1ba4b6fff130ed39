"""Shared test setup: hypothesis profiles and an environment without keys or proxies.

Choose the hypothesis profile with ``HYPOTHESIS_PROFILE`` (``dev`` by default; ``.ci/run`` uses
``ci``, a fixed, derandomized budget so CI runs are reproducible).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Variables that would let a test reach a real service or route through a proxy.
_CLEARED = (
    "SSMLKIT_API_KEY",
    "SSMLKIT_BASE_URL",
    "OPENAI_API_KEY",
    "DASHSCOPE_API_KEY",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test without API keys, base URLs or proxy settings from the caller's shell."""
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
