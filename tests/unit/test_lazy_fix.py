"""Lazy fixes: a rule may report a fix whose edits are built only when ``Diagnostic.fix`` is read.

Every reader still sees a ``Fix`` or ``None``; the edits equal what an eager fix would have held;
a build runs at most once; ``has_fix`` answers for another safety without building; a build that
raises leaves no fix and a warning instead of an exception.
"""

from __future__ import annotations

import dataclasses
import pickle
import warnings
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssmlkit
from ssmlkit import Document, parse, serialize
from ssmlkit.conversion import convert
from ssmlkit.linter import Fix, Rule, fix, lint
from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Diagnostic, Edit, LazyFix, Severity
from ssmlkit.linter.registry import register_rule, unregister_rule
from ssmlkit.linter.rules import structure
from ssmlkit.model import Sub

#: How often each test rule's build ran, by the rule's code.
BUILDS: dict[str, int] = {}


class _LazyRule(Rule):
    """Reports every ``<sub>`` with a lazy fix that writes ``alias="x"``; counts its builds."""

    summary = "test rule"
    severity = Severity.WARNING
    targets = ("sub",)
    safety: str = "safe"
    fails = False

    def visit(self, node: Sub, ctx: LintContext) -> None:
        span = node.attr_span("alias", value=True)
        if span is None:
            return
        code, fails = self.code, self.fails

        def build() -> tuple[Edit, ...]:
            BUILDS[code] = BUILDS.get(code, 0) + 1
            if fails:
                raise KeyError("broken build")
            return (Edit(span.start, span.end, "x"),)

        ctx.report(node, "an alias", fix=LazyFix('write alias="x"', self.safety, build))  # type: ignore[arg-type]


class SafeLazy(_LazyRule):
    code = "XL001"
    name = "safe-lazy"
    fix_safety = "safe"


class UnsafeLazy(_LazyRule):
    code = "XL002"
    name = "unsafe-lazy"
    fix_safety = "unsafe"
    safety = "unsafe"


class BrokenLazy(_LazyRule):
    code = "XL003"
    name = "broken-lazy"
    fix_safety = "safe"
    fails = True


@pytest.fixture
def lazy_rules() -> Iterator[None]:
    BUILDS.clear()
    for rule in (SafeLazy, UnsafeLazy, BrokenLazy):
        register_rule(rule)
    try:
        yield
    finally:
        for rule in (SafeLazy, UnsafeLazy, BrokenLazy):
            unregister_rule(rule)


TEXT = '<speak>一<sub alias="乙">B</sub></speak>'


def _of(found: list[Diagnostic], code: str) -> Diagnostic:
    return next(d for d in found if d.code == code)


@pytest.mark.usefixtures("lazy_rules")
def test_nothing_is_built_until_the_fix_is_read_and_then_once() -> None:
    found = lint(TEXT)
    assert BUILDS == {}
    diagnostic = _of(found, "XL001")
    first = diagnostic.fix
    assert first == Fix('write alias="x"', (Edit(TEXT.index("乙"), TEXT.index("乙") + 1, "x"),))
    assert diagnostic.fix is first
    assert BUILDS == {"XL001": 1}


@pytest.mark.usefixtures("lazy_rules")
def test_has_fix_builds_only_a_fix_of_the_safety_asked_for() -> None:
    unsafe = _of(lint(TEXT), "XL002")
    assert not unsafe.has_fix("safe")
    assert BUILDS == {}
    assert unsafe.has_fix("safe", "unsafe")
    assert unsafe.has_fix()
    assert BUILDS == {"XL002": 1}


@pytest.mark.usefixtures("lazy_rules")
def test_a_build_that_raises_leaves_no_fix_and_a_warning_naming_the_rule() -> None:
    broken = _of(lint(TEXT), "XL003")
    with pytest.warns(RuntimeWarning, match=r"XL003 .*KeyError.*bug in the rule"):
        assert broken.fix is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert broken.fix is None  # resolved once: no second build, no second warning
    assert not broken.has_fix()
    assert BUILDS["XL003"] == 1


@pytest.mark.usefixtures("lazy_rules")
def test_fix_applies_safe_lazy_fixes_and_skips_a_broken_one() -> None:
    with pytest.warns(RuntimeWarning, match="XL003"):
        result = fix(TEXT)
    assert result.text == TEXT.replace("乙", "x")
    assert [d.code for d in result.applied] == ["XL001"]
    assert "XL002" not in BUILDS  # unsafe, and not asked for: never built


