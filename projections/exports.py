"""Exports for Gephi and scripts: node-link JSON, GraphML and GEXF (with business dates).

GraphML and GEXF hold only scalar attributes, so lists are joined with commas,
dates written as ISO dates, missing values left out and edge ``reasons`` kept
as a JSON string. GEXF nodes and edges carry ``start``/``end`` from business
time, so Gephi's timeline works without hand-entered intervals.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
import numpy as np

from hub.dates import day_of
from hub.log import json_bytes, plain
from projections.columns import Folded
from projections.graph import EdgeVersions, partnership_fold, shown_nodes, visible_edge_rows
from projections.kinds import FORMATS


def _node_link_data(G: nx.Graph) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    data["graph"] = {k: (None if v == float("inf") else v) for k, v in data["graph"].items()}
    return data


def node_link(G: nx.Graph) -> dict[str, Any]:
    """Node-link JSON (networkx's format, ``edges`` key), with dates and ids as strings."""
    answer: dict[str, Any] = plain(_node_link_data(G))
    return answer


def node_link_json(G: nx.Graph) -> bytes:
    """:func:`node_link` as compact UTF-8 JSON, written without building the plain copy first.

    >>> node_link_json(nx.Graph([("Rzeszów", "Kraków")]))[:46]
    b'{"directed":false,"multigraph":false,"graph":{'
    """
    return json_bytes(_node_link_data(G))


def _moment_attrs(moment: Any) -> dict[str, Any]:
    """A view's moment as a node-link document's ``graph``: record time (null: as known now) and business day."""
    return {"as_of": None if moment.as_of == float("inf") else moment.as_of, "valid_at": moment.valid_at}


def links_json(moment: Any, partnerships: dict[str, dict[str, Any]],
               links: dict[tuple[str, str], dict[str, Any]]) -> bytes:
    """``node_link_json`` of the partnership view from :func:`projections.graph.partnership_links`, without the
    graph: the same document up to the order of links, each link's ends in id order (as the current answers
    have them, ``projections.current``).

    >>> from projections.graph import Moment
    >>> links_json(Moment(), {"p": {"type": "partnership"}}, {})
    b'{"directed":false,"multigraph":false,"graph":{"as_of":null,"valid_at":null},"nodes":[{"type":"partnership","id":"p"}],"edges":[]}'
    """
    return json_bytes({"directed": False, "multigraph": False, "graph": _moment_attrs(moment),
                       "nodes": [{**attrs, "id": node} for node, attrs in partnerships.items()],
                       "edges": list(links.values())})


def links_columns_json(moment: Any, partnerships: dict[str, dict[str, Any]], folded: Folded) -> bytes:
    """The partnership view's answer with its links in columns (``format=columns``): ``links.source`` and
    ``links.target`` are positions in ``nodes``, ``links.kinds`` a position in ``kinds`` (each set of kinds once).

    Why: the page asks for a moment's whole view at every move of a slider, and chromium took 80–150 ms to read
    the 3.8 MB of a late moment's node-link answer at 1,000 partnerships (after the transfer: JSON.parse alone
    took 7–20 ms), most of a record-time change's ~180 ms of data. In columns the same links take a fifth of the
    text (the ids of their ends written once, with the nodes). They are written from the fold's columns as they
    are (:class:`projections.columns.Folded`), without a dict per link.

    >>> from projections.graph import Moment, PartnerGraph, partnership_fold
    >>> links_columns_json(Moment(), *partnership_fold(PartnerGraph().view()))[-68:]
    b'"links":{"source":[],"target":[],"weight":[],"kinds":[]},"kinds":[]}'
    """
    numbers = np.array([folded.number(node) for node in partnerships], dtype=np.int64)
    index = np.zeros(len(folded.ids), dtype=np.int64)
    index[numbers] = np.arange(len(numbers))
    columns = {"source": index[folded.source].tolist(), "target": index[folded.target].tolist(),
               "weight": folded.weight.tolist(), "kinds": folded.kindset.tolist()}
    return json_bytes({"directed": False, "multigraph": False, "graph": _moment_attrs(moment),
                       "nodes": [{**attrs, "id": node} for node, attrs in partnerships.items()],
                       "links": columns, "kinds": [list(kinds) for kinds in folded.kindsets]})


def full_view_json(graph: Any, as_of: Any = None, valid_at: date | None = None, **filters: Any) -> bytes:
    """The full view of a :class:`projections.graph.PartnerGraph` at a moment, filtered, as node-link JSON:
    ``node_link_json(materialise(view))`` (the same document up to the order of lists), read from the view's rows
    in columns under the graph's lock and written outside it, without a networkx graph in between.

    Why: at 99,527 events the full view as of the log's end took 0.57 s to materialise and 0.55 s more to walk
    into node-link JSON (64 MB); written from the rows, 0.49 s in all (as of the middle of the log 0.81 → 0.35 s).

    >>> from projections.graph import PartnerGraph
    >>> full_view_json(PartnerGraph())
    b'{"directed":false,"multigraph":true,"graph":{"as_of":null,"valid_at":null},"nodes":[],"edges":[]}'
    """
    def read() -> tuple[Any, list[tuple[str, dict[str, Any]]], EdgeVersions, list[int]]:
        view = graph.view(as_of, valid_at, **filters)
        shown, version = shown_nodes(view)
        cols, _, _, versions = view.columns
        nodes = [(cols.ids[n], cols.nv_attrs[version[n]]) for n in np.flatnonzero(shown).tolist()]
        return view.moment, nodes, versions, visible_edge_rows(view).tolist()

    # outside the lock: what an edge version shows never changes (only when it ends, which the answer does not say)
    moment, nodes, versions, rows = graph.locked(read)
    return json_bytes({"directed": False, "multigraph": True, "graph": _moment_attrs(moment),
        "nodes": [{**attrs, "id": node} for node, attrs in nodes], "edges": list(map(versions.edge_object, rows))})


def partnership_view_json(graph: Any, as_of: Any = None, valid_at: date | None = None,
                          kinds: list[str] | None = None, reasons: bool = True, columns: bool = False,
                          **filters: Any) -> bytes:
    """The partnership view of a :class:`projections.graph.PartnerGraph` at a moment, filtered, as node-link JSON:
    folded under the graph's lock, written outside it (:func:`links_json`); with ``columns``, its links without
    reasons in columns (:func:`links_columns_json`).

    >>> from projections.graph import PartnerGraph
    >>> partnership_view_json(PartnerGraph())[-22:]
    b'"nodes":[],"edges":[]}'
    """
    def fold() -> tuple[Any, tuple[dict[str, dict[str, Any]], Folded]]:
        view = graph.view(as_of, valid_at, kinds=kinds, folded=True, **filters)
        return view.moment, partnership_fold(view, kinds=kinds, reasons=reasons and not columns)

    moment, (partnerships, folded) = graph.locked(fold)
    if columns:
        return links_columns_json(moment, partnerships, folded)
    return links_json(moment, partnerships, folded.links())


def _scalar(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        if all(isinstance(v, str) for v in value):
            return ",".join(value)
        return json.dumps(plain(list(value)), ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(plain(value), ensure_ascii=False)
    return value


def flat(G: nx.Graph, dynamic: bool = False, positions: dict[str, tuple[float, float]] | None = None) -> nx.Graph:
    """A copy with scalar attributes only; with ``dynamic``, business dates as ``start``/``end``;
    with ``positions``, GEXF's ``viz:position`` (y grows upwards in Gephi, downwards on screen)."""
    H = G.__class__()
    for node, data in G.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None and v != float("inf")}
        attrs.setdefault("label", data.get("name", node))
        if dynamic:
            _interval(attrs, data)
        if positions and node in positions:
            x, y = positions[node]
            attrs["viz"] = {"position": {"x": x, "y": -y, "z": 0.0}}
        H.add_node(node, **attrs)
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, key, data in edges:
        attrs = {k: _scalar(v_) for k, v_ in data.items() if v_ is not None}
        if dynamic:
            _interval(attrs, data)
        if key is None:
            H.add_edge(u, v, **attrs)
        else:
            H.add_edge(u, v, key=key, **attrs)
    return H


def _interval(attrs: dict[str, Any], data: dict[str, Any]) -> None:
    attrs.pop("valid_from", None)
    attrs.pop("valid_to", None)
    # GEXF intervals are days: a date known to a month or year stands for its first day when it starts
    # something and its last day when it ends something (hub.dates); the attributes keep the text as given.
    if data.get("valid_from") is not None:
        attrs["start"] = day_of(data["valid_from"])
    if data.get("valid_to") is not None:
        attrs["end"] = day_of(data["valid_to"])


def write(G: nx.Graph, fmt: str, path: str | Path | BinaryIO,
          positions: dict[str, tuple[float, float]] | None = None) -> None:
    """Write ``G`` as ``json``, ``graphml`` or ``gexf`` (UTF-8, Polish text intact) to a file or a binary stream;
    GEXF carries ``positions`` when given, so Gephi opens the hub's picture."""
    if fmt == "json":
        data = json.dumps(node_link(G), ensure_ascii=False, indent=1).encode("utf-8")
        if isinstance(path, (str, Path)):
            Path(path).write_bytes(data)
        else:
            path.write(data)
    elif fmt == "graphml":
        nx.write_graphml(flat(G), path, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(flat(G, dynamic=True, positions=positions), path, encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def frames(moments: list[tuple[date, nx.Graph]]) -> dict[str, Any]:
    """One node-link document for a sequence of graphs (business time played step by step): every node
    and edge once (as last seen), and per moment the indexes of those shown then.

    >>> f = frames([(date(2021, 1, 1), nx.Graph([("x", "y")])), (date(2022, 1, 1), nx.Graph([("z", "y")]))])
    >>> [n["id"] for n in f["nodes"]], [(e["source"], e["target"]) for e in f["edges"]]
    (['x', 'y', 'z'], [('x', 'y'), ('z', 'y')])
    >>> f["frames"][1]
    {'day': '2022-01-01', 'nodes': [2, 1], 'edges': [1]}
    """
    nodes: dict[str, int] = {}
    edges: dict[tuple[Any, ...], int] = {}
    node_list: list[dict[str, Any]] = []
    edge_list: list[dict[str, Any]] = []
    shown = []
    for day, G in moments:
        data = node_link(G)
        here_nodes, here_edges = [], []
        for node in data["nodes"]:
            index = nodes.setdefault(node["id"], len(node_list))
            if index == len(node_list):
                node_list.append(node)
            node_list[index] = node
            here_nodes.append(index)
        for edge in data["edges"]:
            identity = (*sorted((edge["source"], edge["target"])), edge.get("key"))
            index = edges.setdefault(identity, len(edge_list))
            if index == len(edge_list):
                edge_list.append(edge)
            edge_list[index] = edge
            here_edges.append(index)
        shown.append({"day": day.isoformat(), "nodes": here_nodes, "edges": here_edges})
    return {"nodes": node_list, "edges": edge_list, "frames": shown}
