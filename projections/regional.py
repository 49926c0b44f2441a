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
from collections.abc import Mapping
from datetime import date
from itertools import product
from typing import Any

import networkx as nx
import numpy as np

from hub.meeting import HELD
from hub.regions import VOIVODESHIPS
from projections import columns
from projections.columns import Folded
from projections.graph import PartnerGraph, partnership_fold, shown_nodes, visible_edge_rows
from projections.kinds import COOPERATION_KINDS


def regional_map(view: nx.MultiGraph, partnerships: Mapping[str, dict[str, Any]], folded: Folded,
                 until: date | None = None) -> dict[str, Any]:
    """Counts per voivodeship and the links between them.

    ``partnerships`` and ``folded`` are the partnership view on the day shown (:func:`partnership_fold`): its
    partnerships are those in force; meetings and exchanges are read from ``view``, a view of all business time, up
    to ``until``: a meeting held by a partnership that has since expired still counts for its regions.

    Everything is read from the graph's history in columns and the fold, not from networkx graphs: at 1,000
    partnerships the map as of now took 0.19-0.25 s after each write when the partnership view was made a networkx
    graph (0.10 s of it) and each node of the view was judged again.

    >>> from projections.graph import PartnerGraph, partnership_fold
    >>> view = PartnerGraph().view()
    >>> answer = regional_map(view, *partnership_fold(view, reasons=False))
    >>> len(answer["regions"]), answer["regions"][0]["code"], answer["links"]
    (16, '02', [])
    """
    cols = view.columns[0]
    shown, version = shown_nodes(view)
    node_attrs = cols.nv_attrs
    regions_of: dict[int, list[str]] = {}  # by number
    held: set[int] = set()  # meetings held as known then (a meeting's links carry no status)
    for n in np.flatnonzero(shown).tolist():
        attrs = node_attrs[version[n]]
        regions_of[n] = attrs.get("regions") or []
        if attrs["type"] == "meeting" and attrs["status"] == HELD:
            held.add(n)
    counted = Counter(code for attrs in partnerships.values() for code in attrs["regions"])
    meetings: dict[str, set[int]] = {code: set() for code in VOIVODESHIPS}
    exchanges: dict[str, set[int]] = {code: set() for code in VOIVODESHIPS}
    # the edges' numbers, not their attributes (made when asked for: :class:`projections.graph.EdgeVersions`): the map
    # as of now at 99,527 events 0.46-0.49 s, as when each version's attributes were kept; 0.63-0.66 s making them
    edges = columns.edge_table(cols, visible_edge_rows(view))
    if until is not None:  # an edge of no first day is in no quarter
        first = edges[:, columns.VALID_FROM]
        edges = edges[(first != -columns.OPEN) & (first <= until.toordinal())]
    kind = edges[:, columns.KIND]
    organised = edges[kind == cols.kind_code["organised"]]
    for u, v, record in organised[:, [columns.U, columns.V, columns.RECORD]].tolist():
        if record in held:
            for code in regions_of.get(v if u == record else u, ()):
                meetings.get(code, set()).add(record)
    exchanged = edges[(kind == cols.kind_code["exchange_confirmed"]) | (kind == cols.kind_code["exchange_unconfirmed"])]
    for u, v, record in exchanged[:, [columns.U, columns.V, columns.RECORD]].tolist():
        for code in {*regions_of.get(u, ()), *regions_of.get(v, ())}:
            exchanges.get(code, set()).add(record)
    links = _region_links(partnerships, folded)
    linked: Counter[str] = Counter()
    for pair, n in links.items():
        for code in pair:
            linked[code] += n
    return {
        "regions": [{"code": code, "name": name, "partnerships": counted[code],
                     "meetings_held": len(meetings[code]), "exchanges": len(exchanges[code]),
                     "inter_regional_links": linked[code], "uncovered": counted[code] == 0}
                    for code, name in VOIVODESHIPS.items()],
        "links": [{"from": a, "to": b, "links": n} for (a, b), n in sorted(links.items())],
    }


def _region_links(partnerships: Mapping[str, dict[str, Any]], folded: Folded) -> Counter[tuple[str, str]]:
    """Each pair of distinct voivodeships, and how many cooperation links join a partnership at home in one to a
    partnership at home in the other (a link counts once for each such pair its ends' homes make).

    The links are counted by the homes of their ends first — most partnerships share one of a few homes — and each
    pair of homes is spelled out once: at 99,527 events (208,645 cooperation links) 0.02 s, where spelling out every
    link took 0.45 s of the map's 0.54 s.
    """
    cooperation = np.array([any(kind in COOPERATION_KINDS for kind in kinds) for kinds in folded.kindsets], dtype=bool)
    home_of: dict[tuple[str, ...], int] = {}
    numbered = np.full(len(folded.ids), -1, dtype=np.int64)  # a partnership's number → its home's
    for node, attrs in partnerships.items():
        numbered[folded.number(node)] = home_of.setdefault(tuple(attrs["regions"]), len(home_of))
    homes = list(home_of)
    shown = cooperation[folded.kindset]
    pairs = numbered[folded.source[shown]] * len(homes) + numbered[folded.target[shown]]
    links: Counter[tuple[str, str]] = Counter()
    for pair, n in zip(*(a.tolist() for a in np.unique(pairs, return_counts=True)), strict=True):
        for joined in {(x, y) if x < y else (y, x) for x, y in product(homes[pair // len(homes)],
                                                                       homes[pair % len(homes)])
                       if x != y and x in VOIVODESHIPS and y in VOIVODESHIPS}:
            links[joined] += n
    return links


def regions_at(graph: PartnerGraph, as_of: Any = None, valid_at: date | None = None) -> dict[str, Any]:
    """:func:`regional_map` of ``graph`` as known ``as_of`` about ``valid_at``; kept while writes change nothing.

    >>> regions_at(PartnerGraph())["links"]
    []
    """
    def compute() -> dict[str, Any]:
        with graph.lock:
            return regional_map(graph.view(as_of), *partnership_fold(graph.view(as_of, valid_at), reasons=False),
                                until=valid_at)

    answer: dict[str, Any] = graph.memo(("regions_at", as_of, valid_at), compute, as_of=as_of,
                                        days=None if valid_at is None else (valid_at, valid_at))
    return answer
