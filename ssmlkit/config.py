"""Configuration: one frozen :class:`Config`, from ``[tool.ssmlkit]`` or built in code.

Usage::

    from ssmlkit.config import Config, load_config
    config = load_config(start="docs/intro.ssml")   # nearest ssmlkit.toml / pyproject.toml
    config = Config(ignore=("VO",), max_chars=5000)  # or built in code

Selection follows ruff/flake8: ``select`` and ``ignore`` take codes (``BR001``), code prefixes
(``BR``, ``XM0``) and rule names (``break-time-out-of-range``); ``ALL`` selects everything. The
most specific match wins (a name or full code beats a prefix, a longer prefix beats a shorter one);
on a tie, ``ignore`` wins.

The configuration file is the nearest ``ssmlkit.toml`` (keys at the top level) or
``pyproject.toml`` with a ``[tool.ssmlkit]`` table, searched from the linted file's directory
upwards (``ssmlkit.toml`` wins when both sit in one directory)::

    [tool.ssmlkit]
    select = ["ALL"]
    ignore = ["VO001"]
    extend-select = []
    per-file-ignores = { "legacy/*.ssml" = ["SZ"] }
    severity = { BR002 = "error" }
    max-chars = 20000
    count-tags = false
    max-bytes = 10000000

    [tool.ssmlkit.rules.BR002]     # a rule's options, by code or name
    max-total = "10s"

Unknown keys, unknown rules and values of the wrong type are :class:`~ssmlkit.errors.ConfigError`
naming the file and key, with a "did you mean" suggestion. ``[tool.ssmlkit.render]`` and
``[tool.ssmlkit.split]`` belong to other commands and are accepted here unread.
"""

from __future__ import annotations

import dataclasses
import os
import re
import types
import typing
from collections import abc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ssmlkit.errors import ConfigError
from ssmlkit.lint.diagnostic import Severity
from ssmlkit.profiles import cosyvoice

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "CATEGORIES",
    "CONFIG_FILES",
    "Config",
    "config_from_mapping",
    "find_config_file",
    "load_config",
    "parse_severity",
    "validate_options",
    "validate_selectors",
]

#: File names searched for, in order of preference within one directory.
CONFIG_FILES = ("ssmlkit.toml", "pyproject.toml")

#: Rule categories: a selector may name one even before a rule of it exists.
CATEGORIES = ("XM", "ST", "VA", "BR", "SA", "PR", "VO", "SZ", "MT")

# Sections that other commands read; the linter accepts them without looking inside.
_FOREIGN_SECTIONS = ("render", "split")
_KEYS = (
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "severity",
    "max-chars",
    "count-tags",
    "max-bytes",
    "rules",
    *_FOREIGN_SECTIONS,
)


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """Lint settings. Every field has the default ``ssmlkit lint`` uses without configuration.

    ``max_chars`` is the per-request limit; ``count_tags`` switches to the older, stricter reading
    in which tags count too. ``rendering`` makes an oversized document an error (the user renders it
    unsplit) instead of a warning that says how many chunks ``ssmlkit split`` would make.
    ``source_file`` is the configuration file the settings came from, when any.
    """

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=_empty)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)
    max_chars: int = cosyvoice.MAX_CHARS
    count_tags: bool = False
    rendering: bool = False
    max_bytes: int = 10_000_000
    source_file: str | None = None

    def is_enabled(self, code: str, name: str, *, path: str | None = None) -> bool:
        """Whether the rule ``code``/``name`` runs (for a file at ``path``)."""
        ignore = list(self.ignore)
        if path is not None and self.per_file_ignores:
            from fnmatch import fnmatch

            for pattern, codes in self.per_file_ignores.items():
                if fnmatch(path, pattern) or fnmatch(path.replace("\\", "/"), f"*/{pattern}"):
                    ignore.extend(codes)
        chosen = _specificity(code, name, (*self.select, *self.extend_select))
        dropped = _specificity(code, name, ignore)
        if chosen < 0:
            return False
        return chosen > dropped

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        """The severity configured for the rule, else ``default``."""
        return self.severity.get(code, self.severity.get(name, default))


