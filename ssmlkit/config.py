"""Configuration: ``[tool.ssmlkit]`` found once, read into typed lint and render settings.

Usage::

    from ssmlkit.config import Config, RenderSettings, load_config, load_settings
    settings = load_settings(start="docs/intro.ssml", rules=all_rules())  # nearest file, once
    settings.lint       # a Config: what `ssmlkit lint` runs with
    settings.render     # a RenderSettings: the defaults of `ssmlkit render` and ssmlkit.render
    config = load_config(start="docs/intro.ssml")   # just the lint part
    config = Config(ignore=("VO",), max_chars=5000)  # or built in code

This module imports nothing from the linter (the linter imports it): what it must know of the
rules (their codes, names and option types) is passed in as ``rules``, any objects with ``code``,
``name`` and ``Options`` attributes, such as :func:`ssmlkit.linter.all_rules`. Without ``rules``,
selectors, severities and rule options are checked for their shape only.

Selection follows ruff/flake8: ``select`` and ``ignore`` take codes (``BR001``), code prefixes
(``BR``, ``XM0``) and rule names (``break-time-out-of-range``); ``ALL`` selects everything. The
most specific match wins (a name or full code beats a prefix, a longer prefix beats a shorter one);
on a tie, ``ignore`` wins. An opt-in rule (``polyphone-without-hint``) runs only when ``select`` or
``extend-select`` names it by code or name: ``ALL`` and prefixes leave it out.

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
    include = ["*.ssml", "*.xml"]    # what a folder's walk takes (.xml only with a <speak> root)
    extend-exclude = ["legacy/"]     # .gitignore patterns, on top of `exclude`'s defaults

    [tool.ssmlkit.rules.BR002]     # a rule's options, by code or name
    max-total = "10s"

Unknown keys, unknown rules and values of the wrong type are :class:`~ssmlkit.errors.ConfigError`
naming the file and key, with a "did you mean" suggestion. ``[tool.ssmlkit.render]`` holds the
render defaults (see :class:`RenderSettings`), with the option names of :func:`ssmlkit.render`
(``sample_rate`` or ``sample-rate``)::

    [tool.ssmlkit.render]
    engine = "auto"          # "http", "offline" or "auto" (http when an API key is set)
    voice = "longanyang"
    format = "wav"
    sample-rate = 24000

``[tool.ssmlkit.split]`` is accepted unread (reserved for ``ssmlkit split``).
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections import abc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from ssmlkit._records import Record, record
from ssmlkit.discovery import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from ssmlkit.errors import ConfigError
from ssmlkit.profiles import cosyvoice
from ssmlkit.severity import Severity

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "CATEGORIES",
    "CONFIG_FILES",
    "ENGINES",
    "Config",
    "RenderSettings",
    "RuleSpec",
    "Settings",
    "config_from_mapping",
    "find_config_file",
    "load_config",
    "load_settings",
    "parse_severity",
    "render_settings_from_mapping",
    "settings_from_mapping",
    "validate_options",
    "validate_selectors",
]

#: File names searched for, in order of preference within one directory.
CONFIG_FILES = ("ssmlkit.toml", "pyproject.toml")

#: Rule categories: a selector may name one even before a rule of it exists.
CATEGORIES = ("XM", "ST", "VA", "BR", "SA", "PR", "VO", "SZ", "MT")

# A section no command reads yet: accepted without looking inside.
_FOREIGN_SECTIONS = ("split",)
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
    "include",
    "exclude",
    "extend-exclude",
    "render",
    *_FOREIGN_SECTIONS,
)


class RuleSpec(Protocol):
    """What the configuration needs to know of a rule (a linter rule class satisfies it)."""

    @property
    def code(self) -> str:
        """The rule's code, ``BR001``."""
        ...

    @property
    def name(self) -> str:
        """The rule's kebab-case name."""
        ...

    @property
    def Options(self) -> type[Any]:
        """The rule's options dataclass."""
        ...


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


