"""Helpers for graph tests: compare snapshots exactly."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from projections.exports import node_link


def canonical(G: nx.MultiGraph) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {k: (tuple(sorted((u, v))), dict(d)) for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


def canonical_node_link(data: dict[str, Any]) -> tuple[Any, ...]:
    """Node-link JSON with the order of its lists (and of an undirected edge's ends) left out."""
    nodes = sorted(json.dumps(n, sort_keys=True) for n in data["nodes"])
    edges = []
    for edge in data["edges"]:
        edge = dict(edge)
        ends = sorted((edge.pop("source"), edge.pop("target")))
        if "reasons" in edge:
            edge["reasons"] = sorted(json.dumps(r, sort_keys=True) for r in edge["reasons"])
            edge["kinds"] = sorted(edge["kinds"])
        edges.append(json.dumps([ends, edge], sort_keys=True))
    return data["graph"], data["directed"], data["multigraph"], nodes, sorted(edges)


def rebuilt_node_link(G: nx.Graph) -> dict[str, Any]:
    """What the API would answer for ``G`` when computed from scratch (through JSON, as a client sees it)."""
    answer: dict[str, Any] = json.loads(json.dumps(node_link(G)))
    return answer
