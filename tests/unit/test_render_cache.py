"""The chunk cache: location, atomic writes, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

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