class _Factory:
    """The default of a field filled by a factory (shown as in a dataclass signature)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()
_set = object.__setattr__


# A Record (see ssmlkit._records) with its own __init__, not a generated frozen dataclass: that
# costs ~2 ms at `ssmlkit lint` start-up. Not slotted: the linter caches its rule plan for a
# configuration in the instance's __dict__.
@dataclass(init=False, repr=False, eq=False)
class Config(Record):
    """Lint settings. Every field has the default ``ssmlkit lint`` uses without configuration.

    ``max_chars`` is the per-request limit; ``count_tags`` switches to the older, stricter reading
    in which tags count too. ``rendering`` makes an oversized document an error (the user renders it
    unsplit) instead of a warning that says how many chunks ``ssmlkit split`` would make.
    ``source_file`` is the configuration file the settings came from, when any. ``include``,
    ``exclude`` and ``extend_exclude`` are the file discovery's patterns (see
    :mod:`ssmlkit.discovery`), relative to the configuration file's folder.
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
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()

    def __init__(
        self,
        select: tuple[str, ...] = ("ALL",),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        severity: Mapping[str, Severity] = _FACTORY,
        per_file_ignores: Mapping[str, tuple[str, ...]] = _FACTORY,
        rule_options: Mapping[str, Mapping[str, Any]] = _FACTORY,
        max_chars: int = cosyvoice.MAX_CHARS,
        count_tags: bool = False,
        rendering: bool = False,
        max_bytes: int = 10_000_000,
        source_file: str | None = None,
        include: tuple[str, ...] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
        extend_exclude: tuple[str, ...] = (),
    ) -> None:
        _set(self, "select", select)
        _set(self, "ignore", ignore)
        _set(self, "extend_select", extend_select)
        _set(self, "severity", _empty() if severity is _FACTORY else severity)
        _set(
            self, "per_file_ignores", _empty() if per_file_ignores is _FACTORY else per_file_ignores
        )
        _set(self, "rule_options", _empty() if rule_options is _FACTORY else rule_options)
        _set(self, "max_chars", max_chars)
        _set(self, "count_tags", count_tags)
        _set(self, "rendering", rendering)
        _set(self, "max_bytes", max_bytes)
        _set(self, "source_file", source_file)
        _set(self, "include", include)
        _set(self, "exclude", exclude)
        _set(self, "extend_exclude", extend_exclude)

    def is_enabled(
        self, code: str, name: str, *, path: str | None = None, opt_in: bool = False
    ) -> bool:
        """Whether the rule ``code``/``name`` runs (for a file at ``path``).

        An ``opt_in`` rule runs only when ``select`` or ``extend_select`` names its exact code or
        name: ``ALL`` and prefixes leave it out.
        """
        ignore = list(self.ignore)
        if path is not None and self.per_file_ignores:
            from fnmatch import fnmatch

            for pattern, codes in self.per_file_ignores.items():
                if fnmatch(path, pattern) or fnmatch(path.replace("\\", "/"), f"*/{pattern}"):
                    ignore.extend(codes)
        chosen = _specificity(code, name, (*self.select, *self.extend_select))
        dropped = _specificity(code, name, ignore)
        if chosen < (_EXACT if opt_in else 0):
            return False
        return chosen > dropped

    def overridden(
        self,
        *,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        severity: Mapping[str, Severity] | None = None,
        max_chars: int | None = None,
    ) -> Config:
        """This configuration with command-line choices on top (they win); empty ones change nothing.

        ``select`` replaces the configured selection entirely (as in ruff), ``ignore`` and
        ``extend_select`` add to it, ``severity`` entries replace the configured ones.
        """
        changes: dict[str, Any] = {}
        if select:
            changes.update(select=select, ignore=(), extend_select=())
        if ignore:
            changes["ignore"] = (*changes.get("ignore", self.ignore), *ignore)
        if extend_select:
            base = changes.get("extend_select", self.extend_select)
            changes["extend_select"] = (*base, *extend_select)
        if severity:
            changes["severity"] = MappingProxyType({**self.severity, **severity})
        if max_chars is not None:
            changes["max_chars"] = max_chars
        return dataclasses.replace(self, **changes) if changes else self

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        """The severity configured for the rule, else ``default``."""
        return self.severity.get(code, self.severity.get(name, default))


#: The specificity of a selector that names a rule exactly (by code or name): beats any prefix.
_EXACT = 100


def _specificity(code: str, name: str, selectors: Any) -> int:
    """How specifically ``selectors`` match the rule: -1 none, else the match length."""
    best = -1
    for raw in selectors:
        sel = str(raw).strip()
        if sel.upper() == "ALL":
            best = max(best, 0)
        elif sel.lower() == name or sel.upper() == code:
            best = max(best, _EXACT)
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


# --------------------------------------------------------------------------- render settings

#: What ``engine`` may name: the engines :mod:`ssmlkit.rendering.engines` can build, and ``auto``.
ENGINES = ("auto", "http", "offline")


