"""Network analytics: plain functions over the partner graph, in networkx's style.

Most take the partnership view (:func:`projections.graph.partnership_view`), an
``nx.Graph`` whose nodes are partnerships with a ``regions`` attribute. Each
returns plain data (dicts and lists), ready to print or serialise.

Bridges, articulation points and components run on rustworkx (Apache-2.0, Rust, maintained by
the Qiskit project) over a copy of the graph's structure: bridges 6 ms against 0.46 s in networkx
at 1,000 partnerships. Betweenness follows the shortest paths from many sources at once, each
step a product of the sparse adjacency matrix (scipy) with a column per source
(:func:`_dependencies`): at 2,000 partnerships and 273,972 links every source takes 1.7 s where
rustworkx took 34.5 s on one thread (on several its sums came in no fixed order, and two workers
answered one network with two bodies), and the sample of 256 sources used above the budget 0.23 s
where networkx took 10-13 s; at 1,000 partnerships (28,389 links) 0.22 s against 0.59 s. The values
are networkx's within 2e-16.

Communities are found by Leiden (graspologic-native: MIT, Rust, maintained by the graspologic project), the
refinement of Louvain that never leaves a community internally disconnected. networkx's seeded Louvain took
0.41 s of the 0.49 s that the metrics cost after each write at 1,000 partnerships (28,389 links, weighted by
their reasons, so a write that adds a reason to a link changes them); Leiden takes 0.03 s there, with a
modularity of 0.168 against Louvain's 0.165 (14 communities against 11).

The measures read a partnership view as :class:`Links` — its nodes in the order of their ids and each linked pair
once, in arrays — which the API, the trend and the dashboard make from the fold in columns
(:meth:`Links.of_view`) rather than from a networkx graph. At 99,527 events (2,000 partnerships, 273,972 links)
building the graph took 1.9 s and the measures ~2 s more reading it back (communities 1.2 s, the structure 0.8 s):
``GET /api/graph/metrics?betweenness=false`` after a write took 2.3-3.7 s over HTTP and takes 0.8-1.0 s; the
quarterly trend's first read after a write 0.37-0.55 s and 0.14-0.18 s (pairs in turn; the same answers). The
functions over graphs make :class:`Links` of the graph they are given.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import pairwise
from typing import Any

import graspologic_native
import networkx as nx
import numpy as np
import numpy.typing as npt
import rustworkx as rx
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from hub.regions import VOIVODESHIPS
from projections.columns import Folded
from projections.graph import partnership_fold
from projections.kinds import ALSO_COUNTABLE, COOPERATION_KINDS

# Exact betweenness is O(V·E): exact while V·E stays within this budget (about 4 s on this kind of machine:
# 2,000 partnerships and 273,972 links, V·E 5.5e8, take 1.7 s); above, BETWEENNESS_SAMPLE sources drawn with a
# fixed seed (networkx's estimate).
BETWEENNESS_EXACT_BUDGET = 1_500_000_000
BETWEENNESS_SAMPLE = 256
SOURCES_AT_ONCE = 256
"""Sources whose shortest paths are followed together (:func:`_dependencies`): a matrix of this many columns each."""


def _simple(G: nx.Graph) -> nx.Graph:
    return nx.Graph(G) if G.is_multigraph() else G


Structure = tuple[rx.PyGraph, list[Any], str]


@dataclass(frozen=True)
class Links:
    """A partnership view as the measures read it: its nodes in the order of their ids (as text) with their
    attributes, and each linked pair once — its ends as places in ``nodes`` (``first`` before ``second``), in that
    order — with its ``weight`` and kinds (a place in ``kindsets``). A link of a node with itself is left out.

    Made from the fold in columns (:meth:`of_view`), the metrics need no networkx graph (the module's docstring says
    what that saves); :meth:`from_graph` makes it of any graph, for the functions below.

    >>> links = Links.from_graph(nx.Graph([("b", "a"), ("b", "c")]))
    >>> links.nodes, links.first.tolist(), links.second.tolist()
    (['a', 'b', 'c'], [0, 1], [1, 2])
    """

    nodes: list[Any]
    attrs: list[Mapping[str, Any]]  # each node's attributes (the graph's own: read them, never change them)
    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    kindset: npt.NDArray[np.int64]
    kindsets: list[frozenset[str]]

    @classmethod
    def from_graph(cls, G: nx.Graph) -> Links:
        """The links of ``G`` (a multigraph's parallel edges summed: weights added, kinds joined)."""
        nodes = sorted(G.nodes, key=str)
        place = {node: i for i, node in enumerate(nodes)}
        if G.is_multigraph():
            pairs: dict[tuple[Any, Any], tuple[float, frozenset[str]]] = {}
            for u, v, data in G.edges(data=True):
                pair = (u, v) if place[u] < place[v] else (v, u)
                weight, kinds = pairs.get(pair, (0.0, frozenset()))
                pairs[pair] = weight + data.get("weight", 1), kinds | frozenset(data.get("kinds", ()))
            rows = [(u, v, weight, kinds) for (u, v), (weight, kinds) in pairs.items()]
        else:
            rows = [(u, v, data.get("weight", 1), data.get("kinds", ())) for u, v, data in G.edges(data=True)]
        kindsets: dict[Any, int] = {}
        kept = [(place[u], place[v], weight, kindsets.setdefault(tuple(kinds), len(kindsets)))
                for u, v, weight, kinds in rows if u != v]
        ends = np.array([(u, v) for u, v, _, _ in kept], dtype=np.int64).reshape(-1, 2)
        first, second = ends.min(axis=1), ends.max(axis=1)
        order = np.lexsort((second, first))
        return cls(nodes, [G.nodes[node] for node in nodes], first[order], second[order],
                   np.array([weight for _, _, weight, _ in kept], dtype=np.float64)[order],
                   np.array([kindset for _, _, _, kindset in kept], dtype=np.int64)[order],
                   [frozenset(kinds) for kinds in kindsets])

    @classmethod
    def from_fold(cls, partnerships: Mapping[str, Mapping[str, Any]], folded: Folded) -> Links:
        """The links of the partnership view folded in columns (:func:`projections.graph.partnership_fold`):
        ``partnerships`` its nodes' attributes by id, ``folded`` its links."""
        nodes = sorted(partnerships)
        place = np.full(len(folded.ids), -1, dtype=np.int64)
        for i, node in enumerate(nodes):
            place[folded.number(node)] = i
        ends = place[folded.source], place[folded.target]
        first, second = np.minimum(*ends), np.maximum(*ends)
        order = np.lexsort((second, first))
        return cls(nodes, [partnerships[node] for node in nodes], first[order], second[order],
                   folded.weight[order].astype(np.float64), folded.kindset[order],
                   [frozenset(kinds) for kinds in folded.kindsets])

    @classmethod
    def of_view(cls, view: nx.MultiGraph, kinds: Iterable[str] | None = None) -> Links:
        """The partnership view of ``view`` (a :meth:`projections.graph.PartnerGraph.view`; links of ``kinds``
        only, if given) folded in columns, without its links' reasons: figures count them, never explain them."""
        return cls.from_fold(*partnership_fold(view, kinds, reasons=False))

    @cached_property
    def regions(self) -> list[frozenset[str]]:
        """Each node's regions (its ``regions`` attribute)."""
        return [frozenset(attrs.get("regions") or ()) for attrs in self.attrs]

    @cached_property
    def home(self) -> npt.NDArray[np.int64]:
        """Each node's regions as bits of one number (a bit per region code met), to compare them in arrays."""
        bits: dict[str, int] = {}
        masks = [sum({1 << bits.setdefault(code, len(bits)) for code in codes}) for codes in self.regions]
        return np.array(masks, dtype=np.int64 if len(bits) < 63 else object)  # Python's numbers beyond 62 codes

    def isolated(self, also: tuple[str, ...]) -> list[str]:
        """:func:`isolated_of`, kept per rule (as a cached property keeps its value): the summary and the metrics ask
        for it alike. Read it, never change it."""
        kept: dict[tuple[str, ...], list[str]] = self.__dict__.setdefault("_isolated", {})
        if also not in kept:
            kept[also] = _isolated(self, also)
        return kept[also]

    @cached_property
    def structure(self) -> Structure:
        """The links as a rustworkx graph (node ``i`` is ``nodes[i]``), for the measures slow in Python, the nodes,
        and a digest of that structure (equal networks are equal graphs there, whatever order they were made in).

        A multigraph for rustworkx, though each pair is linked once: it then adds the links without looking for
        one between the same ends first, which took 0.15 of 0.16 s at 2,000 partnerships and 273,972 links.
        (Its bridges count a link as one even where two join the same ends: never the case here.)"""
        R = rx.PyGraph(multigraph=True)
        R.add_nodes_from(self.nodes)
        R.extend_from_edge_list(list(zip(self.first.tolist(), self.second.tolist(), strict=True)))
        digest = hashlib.sha256("\n".join(map(str, self.nodes)).encode())
        digest.update(self.first.tobytes())
        digest.update(self.second.tobytes())
        return R, self.nodes, digest.hexdigest()

    def cooperating(self, counted: Iterable[str]) -> npt.NDArray[np.bool_]:
        """Whether each link is of any of the kinds ``counted``."""
        counted = set(counted)
        return np.array([bool(counted & kinds) for kinds in self.kindsets], dtype=bool)[self.kindset]


# (structure digest, seed) → betweenness, for the last few networks measured
_measured: OrderedDict[tuple[str, int], list[float]] = OrderedDict()
_measured_lock = threading.Lock()


def degree_centrality(G: nx.Graph) -> dict[str, float]:
    """Share of the other nodes each node is linked to.

    >>> degree_centrality(nx.path_graph(["a", "b", "c"]))
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    >>> degree_centrality(nx.path_graph(["alone"]))  # networkx says 1.0: linked to every other node, of none
    {'alone': 0.0}
    """
    return _degree(Links.from_graph(G))


def _degree(links: Links) -> dict[str, float]:
    n = len(links.nodes)
    if n < 2:
        return dict.fromkeys(links.nodes, 0.0)
    degree = np.bincount(links.first, minlength=n) + np.bincount(links.second, minlength=n)
    share = 1.0 / (n - 1.0)  # as networkx computes it, to the last bit
    return {node: d * share for node, d in zip(links.nodes, degree.tolist(), strict=True)}


def betweenness_centrality(G: nx.Graph, seed: int = 42) -> dict[str, float]:
    """How often a node lies on shortest paths between others (sampled above the limit).

    >>> betweenness_centrality(nx.path_graph(["a", "b", "c"]))["b"]
    1.0
    """
    return _betweenness(Links.from_graph(G), seed)


def _betweenness(links: Links, seed: int) -> dict[str, float]:
    n = len(links.nodes)
    if n < 3:
        return dict.fromkeys(links.nodes, 0.0)
    _, nodes, digest = links.structure
    # Most writes change no link of the partnership view (an exchange between partnerships already linked, a
    # meeting held): the values of a structure seen lately are reused (exact, 1.7 s at 2,000 partnerships).
    with _measured_lock:
        found = _measured.get((digest, seed))
    if found is None:
        if n * len(links.first) > BETWEENNESS_EXACT_BUDGET:
            found = _sampled_betweenness(links, min(BETWEENNESS_SAMPLE, n), seed)
        else:
            found = _exact_betweenness(links)
        with _measured_lock:
            _measured[digest, seed] = found
            while len(_measured) > 4:
                _measured.popitem(last=False)
    return {node: found[i] for i, node in enumerate(nodes)}


def _sampled_betweenness(links: Links, k: int, seed: int) -> list[float]:
    """Betweenness estimated from ``k`` sources, as networkx's ``betweenness_centrality(G, k, seed=seed)`` estimates it
    (the same sources: drawn by ``random.Random(seed)`` from the nodes in the order of their ids, so every process
    draws the same), by :func:`_dependencies`. Equal to networkx's values but for the order of the sums (within
    1e-12 in the tests).

    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> _sampled_betweenness(Links.from_graph(G), 2, 1), list(nx.betweenness_centrality(G, k=2, seed=1).values())
    ([0.0, 0.5, 0.5, 0.0], [0.0, 0.5, 0.5, 0.0])
    """
    n = len(links.nodes)
    sources = np.array(random.Random(seed).sample(range(n), k), dtype=np.int64)
    found = _dependencies_from(links, sources)
    # networkx's scaling of a sample without endpoints: pairs (s, t), s a source, t ≠ v; a source has one fewer
    found *= 1 / (k * (n - 2))
    if k > 1:
        found[sources] *= k / (k - 1)
    values: list[float] = found.tolist()
    return values


def _exact_betweenness(links: Links) -> list[float]:
    """Betweenness from every source (a block at a time: :func:`_dependencies_from`), normalised as networkx does.

    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> _exact_betweenness(Links.from_graph(G)), list(nx.betweenness_centrality(G).values())
    ([0.0, 0.6666666666666666, 0.6666666666666666, 0.0], [0.0, 0.6666666666666666, 0.6666666666666666, 0.0])
    """
    n = len(links.nodes)
    found = _dependencies_from(links, np.arange(n))
    found *= 1 / ((n - 1) * (n - 2))
    values: list[float] = found.tolist()
    return values


def _dependencies_from(links: Links, sources: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """:func:`_dependencies` from ``sources``, a block at a time: at most :data:`SOURCES_AT_ONCE`, and fewer in a
    large network, so that a matrix of a column per source stays within ~16 MB (at 20,000 partnerships a block of
    256 took ~40 MB a matrix, several at once)."""
    n = len(links.nodes)
    rows, columns = np.concatenate([links.first, links.second]), np.concatenate([links.second, links.first])
    A = sparse.csr_array((np.ones(len(rows)), (rows, columns)), shape=(n, n))  # the links, both ways
    block = max(16, min(SOURCES_AT_ONCE, 2_000_000 // n))
    found = np.zeros(n)
    for start in range(0, len(sources), block):
        found += _dependencies(A, sources[start:start + block])
    return found


def _dependencies(A: sparse.csr_array, sources: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Each node's dependencies summed over ``sources`` (Brandes' accumulation, not scaled), for all the sources at
    once: each step of the breadth-first searches and of the accumulation is one product of the sparse adjacency
    matrix ``A`` with a column per source.

    At 2,000 partnerships and 273,972 links, 256 sources took 10-13 s in networkx (and kept some 90 MB of each
    worker that measured them: a graph of dicts, freed into the allocator's keeping) and take 0.23 s here.
    """
    n, k = A.shape[0], len(sources)
    columns = np.arange(k)
    distance = np.full((n, k), -1, dtype=np.int64)
    paths = np.zeros((n, k))  # shortest paths from each source (σ)
    distance[sources, columns], paths[sources, columns] = 0, 1.0
    frontier, depth = paths.copy(), 0
    while True:
        reached = A @ frontier
        new = (distance < 0) & (reached > 0)
        if not new.any():
            break
        depth += 1
        distance[new], paths[new] = depth, reached[new]
        frontier = np.where(new, paths, 0.0)
    dependency = np.zeros((n, k))  # δ
    for level in range(depth, 0, -1):
        through = np.where(distance == level, (1.0 + dependency) / np.where(paths > 0, paths, 1.0), 0.0)
        dependency += np.where(distance == level - 1, paths * (A @ through), 0.0)
    dependency[sources, columns] = 0.0  # a source is no node between
    summed: npt.NDArray[np.float64] = dependency.sum(axis=1)
    return summed


def communities(G: nx.Graph, seed: int = 42) -> dict[str, int]:
    """Leiden communities (weighted by ``weight``, 1 if none), numbered from 0 by size (largest first); seeded and
    independent of the order ``G`` holds its nodes and links in, so every process answers one network alike.
    A node without links is a community of its own.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> G.add_node("z")
    >>> sorted(communities(G).items())
    [('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1), ('z', 2)]
    """
    return _communities(Links.from_graph(G), seed)


def _communities(links: Links, seed: int) -> dict[str, int]:
    found: dict[str, int] = {}
    if len(links.first):
        names = np.array([str(node) for node in links.nodes], dtype=object)
        # two full cycles: at 1,000 partnerships modularity 0.168 in 0.03 s (one cycle: 0.162)
        _, found = graspologic_native.leiden(
            list(zip(names[links.first].tolist(), names[links.second].tolist(), links.weight.tolist(), strict=True)),
            seed=seed, iterations=2)
    by_name = {str(node): node for node in links.nodes}
    groups: dict[int, list[str]] = {}
    for name, community in found.items():
        groups.setdefault(community, []).append(name)
    ordered = sorted((sorted(group) for group in groups.values()), key=lambda group: (-len(group), group))
    ordered += [[name] for name in sorted(set(by_name) - set(found))]
    return {by_name[name]: i for i, group in enumerate(ordered) for name in group}


def bridges(G: nx.Graph) -> list[tuple[str, str]]:
    """Links whose removal splits the network.

    >>> bridges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [('c', 'd')]
    """
    return _bridges(Links.from_graph(G))


def _bridges(links: Links) -> list[tuple[str, str]]:
    R, nodes, _ = links.structure
    # rustworkx 0.18's stub says ``set[tuple[int]]``; each is a pair of node indexes
    return sorted(tuple(sorted(nodes[i] for i in edge)) for edge in rx.bridges(R))


def articulation_points(G: nx.Graph) -> list[str]:
    """Nodes whose removal splits the network.

    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']
    """
    return _articulation_points(Links.from_graph(G))


def _articulation_points(links: Links) -> list[str]:
    R, nodes, _ = links.structure
    return sorted(nodes[i] for i in rx.articulation_points(R))


def _reasons(G: nx.Graph, a: str, b: str) -> list[dict[str, Any]]:
    """Why two nodes are linked: the partnership view's reasons, or each edge of the full graph."""
    if G.is_multigraph():
        return [{"kind": d["kind"], "via": d.get("record"), "label": d.get("label", "")}
                for d in G.get_edge_data(a, b).values()]
    reasons: list[dict[str, Any]] = G.edges[a, b].get("reasons", [])
    return reasons


def _hops(P: nx.Graph, path: list[str]) -> list[dict[str, Any]]:
    return [
        {"from": a, "to": b, "from_name": P.nodes[a].get("name"), "to_name": P.nodes[b].get("name"),
         "from_type": P.nodes[a].get("type"), "to_type": P.nodes[b].get("type"), "reasons": _reasons(P, a, b)}
        for a, b in pairwise(path)
    ]


def path_between(G: nx.Graph, sources: set[str], targets: set[str]) -> list[dict[str, Any]] | None:
    """The shortest chain of links from any of ``sources`` to any of ``targets`` (None if there is none).

    Works on the partnership view and on the full graph alike (where organisations meet through
    meetings, partnerships and exchanges); an empty list when the two sets share a node.

    >>> G = nx.Graph([("a", "m"), ("m", "b"), ("b", "c")])
    >>> [h["to"] for h in path_between(G, {"a"}, {"c"})]
    ['m', 'b', 'c']
    """
    if not sources or not targets:
        return None
    if sources & targets:
        return []
    distances, paths = nx.multi_source_dijkstra(_simple(G), sources)
    reachable = [t for t in targets if t in distances]
    if not reachable:
        return None
    best = min(reachable, key=lambda t: (distances[t], t))
    return _hops(G, paths[best])


def link_path(P: nx.Graph, source: str, target: str) -> list[dict[str, Any]] | None:
    """The shortest chain of links between two partnerships, with the reasons for each hop.

    None when they are not connected.

    >>> P = nx.Graph(); P.add_edge("a", "b", reasons=[{"kind": "shared_member"}])
    >>> [h["to"] for h in link_path(P, "a", "b")]
    ['b']
    """
    return path_between(P, {source}, {target})


class UnknownEnd(LookupError):
    """An end of a path is neither a node of the graph nor a region code; ``end`` says which ("from", "to")."""

    def __init__(self, end: str):
        super().__init__("not an organisation or partnership in this view, nor a region code")
        self.end = end


def chain(full: nx.Graph, partnerships: Callable[[], nx.Graph], source: str, target: str,
          regions: Iterable[str] = VOIVODESHIPS) -> list[dict[str, Any]] | None:
    """The shortest chain between two ends, each an organisation, a partnership or a region code.

    Between partnerships and regions it runs through the partnership view (made by
    ``partnerships()``, whose links say why); with an organisation at either end it runs through
    the full graph, where organisations meet through meetings, partnerships and exchanges.
    Raises :class:`UnknownEnd` naming the end that is neither.

    >>> full = nx.Graph([("o1", "m"), ("m", "o2")])
    >>> for n, kind in (("o1", "organisation"), ("o2", "organisation"), ("m", "meeting")):
    ...     full.nodes[n]["type"] = kind
    >>> [h["to"] for h in chain(full, nx.Graph, "o1", "o2")]
    ['m', 'o2']
    """
    codes = set(regions)
    for name, end in (("from", source), ("to", target)):
        if end not in codes and end not in full:
            raise UnknownEnd(name)
    organisation_end = any(end not in codes and full.nodes[end].get("type") != "partnership"
                           for end in (source, target))
    G = full if organisation_end else partnerships()
    ends = [in_region(G, end) if end in codes else {end} for end in (source, target)]
    return path_between(G, ends[0], ends[1])


def in_region(G: nx.Graph, region: str) -> set[str]:
    """The nodes (organisations, partnerships) of a region."""
    return {n for n, r in G.nodes(data="regions") if region in (r or [])}


def region_link_path(P: nx.Graph, region_a: str, region_b: str) -> list[dict[str, Any]] | None:
    """The shortest chain from any partnership of one region to any of another (None if none)."""
    return path_between(P, in_region(P, region_a), in_region(P, region_b))


# What managers mean by cooperation: meeting (organising or attending one together) and exchanges that
# the counterpart confirmed. Shared members and a shared project are structure; an unconfirmed exchange
# is a claim. They are shown, and can be counted on request, but by default they lift no isolation.


def isolated_partnerships(P: nx.Graph, also: Iterable[str] = ()) -> list[str]:
    """Partnerships with no inter-regional cooperation link (a joint meeting or a confirmed exchange).

    ``also`` counts more link kinds as cooperation (any of :data:`ALSO_COUNTABLE`).

    >>> P = nx.Graph()
    >>> P.add_node("a", regions=["18"]); P.add_node("b", regions=["18"]); P.add_node("c", regions=["12"])
    >>> P.add_edge("a", "c", kinds=["co_organised"]); P.add_edge("b", "c", kinds=["shared_member"])
    >>> isolated_partnerships(P), isolated_partnerships(P, also=["shared_member"])
    (['b'], [])
    """
    return isolated_of(Links.from_graph(P), also)


def isolated_of(links: Links, also: Iterable[str] = ()) -> list[str]:
    """:func:`isolated_partnerships` of a partnership view's :class:`Links`."""
    also = tuple(also)
    unknown = set(also) - set(ALSO_COUNTABLE)
    if unknown:
        raise ValueError(f"cannot count as cooperation: {', '.join(sorted(unknown))}")
    return list(links.isolated(also))


def _isolated(links: Links, also: tuple[str, ...]) -> list[str]:
    # in arrays, each node's regions as bits: a partner from elsewhere has a region the other has not (at 2,000
    # partnerships and 208,645 cooperation links 1 ms, where a set difference per link took 35-70 ms)
    cooperating = links.cooperating([*COOPERATION_KINDS, *also])
    home, first, second = links.home, links.first[cooperating], links.second[cooperating]
    linked = np.zeros(len(links.nodes), dtype=bool)
    linked[first[(home[second] & ~home[first]) != 0]] = True
    linked[second[(home[first] & ~home[second]) != 0]] = True
    return sorted(node for node, found in zip(links.nodes, linked.tolist(), strict=True) if not found)


def uncovered_regions(P: nx.Graph) -> list[str]:
    """Voivodeships (TERYT codes) that no partnership in the view calls home.

    >>> P = nx.Graph(); P.add_node("a", regions=[code for code in VOIVODESHIPS if code != "08"])
    >>> uncovered_regions(P)
    ['08']
    """
    return _uncovered(regions or () for _, regions in P.nodes(data="regions"))


def uncovered_of(links: Links) -> list[str]:
    """:func:`uncovered_regions` of a partnership view's :class:`Links`."""
    return _uncovered(links.regions)


def _uncovered(regions: Iterable[Iterable[str]]) -> list[str]:
    covered = {code for codes in regions for code in codes}
    return [code for code in VOIVODESHIPS if code not in covered]


def summary(P: nx.Graph, also: Iterable[str] = ()) -> dict[str, Any]:
    """Headline figures of a partnership view, e.g. for a trend over time."""
    return _summary(Links.from_graph(P), also)


def _summary(links: Links, also: Iterable[str]) -> dict[str, Any]:
    n, m = len(links.nodes), len(links.first)
    return {
        "partnerships": n,
        "links": m,
        "density": (0 if m == 0 else m / (n * (n - 1)) * 2) if n > 1 else 0.0,  # as networkx.density has it
        "components": _components(links),
        "isolated_partnerships": len(isolated_of(links, also)),
        "uncovered_regions": len(uncovered_of(links)),
    }


def _components(links: Links) -> int:
    """How many connected parts (scipy's, from the arrays: at 2,000 partnerships and 273,972 links 3 ms, where
    rustworkx took 38 ms and needed :attr:`Links.structure` made first, 0.16 s more for the quarterly trend's points).
    """
    n = len(links.nodes)
    if not n:
        return 0
    adjacency = sparse.csr_array((np.ones(len(links.first), dtype=np.int8), (links.first, links.second)), shape=(n, n))
    count, _ = connected_components(adjacency, directed=False)
    return int(count)


def metrics(P: nx.Graph, also: Iterable[str] = (), betweenness: bool = True) -> dict[str, Any]:
    """Every measure of a partnership view at once: what ``/api/graph/metrics`` and ``hub graph metrics`` show;
    without ``betweenness`` (the slowest) if it is false.

    >>> sorted(metrics(nx.Graph()))[:3]
    ['articulation_points', 'betweenness_centrality', 'bridges']
    >>> "betweenness_centrality" in metrics(nx.Graph(), betweenness=False)
    False
    """
    return metrics_of(Links.from_graph(P), also, betweenness)


def metrics_of(links: Links, also: Iterable[str] = (), betweenness: bool = True) -> dict[str, Any]:
    """:func:`metrics` of a partnership view's :class:`Links` (made from the fold in columns, no graph needed)."""
    also = list(also)
    between = {"betweenness_centrality": _betweenness(links, 42)} if betweenness else {}
    return {
        "isolation_counts": [*COOPERATION_KINDS, *also],
        "summary": _summary(links, also),
        "degree_centrality": _degree(links),
        **between,
        "communities": _communities(links, 42) if links.nodes else {},
        "bridges": _bridges(links),
        "articulation_points": _articulation_points(links),
        "isolated_partnerships": isolated_of(links, also),
        "uncovered_regions": uncovered_of(links),
    }


def trend(view_at: Callable[[date], nx.Graph], days: Iterable[date],
          metric: Callable[[nx.Graph], Any] = summary) -> list[tuple[date, Any]]:
    """``metric`` computed on the view valid at each day, to draw a trend.

    ``view_at(day)`` gives the partnership view for that day (any ``as_of``).
    """
    return [(day, metric(view_at(day))) for day in days]
