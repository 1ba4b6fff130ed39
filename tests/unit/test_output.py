"""Formatters: text, concise, JSON v1, JSON Lines, GitHub commands, GitLab Code Quality, JUnit
XML and SARIF 2.1.0 (validated against the official schema, a copy in tests/schemas)."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_registry_holds_every_format() -> None:
    from ssmlkit.cli.lint import FORMATS

    assert set(formatter_names()) == set(FORMATS) - {"auto"}
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
        assert "``" not in d["fullDescription"]["text"]
        assert ":class:`" not in d["help"]["text"]
        assert d["help"]["markdown"].startswith(f"**{r.code} {r.name}**")
        assert d["helpUri"].endswith(f"#{r.code.lower()}-{r.name}")
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


SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _fixable_results() -> list[FileResult]:
    return [
        _result(),
        _result("<speak>\n  <break time='1.5s'/>é 😀 & x\n</speak>\n", "b c/ü.ssml"),
        FileResult("clean.ssml", "<speak>ok</speak>", []),
    ]


def test_sarif_validates_against_the_official_schema() -> None:
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(_render("sarif", _fixable_results(), rules=all_rules()))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    # the check can fail: a result without its message is rejected
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


def test_sarif_fixes_replace_what_the_fixer_replaces() -> None:
    from ssmlkit.linter.api import fix

    results = _fixable_results()
    log = json.loads(_render("sarif", results, rules=all_rules()))
    for result in results:
        lines = result.source.splitlines(keepends=True)
        text = result.source
        edits = []
        for entry in log["runs"][0]["results"]:
            uri = entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            if uri.replace("%20", " ").replace("%C3%BC", "ü") != result.path:
                continue
            for fixed in entry.get("fixes", []):
                if "(safe fix)" not in fixed["description"]["text"]:
                    continue
                for change in fixed["artifactChanges"]:
                    for rep in change["replacements"]:
                        r = rep["deletedRegion"]
                        start = sum(map(len, lines[: r["startLine"] - 1])) + r["startColumn"] - 1
                        end = sum(map(len, lines[: r["endLine"] - 1])) + r["endColumn"] - 1
                        edits.append((start, end, rep["insertedContent"]["text"]))
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        assert text == fix(result.source, path=result.path).text


def test_concise_is_one_line_a_finding() -> None:
    out = _render("concise", [_result()]).splitlines()
    assert out == [
        "docs/a.ssml:2:6: XM002 [error] " + _result().diagnostics[0].message,
        "docs/a.ssml:2:14: XM004 [error] " + _result().diagnostics[1].message,
    ]
    assert _render("concise", [FileResult("a", "", [])]) == ""


def test_json_lines() -> None:
    out = _render("json-lines", _fixable_results())
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == sum(len(r.diagnostics) for r in _fixable_results())
    assert rows[0] == {"path": "docs/a.ssml", **_result().diagnostics[0].to_dict()}


# GitLab publishes no JSON schema for Code Quality reports; this one writes down its documented
# required fields (docs.gitlab.com, "Code Quality report format").
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "not": {"pattern": "^(/|\\./)"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_code_quality() -> None:
    import jsonschema

    twice = FileResult("./docs/a.ssml", SOURCE, list(_result().diagnostics) * 2)
    report = json.loads(_render("gitlab", [twice]))
    jsonschema.validate(report, GITLAB_SCHEMA)
    assert report[0]["location"] == {"path": "docs/a.ssml", "lines": {"begin": 2, "end": 2}}
    assert report[0]["severity"] == "major"
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(set(fingerprints)) == 4  # identical findings still differ
    # stable when lines above move: the same findings one line lower keep their fingerprints
    moved = _result("<speak>\n\n  你好 & Jerry > 1\n</speak>\n")
    again = json.loads(
        _render("gitlab", [FileResult("docs/a.ssml", moved.source, moved.diagnostics)])
    )
    assert [i["fingerprint"] for i in again] == fingerprints[:2]
    assert json.loads(_render("gitlab", [])) == []


def test_junit_reads_back_with_an_independent_parser(tmp_path: Path) -> None:
    import junitparser

    hostile = _result("<speak>\x0b & x</speak>", "evil\x1b.ssml")
    results = [*_fixable_results(), hostile]
    path = tmp_path / "report.xml"
    path.write_text(_render("junit", results), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert [s.name for s in suites] == [
        "docs/a.ssml",
        "b c/ü.ssml",
        "clean.ssml",
        "evil\ufffd.ssml",
    ]
    first = suites[0]
    assert (first.tests, first.failures) == (2, 2)
    cases = list(first)
    assert cases[0].name.startswith("XM002 ")
    assert not cases[0].is_passed
    assert cases[0].result[0].message == _result().diagnostics[0].message
    clean = list(suites[2])
    assert [c.name for c in clean] == ["no problems"]
    assert clean[0].is_passed
    assert xml.failures == sum(len(r.diagnostics) for r in results)