# A Record with a written-out __init__, not @dataclass(frozen=True, slots=True): this module is
# imported by every `ssmlkit lint`, and generating the methods of these two classes cost ~2 ms.
@record
class RenderSettings(Record):
    """The render options a configuration file may set, typed; ``None`` means the renderer's default.

    Usage::

        settings = RenderSettings(voice="longanyang", sample_rate=24000)
        ssmlkit.render(doc, "a.wav", **settings.options())   # only the values that are set

    This record is the one list of render option names: ``[tool.ssmlkit.render]`` is checked
    against it, ``ssmlkit render`` takes its flag defaults from it, and
    :func:`ssmlkit.rendering.job.split_options` sorts a call's options by its field metadata
    (``"to"``: ``engine``, ``params`` for the request, ``client`` for the HTTP client, ``job`` for
    the render itself, ``cli`` for the command line only). ``cache=False`` is ``--no-cache``;
    ``cache=None`` (the default) keeps what an engine bills for (the HTTP engine's audio) and not
    the offline preview's, which costs nothing to make again. ``cache_max_size`` caps the cache in
    bytes (a configuration file may write ``"2GB"``); ``None`` is 2 GB. ``quiet`` only silences
    the command line.
    """

    engine: str = field(default="auto", metadata={"to": "engine"})
    base_url: str | None = field(default=None, metadata={"to": "client"})
    model: str | None = field(default=None, metadata={"to": "params"})
    voice: str | None = field(default=None, metadata={"to": "params"})
    format: str | None = field(default=None, metadata={"to": "params"})
    sample_rate: int | None = field(default=None, metadata={"to": "params"})
    bit_rate: int | None = field(default=None, metadata={"to": "params"})
    seed: int | None = field(default=None, metadata={"to": "params"})
    volume: int | None = field(default=None, metadata={"to": "params"})
    pitch: float | None = field(default=None, metadata={"to": "params"})
    speed: float | None = field(default=None, metadata={"to": "params"})
    max_chars: int | None = field(default=None, metadata={"to": "job"})
    concurrency: int | None = field(default=None, metadata={"to": "client"})
    max_retries: int | None = field(default=None, metadata={"to": "client"})
    timeout: float | None = field(default=None, metadata={"to": "client"})
    retry_base_delay: float | None = field(default=None, metadata={"to": "client"})
    retry_max_delay: float | None = field(default=None, metadata={"to": "client"})
    cache: bool | None = field(default=None, metadata={"to": "job"})
    cache_max_size: int | None = field(default=None, metadata={"to": "job"})
    quiet: bool = field(default=False, metadata={"to": "cli"})
    source_file: str | None = field(default=None, metadata={"to": "none"}, compare=False)

    def changed(self) -> dict[str, Any]:
        """The settings that differ from the defaults, by option name (``source_file`` aside).

        ``ssmlkit render`` makes these its flags' defaults (click's ``default_map``).
        """
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.metadata["to"] != "none" and getattr(self, f.name) != f.default
        }

    def options(self) -> dict[str, Any]:
        """:meth:`changed` without ``quiet``: keyword arguments for ``ssmlkit.render``."""
        return {k: v for k, v in self.changed().items() if k != "quiet"}

    @classmethod
    def destinations(cls) -> dict[str, str]:
        """Each option name and where it goes (``engine``, ``params``, ``client``, ``job``, ``cli``)."""
        return {
            f.name: f.metadata["to"] for f in dataclasses.fields(cls) if f.metadata["to"] != "none"
        }


# Spellings kept from before the settings were typed: ``no_cache = true`` is ``cache = false``.
_RENDER_ALIASES = {"no_cache": "cache"}


def render_settings_from_mapping(
    data: Mapping[str, Any], *, file: str | None = None, section: str = "tool.ssmlkit.render"
) -> RenderSettings:
    """Build :class:`RenderSettings` from a ``[tool.ssmlkit.render]`` table (parsed TOML).

    Keys may use ``-`` or ``_``. Raises :class:`~ssmlkit.errors.ConfigError` naming the file, key,
    value and what was expected, with a "did you mean" for an unknown key.
    """
    names = tuple(RenderSettings.destinations())
    hints = typing.get_type_hints(RenderSettings)
    values: dict[str, Any] = {"source_file": file}
    for key, value in data.items():
        name = key.replace("-", "_")
        full = f"{section}.{key}"
        if name in _RENDER_ALIASES:
            if not isinstance(value, bool):
                raise _wrong_type(full, value, "true or false", file)
            values[_RENDER_ALIASES[name]] = not value
            continue
        if name not in names:
            raise ConfigError(
                f"unknown key {key!r} in [{section}]{_did_you_mean(name, names)}",
                file=file,
                key=key,
                value=value,
                expected="one of " + ", ".join(names),
            )
        if name == "cache_max_size":
            from ssmlkit._sizes import parse_size

            try:
                value = parse_size(value)
            except ValueError:
                raise _wrong_type(
                    full, value, 'a size such as "2GB", "500MiB" or bytes', file
                ) from None
        try:
            value = _coerce(value, hints[name])
        except _Mismatch:
            raise _wrong_type(full, value, _describe(hints[name]), file) from None
        if name == "engine" and value not in ENGINES:
            raise _wrong_type(full, value, "one of " + ", ".join(map(repr, ENGINES)), file)
        values[name] = value
    return RenderSettings(**values)


