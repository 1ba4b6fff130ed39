"""Plain-text input to ``render`` (a ``.txt`` file or ``--text``) that XML cannot carry.

Invalid UTF-8 in a ``.txt`` file and characters such as NUL in the text must be refused with one
clear message and exit 1, like every other hostile input; the library raises an
:class:`~ssmlkit.errors.SSMLKitError`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmlkit.errors import SSMLKitError
from tests.hardening.cli import run_cli

_RENDER = (
    "-o",
    "out.wav",
    "--engine",
    "http",
    "--base-url",
    "http://127.0.0.1:1/v1",
    "--api-key",
    "sk-test-not-a-key",
    "--voice",
    "longxiaochun",
    "--no-cache",
    "--quiet",
)


def _assert_refused(proc: object) -> None:
    assert proc.returncode == 1, proc.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in proc.stderr  # type: ignore[attr-defined]
    assert proc.stderr.strip()  # type: ignore[attr-defined]


@pytest.mark.parametrize("data", [b"\xff\xfe\x00bad", b"caf\xe9", "你好".encode()[:-1]])
def test_txt_file_that_is_not_utf8(data: bytes, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes(data)
    proc = run_cli("render", "in.txt", *_RENDER, cwd=tmp_path)
    _assert_refused(proc)
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.parametrize("data", [b"a\x00b", b"a\x01b", b"\x1b[31mred"])
def test_txt_file_with_characters_xml_cannot_carry(data: bytes, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes(data)
    _assert_refused(run_cli("render", "in.txt", *_RENDER, cwd=tmp_path))


@pytest.mark.parametrize("text", ["a\x01b", "bell\x07"])
def test_text_option_with_characters_xml_cannot_carry(text: str, tmp_path: Path) -> None:
    _assert_refused(run_cli("render", "--text", text, *_RENDER, cwd=tmp_path))


def test_library_render_of_a_txt_path_that_is_not_utf8(tmp_path: Path) -> None:
    from ssmlkit.rendering.job import plan
    from ssmlkit.rendering.payload import SpeechParams

    path = tmp_path / "in.txt"
    path.write_bytes(b"caf\xe9")
    with pytest.raises(SSMLKitError):
        plan(path, SpeechParams(voice="longxiaochun"))
