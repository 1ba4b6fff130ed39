"""Finding positions: taken from the node's span when there is one, they equal the line index's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit._syntax import LineIndex
from ssmlkit.parse import decode

_PIECES = st.sampled_from(
    [
        "一",
        "\n",
        "\r\n",
        "\r",
        "  ",
        "<p>段</p>",
        '<prosody rate="slow">慢\n</prosody>',
        '<break time="1 s"/>',
        '<say-as interpret-as="spell-out">AB</say-as>',
        "<Break/>",
        "R&D",
        "<!-- c -->",
        "𝄞",
        '<sub alias="">x</sub>',
        "<phoneme>你</phoneme>",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join), st.booleans())
def test_each_finding_is_where_the_line_index_puts_its_offsets(body: str, attrs: bool) -> None:
    head = (
        '<speak version="1.1"\r\n xmlns="http://www.w3.org/2001/10/synthesis">'
        if attrs
        else "<speak>"
    )
    text = f"{head}{body}</speak>"
    index = LineIndex(decode(text.encode()).text)
    for d in ssmlkit.lint(text):
        assert (d.line, d.column) == index.position(d.start), d
        assert (d.end_line, d.end_column) == index.position(d.end), d
