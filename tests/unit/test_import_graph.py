"""No import cycles between ssmlkit's modules, counting imports inside functions.

The graph is read from the source with :mod:`ast`, not from ``sys.modules``: an import inside a
function counts as much as one at the top (a lazy import hides a cycle from start-up, not from
the design). Only imports under ``if TYPE_CHECKING:`` are left out, as they never run. An edge
goes from a module to each ssmlkit module it names: ``from ssmlkit.a import b`` reaches
``ssmlkit.a.b`` when that is a module and ``ssmlkit.a`` otherwise; relative imports are resolved
against the importing module's package. Importing ``ssmlkit.a.b`` also runs ``ssmlkit/a/__init__.py``
first, so that is an edge too, unless the importing module is itself inside ``ssmlkit.a`` (the
package is then already being imported); ``ssmlkit/__init__.py`` is such a package for every
module, so the public facade importing everything makes no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from importlib.machinery import EXTENSION_SUFFIXES
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ssmlkit"

#: module -> {imported module: line of the first import of it}
Graph = dict[str, dict[str, int]]


def module_names(package: Path) -> dict[str, Path]:
    """Every Python module under ``package`` by dotted name (a package by its own name)."""
    names: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def extension_names(package: Path) -> set[str]:
    """Modules with no Python source: C extensions, known by their stub (``_cscan.pyi``) or
    their built file, so that ``from ssmlkit import _cscan`` is not read as importing ``ssmlkit``.
    """
    found = set()
    for path in package.rglob("*"):
        if path.suffix == ".pyi" or any(path.name.endswith(s) for s in EXTENSION_SUFFIXES):
            parts = path.relative_to(package.parent).parts
            found.add(".".join([*parts[:-1], path.name.split(".")[0]]))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)  # the else branch runs
            continue
        stack.extend(ast.iter_child_nodes(node))


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in known:
                yield alias.name
        return
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in known:
            yield sub
        elif base in known:
            yield base


def import_graph(package: Path) -> Graph:
    """The graph of imports between the modules of ``package`` (see the module docstring)."""
    modules = module_names(package)
    known = set(modules) | extension_names(package)
    graph: Graph = {}
    for name, path in modules.items():
        edges: dict[str, int] = {}
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _imports(tree):
            for target in _targets(node, name, path.name == "__init__.py", known):
                for reached in (target, *_packages_run_first(target, name)):
                    if reached != name:
                        edges[reached] = min(edges.get(reached, node.lineno), node.lineno)
        graph[name] = edges
    return graph


def _packages_run_first(target: str, importer: str) -> Iterator[str]:
    """The packages whose ``__init__`` importing ``target`` runs, those holding ``importer`` aside.

    ``ssmlkit.config`` importing ``ssmlkit.linter.registry`` runs ``ssmlkit/linter/__init__.py``
    first; a module inside ``ssmlkit.linter`` does not (its package is already being imported),
    and neither does anything for ``ssmlkit`` itself, which holds every module.
    """
    parts = target.split(".")
    for end in range(1, len(parts)):
        package = ".".join(parts[:end])
        if not (importer == package or importer.startswith(package + ".")):
            yield package


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) through each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(start: str) -> None:  # Tarjan's algorithm, iterative
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            connect(name)
    return [_cycle_in(graph, set(group), group[0]) for group in groups]


def _cycle_in(graph: Graph, group: set[str], start: str) -> list[str]:
    """The shortest path from ``start`` back to itself inside ``group`` (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node]):
                if child not in group:
                    continue
                if child == start:
                    back = [node]  # node, its predecessor, ..., start
                    while back[-1] != start:
                        back.append(previous[back[-1]])
                    return [*reversed(back), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a group of 2+ always has one


def describe(package: Path, graph: Graph, cycle: list[str]) -> str:
    """``a (a.py:12) -> b (b.py:40) -> a``: each step with the line that imports the next."""
    modules = module_names(package)
    steps = [
        f"{here} ({modules[here].relative_to(package.parent)}:{graph[here][there]})"
        for here, there in pairwise(cycle)
    ]
    return " -> ".join([*steps, cycle[-1]])


def test_no_import_cycles_between_ssmlkit_modules() -> None:
    graph = import_graph(PACKAGE)
    found = [describe(PACKAGE, graph, cycle) for cycle in cycles(graph)]
    assert not found, "import cycles:\n" + "\n".join(found)


# --- the graph reader itself, on a small package written for each test ---------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


def test_imports_inside_functions_make_a_cycle(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {"a.py": "from pkg.b import thing\n", "b.py": "def f():\n    from pkg import a\n"},
    )
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b": 1}
    assert graph["pkg.b"] == {"pkg.a": 2}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "a.py": "import pkg.b\n",
            "b.py": (
                "import typing\nfrom typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.a import x\n"
                "if typing.TYPE_CHECKING:\n    import pkg.a\nelse:\n    import pkg.c\n"
            ),
            "c.py": "",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.b"] == {"pkg.c": 8}
    assert cycles(graph) == []


def test_an_extension_module_is_a_module(tmp_path: Path) -> None:
    root = _package(tmp_path, {"a.py": "from pkg import _fast, b\n", "b.py": ""})
    (root / "_fast.pyi").write_text("def f() -> None: ...\n", encoding="utf-8")
    assert import_graph(root)["pkg.a"] == {"pkg._fast": 1, "pkg.b": 1}


def test_importing_a_submodule_runs_its_package_first(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "config.py": "def f():\n    from pkg.lint.registry import rules\n",
            "lint/__init__.py": "from pkg.lint.engine import run\n",
            "lint/engine.py": "from pkg.config import Config\nfrom pkg.lint import registry\n",
            "lint/registry.py": "",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.config"] == {"pkg.lint.registry": 2, "pkg.lint": 2}
    assert graph["pkg.lint.engine"] == {"pkg.config": 1, "pkg.lint.registry": 2}  # own package
    assert cycles(graph) == [["pkg.config", "pkg.lint", "pkg.lint.engine", "pkg.config"]]


def test_relative_imports_and_submodules_resolve(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "sub/x.py": "from . import y\nfrom .. import top\nfrom ..top import name\n",
            "sub/y.py": "from .x import something\n",
            "top.py": "from pkg.sub import x\nfrom pkg.sub import nothing_here\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.sub.x"] == {"pkg.sub.y": 1, "pkg.top": 2}
    assert graph["pkg.sub.y"] == {"pkg.sub.x": 1}
    assert graph["pkg.top"] == {"pkg.sub.x": 1, "pkg.sub": 1}  # line 1 runs pkg.sub first
    # x, y and top are one strongly connected group: one cycle names it, the shortest from x
    assert cycles(graph) == [["pkg.sub.x", "pkg.sub.y", "pkg.sub.x"]]


def test_a_longer_cycle_is_named_step_by_step(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {"a.py": "import pkg.b\n", "b.py": "\n\nimport pkg.c\n", "c.py": "import pkg.a\n"},
    )
    graph = import_graph(root)
    [cycle] = cycles(graph)
    assert cycle == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    assert describe(root, graph, cycle) == (
        "pkg.a (pkg/a.py:1) -> pkg.b (pkg/b.py:3) -> pkg.c (pkg/c.py:1) -> pkg.a"
    )
