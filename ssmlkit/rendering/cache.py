"""The journal of finished chunks: one file per request, keyed by the request's hash.

Usage::

    cache = AudioCache()                      # $XDG_CACHE_HOME/ssmlkit or ~/.cache/ssmlkit
    key = cache_key(payload)                  # sha256 of the canonical request JSON
    if not cache.has(key):
        cache.put(key, engine.synthesize(payload))
    with cache.open(key) as part: ...

Every write goes to a temporary file in the same directory, is flushed to disk, then renamed over
the final name, so an entry is either absent or complete, even if the process is killed. Entries
hold audio only: no request, no header, no key.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

__all__ = ["AudioCache", "atomic_write", "default_cache_dir"]


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/ssmlkit`` when that variable is set (and absolute), else ``~/.cache/ssmlkit``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "ssmlkit"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never seen half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class AudioCache:
    """Finished chunks on disk under ``root`` (default :func:`default_cache_dir`)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives (it may not exist)."""
        if len(key) < 3 or not key.isalnum():
            raise ValueError(f"not a cache key: {key!r}")
        return self.root / "parts" / key[:2] / f"{key}.audio"

    def has(self, key: str) -> bool:
        """Whether a finished entry for ``key`` exists."""
        return self.path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The audio stored for ``key``, or ``None``."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def open(self, key: str) -> BinaryIO:
        """The entry for ``key`` opened for reading (raises ``FileNotFoundError`` if absent)."""
        return self.path(key).open("rb")

    def put(self, key: str, data: bytes) -> Path:
        """Store ``data`` for ``key`` atomically and return its path."""
        target = self.path(key)
        atomic_write(target, data)
        return target

    def discard(self, key: str) -> None:
        """Forget the entry for ``key`` (no error when absent)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()
