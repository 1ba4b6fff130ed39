"""The journal of finished chunks: one file per request, keyed by the request's hash.

Usage::

    cache = AudioCache()                      # the platform's cache folder, see default_cache_dir
    key = cache_key(payload)                  # sha256 of the canonical request JSON
    if not cache.has(key):
        cache.put(key, engine.synthesize(payload))
    with cache.open(key) as part: ...
    cache.stats()                             # CacheStats(entries=12, size=4_100_000, ...)
    cache.prune(2_000_000_000)                # least recently used entries out, down to 2 GB

Every write goes to a temporary file in the same directory, is flushed to disk, then renamed over
the final name, so an entry is either absent or complete, even if the process is killed. Entries
hold audio only (and, beside it, where each sound lies in it): no request, no header, no key.

Use is recorded in each entry's modification time (:meth:`AudioCache.has` and the readers touch
it), not in its access time, which ``noatime`` and ``relatime`` mounts do not keep: pruning
removes the entries used longest ago first. The renderer prunes to ``cache-max-size``
(:data:`DEFAULT_MAX_SIZE` by default) after each render.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ssmlkit._files import write_atomic

__all__ = [
    "DEFAULT_MAX_SIZE",
    "AudioCache",
    "CacheStats",
    "PruneResult",
    "atomic_write",
    "default_cache_dir",
]

#: The cache's size cap when ``cache-max-size`` is not configured: 2 GB.
DEFAULT_MAX_SIZE = 2_000_000_000
# A temporary file this old belongs to a process that died mid-write: pruning removes it.
_STALE_TMP_SECONDS = 24 * 3600


def default_cache_dir(platform: str | None = None) -> Path:
    """Where rendered chunks are kept: the platform's cache folder for ``ssmlkit``.

    Linux and other Unix: ``$XDG_CACHE_HOME/ssmlkit`` when that variable is set (and absolute),
    else ``~/.cache/ssmlkit``. macOS: ``~/Library/Caches/ssmlkit``; Windows:
    ``%LOCALAPPDATA%\\ssmlkit\\Cache`` (both from ``platformdirs``, which ssmlkit requires there
    only). ``platform`` defaults to ``sys.platform``.
    """
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        from platformdirs.macos import MacOS

        return Path(MacOS("ssmlkit", appauthor=False).user_cache_dir)
    if platform == "win32":
        from platformdirs.windows import Windows

        return Path(Windows("ssmlkit", appauthor=False).user_cache_dir)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "ssmlkit"


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What the cache holds: ``entries`` (chunks), ``size`` in bytes, and the times (seconds
    since the epoch) the least and the most recently used entries were used (``None`` if empty)."""

    root: Path
    entries: int
    size: int
    oldest: float | None
    newest: float | None


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What :meth:`AudioCache.prune` did: ``removed`` entries freeing ``freed`` bytes, and what is
    ``left`` (entries and bytes)."""

    removed: int
    freed: int
    entries_left: int
    size_left: int


@dataclass(slots=True)
class _Entry:
    key: str
    files: list[Path]
    size: int
    used: float


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never seen half-written (its folder made)."""
    write_atomic(path, data, make_parents=True)


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
        """Whether a finished entry for ``key`` exists (if so, it counts as used now)."""
        path = self.path(key)
        if not path.is_file():
            return False
        self._touch(path)
        return True

    @staticmethod
    def _touch(path: Path) -> None:
        # A read-only cache still serves: the use simply is not recorded.
        with contextlib.suppress(OSError):
            os.utime(path)

    def get(self, key: str) -> bytes | None:
        """The audio stored for ``key``, or ``None``."""
        try:
            data = self.path(key).read_bytes()
        except FileNotFoundError:
            return None
        self._touch(self.path(key))
        return data

    def open(self, key: str) -> BinaryIO:
        """The entry for ``key`` opened for reading (raises ``FileNotFoundError`` if absent)."""
        handle = self.path(key).open("rb")
        self._touch(self.path(key))
        return handle

    def put(self, key: str, data: bytes) -> Path:
        """Store ``data`` for ``key`` atomically and return its path."""
        target = self.path(key)
        atomic_write(target, data)
        return target

    def discard(self, key: str) -> None:
        """Forget the entry for ``key`` (no error when absent)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    # ------------------------------------------------------------------ size and pruning

    def _entries(self) -> tuple[list[_Entry], list[Path]]:
        """Every entry (its files, total size, last use) and the stale temporary files."""
        entries: dict[str, _Entry] = {}
        stale: list[Path] = []
        now = time.time()
        parts = self.root / "parts"
        if not parts.is_dir():
            return [], []
        for folder in parts.iterdir():
            if not folder.is_dir():
                continue
            for file in folder.iterdir():
                try:
                    st = file.stat()
                except OSError:  # removed meanwhile by another render's prune
                    continue
                name = file.name
                if name.startswith("."):
                    if now - st.st_mtime > _STALE_TMP_SECONDS:
                        stale.append(file)
                    continue
                key = name.split(".", 1)[0]
                entry = entries.get(key)
                if entry is None:
                    entry = entries[key] = _Entry(key, [], 0, 0.0)
                entry.files.append(file)
                entry.size += st.st_size
                if name.endswith(".audio"):
                    entry.used = max(entry.used, st.st_mtime)
        return list(entries.values()), stale

    def stats(self) -> CacheStats:
        """How many entries the cache holds, their size and when they were used."""
        entries, _ = self._entries()
        used = [e.used for e in entries]
        return CacheStats(
            self.root,
            len(entries),
            sum(e.size for e in entries),
            min(used) if used else None,
            max(used) if used else None,
        )

    def prune(self, max_size: int = DEFAULT_MAX_SIZE) -> PruneResult:
        """Remove the least recently used entries until the cache holds at most ``max_size``
        bytes; stale temporary files (from a process that died mid-write) go too."""
        entries, stale = self._entries()
        for file in stale:
            with contextlib.suppress(OSError):
                file.unlink()
        entries.sort(key=lambda e: (e.used, e.key))
        total = sum(e.size for e in entries)
        removed = freed = 0
        for entry in entries:
            if total <= max_size:
                break
            # The audio first: without it the entry is absent, whatever else remains.
            for file in sorted(entry.files, key=lambda f: not f.name.endswith(".audio")):
                with contextlib.suppress(FileNotFoundError):
                    file.unlink()
            total -= entry.size
            freed += entry.size
            removed += 1
        return PruneResult(removed, freed, len(entries) - removed, total)

    def clear(self) -> PruneResult:
        """Remove every entry (and stale temporary files): :meth:`prune` down to nothing."""
        result = self.prune(0)
        parts = self.root / "parts"
        if parts.is_dir():
            for folder in parts.iterdir():
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only empty folders go
        return result
