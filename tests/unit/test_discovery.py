"""File discovery: *.ssml, *.xml with a <speak> root, exclusions and ignore files, as ruff does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.discovery import DEFAULT_EXCLUDE, Discovery, is_ssml_root, root_element

SPEAK = "<speak>hi</speak>\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _found(finder: Discovery, *paths: str) -> list[str]:
    return [f.shown.replace(os.sep, "/") for f in finder.collect(list(paths))]


@pytest.mark.parametrize(
    ("head", "root"),
    [
        (b"<speak>x</speak>", "speak"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- a > b -->\n<speak/>", "speak"),
        (b'<!DOCTYPE speak [<!ENTITY a "<x>">]><speak/>', "speak"),
        (b"<?pi stuff?><ssml:speak xmlns:ssml='u'/>", "speak"),
        ("<speak/>".encode("utf-16"), "speak"),
        (b"<project><speak/></project>", "project"),
        (b"", None),
        (b"just text", None),
        (b"<!-- never closed", None),
    ],
)
def test_root_element(head: bytes, root: str | None) -> None:
    assert root_element(head) == root
    assert is_ssml_root(head) is (root == "speak")


@given(st.binary(max_size=200))
def test_root_element_never_raises(data: bytes) -> None:
    found = root_element(data)
    assert found is None or isinstance(found, str)


def test_ssml_and_speak_rooted_xml_only(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "pom.xml": "<project/>",
            "docs/a.xml": SPEAK,
            "docs/b.ssml": "<speak>Tom & Jerry</speak>",
            "docs/broken.ssml": "not even xml",
            "docs/notes.txt": SPEAK,
            "res/AndroidManifest.xml": '<?xml version="1.0"?><manifest/>',
        },
    )
    finder = Discovery(str(tmp_path))
    assert _found(finder, str(tmp_path)) == [
        f"{tmp_path}/docs/a.xml",
        f"{tmp_path}/docs/b.ssml",
        f"{tmp_path}/docs/broken.ssml",
    ]


def test_gitignore_and_ignore_files_are_respected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "build/\n*.tmp.ssml\n!keep.tmp.ssml\n",
            "build/out.ssml": SPEAK,
            "a.tmp.ssml": SPEAK,
            "keep.tmp.ssml": SPEAK,
            "sub/.ignore": "local.ssml\n",
            "sub/local.ssml": SPEAK,
            "sub/kept.ssml": SPEAK,
            "sub/deeper/.gitignore": "!local.ssml\n",
            "sub/deeper/local.ssml": SPEAK,
        },
    )
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("private.ssml\n")
    _tree(tmp_path, {"private.ssml": SPEAK})
    monkeypatch.chdir(tmp_path)
    assert _found(Discovery(str(tmp_path)), ".") == [
        "keep.tmp.ssml",
        "sub/kept.ssml",
        "sub/deeper/local.ssml",  # a deeper file re-includes what a shallower one ignored
    ]
    # Without the ignore files, everything but the hidden .git is linted.
    assert len(_found(Discovery(str(tmp_path), respect_ignore_files=False), ".")) == 7


def test_parent_gitignore_applies_below_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {".gitignore": "gen/\n", "pkg/gen/x.ssml": SPEAK, "pkg/y.ssml": SPEAK})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "pkg")
    assert _found(Discovery(str(tmp_path / "pkg")), ".") == ["y.ssml"]


def test_exclude_patterns_and_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(
        tmp_path,
        {
            "node_modules/m.ssml": SPEAK,
            ".venv/v.ssml": SPEAK,
            "legacy/old.ssml": SPEAK,
            "docs/legacy/kept.ssml": SPEAK,
            "docs/draft.wip.ssml": SPEAK,
            "docs/a.ssml": SPEAK,
        },
    )
    monkeypatch.chdir(tmp_path)
    finder = Discovery(str(tmp_path), extend_exclude=("/legacy/", "*.wip.ssml"))
    assert _found(finder, ".") == ["docs/a.ssml", "docs/legacy/kept.ssml"]
    # exclude replaces the defaults: node_modules comes back, hidden folders too
    replaced = Discovery(str(tmp_path), exclude=("legacy",))
    assert _found(replaced, ".") == [
        ".venv/v.ssml",
        "docs/a.ssml",
        "docs/draft.wip.ssml",
        "node_modules/m.ssml",
    ]
    assert ".*" in DEFAULT_EXCLUDE


def test_include_replaces_the_file_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {"a.ssml": SPEAK, "b.speech": SPEAK, "c.xml": SPEAK})
    monkeypatch.chdir(tmp_path)
    assert _found(Discovery(str(tmp_path), include=("*.speech",)), ".") == ["b.speech"]


def test_named_files_are_linted_unless_force_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "ignored/\n",
            "ignored/x.ssml": SPEAK,
            "pom.xml": "<project/>",
            "legacy/a.ssml": SPEAK,
            "ok.ssml": SPEAK,
        },
    )
    monkeypatch.chdir(tmp_path)
    named = ["ignored/x.ssml", "pom.xml", "legacy/a.ssml", "ok.ssml"]
    plain = Discovery(str(tmp_path), extend_exclude=("legacy",))
    assert _found(plain, *named) == named
    forced = Discovery(str(tmp_path), extend_exclude=("legacy",), force_exclude=True)
    assert _found(forced, *named) == ["ok.ssml"]
    assert forced.named_file_skipped("pom.xml") == ("not SSML: root element <project>, not <speak>")
    assert forced.named_file_skipped("ignored/x.ssml") == "ignored by .gitignore:1 (ignored/)"
    assert _found(forced, "legacy") == []


def test_missing_paths_and_empty_folders_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found = Discovery(str(tmp_path)).collect(
        [str(tmp_path / "absent.ssml"), str(tmp_path / "empty")]
    )
    assert list(found) == []
    assert len(found.errors) == 2
    assert "no such file or directory" in found.errors[0]
    assert "no *.ssml or *.xml files" in found.errors[1]


def test_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, {"a.ssml": SPEAK})
    monkeypatch.chdir(tmp_path)
    assert _found(Discovery(str(tmp_path)), ".", "a.ssml", "./a.ssml") == ["a.ssml"]


def test_configuration_keys_are_typed_and_checked() -> None:
    from ssmlkit.config import Config, config_from_mapping
    from ssmlkit.errors import ConfigError

    config = config_from_mapping(
        {"include": ["*.speech"], "exclude": ["old"], "extend-exclude": ["tmp/"]}, file="p.toml"
    )
    assert (config.include, config.exclude, config.extend_exclude) == (
        ("*.speech",),
        ("old",),
        ("tmp/",),
    )
    assert Config().include == ("*.ssml", "*.xml")
    assert Config().exclude == DEFAULT_EXCLUDE
    with pytest.raises(ConfigError, match="extend-exclude") as info:
        config_from_mapping({"extend-exclude": "legacy/"}, file="p.toml")
    assert info.value.file == "p.toml"
    assert "list of .gitignore-style patterns" in str(info.value)
    with pytest.raises(ConfigError, match="did you mean 'extend-exclude'"):
        config_from_mapping({"extend-exlude": ["x"]})
