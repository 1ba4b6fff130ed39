"""ST006 (unsupported-attribute) finds each attribute's span by its position among the attributes.

The definition it replaces asked ``Element.attr_span(name)``, which gives the span of the *first*
attribute of that name: a finding must point where that did, also for a built element that
repeats a name (the scanner drops a repeated attribute, so only a rule called directly meets one).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.config import Config
from ssmlkit.linter import lint
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.rules.structure import UnsupportedAttribute
from ssmlkit.model import Document, Span, Speak, Sub, Text
from ssmlkit.parse import parse
from ssmlkit.profiles.cosyvoice import ELEMENT_ATTRIBUTES


def _name_span(span: Span, name: str) -> tuple[int, int, int, int]:
    """Where the definition put a finding: the name's part of the attribute's span."""
    return span.start, span.start + len(name), span.line, span.column


def test_a_repeated_name_points_at_its_first_occurrence() -> None:
    source = '<speak><sub alias="a" x="1" x="2">W3C</sub></speak>'
    first = Span(22, 27, 1, 23, 1, 28)
    second = Span(28, 33, 1, 29, 1, 34)
    sub = Sub(
        attrs=(("alias", "a"), ("x", "1"), ("x", "2")),
        children=(Text("W3C"),),
        span=Span(7, 44, 1, 8, 1, 45),
        start_tag=Span(7, 34, 1, 8, 1, 35),
        end_tag=Span(37, 43, 1, 38, 1, 44),
        attr_spans=(Span(12, 21, 1, 13, 1, 22), first, second),
        value_spans=(
            Span(19, 20, 1, 20, 1, 21),
            Span(25, 26, 1, 26, 1, 27),
            Span(31, 32, 1, 32, 1, 33),
        ),
    )
    document = Document((Speak(children=(sub,)),), source=source)
    rule = UnsupportedAttribute()
    ctx = LintContext(source, document, Config(), None)
    ctx.rule = rule
    ctx.ancestors = (document.items[0],)  # type: ignore[assignment]
    rule.visit(sub, ctx)
    assert [(d.start, d.end, d.line, d.column) for d in ctx.diagnostics] == [
        _name_span(first, "x"),
        _name_span(first, "x"),  # as attr_span("x") gives, not the second pair's own span
    ]


_ATTRIBUTES = st.lists(
    st.sampled_from(["alias", "x", "version", "xml:lang", "interpret_as", "alais", "time"]),
    unique=True,
    max_size=5,
)


@given(_ATTRIBUTES, st.sampled_from(["sub", "break", "say-as"]), st.booleans())
def test_findings_point_where_attr_span_does(names: list[str], element: str, lines: bool) -> None:
    gap = "\n  " if lines else " "
    attributes = "".join(f'{gap}{name}="v{k}"' for k, name in enumerate(names))
    body = (
        f"<{element}{attributes}>1</{element}>" if element != "break" else f"<break{attributes}/>"
    )
    source = f"<speak>{body}</speak>"
    node = parse(source).items[0].children[0]  # type: ignore[union-attr]
    expected = []
    for name, _ in node.attrs:
        if name in ELEMENT_ATTRIBUTES[element]:
            continue
        span = node.attr_span(name)
        assert span is not None
        expected.append(_name_span(span, name))
    found = [(d.start, d.end, d.line, d.column) for d in lint(source) if d.code == "ST006"]
    assert found == expected
