"""Which files ``ssmlkit lint`` reads: the project's SSML, like ruff finds a project's Python.

Usage::

    from ssmlkit.discovery import Discovery, is_ssml_root
    finder = Discovery(root="/repo", exclude=("legacy/",), force_exclude=False)
    found = finder.collect(["docs", "intro.ssml"])   # Found(shown, path) records, in order
    found.errors                                     # ["absent.ssml: no such file or directory"]
    is_ssml_root(b"<?xml version='1.0'?><speak>hi</speak>")   # True

Inside a directory, a file is linted when its name matches ``include`` (``*.ssml`` and ``*.xml``
by default), it matches no ``exclude``/``extend-exclude`` pattern, no ``.gitignore`` or
``.ignore`` ignores it, and, for a ``.xml`` file, its root element is ``<speak>`` (so a project's
``pom.xml`` or ``AndroidManifest.xml`` is never taken for SSML). Patterns follow ``.gitignore``
rules: one without a ``/`` (``build``, ``*.draft.ssml``) matches at any depth, one with a ``/``
(``docs/old/``, ``legacy/**/*.xml``) is relative to the project root, the folder of the
configuration file. A file named on the command line is linted whatever these say, unless
``force_exclude`` is set (pre-commit passes every changed file by name): then exclusions, the
ignore files and the ``<speak>`` test apply to it too.

``.gitignore`` files are read from the walked folders and from their parents up to the
repository's root (the folder holding ``.git``, whose ``info/exclude`` counts too); ``.ignore``
files (ripgrep's) take precedence over ``.gitignore`` in the same folder, and a deeper file over a
shallower one, as in git. Ignored folders are not entered. The matching is the ``pathspec``
package's (gitignore semantics, well kept; MPL-2.0, used unmodified).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ssmlkit._syntax import doctype_end

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "IGNORE_FILES",
    "Discovery",
    "Found",
    "FoundFiles",
    "is_ssml_root",
    "root_element",
]


def _debug(message: str, *args: object) -> None:
    """Log to ``ssmlkit.discovery`` once logging is in use (``-v``, or an application's own).

    ``logging`` itself is not imported for this: it costs ~4 ms of every ``ssmlkit lint``.
    """
    if "logging" in sys.modules:
        import logging

        logging.getLogger(__name__).debug(message, *args)


#: File name patterns linted inside a directory (``.xml`` only with a ``<speak>`` root).
DEFAULT_INCLUDE: tuple[str, ...] = ("*.ssml", "*.xml")

#: Paths never entered unless ``exclude`` is replaced: hidden files and folders (``.git``,
#: ``.venv``, ``.tox``...), caches, installed packages and build output of common tools.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".*",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)

#: Ignore files read in each folder, lowest precedence first.
IGNORE_FILES = (".gitignore", ".ignore")

# How much of an .xml file is read to find its root element: comments and a DOCTYPE may come
# first, but a root past 64 KiB of prologue is not a document anyone writes by hand.
_SNIFF_BYTES = 65_536


def root_element(data: bytes) -> str | None:
    """The local name of the first element in ``data`` (the start of an XML file), or ``None``.

    Skips a byte-order mark, the XML declaration, processing instructions, comments and a
    DOCTYPE (with its internal subset). ``None`` when no start tag is found.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n or text[i] != "<":
            return None
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            i = n if end < 0 else end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = n if end < 0 else end + 3
        elif text.startswith("<!", i):
            i = doctype_end(text, i)
        else:
            j = i + 1
            while j < n and text[j] not in " \t\r\n/>":
                j += 1
            name = text[i + 1 : j]
            return name.rpartition(":")[2] or None
    return None


def is_ssml_root(data: bytes) -> bool:
    """Whether ``data`` (the start of a file) is a document whose root element is ``<speak>``."""
    return root_element(data) == "speak"


def _sniff(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return root_element(handle.read(_SNIFF_BYTES))
    except OSError:
        return None


class Found:
    """One file to lint: ``shown`` is the path as reported, ``path`` the one opened."""

    __slots__ = ("path", "shown")

    def __init__(self, shown: str, path: str) -> None:
        self.shown = shown
        self.path = path

    def __repr__(self) -> str:
        return f"Found({self.shown!r}, {self.path!r})"


class FoundFiles(list[Found]):
    """The files to lint, in order, and ``errors``: messages for paths that cannot be linted."""

    def __init__(self, items: Iterable[Found] = (), errors: Iterable[str] = ()) -> None:
        super().__init__(items)
        self.errors = list(errors)


class _IgnoreFile:
    """The patterns of one ignore file, matched against paths relative to its folder."""

    __slots__ = ("base", "lines", "name", "spec")

    def __init__(self, base: str, name: str, lines: list[str], spec: GitIgnoreSpec) -> None:
        self.base = base
        self.name = name
        self.lines = lines
        self.spec = spec

    def check(self, path: str, is_dir: bool) -> tuple[bool, str] | None:
        """``(ignored, why)`` when a pattern decides ``path`` (absolute), else ``None``."""
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        if rel.startswith("../"):
            return None
        result = self.spec.check_file(rel + "/" if is_dir else rel)
        if result.include is None:
            return None
        index = result.index if result.index is not None else 0
        return bool(result.include), f"{self.name}:{index + 1} ({self.lines[index].strip()})"


def _gitignore_spec(lines: Sequence[str]) -> GitIgnoreSpec:
    import pathspec  # only when a folder is walked or --force-exclude asks: start-up stays short

    return pathspec.GitIgnoreSpec.from_lines(lines)


class Discovery:
    """Finds the files to lint below ``root`` (the project root: patterns are relative to it).

    ``include`` replaces the file name patterns, ``exclude`` the default exclusions and
    ``extend_exclude`` adds to them; ``respect_ignore_files=False`` reads no ``.gitignore``.
    """

    def __init__(
        self,
        root: str,
        *,
        include: Sequence[str] = DEFAULT_INCLUDE,
        exclude: Sequence[str] = DEFAULT_EXCLUDE,
        extend_exclude: Sequence[str] = (),
        force_exclude: bool = False,
        respect_ignore_files: bool = True,
    ) -> None:
        self.root = os.path.abspath(root)
        self.include = tuple(include)
        self.patterns = (*exclude, *extend_exclude)
        self.force_exclude = force_exclude
        self.respect_ignore_files = respect_ignore_files
        self._include_spec: GitIgnoreSpec | None = None
        self._exclude_spec: GitIgnoreSpec | None = None
        self._ignore_cache: dict[str, tuple[_IgnoreFile, ...]] = {}
        self._git_root_cache: dict[str, str | None] = {}

    # ------------------------------------------------------------------ patterns

    def _relative(self, path: str) -> str:
        """``path`` relative to the root, or its absolute form without the leading ``/``."""
        rel = os.path.relpath(path, self.root) if _inside(path, self.root) else path
        return rel.replace(os.sep, "/").lstrip("/")

    def excluded(self, path: str, is_dir: bool = False) -> str | None:
        """The exclude pattern matching ``path`` (absolute), or ``None``."""
        if not self.patterns:
            return None
        if self._exclude_spec is None:
            self._exclude_spec = _gitignore_spec(self.patterns)
        rel = self._relative(path)
        if rel in ("", "."):
            return None
        result = self._exclude_spec.check_file(rel + "/" if is_dir else rel)
        if result.include and result.index is not None:
            return self.patterns[result.index]
        return None

    def included(self, path: str) -> bool:
        """Whether a file's name or path matches ``include``."""
        if self._include_spec is None:
            self._include_spec = _gitignore_spec(self.include)
        return bool(self._include_spec.match_file(self._relative(path)))

    # ------------------------------------------------------------------ ignore files

    def _git_root(self, directory: str) -> str | None:
        if directory not in self._git_root_cache:
            parent = os.path.dirname(directory)
            if os.path.exists(os.path.join(directory, ".git")):
                found: str | None = directory
            elif parent == directory:
                found = None
            else:
                found = self._git_root(parent)
            self._git_root_cache[directory] = found
        return self._git_root_cache[directory]

    def _ignore_files(self, directory: str) -> tuple[_IgnoreFile, ...]:
        """The ignore files that apply in ``directory``, shallowest first.

        Parents count up to the repository's root; outside a repository, up to the project root
        for a folder inside it, else up to the filesystem's root (as ripgrep reads them).
        """
        cached = self._ignore_cache.get(directory)
        if cached is not None:
            return cached
        git_root = self._git_root(directory)
        top = git_root if git_root is not None else self.root
        parent = os.path.dirname(directory)
        inherited: tuple[_IgnoreFile, ...] = ()
        if parent != directory and (directory != top or not _inside(directory, top)):
            inherited = self._ignore_files(parent)
        own: list[_IgnoreFile] = []
        names = [os.path.join(".git", "info", "exclude")] if directory == git_root else []
        for name in (*names, *IGNORE_FILES):
            lines = _read_lines(os.path.join(directory, name))
            if lines:
                own.append(_IgnoreFile(directory, name, lines, _gitignore_spec(lines)))
        result = (*inherited, *own)
        self._ignore_cache[directory] = result
        return result

    def ignored(self, path: str, is_dir: bool = False) -> str | None:
        """Which ignore file line ignores ``path`` (absolute), or ``None``."""
        if not self.respect_ignore_files:
            return None
        for ignore_file in reversed(self._ignore_files(os.path.dirname(path))):
            decided = ignore_file.check(path, is_dir)
            if decided is not None:
                return decided[1] if decided[0] else None
        return None

    # ------------------------------------------------------------------ the walk

    def _skip_reason(self, path: str, is_dir: bool) -> str | None:
        pattern = self.excluded(path, is_dir)
        if pattern is not None:
            return f"excluded by {pattern!r}"
        why = self.ignored(path, is_dir)
        if why is not None:
            return f"ignored by {why}"
        return None

    def _not_ssml(self, path: str) -> str | None:
        if not path.lower().endswith(".xml"):
            return None
        root = _sniff(path)
        if root == "speak":
            return None
        return f"not SSML: root element {'<' + root + '>' if root else 'not found'}, not <speak>"

    def walk(self, directory: str, shown: str) -> Iterator[Found]:
        """The files to lint below ``directory``, sorted, shown under the prefix ``shown``."""
        top = os.path.abspath(directory)
        for current, dirs, files in os.walk(top):
            kept = []
            for name in sorted(dirs):
                full = os.path.join(current, name)
                reason = self._skip_reason(full, True)
                if reason is None:
                    kept.append(name)
                else:
                    _debug("skipped %s/: %s", _shown(shown, top, full), reason)
            dirs[:] = kept
            for name in sorted(files):
                full = os.path.join(current, name)
                if not self.included(full):
                    continue
                reason = self._skip_reason(full, False) or self._not_ssml(full)
                if reason is not None:
                    _debug("skipped %s: %s", _shown(shown, top, full), reason)
                    continue
                yield Found(_shown(shown, top, full), full)

    def _folders_skipped(self, folder: str) -> str | None:
        """Why ``folder`` (absolute) or a folder above it, up to the root, is skipped."""
        parts = [p for p in self._relative(folder).split("/") if p not in ("", ".")]
        base = self.root if _inside(folder, self.root) else os.sep
        for depth in range(len(parts)):
            reason = self._skip_reason(os.path.join(base, *parts[: depth + 1]), True)
            if reason is not None:
                return reason
        return None

    def named_file_skipped(self, path: str) -> str | None:
        """Why a file named on the command line is skipped (only with ``force_exclude``).

        An excluded or ignored folder excludes what it holds, as in the walk.
        """
        if not self.force_exclude:
            return None
        full = os.path.abspath(path)
        return (
            self._folders_skipped(os.path.dirname(full))
            or self._skip_reason(full, False)
            or self._not_ssml(full)
        )

    def collect(self, paths: Sequence[str]) -> FoundFiles:
        """The files to lint for ``paths`` (files and directories), each once, in order."""
        found = FoundFiles()
        seen: set[str] = set()
        for arg in paths:
            items: list[Found]
            if os.path.isdir(arg):
                reason = self._folders_skipped(os.path.abspath(arg)) if self.force_exclude else None
                if reason is not None:
                    _debug("skipped %s: %s", arg, reason)
                    continue
                items = list(self.walk(arg, arg))
                if not items:
                    found.errors.append(
                        f"{arg}: no *.ssml or *.xml files (with a <speak> root) to lint in "
                        "this directory"
                    )
            elif os.path.exists(arg):
                reason = self.named_file_skipped(arg)
                if reason is not None:
                    _debug("skipped %s: %s", arg, reason)
                    continue
                items = [Found(arg, arg)]
            else:
                found.errors.append(f"{arg}: no such file or directory")
                continue
            for item in items:
                key = os.path.realpath(item.path)
                if key not in seen:
                    seen.add(key)
                    found.append(item)
        return found


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _shown(prefix: str, top: str, full: str) -> str:
    """Below an absolute argument, an absolute path; else the path relative to the cwd."""
    if os.path.isabs(prefix):
        return os.path.join(prefix, os.path.relpath(full, top))
    return os.path.relpath(full)


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError:
        return []