def _lazy_and_built() -> tuple[Diagnostic, Diagnostic]:
    edits = (Edit(0, 1, "x"),)
    lazy = Diagnostic(
        "XL001", "n", Severity.ERROR, "m", 1, 1, 1, 2, 0, 1, LazyFix("d", "safe", lambda: edits)
    )
    built = Diagnostic("XL001", "n", Severity.ERROR, "m", 1, 1, 1, 2, 0, 1, Fix("d", edits))
    return lazy, built


def test_a_lazy_diagnostic_compares_hashes_shows_and_pickles_as_its_built_fix() -> None:
    lazy, built = _lazy_and_built()
    assert lazy == built
    assert hash(lazy) == hash(built)
    assert repr(lazy) == repr(built)
    lazy, built = _lazy_and_built()
    assert pickle.loads(pickle.dumps(lazy)) == built
    lazy, built = _lazy_and_built()
    assert dataclasses.replace(lazy, message="z") == dataclasses.replace(built, message="z")
    assert lazy.to_dict() == built.to_dict()


def test_a_build_without_edits_is_no_fix() -> None:
    empty = Diagnostic("A", "n", Severity.ERROR, "m", 1, 1, 1, 1, 0, 0, LazyFix("d", "safe", tuple))
    none = Diagnostic(
        "A", "n", Severity.ERROR, "m", 1, 1, 1, 1, 0, 0, LazyFix("d", "safe", lambda: None)
    )
    assert empty.fix is None
    assert none.fix is None
    assert not empty.has_fix()
    assert not none.has_fix("safe")


SEGMENTED = '<speak voice="longanyang">一。<prosody rate="slow">慢。</prosody>二。</speak>'


def test_st005_converts_the_speak_only_when_its_fix_is_read() -> None:
    structure._last_segment = (None, None)
    found = [d for d in ssmlkit.lint(SEGMENTED) if d.code == "ST005"]
    [diagnostic] = found
    assert structure._last_segment == (None, None)  # not converted while linting
    speak = parse(SEGMENTED).speaks[0]
    expected = serialize(convert(Document((speak,))).document)
    assert diagnostic.fix == Fix(
        "convert the enclosing <speak> to CosyVoice (<prosody> becomes <speak> segments)",
        (Edit(0, len(SEGMENTED), expected),),
        "unsafe",
    )
    assert structure._last_segment[1] == expected


def test_st005_audio_without_a_usable_src_has_no_fix() -> None:
    found = ssmlkit.lint('<speak>a<audio src="file.wav">b</audio></speak>')
    [diagnostic] = [d for d in found if d.code == "ST005"]
    assert diagnostic.fix is None
    found = ssmlkit.lint('<speak>a<audio src="https://x.example/a.wav">b</audio></speak>')
    [diagnostic] = [d for d in found if d.code == "ST005"]
    assert diagnostic.fix is not None
    assert "<soundEvent" in diagnostic.fix.edits[0].replacement


_WORDS = st.sampled_from(
    [
        "一",
        '<prosody rate="slow">慢</prosody>',
        '<voice name="x">四</voice>',
        '<audio src="https://a.example/x.wav"/>',
        '<audio src="x.wav">b</audio>',
        "<p>段</p>",
        '<say-as interpret-as="spell-out">AB</say-as>',
        '<break time="1 s"/>',
        "<Break/>",
    ]
)


@given(st.lists(st.lists(_WORDS, max_size=5).map("".join), min_size=1, max_size=3))
def test_has_fix_agrees_with_the_fix_read(speaks: list[str]) -> None:
    text = "".join(f"<speak>{body}</speak>" for body in speaks)
    for d in ssmlkit.lint(text):
        for safety in ("safe", "unsafe"):
            asked = d.has_fix(safety)
            assert asked == (d.fix is not None and d.fix.safety == safety)
        assert d.has_fix() == (d.fix is not None)


@pytest.mark.usefixtures("lazy_rules")
def test_ssmlkit_lint_text_output_builds_no_unsafe_fix(tmp_path: pytest.TempPathFactory) -> None:
    """The CLI's text report and summary count safe fixes only: an unsafe lazy fix stays unbuilt."""
    from click.testing import CliRunner

    from ssmlkit.cli import main

    path = tmp_path / "doc.ssml"  # type: ignore[operator]
    path.write_text(TEXT, encoding="utf-8")
    for args in ([], ["--statistics"]):
        result = CliRunner().invoke(main, ["lint", *args, "--select", "XL002", str(path)])
        assert "XL002" in result.output, result.output
    assert BUILDS == {}
