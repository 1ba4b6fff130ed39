"""CRLF and byte-order-mark variants of a valid document: read correctly, not refused.

A UTF-8 file with a BOM or CRLF line ends is still a document the service accepts: the findings
are those of the plain LF version, at the same lines and columns. A UTF-16 file (with its BOM) is
read correctly, but the service reads UTF-8 only, so ``lint`` exits 1 with XM006 and ``render``
refuses it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ssmlkit.linter import fix, lint
from ssmlkit.parse import parse
from ssmlkit.splitter import split
from tests.hardening.cli import run_cli

# Two findings (XM004 at 2:3, BR003 on the long break) to compare positions.
PLAIN = '<speak>\n一 > 二。\n<break time="20s"/>\n第二行。\n</speak>\n'

VARIANTS = {
    "lf": PLAIN.encode(),
    "crlf": PLAIN.replace("\n", "\r\n").encode(),
    "cr": PLAIN.replace("\n", "\r").encode(),
    "utf8-bom": codecs.BOM_UTF8 + PLAIN.encode(),
    "utf8-bom-crlf": codecs.BOM_UTF8 + PLAIN.replace("\n", "\r\n").encode(),
    "utf8-bom-decl": codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="utf-8"?>' + PLAIN.encode(),
}
UTF16 = {
    "utf16-le-bom": codecs.BOM_UTF16_LE + PLAIN.encode("utf-16-le"),
    "utf16-be-bom": codecs.BOM_UTF16_BE + PLAIN.encode("utf-16-be"),
    "utf16-le-bom-crlf": codecs.BOM_UTF16_LE + PLAIN.replace("\n", "\r\n").encode("utf-16-le"),
}


def _where(data: bytes | str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in lint(data)]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_same_findings_at_the_same_places(name: str) -> None:
    expected = _where(PLAIN)
    assert expected, "the plain document must have findings to compare"
    got = _where(VARIANTS[name])
    if name.endswith("decl"):  # the declaration sits on line 1 before <speak>
        expected = [(c, ln, col + (39 if ln == 1 else 0)) for c, ln, col in expected]
    assert got == expected


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_same_document_and_split(name: str) -> None:
    assert parse(VARIANTS[name]).speaks[0].text == parse(PLAIN).speaks[0].text
    chunks = split(VARIANTS[name], max_chars=12)
    assert "".join(c.speaks[0].text for c in chunks) == parse(PLAIN).speaks[0].text


@pytest.mark.parametrize("name", sorted(UTF16))
def test_utf16_is_read_correctly_but_flagged(name: str) -> None:
    text = UTF16[name].decode("utf-16")
    assert parse(UTF16[name]).speaks[0].text == parse(text).speaks[0].text
    codes = [c for c, _, _ in _where(UTF16[name])]
    assert "XM006" in codes


def test_fix_keeps_the_bom_and_crlf() -> None:
    text = "\ufeff" + PLAIN.replace("\n", "\r\n")
    result = fix(text)
    assert result.text.startswith("\ufeff<speak>\r\n")
    assert "\r\n" in result.text
    assert "\n" not in result.text.replace("\r\n", "")
    assert "&gt;" in result.text


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        *((n, d, 1) for n, d in sorted(VARIANTS.items())),
        *((n, d, 1) for n, d in sorted(UTF16.items())),
    ],
)
def test_cli_lint(name: str, data: bytes, status: int, tmp_path: Path) -> None:
    (tmp_path / "doc.ssml").write_bytes(data)
    proc = run_cli("lint", "--isolated", "doc.ssml", cwd=tmp_path)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    # Line numbers in the report are those of the LF document, whatever the line ends.
    assert "doc.ssml:2:" in proc.stdout or "XM006" in proc.stdout
