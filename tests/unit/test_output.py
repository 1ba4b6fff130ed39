"""Formatters: text with source excerpts, JSON schema v1, GitHub workflow commands, SARIF 2.1.0."""

from __future__ import annotations

import json

import pytest

from ssmlkit.linter.api import lint
from ssmlkit.linter.registry import all_rules
from ssmlkit.output import FileResult, Formatter, formatter_names, get_formatter, summarize
from ssmlkit.output.github import escape_data, escape_property
from ssmlkit.output.text import WIDTH, excerpt

SOURCE = "<speak>\n  你好 & Jerry > 1\n</speak>\n"


def _result(source: str = SOURCE, path: str = "docs/a.ssml") -> FileResult:
    return FileResult(path, source, lint(source, path=path))


def _render(name: str, results: list[FileResult], **kwargs: object) -> str:
    return get_formatter(name)(**kwargs).format(results)  # type: ignore[arg-type]


def test_registry_holds_the_four_formats() -> None:
    assert {"text", "json", "github", "sarif"} <= set(formatter_names())
    for name in formatter_names():
        assert issubclass(get_formatter(name), Formatter)
    with pytest.raises(KeyError):
        get_formatter("yaml")


def test_text_headline_excerpt_and_caret() -> None:
    out = _render("text", [_result()]).splitlines()
    amp = SOURCE.index("&") - SOURCE.index("\n") - 1 + 1
    assert out[0].startswith(f"docs/a.ssml:2:{amp}: XM002 [error] ")
    assert out[1] == "      你好 & Jerry > 1"
    # Two wide characters take two cells each, so the caret sits under the '&'.
    caret = out[2]
    assert caret.strip() == "^"
    assert caret.index("^") == out[1].index("&") + 2  # +2: two wide chars, one extra cell each
    assert out[-1].startswith("Found 2 problems (2 errors, 0 warnings, 0 info)")
    assert "\x1b[" not in "\n".join(out)


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" in _render("text", [_result()], color=True)


def test_text_is_empty_for_clean_files() -> None:
    assert _render("text", [_result("<speak>hi</speak>")]) == ""


def test_text_statistics_count_per_code() -> None:
    out = _render("text", [_result(), _result()], statistics=True).splitlines()
    assert out[0].split()[:2] == ["2", "XM002"]
    assert "[*]" in out[0]
    assert out[1].split()[:2] == ["2", "XM004"]


def test_excerpt_windows_long_lines() -> None:
    line = "x" * 500 + "&" + "y" * 500
    shown, caret = excerpt(line, 501, 502)
    assert len(shown) <= WIDTH + 2
    assert shown[caret.index("^")] == "&"


def test_excerpt_keeps_tabs_aligned() -> None:
    shown, caret = excerpt("\t\ta & b", 5, 6)
    assert caret == "\t\t  ^"
    assert shown == "\t\ta & b"


def test_json_report_shape() -> None:
    report = json.loads(_render("json", [_result(), _result("<speak>hi</speak>", "b.ssml")]))
    assert report["version"] == 1
    assert [f["path"] for f in report["files"]] == ["docs/a.ssml", "b.ssml"]
    first = report["files"][0]["diagnostics"][0]
    assert set(first) == {
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "fix",
    }
    assert (first["code"], first["line"]) == ("XM002", 2)
    assert first["fix"]["safety"] == "safe"
    summary = report["summary"]
    assert summary["files"] == 2
    assert summary["problems"] == 2
    assert summary["errors"] == 2
    assert summary["by_code"] == {"XM002": 1, "XM004": 1}


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x:y,z", "x:y,z", "x%3Ay%2Cz"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_commands() -> None:
    results = [_result(path="dir,1/a:b.ssml")]
    lines = _render("github", results).splitlines()
    diag = results[0].diagnostics[0]
    assert lines[0] == (
        f"::error file=dir%2C1/a%3Ab.ssml,line={diag.line},col={diag.column},"
        f"endLine={diag.end_line},endColumn={diag.end_column},"
        f"title=XM002 unescaped-ampersand::{escape_data(diag.message)}"
    )


def test_github_levels_follow_severity() -> None:
    from dataclasses import replace

    from ssmlkit.linter.diagnostic import Severity

    base = _result()
    diags = [
        replace(base.diagnostics[0], severity=Severity.WARNING),
        replace(base.diagnostics[1], severity=Severity.INFO),
    ]
    lines = _render("github", [FileResult("a", SOURCE, diags)]).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::notice"]


def test_sarif_log() -> None:
    rules = all_rules()
    log = json.loads(_render("sarif", [_result()], rules=rules))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [r.code for r in rules]
    for d, r in zip(descriptors, rules, strict=True):
        assert d["name"] == r.name
        assert d["shortDescription"]["text"] == r.summary
        assert d["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["XM002", "XM004"]
    first = results[0]
    assert descriptors[first["ruleIndex"]]["id"] == "XM002"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 2
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a.ssml"


def test_summary_counts() -> None:
    s = summarize([_result(), FileResult("x", "", [], fixed=3)])
    assert (s.files, s.problems, s.errors, s.fixable, s.fixed) == (2, 2, 2, 2, 3)
