"""Where each node of the partner graph is drawn: grouped by region, placed where the region lies, never moved.

Why not a force layout: networkx's ForceAtlas2 takes 3.6 s for the partnership view of
1,000 partnerships (52,931 links) on this machine, and any force layout moves every node
when one is added, so a manager cannot see what changed between two moments. Here each
region has a fixed centre — its place on :data:`GRID`, which the region map (``/map``) draws as
tiles too, roughly where the voivodeship lies — and its partnerships and organisations
fill a sunflower spiral around it (partnerships on the even places, organisations on the odd
ones) in the order the hub first recorded them.
A new record takes the next free place of its region's spiral: nothing already drawn moves,
and filters or either time axis only show or hide nodes. A meeting (which belongs to no
region) sits beside its first organiser. Positions for 7,000 nodes take 28 ms here.

The same positions go into GEXF (``viz:position``), so Gephi opens the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from hub.log import json_bytes
from hub.regions import REGIONS

# (column, row) of each voivodeship, north at the top; supra-regional ("PL") to the right.
GRID = {
    "32": (0, 0), "22": (1, 0), "28": (2, 0), "20": (3, 0),
    "08": (0, 1), "30": (1, 1), "04": (2, 1), "14": (3, 1),
    "02": (0, 2), "10": (1, 2), "26": (2, 2), "06": (3, 2),
    "16": (0, 3), "24": (1, 3), "12": (2, 3), "18": (3, 3),
    "PL": (4, 1.5),
}
SPACING = 1000.0  # between region centres
STEP = 22.0  # sunflower: the n-th node of a region at radius STEP·√n
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def region_centre(code: str | None) -> tuple[float, float]:
    """The centre of a region's cluster (unknown regions share the supra-regional spot).

    >>> region_centre("32"), region_centre("18")
    ((0.0, 0.0), (3000.0, 3000.0))
    """
    col, row = GRID.get(code or "PL", GRID["PL"])
    return col * SPACING, row * SPACING


def spiral(centre: tuple[float, float], n: int) -> tuple[float, float]:
    """The ``n``-th place (from 0) of a sunflower spiral around ``centre``: evenly filled, never overlapping.

    >>> spiral((0.0, 0.0), 0)
    (0.0, 0.0)
    """
    r = STEP * math.sqrt(n)
    return round(centre[0] + r * math.cos(n * GOLDEN_ANGLE), 1), round(centre[1] + r * math.sin(n * GOLDEN_ANGLE), 1)


def positions(nodes: Iterable[tuple[str, dict[str, Any]]],
              first_organiser: dict[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """Positions for ``nodes`` — (id, attributes) in the order first recorded.

    Partnerships take the even places of their home region's spiral, organisations the odd
    ones, each in the order first recorded — so a new record of either kind moves nothing;
    a meeting sits beside its first organiser (``first_organiser``: meeting → organiser).

    >>> pos = positions([("p1", {"type": "partnership", "region": "18"}),
    ...                  ("o1", {"type": "organisation", "region": "18"}),
    ...                  ("m1", {"type": "meeting"})], {"m1": "p1"})
    >>> pos["p1"], pos["o1"] != pos["p1"], pos["m1"] != pos["p1"]
    ((3000.0, 3000.0), True, True)
    """
    nodes = list(nodes)
    found: dict[str, tuple[float, float]] = {}
    used: dict[tuple[str, bool], int] = {}
    for node, attrs in nodes:
        if attrs.get("type") == "meeting":
            continue
        region = attrs.get("region") or "PL"
        region = region if region in GRID else "PL"
        kind = (region, attrs.get("type") == "partnership")
        n = used.get(kind, 0)
        used[kind] = n + 1
        found[node] = spiral(region_centre(region), 2 * n + (0 if kind[1] else 1))
    for i, (node, _attrs) in enumerate(n for n in nodes if n[1].get("type") == "meeting"):
        anchor = found.get((first_organiser or {}).get(node, ""), region_centre(None))
        angle = i * GOLDEN_ANGLE
        found[node] = round(anchor[0] + 14 * math.cos(angle), 1), round(anchor[1] + 14 * math.sin(angle), 1)
    return found


def graph_positions(graph: Any) -> dict[str, tuple[float, float]]:
    """:func:`positions` of every node a :class:`projections.graph.PartnerGraph` knows; kept while the network stays."""
    def compute() -> dict[str, tuple[float, float]]:
        with graph.lock:
            nodes = [(node, attrs) for node in graph.G if (attrs := graph.node(node)) is not None]
            organisers = {node: graph.neighbour(node, "organised") for node, attrs in nodes
                          if attrs.get("type") == "meeting"}
        return positions(nodes, organisers)

    found: dict[str, tuple[float, float]] = graph.memo(("positions",), compute)
    return found


def positions_json(graph: Any) -> bytes:
    """:func:`graph_positions` and each region's centre and name, as the JSON ``/api/graph/positions`` sends: made
    once per version of the network (300 KB at 1,000 partnerships, serialised again for each page before).

    >>> from projections.graph import PartnerGraph
    >>> positions_json(PartnerGraph())[:16]
    b'{"positions":{},'
    """
    def write() -> bytes:
        regions = {code: {"x": x, "y": y, "name": REGIONS.get(code, code)}
                   for code in GRID for x, y in [region_centre(code)]}
        return json_bytes({"positions": graph_positions(graph), "regions": regions})

    found: bytes = graph.memo(("positions_json",), write)
    return found
