"""Network analytics: plain functions over the partner graph, in networkx's style.

Most take the partnership view (:func:`projections.graph.partnership_view`), an
``nx.Graph`` whose nodes are partnerships with a ``regions`` attribute. Each
returns plain data (dicts and lists), ready to print or serialise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise
from typing import Any

import networkx as nx

from hub.regions import VOIVODESHIPS

# Exact betweenness is O(V·E). Up to this many nodes it is exact; above, it is
# sampled from BETWEENNESS_SAMPLE pivots with a fixed seed (repeatable).
BETWEENNESS_EXACT_LIMIT = 500
BETWEENNESS_SAMPLE = 256


def _simple(G: nx.Graph) -> nx.Graph:
    return nx.Graph(G) if G.is_multigraph() else G


def degree_centrality(G: nx.Graph) -> dict[str, float]:
    """Share of the other nodes each node is linked to.

    >>> degree_centrality(nx.path_graph(["a", "b", "c"]))
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    """
    centrality: dict[str, float] = nx.degree_centrality(_simple(G))
    return centrality


def betweenness_centrality(G: nx.Graph, seed: int = 42) -> dict[str, float]:
    """How often a node lies on shortest paths between others (sampled above the limit).

    >>> betweenness_centrality(nx.path_graph(["a", "b", "c"]))["b"]
    1.0
    """
    S = _simple(G)
    sample = None if S.number_of_nodes() <= BETWEENNESS_EXACT_LIMIT else min(BETWEENNESS_SAMPLE, S.number_of_nodes())
    centrality: dict[str, float] = nx.betweenness_centrality(S, k=sample, seed=seed if sample else None)
    return centrality


def communities(G: nx.Graph, seed: int = 42) -> dict[str, int]:
    """Louvain communities, numbered from 0 by size (largest first); seeded, so repeatable.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> sorted(communities(G).items())
    [('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1)]
    """
    groups = nx.community.louvain_communities(_simple(G), seed=seed)
    groups = sorted(groups, key=lambda g: (-len(g), sorted(g)))
    return {node: i for i, group in enumerate(groups) for node in group}


def bridges(G: nx.Graph) -> list[tuple[str, str]]:
    """Links whose removal splits the network.

    >>> bridges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [('c', 'd')]
    """
    return sorted(tuple(sorted(e)) for e in nx.bridges(_simple(G)))


def articulation_points(G: nx.Graph) -> list[str]:
    """Nodes whose removal splits the network.

    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']
    """
    return sorted(nx.articulation_points(_simple(G)))


def _hops(P: nx.Graph, path: list[str]) -> list[dict[str, Any]]:
    return [
        {"from": a, "to": b, "from_name": P.nodes[a].get("name"), "to_name": P.nodes[b].get("name"),
         "reasons": P.edges[a, b].get("reasons", [])}
        for a, b in pairwise(path)
    ]


def link_path(P: nx.Graph, source: str, target: str) -> list[dict[str, Any]] | None:
    """The shortest chain of links between two partnerships, with the reasons for each hop.

    None when they are not connected.

    >>> P = nx.Graph(); P.add_edge("a", "b", reasons=[{"kind": "shared_member"}])
    >>> [h["to"] for h in link_path(P, "a", "b")]
    ['b']
    """
    try:
        return _hops(P, nx.shortest_path(P, source, target))
    except nx.NetworkXNoPath:
        return None


def region_link_path(P: nx.Graph, region_a: str, region_b: str) -> list[dict[str, Any]] | None:
    """The shortest chain from any partnership of one region to any of another (None if none)."""
    sources = {n for n, r in P.nodes(data="regions") if region_a in (r or [])}
    targets = {n for n, r in P.nodes(data="regions") if region_b in (r or [])}
    if not sources or not targets:
        return None
    if sources & targets:
        return []
    distances, paths = nx.multi_source_dijkstra(P, sources)
    reachable = [t for t in targets if t in distances]
    if not reachable:
        return None
    best = min(reachable, key=lambda t: (distances[t], t))
    return _hops(P, paths[best])


def isolated_partnerships(P: nx.Graph) -> list[str]:
    """Partnerships with no link to a partnership of another region.

    >>> P = nx.Graph()
    >>> P.add_node("a", regions=["18"]); P.add_node("b", regions=["18"]); P.add_node("c", regions=["12"])
    >>> P.add_edge("a", "c"); isolated_partnerships(P)
    ['b']
    """
    isolated = []
    for node, regions in P.nodes(data="regions"):
        own = set(regions or [])
        if not any(set(P.nodes[n].get("regions") or []) - own for n in P.neighbors(node)):
            isolated.append(node)
    return sorted(isolated)


def uncovered_regions(P: nx.Graph) -> list[str]:
    """Voivodeships (TERYT codes) that no partnership in the view calls home.

    >>> P = nx.Graph(); P.add_node("a", regions=[code for code in VOIVODESHIPS if code != "08"])
    >>> uncovered_regions(P)
    ['08']
    """
    covered = {code for _, regions in P.nodes(data="regions") for code in regions or []}
    return [code for code in VOIVODESHIPS if code not in covered]


def summary(P: nx.Graph) -> dict[str, Any]:
    """Headline figures of a partnership view, e.g. for a trend over time."""
    n = P.number_of_nodes()
    return {
        "partnerships": n,
        "links": P.number_of_edges(),
        "density": nx.density(P) if n > 1 else 0.0,
        "components": nx.number_connected_components(P) if n else 0,
        "isolated_partnerships": len(isolated_partnerships(P)),
        "uncovered_regions": len(uncovered_regions(P)),
    }


def trend(view_at: Callable[[date], nx.Graph], days: Iterable[date],
          metric: Callable[[nx.Graph], Any] = summary) -> list[tuple[date, Any]]:
    """``metric`` computed on the view valid at each day, to draw a trend.

    ``view_at(day)`` gives the partnership view for that day (any ``as_of``).
    """
    return [(day, metric(view_at(day))) for day in days]