# --------------------------------------------------------------------------- loading


@record
class Settings(Record):
    """Everything one configuration file says: ``lint`` (a :class:`Config`) and ``render``.

    ``source_file`` is the file they came from, or ``None`` for the defaults.
    """

    lint: Config = field(default_factory=Config)
    render: RenderSettings = field(default_factory=RenderSettings)
    source_file: str | None = None


def load_settings(
    path: str | os.PathLike[str] | None = None,
    *,
    start: str | os.PathLike[str] | None = None,
    isolated: bool = False,
    rules: Iterable[RuleSpec] | None = None,
) -> Settings:
    """Read the configuration once: from ``path`` when given, else the nearest file above ``start``.

    ``isolated=True`` ignores configuration files and returns the defaults. ``rules`` (for
    example :func:`ssmlkit.linter.all_rules`) lets rule codes, names and options be checked.
    Raises :class:`~ssmlkit.errors.ConfigError` for a missing or invalid file.
    """
    if isolated:
        return Settings()
    if path is None:
        found = find_config_file(start)
        if found is None:
            return Settings()
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
        return settings_from_mapping(table, file=str(file), section="tool.ssmlkit", rules=rules)
    return settings_from_mapping(data, file=str(file), section="", rules=rules)


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    start: str | os.PathLike[str] | None = None,
    isolated: bool = False,
    rules: Iterable[RuleSpec] | None = None,
) -> Config:
    """The lint part of :func:`load_settings` (same arguments, same errors)."""
    return load_settings(path, start=start, isolated=isolated, rules=rules).lint


def settings_from_mapping(
    data: Mapping[str, Any],
    *,
    file: str | None = None,
    section: str = "tool.ssmlkit",
    rules: Iterable[RuleSpec] | None = None,
) -> Settings:
    """Build :class:`Settings` from the keys of a ``[tool.ssmlkit]`` table (already parsed TOML)."""
    lint = config_from_mapping(data, file=file, section=section, rules=rules)
    table = data.get("render", {})
    where = f"{section}.render" if section else "render"
    render = render_settings_from_mapping(table, file=file, section=where)
    return Settings(lint, render, file)


def config_from_mapping(
    data: Mapping[str, Any],
    *,
    file: str | None = None,
    section: str = "tool.ssmlkit",
    rules: Iterable[RuleSpec] | None = None,
) -> Config:
    """Build a :class:`Config` from the keys of a ``[tool.ssmlkit]`` table (already parsed TOML).

    ``file`` and ``section`` only serve error messages; ``rules`` as in :func:`load_settings`.
    Raises :class:`~ssmlkit.errors.ConfigError` for unknown keys and wrong types.
    """
    known = None if rules is None else tuple(rules)
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
                _strings(value, full, file), key=full, file=file, rules=known
            )
        elif key == "per-file-ignores":
            values["per_file_ignores"] = MappingProxyType(
                _per_file_ignores(value, full, file, known)
            )
        elif key == "severity":
            values["severity"] = MappingProxyType(_severities(value, full, file, known))
        elif key in ("max-chars", "max-bytes"):
            values[key.replace("-", "_")] = _positive_int(value, full, file)
        elif key == "count-tags":
            if not isinstance(value, bool):
                raise _wrong_type(full, value, "true or false", file)
            values["count_tags"] = value
        elif key in ("include", "exclude", "extend-exclude"):
            values[key.replace("-", "_")] = _patterns(value, full, file)
        elif key == "rules":
            values["rule_options"] = MappingProxyType(_rule_options(value, full, file, known))
        elif not isinstance(value, dict):  # render (read by settings_from_mapping) or foreign
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


def _patterns(value: object, key: str, file: str | None) -> tuple[str, ...]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise _wrong_type(key, value, 'a list of .gitignore-style patterns, like ["legacy/"]', file)


