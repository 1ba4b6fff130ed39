"""``ssmlkit lint``, ``ssmlkit rules`` and ``ssmlkit rule``: thin commands over :mod:`ssmlkit.linter`.

Only click is imported at start-up; the engine, the rules and the formatters load inside the
commands, so ``ssmlkit lint one.ssml`` starts fast and never imports the renderer or httpx.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ssmlkit._files import write_atomic
from ssmlkit.cli import allow_quick_exit
from ssmlkit.cli.complete import complete_rules, complete_selectors

if TYPE_CHECKING:
    from pathlib import Path

    from ssmlkit.config import Config
    from ssmlkit.linter.diagnostic import Severity
    from ssmlkit.output import FileResult

__all__ = ["lint_command", "rule_command", "rules_command"]

STDIN = "-"
STDIN_NAME = "<stdin>"
FORMATS = ("auto", "text", "concise", "json", "json-lines", "github", "gitlab", "junit", "sarif")


def _debug(message: str, *args: object) -> None:
    """A debug log line, once logging is in use (``-v``): ``logging`` costs ~4 ms of start-up."""
    if "logging" in sys.modules:
        import logging

        logging.getLogger(__name__).debug(message, *args)


def _error(message: str) -> None:
    click.echo(f"ssmlkit: error: {message}", err=True)


def _fail(message: str) -> NoReturn:
    _error(message)
    raise SystemExit(2)


def _split(values: Iterable[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


# Plain classes and os.path rather than dataclasses and pathlib: they keep `ssmlkit lint`'s
# start-up short (pathlib alone pulls in urllib.parse and ipaddress).
class _Input:
    __slots__ = ("path", "shown", "where")

    def __init__(self, shown: str, path: str | None, where: str | None = None) -> None:
        self.shown = shown
        self.path = path  # None: standard input
        # the path configuration is looked up and matched for: the file, or --stdin-filename
        self.where = path if where is None else where


def _project_root(config_file: str | None, isolated: bool) -> str:
    """The folder of the configuration file (``--config``, else the nearest), else the cwd."""
    if config_file is not None:
        return os.path.dirname(os.path.abspath(config_file))
    if not isolated:
        from ssmlkit.config import find_config_file

        found = find_config_file(os.getcwd())
        if found is not None:
            return os.path.dirname(os.path.abspath(found))
    return os.getcwd()


def _collect(
    paths: Sequence[str], root: str, config: Config, options: _Discover
) -> tuple[list[_Input], list[str]]:
    """The inputs to lint, and the error messages for paths that cannot be linted."""
    from ssmlkit.discovery import Discovery

    finder = Discovery(
        root,
        include=config.include,
        exclude=options.exclude if options.exclude is not None else config.exclude,
        extend_exclude=(*config.extend_exclude, *options.extend_exclude),
        force_exclude=options.force_exclude,
    )
    if not paths and options.stdin_filename is not None:
        paths = (STDIN,)  # as ruff: --stdin-filename alone means the input is standard input
    if not paths:
        shown = os.path.relpath(root)
        paths = (shown,)
    inputs: list[_Input] = []
    errors: list[str] = []
    files: list[str] = []

    def flush() -> None:
        found = finder.collect(files)
        inputs.extend(_Input(f.shown, f.path) for f in found)
        errors.extend(found.errors)
        files.clear()

    for arg in paths:
        if arg != STDIN:
            files.append(arg)
            continue
        flush()
        name = options.stdin_filename
        if name is not None and finder.named_file_skipped(name):
            _debug("skipped standard input as %s: %s", name, finder.named_file_skipped(name))
            continue
        inputs.append(_Input(name or STDIN_NAME, None, name))
    flush()
    _debug("linting %d input%s", len(inputs), "" if len(inputs) == 1 else "s")
    return inputs, errors


class _Discover:
    """The command line's say in which files are linted."""

    def __init__(
        self,
        exclude: tuple[str, ...] | None,
        extend_exclude: tuple[str, ...],
        force_exclude: bool,
        stdin_filename: str | None,
    ) -> None:
        self.exclude = exclude
        self.extend_exclude = extend_exclude
        self.force_exclude = force_exclude
        self.stdin_filename = stdin_filename


