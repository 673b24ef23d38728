"""The package's import graph (read with ast, function-level imports included): no circles, layers look down.

Layers (issue 13): domain ← storage, reports ← application ← ui, cli.
- domain imports nothing of the project above it; storage knows nothing of reports, ui or cli;
- reports render domain descriptions and never import storage (nor application, ui, cli);
- the application layer may use domain, storage and reports;
- ui and cli import only the application layer and domain.
The package root (``shangnan_desktop/__init__.py``: name, version), ``paths`` and ``resources`` are
shared by every layer; ``__main__`` only starts the command line.

KNOWN_VIOLATIONS and KNOWN_CYCLE_EDGES listed the exceptions until the structural refactor of issue 13
emptied them: any violation or circle now fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import shangnan_desktop

PACKAGE = "shangnan_desktop"
ROOT = Path(shangnan_desktop.__file__).resolve().parent

SHARED = {PACKAGE, f"{PACKAGE}.paths", f"{PACKAGE}.resources"}
ENTRY = {f"{PACKAGE}.__main__"}
LAYER_PREFIXES = {  # first match wins; the application layer may be called app/, services/ or application/
    "domain": (f"{PACKAGE}.domain",),
    "storage": (f"{PACKAGE}.storage",),
    "reports": (f"{PACKAGE}.reports",),
    "application": (f"{PACKAGE}.app", f"{PACKAGE}.services", f"{PACKAGE}.application"),
    "ui": (f"{PACKAGE}.ui",),
    "cli": (f"{PACKAGE}.cli",),
}
ALLOWED = {  # layer -> the layers it may import (itself and the shared modules always)
    "domain": set(),
    "storage": {"domain"},
    "reports": {"domain"},
    "application": {"domain", "storage", "reports"},
    "ui": {"application", "domain"},
    "cli": {"application", "domain"},
}


def module_files(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join([PACKAGE, *parts])] = path
    return modules


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the project modules it imports anywhere in its file (top level, functions, TYPE_CHECKING)."""
    modules = module_files(root)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                # ``from pkg import sub`` imports the submodule when there is one, else a name in pkg.
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for name in names:
                while name and name not in modules:  # ``import pkg.mod.attr``-style names: the longest module
                    name = name.rpartition(".")[0]
                if name and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def layer(module: str) -> str:
    if module in SHARED:
        return "shared"
    if module in ENTRY:
        return "entry"
    for name, prefixes in LAYER_PREFIXES.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return name
    raise AssertionError(f"{module} belongs to no layer: add it to LAYER_PREFIXES or SHARED")


def layer_violations(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    found = set()
    for module, targets in graph.items():
        source = layer(module)
        for target in targets:
            dest = layer(target)
            if source == "entry" or dest == "shared" or dest == source:
                continue
            if source == "shared" or dest not in ALLOWED[source]:
                found.add((_short(module), _short(target)))
    return found


def cycle_edges(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every import edge that lies on a circle: both ends in the same strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}
    counter = [0]

    def visit(v: str) -> None:  # Tarjan; the package is small enough for recursion
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component[w] = index[v]
                if w == v:
                    break

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return {(_short(a), _short(b)) for a, targets in graph.items() for b in targets if component[a] == component[b]}


def _short(module: str) -> str:
    return module.removeprefix(PACKAGE + ".") if module != PACKAGE else PACKAGE


# ---- exceptions: none. Issue 13 emptied both lists; they stay empty ----------------------------------
# (importer, imported), package prefix dropped. Print the current state with ``python tests/test_architecture.py``.

KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


# ---- the rules ------------------------------------------------------------------------------------


def _compare(found: set, known: set, what: str) -> None:
    new = sorted(found - known)
    gone = sorted(known - found)
    message = []
    if new:
        message.append(f"new {what} (fix the import; do not add it to the list):")
        message += [f"    {a} -> {b}" for a, b in new]
    if gone:
        message.append(f"{what} fixed, delete from the list in tests/test_architecture.py:")
        message += [f"    {a} -> {b}" for a, b in gone]
    assert not message, "\n".join(message)


def test_every_module_belongs_to_a_layer():
    layers = {layer(m) for m in module_files()}
    assert {"domain", "storage", "reports", "ui", "cli"} <= layers


def test_imports_follow_the_layer_order():
    _compare(layer_violations(import_graph()), KNOWN_VIOLATIONS, "layer violations")


def test_no_module_imports_in_a_circle():
    _compare(cycle_edges(import_graph()), KNOWN_CYCLE_EDGES, "imports on a circle")


# ---- the checker itself, on a small package written here ------------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    pkg = root / PACKAGE
    for name, text in files.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pkg


def test_the_checker_sees_function_level_relative_and_type_checking_imports(tmp_path):
    pkg = _package(tmp_path, {
        "__init__.py": "",
        "paths.py": "from shangnan_desktop import APP_ID\n",
        "domain/__init__.py": "",
        "domain/units.py": "import shangnan_desktop.paths\n",
        "storage/__init__.py": "from .db import Database\n",
        "storage/db.py": "def backup():\n    from shangnan_desktop.storage import backup\n",
        "storage/backup.py": "from . import db\nfrom ..domain.units import Unit\n",
        "reports/__init__.py": "",
        "reports/pdf.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shangnan_desktop.storage import Store\n",
        "ui/__init__.py": "",
        "ui/window.py": "from shangnan_desktop.domain import units\nimport shangnan_desktop.storage.db as db\n",
        "cli.py": "def main():\n    from shangnan_desktop.ui import window\n",
        "app/__init__.py": "",
        "app/use_cases.py": "from shangnan_desktop.storage import db\nfrom shangnan_desktop.reports import pdf\n",
    })
    graph = import_graph(pkg)
    assert graph[f"{PACKAGE}.storage.db"] == {f"{PACKAGE}.storage.backup"}
    assert graph[f"{PACKAGE}.storage.backup"] == {f"{PACKAGE}.storage.db", f"{PACKAGE}.domain.units"}
    assert graph[f"{PACKAGE}.domain.units"] == {f"{PACKAGE}.paths"}
    assert layer_violations(graph) == {
        ("reports.pdf", "storage"),  # reports never import storage, not even for typing
        ("ui.window", "storage.db"),  # ui only through the application layer
        ("cli", "ui.window"),  # cli and ui are side by side
    }
    assert cycle_edges(graph) == {("storage.db", "storage.backup"), ("storage.backup", "storage.db")}


if __name__ == "__main__":
    g = import_graph()
    print("layer violations:")
    for edge in sorted(layer_violations(g)):
        print("   ", edge)
    print("imports on a circle:")
    for edge in sorted(cycle_edges(g)):
        print("   ", edge)
