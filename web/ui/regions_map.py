"""The map of the sixteen voivodeships: a tile grid, drawn on the server as SVG, with a table of the same data.

Why a tile grid: no openly licensed voivodeship geometry could be vendored on this machine
(only package registries are reachable, and Highcharts' map collection needs a commercial
licence). Sixteen equal tiles placed roughly where the regions lie also keep small regions
(opolskie) as readable as large ones. Colour shows active partnerships; every tile also
prints its numbers and an uncovered region is hatched and says so, so nothing is carried by
colour alone. The data is :func:`projections.regional.regions_at`, the same as ``/api/map``.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from hub.moments import parse_as_of
from hub.regions import VOIVODESHIPS
from projections.layout import GRID
from projections.regional import regions_at
from web.context import read_models
from web.ui.common import business_day

bp = Blueprint("map", __name__)

# The voivodeships' places: the same grid the partner graph groups its clusters on (one home).
TILES = {code: (int(col), int(row)) for code, (col, row) in GRID.items() if code in VOIVODESHIPS}
TILE_W, TILE_H, GAP = 196, 112, 10
# The strongest links between regions are drawn, every link is in the table: at 1,000 partnerships all
# 120 pairs are linked and drawing them all covered the tiles.
ARCS_DRAWN = 15
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # ColorBrewer Blues: light → dark
SORTABLE = ("name", "partnerships", "meetings_held", "exchanges", "inter_regional_links")


def _step(n: int, top: int) -> int:
    """The palette step of a count (1–5) on a scale up to ``top``; 0 for none."""
    return 0 if n == 0 else max(1, math.ceil(len(PALETTE) * n / max(top, 1)))


def layout(answer: dict[str, Any]) -> dict[str, Any]:
    """Tiles, arcs and the legend of the map, in SVG coordinates."""
    top = max((r["partnerships"] for r in answer["regions"]), default=0)
    tiles, centre = [], {}
    for r in answer["regions"]:
        col, row = TILES[r["code"]]
        x, y = col * (TILE_W + GAP), row * (TILE_H + GAP)
        step = _step(r["partnerships"], top)
        centre[r["code"]] = (x + TILE_W / 2, y + TILE_H / 2)
        tiles.append({**r, "x": x, "y": y, "fill": PALETTE[step - 1] if step else "url(#uncovered)",
                      "ink": "#ffffff" if step >= 4 else "#111111"})
    most = max((link["links"] for link in answer["links"]), default=0)
    strongest = sorted(answer["links"], key=lambda link: -link["links"])[:ARCS_DRAWN]
    arcs = []
    for link in strongest:
        (x1, y1), (x2, y2) = centre[link["from"]], centre[link["to"]]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        bend = 0.18  # curve to one side, so arcs between aligned regions do not run through the middle tile
        arcs.append({**link, "d": f"M{x1:.0f},{y1:.0f} Q{mx - dy * bend:.0f},{my + dx * bend:.0f} {x2:.0f},{y2:.0f}",
                     "width": round(1.5 + 7 * math.sqrt(link["links"] / most), 1)})
    bounds = [math.ceil(top * i / len(PALETTE)) for i in range(len(PALETTE) + 1)]
    legend = [{"fill": PALETTE[i], "low": bounds[i] + 1 if i else 1, "high": bounds[i + 1]}
              for i in range(len(PALETTE)) if bounds[i + 1] >= (bounds[i] + 1 if i else 1)]
    return {"tiles": tiles, "arcs": arcs, "legend": legend, "most": most, "all_links": len(answer["links"]),
            "tile_w": TILE_W, "tile_h": TILE_H,
            "width": 4 * TILE_W + 3 * GAP, "height": 4 * TILE_H + 3 * GAP}


@bp.get("/map")
def regions_map() -> tuple[str, int]:
    """The map on both time axes: ``valid_at`` (business date) and ``as_of`` (record time)."""
    asked = request.args.get("valid_at") or None
    day, notice, errors = business_day(asked, "valid_at")
    as_of_text = request.args.get("as_of") or None
    as_of = None
    if as_of_text:
        try:
            as_of = parse_as_of(as_of_text)
        except ValueError as error:
            errors["as_of"] = [str(error)]
    sort = request.args.get("sort", "name")
    if sort not in SORTABLE:
        errors["sort"] = [_("Sort by one of: %(columns)s.", columns=", ".join(SORTABLE))]
    if errors:  # never a map of another moment than the one asked for
        page = render_template("map.html", day=day, asked=asked, notice=None, errors=errors, as_of=as_of_text,
                               drawing=None, rows=[], links=[], sort="name", sortable=SORTABLE, uncovered=[])
        return page, 422
    answer = regions_at(read_models(), as_of, day)
    rows = sorted(answer["regions"], key=lambda r: r["name"] if sort == "name" else -r[sort])
    names = {r["code"]: r["name"] for r in answer["regions"]}
    links = sorted(({**link, "from_name": names[link["from"]], "to_name": names[link["to"]]}
                    for link in answer["links"]), key=lambda link: -link["links"])
    page = render_template("map.html", day=day, asked=asked, notice=notice, errors={}, as_of=as_of_text,
                           drawing=layout(answer), rows=rows, links=links, sort=sort, sortable=SORTABLE,
                           uncovered=[r for r in answer["regions"] if r["uncovered"]])
    return page, 200
