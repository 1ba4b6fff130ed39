"""Each document's configuration, found as `ssmlkit lint` finds it."""

from __future__ import annotations

from pathlib import Path

from ssmlkit.config import Config
from ssmlkit.lsp.findings import lint_text
from ssmlkit.lsp.project import Projects, uri_to_path

TEXT = "<speak>A & B</speak>"


def test_per_file_ignores_match_the_path_relative_to_the_configuration(tmp_path: Path):
    (tmp_path / "ssmlkit.toml").write_text(
        'per-file-ignores = { "legacy/*.ssml" = ["XM"] }\n', encoding="utf-8"
    )
    (tmp_path / "legacy").mkdir()
    projects = Projects()
    config, path = projects.for_uri((tmp_path / "legacy" / "old one.ssml").as_uri())
    assert path == "legacy/old one.ssml"
    assert config.source_file is not None
    assert not [d for d in lint_text(TEXT, config, path) if d.code == "XM002"]
    config, path = projects.for_uri((tmp_path / "new.ssml").as_uri())
    assert [d.code for d in lint_text(TEXT, config, path)] == ["XM002"]


def test_an_invalid_configuration_is_reported_once_and_the_defaults_apply(tmp_path: Path):
    (tmp_path / "ssmlkit.toml").write_text('selectt = ["BR"]\n', encoding="utf-8")
    projects = Projects()
    uri = (tmp_path / "a.ssml").as_uri()
    config, _ = projects.for_uri(uri)
    projects.for_uri(uri)
    assert config == Config()
    assert len(projects.problems) == 1
    assert "selectt" in str(projects.problems[0])


def test_an_edited_configuration_is_read_again(tmp_path: Path):
    file = tmp_path / "ssmlkit.toml"
    file.write_text('ignore = ["XM"]\n', encoding="utf-8")
    projects = Projects()
    uri = (tmp_path / "a.ssml").as_uri()
    assert projects.for_uri(uri)[0].ignore == ("XM",)
    file.write_text('ignore = ["BR", "SZ"]\n', encoding="utf-8")
    assert projects.for_uri(uri)[0].ignore == ("BR", "SZ")


def test_documents_that_are_not_files_use_the_working_directory(tmp_path: Path, monkeypatch):
    (tmp_path / "ssmlkit.toml").write_text('ignore = ["XM"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config, path = Projects().for_uri("untitled:Untitled-1")
    assert path is None
    assert config.ignore == ("XM",)
    assert uri_to_path("untitled:Untitled-1") is None
    assert uri_to_path("file:///tmp/a%20b.ssml") == "/tmp/a b.ssml"
