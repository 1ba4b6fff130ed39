"""Rule documentation from the rule metadata: ``ssmlkit rule CODE`` and ``docs/rules.md``.

Usage::

    python -m ssmlkit.linter.docs docs/rules.md           # regenerate the reference
    python -m ssmlkit.linter.docs --check docs/rules.md   # exit 1 when it is out of date

A test regenerates the reference and compares it with the committed file, so a rule added or
changed without regenerating the reference fails the test suite.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path

from ssmlkit.linter.registry import all_rules
from ssmlkit.linter.rule import Rule, examples_of

__all__ = [
    "PLUGIN_EXAMPLE",
    "activation",
    "main",
    "option_rows",
    "render_rules_doc",
    "rule_description",
    "rule_text",
]

#: The worked example of a third-party rule in ``docs/rules.md``; ``tests/unit/test_rule_plugins.py``
#: runs the copy in the generated file.
PLUGIN_EXAMPLE = '''\
from ssmlkit import Rule, Severity, lint, register_rule
from ssmlkit.linter import Needs


@register_rule
class LongSubAlias(Rule):
    """A ``<sub alias>`` over 12 characters: a long alias is usually a note, not a reading.

    Examples::

        pass: <speak><sub alias="万维网联盟">W3C</sub></speak>
        fail: <speak><sub alias="由蒂姆·伯纳斯-李创立的万维网联盟">W3C</sub></speak>  # 1:20
    """

    code = "XT001"  # unique: letters and three digits, a prefix of your own
    name = "long-sub-alias"  # unique, kebab-case, names the flagged pattern
    summary = "A sub alias over 12 characters"
    severity = Severity.WARNING
    targets = ("sub",)  # the node kinds visit is called with
    # Data, not code: a <sub> without alias has nothing to say, and the start tag as written
    # decides whether anything is reported (the engine then skips tags it has seen clean).
    needs = Needs(attributes={"alias"}, depends_on="start-tag")

    def visit(self, node, ctx):
        alias = node.get("alias") or ""
        if len(alias) > 12:
            where = node.attr_span("alias", value=True) or node
            ctx.report(where, f"alias is {len(alias)} characters long; keep it to 12")


found = lint('<speak><sub alias="由蒂姆·伯纳斯-李创立的万维网联盟">W3C</sub></speak>')
assert [(d.code, d.line, d.column) for d in found] == [("XT001", 1, 20)]
'''

_PLUGIN_GUIDE = [
    "## Writing a rule",
    "",
    "A rule is a class: metadata, what it needs, and `visit`. Register it with",
    "`ssmlkit.register_rule` and every `lint` and `fix` in the process runs it (configuration",
    "selects it by code, prefix or name like any rule); `ssmlkit.linter.unregister_rule` takes",
    "it out again.",
    "",
    "| Attribute | Meaning |",
    "|---|---|",
    "| `code`, `name` | unique: a code like `XT001` (pick a prefix of your own), a kebab-case name |",
    "| `summary`, `severity` | one line for the table; `Severity.ERROR`, `WARNING` or `INFO` |",
    "| `targets` | node kinds: element names, `unknown`, `element`, `text`, `comment`, "
    "`syntax`, `document` |",
    "| `needs` | `Needs(attributes=..., parents=..., text_parents=..., children=..., "
    "depends_on=..., chars=..., within_speak=..., problems=...)`: what a node must have for the "
    "rule to say anything (`text_parents`: the parents a text target needs, where they differ; "
    "`chars`: a character its text or one of its attribute values must contain; "
    "`within_speak`: a `<speak>` around it, or none; `problems`: the syntax problem kinds it "
    'reads), and whether its shape (`"shape"`: kind, parent, '
    'attribute names, how many children), its start tag (`"start-tag"`) or the whole element '
    'as written (`"element"`) decides that |',
    "| `Options` | optional: a frozen dataclass of options, read from "
    "`[tool.ssmlkit.rules.CODE]` |",
    '| `fix_safety` | `"none"`, `"safe"` or `"unsafe"` |',
    "| `opt_in` | optional: `True` when `ALL` and prefixes must not select the rule, only its "
    "code or name |",
    '| `extra`, `inactive_reason()` | optional: the ssmlkit extra the rule needs (`"pronounce"`: '
    "inactive while it is not installed); or a classmethod saying why the rule cannot run here "
    "(another missing package), else `None` |",
    "| docstring | the description, then `Examples::` lines (`pass:`, `fail: ...  # line:col`, "
    "`fix:`) |",
    "| `visit(node, ctx)` | report through `ctx.report(where, message, fix=...)`; never change "
    "the node |",
    "",
    "A need may only leave out nodes `visit` says nothing about: the engine uses the needs to",
    "skip calls, and the test suite compares it with a plain loop that calls every rule on every",
    "node. A rule that raises or changes the document it checks does not stop the lint: it gets an",
    "`MT002 internal-error` finding at the node instead of its own findings.",
    "",
    "A fix that costs more to build than the finding (a conversion, a search) can be lazy:",
    "`ctx.report(node, message, fix=LazyFix(description, safety, build))` (`LazyFix` is in",
    "`ssmlkit.linter.diagnostic`), where `build()` returns the edits (a tuple of `Edit`) or `None`.",
    "It runs at most once, when someone reads `Diagnostic.fix` (`--fix`, JSON output, an editor's",
    "code action), after the lint: capture only what does not change (the source text, nodes,",
    "`tuple(ctx.ancestors)`), never `ctx`. A build that raises leaves no fix and a",
    "`RuntimeWarning` naming the rule (the lint is over: there is no `MT002` finding to add).",
    "",
    "A worked example (the test suite runs this very text):",
    "",
    "```python",
]

_FIX = {
    "none": "no fix",
    "safe": "safe fix (applied by --fix)",
    "unsafe": "unsafe fix (applied by --fix --unsafe-fixes)",
}


def rule_description(rule: type[Rule]) -> str:
    """The rule's docstring without its examples (RST literals kept as written)."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    return doc.split("Examples::", 1)[0].strip()


