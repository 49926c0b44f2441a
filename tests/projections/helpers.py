"""Helpers for graph tests: compare snapshots exactly."""

from __future__ import annotations

from typing import Any

import networkx as nx


def canonical(G: nx.MultiGraph) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {k: (tuple(sorted((u, v))), dict(d)) for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges
