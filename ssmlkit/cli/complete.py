"""Shell completion of values: rule codes and names, selector lists and voice ids.

Usage (click calls these while completing; enable completion with
``eval "$(_SSMLKIT_COMPLETE=bash_source ssmlkit)"``, or ``zsh_source``, ``fish_source``)::

    @click.option("--select", shell_complete=complete_selectors)
    @click.argument("code_or_name", shell_complete=complete_rules)
    @click.option("--voice", shell_complete=complete_voices)

``ssmlkit rule BR<TAB>`` offers ``BR001 BR002 ...`` with each rule's summary as the help (zsh and
fish show it); ``--select XM,BR0<TAB>`` completes the last item of a comma-separated list and
keeps the items before it; ``--voice long<TAB>`` offers the catalogue's voice ids, narrowed to
``--model``'s voices when it was given first. Only click is imported here: the rule registry and
the voice catalogue load when a completion is asked for, never on a plain ``ssmlkit lint``.
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["complete_rules", "complete_selectors", "complete_voices"]


def _rule_items(incomplete: str, *, categories: bool) -> list[Any]:
    from click.shell_completion import CompletionItem

    from ssmlkit.config import CATEGORIES
    from ssmlkit.linter.registry import all_rules

    upper, lower = incomplete.upper(), incomplete.lower()
    items: list[Any] = []
    if categories:
        if "ALL".startswith(upper):
            items.append(CompletionItem("ALL", help="every rule"))
        items += [CompletionItem(c, help="category") for c in CATEGORIES if c.startswith(upper)]
    rules = list(all_rules())
    items += [CompletionItem(r.code, help=r.summary) for r in rules if r.code.startswith(upper)]
    if incomplete and not incomplete[:2].isupper():
        # A lower-case word is a rule name being typed (names are kebab-case).
        items += [CompletionItem(r.name, help=r.code) for r in rules if r.name.startswith(lower)]
    return items


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Rule codes (and names, for a lower-case start) that begin with ``incomplete``."""
    return _rule_items(incomplete, categories=False)


def complete_selectors(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The last item of a comma-separated selector list: ``ALL``, categories, codes and names."""
    from click.shell_completion import CompletionItem

    head, sep, last = incomplete.rpartition(",")
    prefix = head + sep
    return [
        CompletionItem(prefix + item.value, help=item.help)
        for item in _rule_items(last, categories=True)
    ]


def complete_voices(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Voice ids of the catalogue that begin with ``incomplete`` (``--model``'s, if given)."""
    from click.shell_completion import CompletionItem

    from ssmlkit.profiles.voices import VOICES, voices_for_model

    model = ctx.params.get("model")
    pool = voices_for_model(model) if isinstance(model, str) and model else {}
    voices = pool or VOICES
    word = incomplete.lower()
    return [
        CompletionItem(v.id, help=f"{' '.join(v.languages)}: {v.scenario}")
        for v in sorted(voices.values(), key=lambda v: v.id)
        if v.id.startswith(word)
    ]
