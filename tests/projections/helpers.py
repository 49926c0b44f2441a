"""Helpers for graph tests: compare snapshots exactly."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import combinations
from typing import Any

import networkx as nx

from projections.exports import node_link
from projections.graph import link_kinds_for, visible_attrs


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


def reference_partnership_links(view: nx.MultiGraph, kinds: Iterable[str] | None = None, *, reasons: bool = True
                                ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """The partnership view's links folded in plain Python, one edge and one pair at a time: the fold as it was
    before it moved to columns (``projections.columns``), kept as the oracle the columns must equal."""
    wanted = link_kinds_for(kinds) if kinds is not None else None
    G, show_node, _ = view.visible
    member_of: dict[str, set[str]] = {}
    links = []
    meetings: dict[str, dict[str, Any]] = {}  # meeting → its organisers, attendees, record and title
    in_project: dict[str, set[str]] = {}  # project → its partnerships
    # A membership's and a project's record is the partnership, a meeting's edges' the meeting.
    for u, v, data in reference_visible_edges(view):
        kind = data["kind"]
        if kind == "membership":
            partnership = data["record"]
            member_of.setdefault(v if u == partnership else u, set()).add(partnership)
        elif kind == "project":
            partnership = data["record"]
            in_project.setdefault(v if u == partnership else u, set()).add(partnership)
        elif kind in ("organised", "attended"):
            meeting, party = (u, v) if u == data["record"] else (v, u)
            entry = meetings.setdefault(meeting, {"organised": set(), "attended": set(), "label": data["label"]})
            entry[kind].add(party)
        else:
            links.append((u, v, {"kind": kind, "via": data["record"], "label": data.get("label", "")}))
    P: dict[str, dict[str, Any]] = {}  # the partnerships shown
    labels: dict[str, str] = {}
    for node in G:
        if show_node(node):
            attrs = visible_attrs(view, node, view.moment.as_of)
            labels[node] = attrs.get("name", node)
            if attrs["type"] == "partnership":
                P[node] = attrs
    for meeting, entry in meetings.items():
        organisers = sorted(entry["organised"])
        if len(organisers) > 1:
            reason = {"kind": "co_organised", "via": meeting, "label": entry["label"]}
            links.extend((a, b, reason) for a, b in combinations(organisers, 2))
        if organisers and entry["attended"]:
            reason = {"kind": "attended", "via": meeting, "label": entry["label"]}
            links.extend((attendee, organiser, reason)
                         for attendee in sorted(entry["attended"]) for organiser in organisers)

    # Links are gathered in a dict and given to the graph at once, not looked up through P.has_edge,
    # P.add_edge and P.edges[a, b] for each of their reasons. A reason is one dict, shared by every pair it links
    # (a dict per pair was a fifth of the fold).
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(a: str, b: str, reason: dict[str, Any]) -> None:
        if a == b:
            return
        pair = (a, b) if a < b else (b, a)
        attrs = found.get(pair)
        if attrs is None:
            found[pair] = ({"reasons": [reason], "kinds": [reason["kind"]], "weight": 1, "source": pair[0],
                            "target": pair[1]} if reasons else
                           {"kinds": [reason["kind"]], "weight": 1, "source": pair[0], "target": pair[1]})
            return
        if reasons:
            attrs["reasons"].append(reason)
        if reason["kind"] not in attrs["kinds"]:
            attrs["kinds"].append(reason["kind"])
        attrs["weight"] += 1

    for groups, kind in ((member_of, "shared_member"), (in_project, "same_project")):
        if wanted is not None and kind not in wanted:
            continue
        for group, partnerships in groups.items():
            if len(partnerships) > 1:
                reason = {"kind": kind, "via": group, "label": labels[group]}
                for a, b in combinations(sorted(partnerships), 2):
                    add(a, b, reason)
    none: set[str] = set()
    for u, v, reason in links:
        if wanted is not None and reason["kind"] not in wanted:
            continue
        side_u = (u,) if u in P else member_of.get(u, none)
        side_v = (v,) if v in P else member_of.get(v, none)
        for a in side_u:
            for b in side_v:
                add(a, b, reason)
    return P, found


def reference_visible_edges(view: nx.MultiGraph) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The edges a view shows, each version judged in Python by the view's own rules, in the order recorded: as
    they were read before the history in columns, kept as the oracle."""
    _, show_node, show_edge = view.visible
    for u, v, key, data in view.columns[3]:
        if show_edge(u, v, key) and show_node(u) and show_node(v):
            yield u, v, data
