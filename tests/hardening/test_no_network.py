"""The parse path never opens a connection, whatever the document refers to."""

from __future__ import annotations

import contextlib
import socket
import urllib.request
from collections.abc import Iterator

import pytest

from ssmlkit.errors import SSMLKitError
from ssmlkit.linter import fix, lint
from ssmlkit.parse import parse
from ssmlkit.splitter import split

_REFERENCES = [
    b'<!DOCTYPE speak SYSTEM "http://127.0.0.1:1/x.dtd"><speak>hi</speak>',
    b'<!DOCTYPE speak PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:1/x.dtd"><speak>hi</speak>',
    b'<!DOCTYPE speak [<!ENTITY x SYSTEM "http://127.0.0.1:1/e">]><speak>&x;</speak>',
    b'<!DOCTYPE speak [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p"> %p;]><speak>hi</speak>',
    b'<?xml-stylesheet href="http://127.0.0.1:1/s.xsl"?><speak>hi</speak>',
    b'<speak xmlns:xi="http://www.w3.org/2001/XInclude">'
    b'<xi:include href="http://127.0.0.1:1/x"/>hi</speak>',
    b'<speak xmlns="http://127.0.0.1:1/ns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    b' xsi:schemaLocation="http://127.0.0.1:1/ns http://127.0.0.1:1/s.xsd">hi</speak>',
    b'<speak><soundEvent src="http://127.0.0.1:1/a.wav"/>hi</speak>',
]


class _Connected(AssertionError):
    pass


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Make every connection attempt fail loudly, and record it."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise _Connected(f"tried to connect to {address!r}")

    def refuse_url(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise _Connected(f"tried to open {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_url)
    monkeypatch.setattr(urllib.request, "urlopen", refuse_url)
    yield attempts
    assert attempts == []


def test_the_guard_itself_catches_a_connection(no_sockets: list[object]) -> None:
    with socket.socket() as s, pytest.raises(_Connected):
        s.connect(("127.0.0.1", 1))
    no_sockets.clear()


@pytest.mark.parametrize("data", _REFERENCES)
def test_parse_lint_fix_split_never_connect(data: bytes, no_sockets: list[object]) -> None:
    lint(data)
    lint(data.decode())
    fix(data.decode(), unsafe=True)
    for call in (parse, lambda d: split(d, max_chars=50)):
        with contextlib.suppress(SSMLKitError):  # refusing is fine; only connecting is not
            call(data)
    assert no_sockets == []


def test_lxml_confirmation_step_never_fetches_a_dtd(no_sockets: list[object]) -> None:
    # A document the scanner accepts goes through lxml too; an xsi:schemaLocation must not load.
    doc = parse(_REFERENCES[6])
    assert doc.speaks
