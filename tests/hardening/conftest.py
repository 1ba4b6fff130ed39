"""Fixtures for the hardening tests: a file holding a secret that must never leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import SECRET


@pytest.fixture
def secret_url(tmp_path: Path) -> str:
    """A ``file://`` URL of a file holding :data:`SECRET`."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return secret.as_uri()
