"""What changed between two moments of the graph: nodes and edges added, removed, changed.

Both sides are snapshots (:meth:`PartnerGraph.snapshot`), whose edges are keyed
by the link they stand for, so a changed role or a confirmation shows as
"changed", not as one removal and one addition.
"""

from __future__ import annotations

from typing import Any

import networkx as nx


def _edges(G: nx.MultiGraph) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {key: (u, v, data) for u, v, key, data in G.edges(keys=True, data=True)}


def diff(before: nx.MultiGraph, after: nx.MultiGraph) -> dict[str, list[Any]]:
    """Compare two snapshots.

    >>> a = nx.MultiGraph(); a.add_node("x", name="A")
    >>> b = nx.MultiGraph(); b.add_node("x", name="B"); b.add_node("y")
    >>> d = diff(a, b); d["nodes_added"], [c["node"] for c in d["nodes_changed"]]
    (['y'], ['x'])
    """
    old_edges, new_edges = _edges(before), _edges(after)
    changed_nodes = []
    for node in sorted(set(before) & set(after)):
        old, new = before.nodes[node], after.nodes[node]
        fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if fields:
            changed_nodes.append({"node": node, "changes": {k: [old.get(k), new.get(k)] for k in fields}})
    changed_edges = []
    for link in sorted(set(old_edges) & set(new_edges)):
        old, new = old_edges[link][2], new_edges[link][2]
        fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if fields:
            changed_edges.append({"link": link, "source": new_edges[link][0], "target": new_edges[link][1],
                                  "changes": {k: [old.get(k), new.get(k)] for k in fields}})

    def edge(link: str, edges: dict[str, tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
        u, v, data = edges[link]
        return {"link": link, "source": u, "target": v, "kind": data.get("kind")}

    return {
        "nodes_added": sorted(set(after) - set(before)),
        "nodes_removed": sorted(set(before) - set(after)),
        "nodes_changed": changed_nodes,
        "edges_added": [edge(k, new_edges) for k in sorted(set(new_edges) - set(old_edges))],
        "edges_removed": [edge(k, old_edges) for k in sorted(set(old_edges) - set(new_edges))],
        "edges_changed": changed_edges,
    }
