"""The sixteen voivodeships at a moment: what the map draws and its table lists.

Per voivodeship: partnerships (active on ``valid_at``, or recorded when no date is
given), meetings held up to that date (counted for the regions of their organisers),
experience exchanges up to that date (for the regions of both parties) and cooperation
links to other regions.
Links between regions come from the partnership view: a partnership pair linked by a
joint meeting or a confirmed exchange (the cooperation that ends isolation, see
:func:`projections.analytics.isolated_partnerships`) counts once for every pair of
distinct regions the two partnerships are at home in.

Everything is read from one view of the bitemporal graph, so the map answers on both
time axes like the graph does.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import product
from typing import Any

import networkx as nx

from hub.meeting import HELD
from hub.regions import VOIVODESHIPS
from projections.graph import PartnerGraph, partnership_view, visible_attrs, visible_edges
from projections.kinds import COOPERATION_KINDS


def regional_map(view: nx.MultiGraph, P: nx.Graph, until: date | None = None) -> dict[str, Any]:
    """Counts per voivodeship and the links between them.

    ``P`` is the partnership view on the day shown (its partnerships are those in force); meetings
    and exchanges are read from ``view``, a view of all business time, up to ``until``: a meeting
    held by a partnership that has since expired still counts for its regions.

    >>> from projections.graph import PartnerGraph, partnership_view
    >>> view = PartnerGraph().view()
    >>> answer = regional_map(view, partnership_view(view))
    >>> len(answer["regions"]), answer["regions"][0]["code"], answer["links"]
    (16, '02', [])
    """
    at = view.moment
    regions_of: dict[str, list[str]] = {}
    held: set[str] = set()  # meetings held as known then (a meeting's links carry no status)
    for node in view.nodes:
        attrs = visible_attrs(view, node, at.as_of)
        regions_of[node] = list(attrs.get("regions") or [])
        if attrs["type"] == "meeting" and attrs["status"] == HELD:
            held.add(node)
    partnerships = Counter(code for node in P.nodes for code in P.nodes[node]["regions"])
    meetings: dict[str, set[str]] = {code: set() for code in VOIVODESHIPS}
    exchanges: dict[str, set[str]] = {code: set() for code in VOIVODESHIPS}
    for u, v, data in visible_edges(view):
        if until is not None and (data.get("valid_from") is None or data["valid_from"] > until):
            continue
        if data["kind"] == "organised" and data["record"] in held:
            party = v if u == data["record"] else u
            for code in regions_of.get(party, ()):
                meetings.get(code, set()).add(data["record"])
        elif data["kind"].startswith("exchange"):
            for code in {*regions_of.get(u, ()), *regions_of.get(v, ())}:
                exchanges.get(code, set()).add(data["record"])
    links: Counter[tuple[str, str]] = Counter()
    for a, b, data in P.edges(data=True):
        if not any(kind in COOPERATION_KINDS for kind in data["kinds"]):
            continue
        pairs = {tuple(sorted((x, y))) for x, y in product(P.nodes[a]["regions"], P.nodes[b]["regions"])
                 if x != y and x in VOIVODESHIPS and y in VOIVODESHIPS}
        links.update(pairs)
    linked = Counter(code for pair, n in links.items() for code in pair for _ in range(n))
    return {
        "regions": [{"code": code, "name": name, "partnerships": partnerships[code],
                     "meetings_held": len(meetings[code]), "exchanges": len(exchanges[code]),
                     "inter_regional_links": linked[code], "uncovered": partnerships[code] == 0}
                    for code, name in VOIVODESHIPS.items()],
        "links": [{"from": a, "to": b, "links": n} for (a, b), n in sorted(links.items())],
    }


def regions_at(graph: PartnerGraph, as_of: Any = None, valid_at: date | None = None) -> dict[str, Any]:
    """:func:`regional_map` of ``graph`` as known ``as_of`` about ``valid_at``; kept while writes change nothing.

    >>> regions_at(PartnerGraph())["links"]
    []
    """
    def compute() -> dict[str, Any]:
        with graph.lock:
            return regional_map(graph.view(as_of), partnership_view(graph.view(as_of, valid_at), reasons=False),
                                until=valid_at)

    answer: dict[str, Any] = graph.memo(("regions_at", as_of, valid_at), compute, as_of=as_of,
                                        days=None if valid_at is None else (valid_at, valid_at))
    return answer
