"""The layers import downwards only (hub ← projections ← web) and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "projections", "web")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Modules → the project modules they import (at any depth: top level or inside functions)."""
    modules = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target)
    return graph


def test_hub_imports_neither_projections_nor_web_and_projections_never_web():
    graph = import_graph()
    wrong = [(a, b) for a, b in graph.edges
             if (a.startswith("hub") and b.split(".")[0] in ("projections", "web"))
             or (a.startswith("projections") and b.startswith("web"))]
    assert wrong == []


def test_no_import_cycles():
    graph = import_graph()
    # A package's __init__ importing its own submodules is how a package is assembled, not a cycle.
    assembly = [(a, b) for a, b in graph.edges if b.startswith(a + ".")]
    graph.remove_edges_from(assembly)
    assert list(nx.simple_cycles(graph)) == []