def _specificity(code: str, name: str, selectors: Any) -> int:
    """How specifically ``selectors`` match the rule: -1 none, else the match length."""
    best = -1
    for raw in selectors:
        sel = str(raw).strip()
        if sel.upper() == "ALL":
            best = max(best, 0)
        elif sel.lower() == name or sel.upper() == code:
            best = max(best, 100)
        elif code.startswith(sel.upper()) and sel:
            best = max(best, len(sel))
    return best


# --------------------------------------------------------------------------- finding the file


def find_config_file(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or directory; default: cwd).

    ``ssmlkit.toml`` always counts; ``pyproject.toml`` only when it has a ``[tool.ssmlkit]`` table.
    Returns ``None`` when there is none up to the filesystem root.
    """
    # os.path, not pathlib, on this path that every `ssmlkit lint` takes: importing pathlib costs
    # more than the search. The walk is lexical, as Path.parents is (".." stays a step up).
    cwd = os.getcwd()
    here = os.path.join(cwd, os.fspath(start)) if start is not None else cwd
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate) and (
                name == "ssmlkit.toml" or _has_tool_section(candidate)
            ):
                from pathlib import Path

                return Path(candidate)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _has_tool_section(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    if "ssmlkit" not in text:
        return False
    data = _parse_toml(text, pyproject)
    tool = data.get("tool")
    return isinstance(tool, dict) and "ssmlkit" in tool


def _parse_toml(text: str, file: str | Path) -> dict[str, Any]:
    import tomllib  # only when a file is read: keeps `ssmlkit lint` start-up short

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from pathlib import Path

        raise ConfigError(f"not valid TOML: {exc}", file=str(Path(file))) from exc


# --------------------------------------------------------------------------- loading


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    start: str | os.PathLike[str] | None = None,
    isolated: bool = False,
) -> Config:
    """Load the configuration: from ``path`` when given, else the nearest file above ``start``.

    ``isolated=True`` ignores configuration files and returns the defaults. Raises
    :class:`~ssmlkit.errors.ConfigError` for a missing or invalid file.
    """
    if isolated:
        return Config()
    if path is None:
        found = find_config_file(start)
        if found is None:
            return Config()
        file = found
    else:
        from pathlib import Path

        file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("configuration file not found", file=str(file)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file: {exc}", file=str(file)) from exc
    data = _parse_toml(text, file)
    if file.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("ssmlkit", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError("[tool.ssmlkit] must be a table", file=str(file), key="tool.ssmlkit")
        return config_from_mapping(table, file=str(file), section="tool.ssmlkit")
    return config_from_mapping(data, file=str(file), section="")


def config_from_mapping(
    data: Mapping[str, Any],
    *,
    file: str | None = None,
    section: str = "tool.ssmlkit",
) -> Config:
    """Build a :class:`Config` from the keys of a ``[tool.ssmlkit]`` table (already parsed TOML).

    ``file`` and ``section`` only serve error messages. Raises
    :class:`~ssmlkit.errors.ConfigError` for unknown keys and wrong types.
    """
    where = f"[{section}]" if section else "the top level"
    values: dict[str, Any] = {"source_file": file}
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(
                f"unknown key {key!r} in {where}{_did_you_mean(key, _KEYS)}",
                file=file,
                key=key,
                value=value,
                expected="one of " + ", ".join(_KEYS),
            )
        full = f"{section}.{key}" if section else key
        if key in ("select", "ignore", "extend-select"):
            values[key.replace("-", "_")] = validate_selectors(
                _strings(value, full, file), key=full, file=file
            )
        elif key == "per-file-ignores":
            values["per_file_ignores"] = MappingProxyType(_per_file_ignores(value, full, file))
        elif key == "severity":
            values["severity"] = MappingProxyType(_severities(value, full, file))
        elif key in ("max-chars", "max-bytes"):
            values[key.replace("-", "_")] = _positive_int(value, full, file)
        elif key == "count-tags":
            if not isinstance(value, bool):
                raise _wrong_type(full, value, "true or false", file)
            values["count_tags"] = value
        elif key == "rules":
            values["rule_options"] = MappingProxyType(_rule_options(value, full, file))
        elif not isinstance(value, dict):  # a foreign section: only its shape is checked
            raise _wrong_type(full, value, "a table", file)
    return Config(**values)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1)
        if close:
            close = [next(c for c in choices if c.lower() == close[0])]
    return f"; did you mean {close[0]!r}?" if close else ""


def _wrong_type(key: str, value: object, expected: str, file: str | None) -> ConfigError:
    return ConfigError(
        f"{key} = {value!r} is not valid; expected {expected}",
        file=file,
        key=key,
        value=value,
        expected=expected,
    )


def _strings(value: object, key: str, file: str | None) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise _wrong_type(key, value, "a list of rule codes, prefixes or names", file)


def _positive_int(value: object, key: str, file: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _wrong_type(key, value, "a positive integer", file)
    return value


def _rule_choices() -> list[str]:
    from ssmlkit.lint.registry import all_rules

    return [c for r in all_rules() for c in (r.code, r.name)]


_SELECTOR = re.compile(r"[A-Za-z]{2}[0-9]{0,3}")


def validate_selectors(
    selectors: Iterable[str], *, key: str = "select", file: str | None = None
) -> tuple[str, ...]:
    """Check rule selectors (``ALL``, codes, code prefixes, names); return them normalized.

    Codes and prefixes come back upper-case and names lower-case. Raises
    :class:`~ssmlkit.errors.ConfigError` with a suggestion for a selector that matches no rule.
    """
    from ssmlkit.lint.registry import all_rules

    rules = all_rules()
    out: list[str] = []
    for raw in selectors:
        sel = raw.strip()
        if not sel:
            continue
        upper = sel.upper()
        if upper == "ALL":
            out.append("ALL")
        elif any(r.name == sel.lower() for r in rules):
            out.append(sel.lower())
        elif _SELECTOR.fullmatch(sel) and (
            any(r.code.startswith(upper) for r in rules)
            or (upper[:2] in CATEGORIES and len(upper) < 5)
        ):
            out.append(upper)
        else:
            raise ConfigError(
                f"{key}: {sel!r} is not a rule code, prefix or name"
                + _did_you_mean(sel, ["ALL", *_rule_choices()]),
                file=file,
                key=key,
                value=sel,
                expected="a rule code (BR001), a prefix (BR) or a name",
            )
    return tuple(out)


def parse_severity(level: object, *, key: str = "severity", file: str | None = None) -> Severity:
    """``"error"``, ``"warning"`` or ``"info"`` (any case) as a :class:`Severity`."""
    if isinstance(level, str):
        try:
            return Severity(level.strip().lower())
        except ValueError:
            pass
    raise _wrong_type(key, level, "one of 'error', 'warning', 'info'", file)


def _rule_code(name: str, key: str, file: str | None) -> str:
    from ssmlkit.lint.registry import find_rule

    rule = find_rule(name)
    if rule is None:
        raise ConfigError(
            f"{key}: unknown rule {name!r}" + _did_you_mean(name, _rule_choices()),
            file=file,
            key=key,
            value=name,
            expected="a rule code or name",
        )
    return rule.code


def _severities(value: object, key: str, file: str | None) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise _wrong_type(key, value, "a table of rule = level", file)
    return {
        _rule_code(name, key, file): parse_severity(level, key=f"{key}.{name}", file=file)
        for name, level in value.items()
    }


def _per_file_ignores(value: object, key: str, file: str | None) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _wrong_type(key, value, 'a table of "glob" = [codes]', file)
    return {
        pattern: validate_selectors(
            _strings(codes, f"{key}.{pattern}", file), key=f"{key}.{pattern}", file=file
        )
        for pattern, codes in value.items()
    }


def _rule_options(value: object, key: str, file: str | None) -> dict[str, Mapping[str, Any]]:
    from ssmlkit.lint.registry import find_rule

    if not isinstance(value, dict):
        raise _wrong_type(key, value, "a table of [rules.CODE] tables", file)
    out: dict[str, Mapping[str, Any]] = {}
    for name, options in value.items():
        where = f"{key}.{name}"
        code = _rule_code(name, where, file)
        rule = find_rule(code)
        assert rule is not None
        if not isinstance(options, dict):
            raise _wrong_type(where, options, "a table of options", file)
        out[code] = MappingProxyType(validate_options(rule.Options, options, where, file))
    return out


def validate_options(
    options_type: type[Any], raw: Mapping[str, Any], key: str, file: str | None
) -> dict[str, Any]:
    """Check ``raw`` (kebab- or snake-case keys) against a rule's Options dataclass fields and types.

    Returns the options with snake-case keys and values converted (lists to tuples, integers to
    floats where a float is declared). ``key`` and ``file`` name the place in error messages.
    """
    fields = (
        {f.name: f for f in dataclasses.fields(options_type)}
        if dataclasses.is_dataclass(options_type)
        else {}
    )
    try:
        hints = typing.get_type_hints(options_type)
    except Exception:  # an annotation we cannot resolve: check names only
        hints = {}
    out: dict[str, Any] = {}
    for name, value in raw.items():
        attr = name.replace("-", "_")
        if attr not in fields:
            known = [f.replace("_", "-") for f in fields]
            hint = _did_you_mean(name, known) if known else "; this rule has no options"
            raise ConfigError(
                f"unknown option {name!r} in [{key}]{hint}",
                file=file,
                key=f"{key}.{name}",
                value=value,
                expected=", ".join(known) or "no options",
            )
        if attr in hints:
            try:
                value = _coerce(value, hints[attr])
            except _Mismatch:
                raise _wrong_type(f"{key}.{name}", value, _describe(hints[attr]), file) from None
        out[attr] = value
    try:
        options_type(**out)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{key}]: {exc}", file=file, key=key) from exc
    return out


class _Mismatch(Exception):
    pass


def _coerce(value: Any, hint: Any) -> Any:
    """``value`` converted to ``hint`` (lists to tuples, ints to floats) or :class:`_Mismatch`."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            try:
                return _coerce(value, arg)
            except _Mismatch:
                continue
        raise _Mismatch
    if origin is typing.Literal:
        if value in args:
            return value
        raise _Mismatch
    if hint is type(None):
        if value is None:
            return None
        raise _Mismatch
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _Mismatch
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _Mismatch
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise _Mismatch
    if hint is str:
        if isinstance(value, str):
            return value
        raise _Mismatch
    if origin in (tuple, list, frozenset, set, abc.Sequence, abc.Set):
        if not isinstance(value, list | tuple):
            raise _Mismatch
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise _Mismatch
            return tuple(_coerce(v, a) for v, a in zip(value, args, strict=True))
        item = args[0] if args else Any
        items = [_coerce(v, item) for v in value]
        if origin in (frozenset, set, abc.Set):
            return frozenset(items)
        return items if origin is list else tuple(items)
    if origin in (dict, abc.Mapping):
        if not isinstance(value, dict):
            raise _Mismatch
        vtype = args[1] if len(args) == 2 else Any
        return {str(k): _coerce(v, vtype) for k, v in value.items()}
    return value  # a type we do not know how to check: the Options constructor decides


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    simple = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    if hint in simple:
        return simple[hint]
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in args if a is not type(None))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is not None and args:
        plural = {bool: "true/false values", int: "integers", float: "numbers", str: "strings"}
        return f"a list of {plural.get(args[0], _describe(args[0]))}"
    return getattr(hint, "__name__", str(hint))