def _positive_int(value: object, key: str, file: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _wrong_type(key, value, "a positive integer", file)
    return value


def _rule_choices(rules: Sequence[RuleSpec]) -> list[str]:
    return [c for r in rules for c in (r.code, r.name)]


# String tests rather than regular expressions: compiling two patterns cost ~0.3 ms of every
# `ssmlkit lint` start-up, and these run only on configured selectors.
def _is_code_or_prefix(sel: str) -> bool:
    """``BR``, ``BR0`` ... ``BR001``: two ASCII letters and up to three digits."""
    head, tail = sel[:2], sel[2:]
    return (
        len(head) == 2
        and head.isascii()
        and head.isalpha()
        and len(tail) <= 3
        and (not tail or (tail.isascii() and tail.isdigit()))
    )


def _is_rule_name(sel: str) -> bool:
    """``kebab-case-words``: lower-case ASCII letters and digits, words joined by ``-``."""
    words = sel.split("-")
    return (
        len(words) > 1
        and sel[:1].isalpha()
        and all(w and w.isascii() and w.isalnum() and w == w.lower() for w in words)
    )


def validate_selectors(
    selectors: Iterable[str],
    *,
    key: str = "select",
    file: str | None = None,
    rules: Iterable[RuleSpec] | None = None,
) -> tuple[str, ...]:
    """Check rule selectors (``ALL``, codes, code prefixes, names); return them normalized.

    Codes and prefixes come back upper-case and names lower-case. With ``rules`` (the known rules),
    a selector that matches none raises :class:`~ssmlkit.errors.ConfigError` with a suggestion;
    without, only the shape of each selector is checked.
    """
    known = None if rules is None else tuple(rules)
    out: list[str] = []
    for raw in selectors:
        sel = raw.strip()
        if not sel:
            continue
        upper = sel.upper()
        if upper == "ALL":
            out.append("ALL")
        elif (
            any(r.name == sel.lower() for r in known)
            if known is not None
            else _is_rule_name(sel.lower())
        ):
            out.append(sel.lower())
        elif _is_code_or_prefix(sel) and (
            (known is None or any(r.code.startswith(upper) for r in known))
            or (upper[:2] in CATEGORIES and len(upper) < 5)
        ):
            out.append(upper)
        else:
            hint = "" if known is None else _did_you_mean(sel, ["ALL", *_rule_choices(known)])
            raise ConfigError(
                f"{key}: {sel!r} is not a rule code, prefix or name" + hint,
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


def _find(name: str, rules: Sequence[RuleSpec]) -> RuleSpec | None:
    upper = name.strip().upper()
    lower = name.strip().lower()
    return next((r for r in rules if r.code == upper or r.name == lower), None)


def _rule_code(name: str, key: str, file: str | None, rules: Sequence[RuleSpec] | None) -> str:
    """The code of the rule ``name`` (a code or a name); unchecked without ``rules``."""
    if rules is None:
        return name
    rule = _find(name, rules)
    if rule is None:
        raise ConfigError(
            f"{key}: unknown rule {name!r}" + _did_you_mean(name, _rule_choices(rules)),
            file=file,
            key=key,
            value=name,
            expected="a rule code or name",
        )
    return rule.code


def _severities(
    value: object, key: str, file: str | None, rules: Sequence[RuleSpec] | None
) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise _wrong_type(key, value, "a table of rule = level", file)
    return {
        _rule_code(name, key, file, rules): parse_severity(level, key=f"{key}.{name}", file=file)
        for name, level in value.items()
    }


def _per_file_ignores(
    value: object, key: str, file: str | None, rules: Sequence[RuleSpec] | None
) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _wrong_type(key, value, 'a table of "glob" = [codes]', file)
    return {
        pattern: validate_selectors(
            _strings(codes, f"{key}.{pattern}", file),
            key=f"{key}.{pattern}",
            file=file,
            rules=rules,
        )
        for pattern, codes in value.items()
    }


def _rule_options(
    value: object, key: str, file: str | None, rules: Sequence[RuleSpec] | None
) -> dict[str, Mapping[str, Any]]:
    if not isinstance(value, dict):
        raise _wrong_type(key, value, "a table of [rules.CODE] tables", file)
    out: dict[str, Mapping[str, Any]] = {}
    for name, options in value.items():
        where = f"{key}.{name}"
        code = _rule_code(name, where, file, rules)
        if not isinstance(options, dict):
            raise _wrong_type(where, options, "a table of options", file)
        rule = None if rules is None else _find(code, rules)
        # Without the rules, options stay as written (kebab-case keys to snake-case) for the
        # linter's own Options constructor to judge.
        out[code] = MappingProxyType(
            {k.replace("-", "_"): v for k, v in options.items()}
            if rule is None
            else validate_options(rule.Options, options, where, file)
        )
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
