"""The dashboard's figures: counts per region and area, what is active, gaps, recent activity."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from hub.application import HubApplication
from hub.partnership import Partnership
from hub.regions import VOIVODESHIPS
from projections import analytics
from projections.graph import PartnerGraph, partnership_view
from projections.indicators import indicators


def overview(graph: PartnerGraph, app: HubApplication, today: date, recent: int = 10) -> dict[str, Any]:
    """Everything the dashboard shows, for business date ``today``."""
    partnerships = graph.records(Partnership)
    active = [p for p in partnerships if p.is_active_on(today)]
    per_region = Counter(code for p in partnerships for code in p.regions)
    active_per_region = Counter(code for p in active for code in p.regions)
    per_area = Counter(code for p in active for code in p.areas)
    labels = {code: a["label_pl"] for p in partnerships for code, a in p.areas.items()}
    P = graph.memo(("overview_view", today), lambda: graph.locked(lambda: partnership_view(graph.view(valid_at=today))))
    last = app.log_length()
    counts = {row["region"]: row for row in indicators(graph)}
    return {
        "today": today,
        "partnerships": len(partnerships),
        "active": sorted(active, key=lambda p: p.name),
        "regions": [{"code": code, "name": name, "partnerships": per_region[code], "active": active_per_region[code],
                     **counts[code]} for code, name in VOIVODESHIPS.items()],
        "areas": [{"code": code, "label": labels.get(code, code), "active": n} for code, n in sorted(per_area.items())],
        "uncovered_regions": [{"code": c, "name": VOIVODESHIPS[c]} for c in analytics.uncovered_regions(P)],
        "isolated": sorted((P.nodes[n] | {"id": n} for n in analytics.isolated_partnerships(P)),
                           key=lambda n: n["name"]),
        "recent": list(reversed(app.read_log(after=max(0, last - recent), limit=recent))),
    }
