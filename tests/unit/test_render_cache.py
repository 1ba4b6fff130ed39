"""The chunk cache: location per platform, atomic writes, round trips, size and LRU pruning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit._sizes import format_size, parse_size
from ssmlkit.rendering.cache import AudioCache, atomic_write, default_cache_dir


def test_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "ssmlkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    assert default_cache_dir() == Path.home() / ".cache" / "ssmlkit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "ssmlkit"


def test_round_trip_and_discard(tmp_path):
    cache = AudioCache(tmp_path)
    key = "ab" * 32
    assert not cache.has(key)
    assert cache.get(key) is None
    cache.put(key, b"audio")
    assert cache.has(key)
    assert cache.get(key) == b"audio"
    with cache.open(key) as f:
        assert f.read() == b"audio"
    cache.discard(key)
    cache.discard(key)
    assert not cache.has(key)


@pytest.mark.parametrize("bad", ["", "ab", "../../etc", "a/b/c"])
def test_bad_keys(tmp_path, bad):
    with pytest.raises(ValueError, match="cache key"):
        AudioCache(tmp_path).path(bad)


def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "d" / "f.bin"
    atomic_write(target, b"old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.bin"]


# --------------------------------------------------------------------------- platforms


def test_macos_and_windows_use_the_platform_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_cache_dir("darwin") == Path.home() / "Library" / "Caches" / "ssmlkit"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    # Windows' known-folder call exists only on Windows: platformdirs' lookup answers for it here
    import platformdirs.windows

    local = str(tmp_path / "Local")
    monkeypatch.setattr(
        platformdirs.windows, "get_win_folder", {"CSIDL_LOCAL_APPDATA": local}.__getitem__
    )
    assert default_cache_dir("win32") == tmp_path / "Local" / "ssmlkit" / "Cache"
    assert default_cache_dir("linux") == tmp_path / "ssmlkit"


# --------------------------------------------------------------------------- size and pruning

KEYS = [f"{n:02x}" * 32 for n in range(1, 7)]


def _filled(tmp_path: Path, sizes: list[int]) -> AudioCache:
    """A cache with one entry per size, each used one minute after the one before."""
    cache = AudioCache(tmp_path)
    for n, (key, size) in enumerate(zip(KEYS, sizes, strict=False)):
        path = cache.put(key, b"x" * size)
        os.utime(path, (1_700_000_000 + 60 * n, 1_700_000_000 + 60 * n))
    return cache


def test_stats_count_entries_and_bytes(tmp_path):
    cache = _filled(tmp_path, [100, 200, 300])
    (cache.path(KEYS[0]).with_suffix(".marks.json")).write_bytes(b"[]")  # belongs to entry 0
    stats = cache.stats()
    assert (stats.entries, stats.size) == (3, 602)
    assert (stats.oldest, stats.newest) == (1_700_000_000, 1_700_000_120)
    empty = AudioCache(tmp_path / "none").stats()
    assert (empty.entries, empty.size, empty.oldest) == (0, 0, None)


def test_prune_removes_the_least_recently_used_first(tmp_path):
    cache = _filled(tmp_path, [100, 100, 100, 100])
    marks = cache.path(KEYS[0]).with_suffix(".marks.json")
    marks.write_bytes(b"[]")
    assert cache.has(KEYS[0])  # a use: entry 0 is now the most recent
    result = cache.prune(250)
    assert (result.removed, result.freed, result.entries_left) == (2, 200, 2)
    assert result.size_left == 202
    assert [cache.path(k).exists() for k in KEYS[:4]] == [True, False, False, True]
    assert marks.exists()  # kept with its entry
    assert cache.prune(10_000).removed == 0


def test_prune_takes_an_entrys_marks_with_it_and_drops_stale_temp_files(tmp_path):
    cache = _filled(tmp_path, [100, 100])
    marks = cache.path(KEYS[0]).with_suffix(".marks.json")
    marks.write_bytes(b"[]")
    stale = cache.path(KEYS[1]).parent / f".{KEYS[1]}.audio.x.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    fresh = cache.path(KEYS[1]).parent / f".{KEYS[1]}.audio.y.tmp"
    fresh.write_bytes(b"being written now")
    cache.prune(150)
    assert not cache.path(KEYS[0]).exists()
    assert not marks.exists()
    assert not stale.exists()
    assert fresh.exists()  # another process may still be writing it


def test_clear_removes_everything(tmp_path):
    cache = _filled(tmp_path, [10, 20, 30])
    result = cache.clear()
    assert (result.removed, result.freed) == (3, 60)
    assert cache.stats().entries == 0
    assert list((tmp_path / "parts").iterdir()) == []


@given(st.lists(st.integers(0, 500), max_size=6), st.integers(0, 2000))
def test_prune_holds_the_cap_and_keeps_the_newest(tmp_path_factory, sizes, cap):
    root = tmp_path_factory.mktemp("cache")
    cache = _filled(root, sizes)
    result = cache.prune(cap)
    left = [k for k in KEYS[: len(sizes)] if cache.path(k).exists()]
    assert sum(sizes) - result.freed == result.size_left <= max(cap, 0) or result.entries_left == 0
    # what is left is a suffix of the entries by last use: the newest ones
    assert left == KEYS[len(sizes) - len(left) : len(sizes)]
    # and nothing more was removed than needed: the next-oldest would not have fitted
    if len(left) < len(sizes):
        dropped = sizes[len(sizes) - len(left) - 1]
        assert result.size_left + dropped > cap


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2GB", 2_000_000_000),
        ("2 gb", 2_000_000_000),
        ("500MiB", 500 * 1024**2),
        ("1.5G", 1_500_000_000),
        ("1048576", 1048576),
        (4096, 4096),
        ("0", 0),
    ],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["", "GB", "2 parsecs", "-1MB", "nan", True, -5, 1.5, "inf"])
def test_parse_size_refuses(bad):
    with pytest.raises(ValueError, match="size"):
        parse_size(bad)


def test_format_size():
    assert [format_size(n) for n in (0, 999, 1_500, 2_000_000_000)] == [
        "0 B",
        "999 B",
        "1.5 kB",
        "2.0 GB",
    ]