class _Overrides:
    def __init__(
        self,
        select: tuple[str, ...],
        ignore: tuple[str, ...],
        extend_select: tuple[str, ...],
        severity: dict[str, Severity],
        max_chars: int | None,
    ) -> None:
        self.select = select
        self.ignore = ignore
        self.extend_select = extend_select
        self.severity = severity
        self.max_chars = max_chars

    def apply(self, config: Config) -> Config:
        """``config`` with the command-line flags on top (flags win)."""
        return config.overridden(
            select=self.select,
            ignore=self.ignore,
            extend_select=self.extend_select,
            severity=self.severity,
            max_chars=self.max_chars,
        )


def _parse_overrides(
    select: Sequence[str],
    ignore: Sequence[str],
    extend_select: Sequence[str],
    severity: Sequence[str],
    max_chars: int | None,
) -> _Overrides:
    from ssmlkit.config import parse_severity, validate_selectors
    from ssmlkit.errors import ConfigError
    from ssmlkit.linter.registry import all_rules, find_rule

    rules = all_rules()
    try:
        levels: dict[str, Severity] = {}
        for item in severity:
            code, sep, level = item.partition("=")
            if not sep or not code.strip():
                raise click.BadParameter(f"{item!r}: expected CODE=LEVEL", param_hint="--severity")
            rule = find_rule(code.strip())
            if rule is None:
                validate_selectors([code], key="--severity", rules=rules)  # raises: a suggestion
                raise click.BadParameter(f"{code!r} is not a rule", param_hint="--severity")
            levels[rule.code] = parse_severity(level, key=f"--severity {code}")
        return _Overrides(
            validate_selectors(_split(select), key="--select", rules=rules),
            validate_selectors(_split(ignore), key="--ignore", rules=rules),
            validate_selectors(_split(extend_select), key="--extend-select", rules=rules),
            levels,
            max_chars,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _rules() -> list[Any]:
    """The registered rules, for the configuration to check codes, names and options against."""
    from ssmlkit.linter.registry import all_rules

    return list(all_rules())


class _Configs:
    """The configuration for each input: ``--config``, ``--isolated`` or the nearest file."""

    def __init__(self, overrides: _Overrides, config_file: str | None, isolated: bool) -> None:
        from ssmlkit.config import Config, load_config

        self.overrides = overrides
        self.fixed: Config | None = None
        self.cache: dict[Path | None, Config] = {}
        self.dirs: dict[str, Path | None] = {}
        if isolated:
            self.fixed = overrides.apply(Config())
        elif config_file is not None:
            self.fixed = overrides.apply(load_config(config_file, rules=_rules()))

    def for_input(self, item: _Input) -> Config:
        """The configuration that applies to ``item`` (ConfigError for a bad file)."""
        if self.fixed is not None:
            return self.fixed

        cwd = os.getcwd()
        # as Path(item.path).absolute().parent: lexical, ".." kept (find_config_file walks up it)
        directory = (
            os.path.dirname(os.path.join(cwd, item.where)) if item.where is not None else cwd
        )
        return self.for_directory(directory)

    def for_directory(self, directory: str) -> Config:
        """The configuration of the nearest file at or above ``directory``."""
        if self.fixed is not None:
            return self.fixed
        from ssmlkit.config import find_config_file, load_config

        if directory not in self.dirs:
            self.dirs[directory] = find_config_file(directory)
        file = self.dirs[directory]
        if file not in self.cache:
            self.cache[file] = self.overrides.apply(
                load_config(file, rules=_rules()) if file else load_config(isolated=True)
            )
        return self.cache[file]


def _match_path(item: _Input, config: Config) -> str:
    """The path per-file-ignores see: relative to the configuration file's directory."""
    if item.where is None:
        return STDIN_NAME
    if config.source_file is None:
        return item.shown
    from pathlib import Path

    base = Path(config.source_file).absolute().parent
    try:
        return Path(item.where).absolute().relative_to(base).as_posix()
    except ValueError:
        return Path(item.where).absolute().as_posix()


def _read(item: _Input, limit: int) -> tuple[bytes, int]:
    """At most ``limit + 1`` bytes of the input, and its full size (as far as it is known).

    Memory stays bounded whatever arrives: a file's size comes from ``stat``; standard input is
    not read past the cap, so its size shows as ``limit + 1``.
    """
    if item.path is None:
        data = sys.stdin.buffer.read(limit + 1)
        return data, len(data)
    # Plain open() rather than pathlib: pathlib costs ~20 ms of start-up on the lint path.
    with open(item.path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read() if size <= limit else handle.read(limit + 1)
    if size <= limit:
        return data, len(data)
    return data, max(size, len(data))


def _patterns_option(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(_split(values))


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Report format; auto is github under GitHub Actions, else text. concise is one line a "
    "finding; json-lines one JSON object a line; gitlab is GitLab Code Quality; junit is JUnit "
    "XML; sarif is SARIF 2.1.0 (GitHub code scanning).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    shell_complete=complete_selectors,
    help="Rules to run (codes, prefixes, names; comma-separated).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    shell_complete=complete_selectors,
    help="Rules to skip.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="CODES",
    shell_complete=complete_selectors,
    help="Rules to add to the selection.",
)
@click.option(
    "--severity",
    multiple=True,
    metavar="CODE=LEVEL",
    help="Override a rule's severity (error, warning, info).",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--statistics", is_flag=True, help="Show the number of findings per rule.")
@click.option(
    "--max-chars", type=click.IntRange(min=1), default=None, help="The per-request character limit."
)
@click.option(
    "--config", "config_file", metavar="FILE", default=None, help="Use this configuration file."
)
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERNS",
    help="Replace the excluded paths (.gitignore patterns, comma-separated; default: hidden "
    "folders, node_modules, dist, venv...).",
)
@click.option(
    "--extend-exclude",
    multiple=True,
    metavar="PATTERNS",
    help="Exclude these paths too (.gitignore patterns, comma-separated).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclusions, ignore files and the <speak> test to files named on the command "
    "line too (for pre-commit, which names every changed file).",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    default=None,
    help="The path standard input (-) stands for: reported, and matched by configuration and "
    "exclusions.",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report; auto colours a terminal unless NO_COLOR is set "
    "(FORCE_COLOR colours in auto too).",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Log which configuration and files are used to stderr."
)
def lint_command(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    severity: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    exit_zero: bool,
    strict: bool,
    statistics: bool,
    max_chars: int | None,
    config_file: str | None,
    isolated: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool,
    stdin_filename: str | None,
    output_file: str | None,
    color: str,
    verbose: bool,
) -> None:
    """Check SSML files for every problem the service would reject or mis-speak.

    PATHS are files, directories or - for standard input; the default is the project root (the
    folder of the configuration file, else the current one). In a directory, *.ssml files are
    linted, and *.xml files whose root element is <speak>; .gitignore and .ignore files, the
    configuration's include, exclude and extend-exclude and the flags below decide the rest.
    A file named on the command line is always linted, unless --force-exclude.

    Exit status: 0 no error-severity finding (with --strict: no warning either), 1 at least one,
    2 usage error, unreadable input or bad configuration.

    \b
    Examples:
      ssmlkit lint                          the whole project
      ssmlkit lint docs/ --format json
      ssmlkit lint --fix --select XM,BR doc.ssml
      cat doc.ssml | ssmlkit lint - --stdin-filename docs/doc.ssml
      ssmlkit lint --format junit -o lint.xml
    """
    from ssmlkit.errors import SSMLKitError

    if verbose:
        _log_to_stderr()
    overrides = _parse_overrides(select, ignore, extend_select, severity, max_chars)
    if config_file is not None and isolated:
        raise click.UsageError("--config and --isolated exclude each other")
    try:
        configs = _Configs(overrides, config_file, isolated)
        root = _project_root(config_file, isolated)
        root_config = configs.for_directory(root)
    except SSMLKitError as exc:
        _fail(str(exc))
    _debug("project root: %s", root)
    _debug("configuration: %s", root_config.source_file or "none (defaults)")
    noted: set[str] = set()
    _note_inactive(root_config, noted)
    discover = _Discover(
        _patterns_option(exclude) or None,
        _patterns_option(extend_exclude),
        force_exclude,
        stdin_filename,
    )
    inputs, errors = _collect(paths, root, root_config, discover)
    for message in errors:
        _error(message)
    if not inputs and not errors:
        if paths and force_exclude:
            raise SystemExit(0)  # every named file is excluded: nothing to say (pre-commit)
        _fail("nothing to lint: no *.ssml files, nor *.xml files with a <speak> root")

    to_stdout_fixed = (fix and not diff) and any(i.path is None for i in inputs)
    results: list[FileResult] = []
    diffs: list[str] = []
    failed = bool(errors)
    config_errors: set[str] = set()
    for item in inputs:
        _debug("linting %s", item.shown)
        try:
            _note_inactive(configs.for_input(item), noted)
            result, patch, fixed_text = _lint_one(
                item, configs, fix=fix or diff, unsafe=unsafe_fixes, write=not diff
            )
        except (SSMLKitError, OSError) as exc:
            message = str(exc)
            from ssmlkit.errors import ConfigError

            if isinstance(exc, ConfigError):
                # One broken configuration file is one error, not one per file below it.
                if message not in config_errors:
                    config_errors.add(message)
                    _error(message)
            else:
                _error(f"{item.shown}: {message}")
            failed = True
            continue
        results.append(result)
        if patch:
            diffs.append(patch)
        if fixed_text is not None and item.path is None and fix and not diff:
            click.echo(fixed_text, nl=False)

    from ssmlkit.linter.diagnostic import Severity

    if diff:
        out = "".join(diffs)
        if out:
            click.echo(out, nl=False)
        would = sum(r.fixed for r in results)
        click.echo(f"{would} fix{'es' if would != 1 else ''} would be applied.", err=True)
        allow_quick_exit()
        raise SystemExit(2 if failed else (1 if diffs else 0))

    _report(
        results,
        output_format,
        statistics,
        err=to_stdout_fixed,
        output_file=output_file,
        color=color,
    )
    allow_quick_exit()  # every file written is closed: no teardown needed (see cli.run)
    if failed:
        raise SystemExit(2)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    has_error = any(d.severity in failing for r in results for d in r.diagnostics)
    raise SystemExit(1 if has_error and not exit_zero else 0)


def _note_inactive(config: Config, noted: set[str]) -> None:
    """One note on stderr for each rule ``config`` names that cannot run here (not yet ``noted``).

    Not a finding: the exit status stays what the findings make it.
    """
    if config.select == ("ALL",) and not config.extend_select:
        return  # only a selection that names rules can name an inactive one
    from ssmlkit.linter.registry import inactive_selected

    for rule, reason in inactive_selected(config):
        if rule.code not in noted:
            noted.add(rule.code)
            click.echo(
                f"ssmlkit: note: rule {rule.code} ({rule.name}) is selected but inactive: {reason}",
                err=True,
            )


def _log_to_stderr() -> None:
    """``-v``: the lint command's and the discovery's debug logs, on standard error."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("ssmlkit: %(message)s"))
    for name in ("ssmlkit.cli.lint", "ssmlkit.discovery"):
        log = logging.getLogger(name)
        log.setLevel(logging.DEBUG)
        if not any(getattr(h, "_ssmlkit", False) for h in log.handlers):
            handler._ssmlkit = True  # type: ignore[attr-defined]
            log.addHandler(handler)


def _lint_one(
    item: _Input, configs: _Configs, *, fix: bool, unsafe: bool, write: bool
) -> tuple[FileResult, str, str | None]:
    """Lint (and fix) one input: its result, a unified diff of the fixes, and the fixed text."""
    from ssmlkit.errors import InputError
    from ssmlkit.linter.engine import lint  # what ssmlkit.linter.api.lint calls, without the fixer
    from ssmlkit.output import FileResult
    from ssmlkit.parse import decode

    config = configs.for_input(item)
    data, size = _read(item, config.max_bytes)
    where = _match_path(item, config)
    if size > config.max_bytes:
        diagnostics = lint(data, config=config, path=where, size=size)
        return FileResult(item.shown, "", diagnostics), "", None
    try:
        decoded = decode(data) if len(data) <= config.max_bytes else None
    except InputError:
        decoded = None
    shown_text = decoded.text if decoded is not None else data.decode("utf-8", errors="replace")
    if not fix or decoded is None or decoded.encoding != "utf-8":
        # Only UTF-8 text is rewritten: the linter asks for UTF-8 and never transcodes silently.
        return FileResult(item.shown, shown_text, lint(data, config=config, path=where)), "", None
    from ssmlkit.linter.api import fix as fix_text

    result = fix_text(decoded.text, unsafe=unsafe, config=config, path=where)
    patch = ""
    if result.changed:
        if write and item.path is not None:
            bom = b"\xef\xbb\xbf" if decoded.bom else b""
            write_atomic(item.path, bom + result.text.encode("utf-8"))
        elif not write:
            import difflib

            patch = "".join(
                difflib.unified_diff(
                    decoded.text.splitlines(keepends=True),
                    result.text.splitlines(keepends=True),
                    fromfile=f"a/{item.shown}",
                    tofile=f"b/{item.shown}",
                )
            )
            if patch and not patch.endswith("\n"):
                patch += "\n"
    fixed_text = (("\ufeff" if decoded.bom else "") + result.text) if item.path is None else None
    return (
        FileResult(item.shown, result.text, result.remaining, fixed=len(result.applied)),
        patch,
        fixed_text,
    )


def use_color(choice: str, stream: Any) -> bool:
    """Whether to colour: ``always``/``never`` as said; ``auto`` follows ``NO_COLOR``, then
    ``FORCE_COLOR`` (any non-empty value but ``0``), then whether ``stream`` is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def _report(
    results: Sequence[FileResult],
    output_format: str,
    statistics: bool,
    *,
    err: bool,
    output_file: str | None = None,
    color: str = "auto",
) -> None:
    from ssmlkit.linter.registry import all_rules
    from ssmlkit.output import get_formatter

    if output_format == "auto":
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    colored = use_color(color, sys.stderr if err else sys.stdout) and output_file is None
    formatter = get_formatter(output_format)(
        color=colored, rules=all_rules(), statistics=statistics
    )
    report = formatter.format(results)
    if output_file is not None:
        # Written whole, then renamed: a reader never sees half a report.
        try:
            write_atomic(output_file, report.encode("utf-8"))
        except OSError as exc:
            _fail(f"cannot write the report to {output_file}: {exc.strerror or exc}")
        _debug("report written to %s", output_file)
    elif report:
        click.echo(report, nl=False, err=err, color=colored)


@click.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def rules_command(output_format: str) -> None:
    """List every lint rule: code, name, default severity, fix, and notes.

    The notes say which rules are opt-in (select them by code or name) and which are inactive
    here, and why (an optional extra is missing: the rule runs once it is installed).

    \b
    Example:
      ssmlkit rules
    """
    from ssmlkit.linter.registry import all_rules

    rules = all_rules()
    reasons = {r.code: r.inactive_reason() for r in rules}
    if output_format == "json":
        import json

        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "fix": r.fix_safety,
                "summary": r.summary,
                "opt_in": r.opt_in,
                "inactive": reasons[r.code],
            }
            for r in rules
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max((len(r.name) for r in rules), default=4)
    click.echo(f"{'CODE':<6} {'NAME':<{width}}  {'SEVERITY':<8}  {'FIX':<6}  NOTES")
    for r in rules:
        notes = ["opt-in"] if r.opt_in else []
        if reasons[r.code] is not None:
            notes.append(f"inactive: {reasons[r.code]}")
        line = f"{r.code:<6} {r.name:<{width}}  {r.severity.value:<8}  {r.fix_safety:<6}  "
        click.echo((line + "; ".join(notes)).rstrip())


@click.command("rule")
@click.argument("code_or_name", shell_complete=complete_rules)
def rule_command(code_or_name: str) -> None:
    """Show a rule's documentation: summary, severity, fix, options and examples.

    \b
    Examples:
      ssmlkit rule XM002
      ssmlkit rule unescaped-ampersand
    """
    import difflib

    from ssmlkit.linter.docs import rule_text
    from ssmlkit.linter.registry import all_rules, find_rule

    rule = find_rule(code_or_name)
    if rule is None:
        choices = [c for r in all_rules() for c in (r.code, r.name)]
        close = difflib.get_close_matches(code_or_name, choices, n=3, cutoff=0.5)
        close += difflib.get_close_matches(code_or_name.upper(), choices, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(dict.fromkeys(close))}?" if close else ""
        _fail(f"unknown rule {code_or_name!r}{hint} (ssmlkit rules lists them all)")
    click.echo(rule_text(rule), nl=False)
