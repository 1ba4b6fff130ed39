"""The configuration that applies to an open document, as ``ssmlkit lint`` would find it.

Usage::

    from ssmlkit.lsp.project import Projects
    projects = Projects()
    config, path = projects.for_uri("file:///home/me/book/ch1.ssml")
    # config: the nearest ssmlkit.toml / [tool.ssmlkit] above ch1.ssml (defaults when none);
    # path: ch1.ssml relative to that file's directory, which per-file-ignores match against

A document that is not a file (an untitled buffer) gets the configuration of the server's working
directory, as text piped into ``ssmlkit lint -`` does. A configuration file is read again when it
changes on disk (its modification time and size are checked on each lint, a ``stat`` or two).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ssmlkit.config import Config, find_config_file, load_config
from ssmlkit.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Projects", "uri_to_path"]


def uri_to_path(uri: str) -> str | None:
    """The local file a ``file:`` URI names; ``None`` for any other scheme."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if os.name == "nt" and path.startswith("/") and path[2:3] == ":":  # pragma: no cover
        path = path[1:]
    return path


def _rules() -> list[Any]:
    from ssmlkit.linter.registry import all_rules

    return list(all_rules())


class Projects:
    """Finds and caches the configuration of each document's directory.

    ``problems`` collects the configuration errors met (each reported once by the server); a
    document whose configuration file is invalid is linted with the defaults meanwhile.
    """

    def __init__(self) -> None:
        self._dirs: dict[str, Path | None] = {}
        self._configs: dict[str, tuple[tuple[float, int], Config]] = {}
        self.problems: list[ConfigError] = []
        self._reported: set[str] = set()

    def for_uri(self, uri: str) -> tuple[Config, str | None]:
        """The configuration of the document at ``uri``, and the path it is matched by."""
        path = uri_to_path(uri)
        directory = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
        if directory not in self._dirs:
            self._dirs[directory] = find_config_file(directory)
        file = self._dirs[directory]
        if file is None:
            return Config(), path
        config = self._load(str(file))
        if path is None:
            return config, None
        base = os.path.dirname(os.path.abspath(str(file)))
        relative = os.path.relpath(os.path.abspath(path), base)
        if relative.startswith(".."):
            relative = os.path.abspath(path)
        return config, relative.replace(os.sep, "/")

    def forget(self) -> None:
        """Search for configuration files again (one was created, moved or deleted)."""
        self._dirs.clear()

    def _load(self, file: str) -> Config:
        try:
            st = os.stat(file)
            stamp = (st.st_mtime, st.st_size)
        except OSError:
            stamp = (0.0, -1)
        cached = self._configs.get(file)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            config = load_config(file, rules=_rules())
        except ConfigError as exc:
            key = f"{file}:{stamp}"
            if key not in self._reported:
                self._reported.add(key)
                self.problems.append(exc)
            config = Config()
        self._configs[file] = (stamp, config)
        return config
