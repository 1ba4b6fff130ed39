"""``ssmlkit._files.write_atomic``: the one way lint --fix, annotate -o, reports and the cache write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ssmlkit._files import default_mode, write_atomic


def test_a_new_file_gets_what_open_would_give(tmp_path: Path) -> None:
    target = tmp_path / "new.ssml"
    write_atomic(target, b"<speak/>")
    assert target.read_bytes() == b"<speak/>"
    assert stat.S_IMODE(target.stat().st_mode) == default_mode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.ssml"]


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "old.ssml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.ssml"
    real.write_bytes(b"old")
    link = tmp_path / "link.ssml"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_parents_are_made_only_when_asked(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "f.bin"
    with pytest.raises(FileNotFoundError):
        write_atomic(deep, b"x")
    write_atomic(deep, b"x", make_parents=True)
    assert deep.read_bytes() == b"x"


def test_a_failed_rename_leaves_the_target_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.ssml"
    target.write_bytes(b"old")

    def refuse(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.ssml"]