def option_rows(rule: type[Rule]) -> list[tuple[str, str, str]]:
    """``(name, type, default)`` for each option of the rule (names in kebab-case, as configured)."""
    options = rule.Options
    if not dataclasses.is_dataclass(options):
        return []
    rows = []
    for f in dataclasses.fields(options):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        if f.default is not dataclasses.MISSING:
            default = repr(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = repr(f.default_factory())
        else:
            default = "(required)"
        rows.append((f.name.replace("_", "-"), str(kind), default))
    return rows


def _examples(rule: type[Rule]) -> list[tuple[str, str]]:
    """``(label, source)`` for each docstring example, fixes following their failures."""
    out: list[tuple[str, str]] = []
    for ex in examples_of(rule):
        label = ex.kind
        if ex.position is not None:
            label += f" (at {ex.position[0]}:{ex.position[1]})"
        out.append((label, ex.source))
        if ex.fixed is not None:
            out.append(("fixed", ex.fixed))
    return out


def activation(rule: type[Rule]) -> list[str]:
    """What it takes for ``rule`` to run, beyond the default: opt-in, an optional extra.

    From the class attributes alone (``opt_in``, ``extra``), never from what is installed, so that
    the generated reference is the same everywhere.
    """
    notes = []
    if rule.opt_in:
        notes.append(f"opt-in: runs only when select or extend-select names {rule.code}")
    if rule.extra:
        notes.append(
            f"needs the [{rule.extra}] extra (pip install 'ssmlkit[{rule.extra}]'); "
            "inactive without it"
        )
    return notes


def rule_text(rule: type[Rule]) -> str:
    """The plain-text documentation ``ssmlkit rule CODE`` prints."""
    lines = [
        f"{rule.code} {rule.name}",
        f"  {rule.summary}",
        "",
        f"Severity: {rule.severity.value}",
        f"Fix:      {_FIX.get(rule.fix_safety, rule.fix_safety)}",
    ]
    lines.extend(f"Runs:     {note}" for note in activation(rule))
    reason = rule.inactive_reason()
    if reason is not None:
        lines.append(f"Inactive: {reason}")
    rows = option_rows(rule)
    if rows:
        lines.append("Options:  " + f"[tool.ssmlkit.rules.{rule.code}]")
        lines.extend(f"  {name} ({kind}) = {default}" for name, kind, default in rows)
    else:
        lines.append("Options:  none")
    lines += ["", rule_description(rule)]
    examples = _examples(rule)
    if examples:
        lines += ["", "Examples:"]
        for label, source in examples:
            body = source.replace("\n", "\n" + " " * 4)
            lines.append(f"  {label}:\n    {body}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("``", "`")


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|")


def render_rules_doc(rules: Sequence[type[Rule]] | None = None) -> str:
    """The Markdown rule reference (``docs/rules.md``) for ``rules`` (default: every rule)."""
    rules = list(rules) if rules is not None else all_rules()
    out = [
        "# Rule reference",
        "",
        "<!-- Generated by `python -m ssmlkit.linter.docs docs/rules.md` from the rule metadata;",
        "     do not edit by hand. -->",
        "",
        "Select rules by code (`BR001`), prefix (`BR`) or name; see `ssmlkit rule CODE` for the",
        "same text in a terminal. Fix: *safe* fixes are applied by `ssmlkit lint --fix`, *unsafe*",
        "ones only with `--unsafe-fixes`. To add a rule of your own, see",
        "[Writing a rule](#writing-a-rule).",
        "",
        "In the summaries, *(opt-in)*: `ALL` and prefixes leave the rule out, select it by code",
        "or name; *([pronounce])*: the rule needs that optional extra",
        "(`pip install 'ssmlkit[pronounce]'`), without which it is inactive (`ssmlkit rules` says",
        "so; naming it in `select` gives a note) while the other rules run as ever.",
        "",
        "| Code | Name | Severity | Fix | Summary |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        anchor = f"{rule.code.lower()}-{rule.name}"
        tags = [t for t, on in (("opt-in", rule.opt_in), (f"[{rule.extra}]", rule.extra)) if on]
        summary = _cell(rule.summary) + (f" *({', '.join(tags)})*" if tags else "")
        out.append(
            f"| [{rule.code}](#{anchor}) | `{rule.name}` | {rule.severity.value} "
            f"| {rule.fix_safety} | {summary} |"
        )
    for rule in rules:
        out += ["", f"## {rule.code} {rule.name}", "", f"*{_md(rule.summary)}*", ""]
        out.append(
            f"- Severity: **{rule.severity.value}**\n- Fix: {_FIX.get(rule.fix_safety, rule.fix_safety)}"
        )
        out.extend(f"- Runs: {note}" for note in activation(rule))
        rows = option_rows(rule)
        if rows:
            out.append(f"- Options (in `[tool.ssmlkit.rules.{rule.code}]`):")
            out.extend(
                f"  - `{name}` ({_md(kind)}, default `{default}`)" for name, kind, default in rows
            )
        description = rule_description(rule)
        if description:
            out += ["", _md(description)]
        examples = _examples(rule)
        if examples:
            out += ["", "Examples:", "", "```xml"]
            for label, source in examples:
                out.append(f"<!-- {label} -->")
                out.append(source)
            out.append("```")
    out += ["", *_PLUGIN_GUIDE, PLUGIN_EXAMPLE.rstrip("\n"), "```"]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the reference to the path given (default ``docs/rules.md``); ``--check`` compares."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    target = Path(paths[0] if paths else "docs/rules.md")
    text = render_rules_doc()
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run python -m ssmlkit.linter.docs {target}")
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
