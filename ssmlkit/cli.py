"""The ``ssmlkit`` command line: thin click commands over the library's functions."""

from __future__ import annotations

import click

from ssmlkit._version import __version__
from ssmlkit.cli_lint import lint_command, rule_command, rules_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ssmlkit")
def main() -> None:
    """Write, check, split and speak SSML for Alibaba's CosyVoice.

    \b
    Examples:
      ssmlkit lint doc.ssml             report every problem with line and column
      ssmlkit split long.ssml --out-dir chunks/
      ssmlkit render doc.ssml -o doc.wav
    """


main.add_command(lint_command)
main.add_command(rules_command)
main.add_command(rule_command)

from ssmlkit.cli_render import render_command  # noqa: E402  (after the group exists)

main.add_command(render_command)

from ssmlkit.cli_convert import convert_command  # noqa: E402

main.add_command(convert_command)

from ssmlkit.cli_serve import serve_command  # noqa: E402

main.add_command(serve_command)
