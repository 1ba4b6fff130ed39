"""Configuration loading: file discovery, keys, validation errors with suggestions."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.config import (
    Config,
    config_from_mapping,
    find_config_file,
    load_config,
    validate_options,
    validate_selectors,
)
from ssmlkit.errors import ConfigError
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import all_rules


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_from_a_nested_file(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.ssmlkit]\nignore = ["XM004"]\nmax-chars = 500\n')
    doc = _write(tmp_path / "a" / "b" / "doc.ssml", "<speak/>")
    assert find_config_file(doc) == tmp_path / "pyproject.toml"
    config = load_config(start=doc)
    assert config.ignore == ("XM004",)
    assert config.max_chars == 500
    assert config.source_file == str(tmp_path / "pyproject.toml")
    assert not config.is_enabled("XM004", "unescaped-greater-than")


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "ssmlkit.toml", "max-chars = 7\n")
    _write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config_file(tmp_path / "sub") == tmp_path / "ssmlkit.toml"
    assert load_config(start=tmp_path / "sub").max_chars == 7


def test_ssmlkit_toml_wins_in_the_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.ssmlkit]\nmax-chars = 1\n")
    _write(tmp_path / "ssmlkit.toml", "max-chars = 2\n")
    assert load_config(start=tmp_path).max_chars == 2


def test_no_file_and_isolated_give_defaults(tmp_path: Path) -> None:
    assert find_config_file(tmp_path) is None or not str(find_config_file(tmp_path)).startswith(
        str(tmp_path)
    )
    _write(tmp_path / "ssmlkit.toml", "max-chars = 3\n")
    assert load_config(start=tmp_path, isolated=True) == Config()


def test_every_documented_key(tmp_path: Path) -> None:
    file = _write(
        tmp_path / "ssmlkit.toml",
        """
select = ["XM", "unescaped-ampersand"]
ignore = "XM004, XM005"
extend-select = ["MT"]
per-file-ignores = { "legacy/*.ssml" = ["XM002"] }
severity = { unescaped-ampersand = "warning", XM003 = "INFO" }
max-chars = 1000
count-tags = true
max-bytes = 4096

[render]
voice = "longanyang"

