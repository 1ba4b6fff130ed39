"""``python -m ssmlkit``: the same as the ``ssmlkit`` command."""

from ssmlkit.cli import run

run()
