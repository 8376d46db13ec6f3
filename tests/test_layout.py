"""The package's shape: one writer, imports that run one way.

Read from the source with ``ast``: which modules commit to the database, the
graph of imports between the package's modules (no cycles), and no import
hidden inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "archive"
#: The one writer (besides Alembic's migrations, which run in their own transaction).
WRITERS = {"archive.editorial.unit", "archive.editorial.changelog"}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")
        if not _is_package(module):
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    if not target.startswith("archive"):
        return []
    names = [f"{target}.{alias.name}" for alias in node.names]
    return [name if name in modules_cache else target for name in names]


modules_cache = modules()


def imports(module: str, tree: ast.Module) -> set[str]:
    found = set()
    for node in tree.body:  # module level only: those are the ones that can form a cycle
        if isinstance(node, ast.ImportFrom):
            found.update(_resolve(module, node))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("archive"))
    return {name for name in found if name in modules_cache and name != module}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def _package_parent_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's ``__init__`` that re-exports its modules is not a cycle with them."""
    return {
        name: {t for t in targets if not name.startswith(f"{t}.")}
        for name, targets in graph.items()
    }


def test_the_import_graph_has_no_cycles():
    graph = _package_parent_edges(
        {name: imports(name, tree) for name, tree in modules_cache.items()}
    )
    assert cycles(graph) == []


def test_no_module_imports_inside_a_function():
    hidden = []
    for name, tree in modules_cache.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        hidden.append(f"{name}.{node.name}")
    assert hidden == []


def test_only_the_editorial_writer_commits():
    committing = set()
    for name, tree in modules_cache.items():
        for node in ast.walk(tree):
            if (  # db.session.commit(), session.commit(): not Whoosh's writer.commit()
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
                and ast.unparse(node.func.value).endswith("session")
            ):
                committing.add(name)
    assert committing == WRITERS