[split]
also = 1
""",
    )
    config = load_config(file, rules=all_rules())
    assert config.select == ("XM", "unescaped-ampersand")
    assert config.ignore == ("XM004", "XM005")
    assert config.extend_select == ("MT",)
    assert dict(config.per_file_ignores) == {"legacy/*.ssml": ("XM002",)}
    assert dict(config.severity) == {"XM002": Severity.WARNING, "XM003": Severity.INFO}
    assert (config.max_chars, config.count_tags, config.max_bytes) == (1000, True, 4096)
    assert config.severity_for("XM002", "unescaped-ampersand", Severity.ERROR) is Severity.WARNING
    assert not config.is_enabled("XM002", "unescaped-ampersand", path="legacy/old.ssml")
    assert config.is_enabled("XM002", "unescaped-ampersand", path="new/doc.ssml")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("max-char = 5\n", "did you mean 'max-chars'"),
        ("ignroe = []\n", "did you mean 'ignore'"),
        ("max-chars = 'many'\n", "positive integer"),
        ("max-chars = 0\n", "positive integer"),
        ("count-tags = 1\n", "true or false"),
        ("select = [1]\n", "list of rule codes"),
        ("select = ['XM00Z']\n", "not a rule code"),
        ("ignore = ['unescaped-ampersnd']\n", "did you mean 'unescaped-ampersand'"),
        ("severity = { XM002 = 'fatal' }\n", "'error', 'warning', 'info'"),
        ("severity = { XM992 = 'error' }\n", "unknown rule"),
        ("[rules.XM002]\nwidth = 3\n", "this rule has no options"),
        ("[rules.nope-rule]\nx = 1\n", "unknown rule"),
        ("render = 3\n", "a table"),
        ("max-chars = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path: Path, text: str, fragment: str) -> None:
    file = _write(tmp_path / "ssmlkit.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(file, rules=all_rules())
    message = str(info.value)
    assert fragment in message
    assert str(file) in message


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    file = _write(tmp_path / "pyproject.toml", "[tool.ssmlkit]\nselec = ['XM']\n")
    with pytest.raises(ConfigError, match=r"\[tool\.ssmlkit\].*did you mean 'select'") as info:
        load_config(file)
    assert info.value.key == "selec"
    assert info.value.file == str(file)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.toml")


def test_selectors_are_normalized() -> None:
    assert validate_selectors(["all", "xm", "Unescaped-Ampersand", "br0"], rules=all_rules()) == (
        "ALL",
        "XM",
        "unescaped-ampersand",
        "BR0",
    )


@dataclasses.dataclass(frozen=True)
class _Options:
    limit: int = 3
    ratio: float = 0.5
    strict: bool = False
    words: tuple[str, ...] = ()
    mode: Literal["fast", "slow"] = "fast"
    label: str | None = None


def test_options_are_checked_against_the_dataclass() -> None:
    got = validate_options(
        _Options,
        {"limit": 5, "ratio": 2, "strict": True, "words": ["a", "b"], "mode": "slow"},
        "rules.X",
        None,
    )
    assert got == {"limit": 5, "ratio": 2.0, "strict": True, "words": ("a", "b"), "mode": "slow"}
    assert isinstance(got["ratio"], float)
    assert _Options(**got).words == ("a", "b")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"limit": "5"}, "an integer"),
        ({"limit": True}, "an integer"),
        ({"ratio": "x"}, "a number"),
        ({"strict": "yes"}, "true or false"),
        ({"words": "a"}, "a list of strings"),
        ({"words": [1]}, "a list of strings"),
        ({"mode": "medium"}, "one of 'fast', 'slow'"),
        ({"label": 3}, "a string"),
        ({"limt": 3}, "did you mean 'limit'"),
    ],
)
def test_option_errors(raw: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate_options(_Options, raw, "rules.X", "cfg.toml")
    assert fragment in str(info.value)
    assert "cfg.toml" in str(info.value)


def test_rule_options_of_registered_rules_load() -> None:
    with_options = [
        r
        for r in all_rules()
        if dataclasses.is_dataclass(r.Options) and dataclasses.fields(r.Options)
    ]
    if not with_options:
        pytest.skip("no registered rule has options yet")
    rule = with_options[0]
    field = dataclasses.fields(rule.Options)[0]
    default = getattr(rule.Options(), field.name)
    key = field.name.replace("_", "-")
    value = list(default) if isinstance(default, tuple | frozenset) else default
    config = config_from_mapping({"rules": {rule.name: {key: value}}}, rules=all_rules())
    assert field.name in config.rule_options[rule.code]


def test_config_imports_nothing_from_the_linter() -> None:
    import ast

    import ssmlkit.config

    tree = ast.parse(Path(ssmlkit.config.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [m for m in imported if m.startswith("ssmlkit.linter")]


def test_without_rules_only_the_shape_is_checked() -> None:
    config = config_from_mapping(
        {
            "select": ["some-rule-name", "XM"],
            "severity": {"XM002": "info"},
            "rules": {"X": {"a-b": 1}},
        }
    )
    assert config.select == ("some-rule-name", "XM")
    assert dict(config.rule_options) == {"X": {"a_b": 1}}
    with pytest.raises(ConfigError, match="not a rule code"):
        config_from_mapping({"select": ["???"]})


def test_command_line_choices_override_the_file() -> None:
    base = Config(select=("XM",), ignore=("XM004",), severity={"XM002": Severity.INFO})
    assert base.overridden() is base
    over = base.overridden(
        select=("BR",), ignore=("BR002",), severity={"XM003": Severity.ERROR}, max_chars=9
    )
    assert (over.select, over.ignore, over.max_chars) == (("BR",), ("BR002",), 9)
    assert dict(over.severity) == {"XM002": Severity.INFO, "XM003": Severity.ERROR}
    assert base.overridden(extend_select=("MT",)).extend_select == ("MT",)
    assert base.overridden(ignore=("XM005",)).ignore == ("XM004", "XM005")


def test_severity_is_one_type_for_linter_and_configuration() -> None:
    from ssmlkit import severity

    assert Severity is severity.Severity


_SHAPES = st.text(alphabet="aZ09-_é٣ ", max_size=8)


@given(_SHAPES | st.from_regex(r"[A-Za-z]{2}[0-9]{0,3}", fullmatch=True))
def test_code_shape_is_the_documented_pattern(sel: str) -> None:
    import re

    from ssmlkit.config import _is_code_or_prefix

    assert _is_code_or_prefix(sel) == bool(re.fullmatch(r"[A-Za-z]{2}[0-9]{0,3}", sel))


@given(_SHAPES | st.from_regex(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", fullmatch=True))
def test_rule_name_shape_is_kebab_case(sel: str) -> None:
    import re

    from ssmlkit.config import _is_rule_name

    assert _is_rule_name(sel) == bool(re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", sel))


def test_render_settings_are_typed_and_checked(tmp_path: Path) -> None:
    from ssmlkit.config import RenderSettings, load_settings

    file = _write(
        tmp_path / "pyproject.toml",
        "[tool.ssmlkit]\nmax-chars = 9\n[tool.ssmlkit.render]\n"
        "engine = 'offline'\nsample-rate = 24000\npitch = 1\nno_cache = true\n",
    )
    settings = load_settings(start=tmp_path)
    assert settings.source_file == str(file)
    assert settings.lint.max_chars == 9
    assert settings.render == RenderSettings(
        engine="offline", sample_rate=24000, pitch=1.0, cache=False
    )
    assert isinstance(settings.render.pitch, float)
    assert settings.render.options() == {
        "engine": "offline",
        "sample_rate": 24000,
        "pitch": 1.0,
        "cache": False,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.render.voice = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("table", "fragment", "key"),
    [
        ("voise = 'x'", "did you mean 'voice'", "voise"),
        ("sample_rate = 'fast'", "expected an integer", "tool.ssmlkit.render.sample_rate"),
        ("engine = 'cosyvoice'", "'auto', 'http', 'offline'", "tool.ssmlkit.render.engine"),
        ("cache = 'no'", "true or false", "tool.ssmlkit.render.cache"),
        ("no_cache = 1", "true or false", "tool.ssmlkit.render.no_cache"),
    ],
)
def test_render_settings_errors_name_file_key_and_expected(
    tmp_path: Path, table: str, fragment: str, key: str
) -> None:
    from ssmlkit.config import load_settings

    file = _write(tmp_path / "pyproject.toml", f"[tool.ssmlkit.render]\n{table}\n")
    with pytest.raises(ConfigError) as info:
        load_settings(file)
    assert fragment in str(info.value)
    assert info.value.file == str(file)
    assert info.value.key == key
    assert info.value.expected


def test_every_render_setting_is_an_option_of_the_cli_and_of_render() -> None:
    from ssmlkit.cli.render import render_command
    from ssmlkit.config import RenderSettings
    from ssmlkit.rendering.job import option_destinations

    cli = {p.name for p in render_command.params}
    for name in RenderSettings.destinations():
        assert name in cli, name
        assert name in option_destinations(), name
