"""Indicators per region and per partnership, counted over business time.

Meetings held, experience exchanges (and how many are confirmed),
qualifications submitted to the register and included in it, and certifying
institutions authorised — each counted when its business date falls in
``[start, end]``. A meeting counts for its organisers' home regions, an
exchange for the poster's region, an initiative for its partnership's regions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from hub.exchange import ExperienceExchange
from hub.initiative import QualificationInitiative
from hub.meeting import HELD, Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.regions import REGIONS
from projections.graph import PartnerGraph

COUNTS = ("meetings_held", "attendance", "exchanges", "exchanges_confirmed", "qualifications_submitted",
          "qualifications_included", "certifying_institutions")


def _within(day: date | None, start: date | None, end: date | None) -> bool:
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def indicators(graph: PartnerGraph, start: date | None = None, end: date | None = None,
               by: str = "region") -> list[dict[str, Any]]:
    """Rows of counts per region (``by="region"``) or per partnership (``by="partnership"``).

    >>> indicators(PartnerGraph())[0]["meetings_held"]
    0
    """
    if by not in ("region", "partnership"):
        raise ValueError("by is 'region' or 'partnership'")
    partnerships = {p.id: p for p in graph.records(Partnership)}
    organisations = {o.id: o for o in graph.records(Organisation)}
    rows: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))

    def keys_of_partnerships(ids: list[UUID]) -> set[Any]:
        if by == "partnership":
            return {pid for pid in ids if pid in partnerships}
        return {code for pid in ids if pid in partnerships for code in partnerships[pid].regions}

    def add(keys: set[Any], counter: str, n: int = 1) -> None:
        for key in keys:
            rows[key][counter] += n

    for m in graph.records(Meeting):
        if m.status == HELD and _within(m.held_on, start, end):
            keys = keys_of_partnerships(m.organisers)
            add(keys, "meetings_held")
            add(keys, "attendance", m.attendance or 0)
    member_of: dict[UUID, list[UUID]] = defaultdict(list)
    for p in partnerships.values():
        for oid in p.members:
            member_of[oid].append(p.id)
    for x in graph.records(ExperienceExchange):
        if x.retracted or not _within(x.exchanged_on, start, end):
            continue
        poster = organisations.get(x.organisation_id)
        keys = set(member_of[x.organisation_id]) if by == "partnership" else ({poster.region} if poster else set())
        add(keys, "exchanges")
        if x.confirmed:
            add(keys, "exchanges_confirmed")
    for q in graph.records(QualificationInitiative):
        keys = keys_of_partnerships([q.partnership_id])
        if _within(q.submitted_on, start, end):
            add(keys, "qualifications_submitted")
        if _within(q.included_on, start, end):
            add(keys, "qualifications_included")
        add(keys, "certifying_institutions",
            sum(1 for c in q.certifying_institutions if _within(c["authorised_on"], start, end)))

    if by == "region":
        return [{"region": code, "name": name, **rows[code]} for code, name in REGIONS.items()]
    return sorted(({"partnership": str(pid), "name": p.name, **rows[pid]} for pid, p in partnerships.items()),
                  key=lambda r: r["name"])
