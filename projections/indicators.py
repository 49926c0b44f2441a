"""Indicators per region and per partnership, counted over business time.

Meetings held, experience exchanges (and how many are confirmed),
qualifications submitted to the register and included in it, and certifying
institutions authorised — each counted when its business date falls in
``[start, end]``. A meeting counts for its organisers' regions (an organisation's
region, a partnership's home regions), an exchange for the regions of all its parties
(the organisation that posted it and its counterparts: an exchange between Rzeszów and
Kraków is cooperation of both regions), an initiative for its partnership's regions.
These are the map's counts too (:mod:`projections.regional`): the dashboard counted an
exchange for the poster's region only, and showed another number than the map for the
same region and day.

Per partnership, a fact counts only from the day the partnership was signed: a
meeting it organised, an exchange one of its members (on that day) posted or was a
counterpart of, or it was a counterpart of itself, a qualification step of its
initiative. A conference an education office held years before the partnership
existed is the office's, not the partnership's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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

    Counted once per version of the network (:meth:`PartnerGraph.memo`): the dashboard shows them on every view,
    and at 99,527 events counting took ~0.2 s. The rows are shared by the readers of one version: read them, never
    change them.

    >>> indicators(PartnerGraph())[0]["meetings_held"]
    0
    """
    if by not in ("region", "partnership"):
        raise ValueError("by is 'region' or 'partnership'")
    rows: list[dict[str, Any]] = graph.memo(("indicators", start, end, by), lambda: _count(graph, start, end, by))
    return rows


def _count(graph: PartnerGraph, start: date | None, end: date | None, by: str) -> list[dict[str, Any]]:
    # Records are looked up by their ids' numbers (``UUID.int``), not by the ids: a UUID's hash and equality are
    # Python functions, ~40% of a count at 99,527 events (0.19 s), called ~480,000 times.
    partnerships = {p.id.int: p for p in graph.records(Partnership)}
    region_of = {o.id.int: o.region for o in graph.records(Organisation)}
    rows: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))

    def keys_of_partnerships(ids: Iterable[UUID], day: date) -> set[Any]:
        found = [p for p in map(partnerships.get, (pid.int for pid in ids)) if p is not None]
        if by == "partnership":
            return {p.id for p in found if p.signed_on <= day}
        return {code for p in found for code in p.regions}

    def keys_of_organisers(ids: list[UUID], day: date) -> set[Any]:
        own = {region_of[oid.int] for oid in ids if oid.int in region_of} if by == "region" else set()
        return own | keys_of_partnerships(ids, day)

    def add(keys: set[Any], counter: str, n: int = 1) -> None:
        for key in keys:
            rows[key][counter] += n

    for m in graph.records(Meeting):
        if m.status == HELD and _within(m.held_on, start, end):
            keys = keys_of_organisers(m.organisers, m.held_on)
            add(keys, "meetings_held")
            add(keys, "attendance", (m.attendance or 0) + (m.attendance_online or 0))
    memberships: dict[int, list[tuple[UUID, date, date | None]]] = defaultdict(list)  # organisation → spans
    for p in partnerships.values():
        for member in p.memberships:
            memberships[member["organisation_id"].int].append((p.id, member["joined_on"], member.get("left_on")))

    def member_of(organisation_id: UUID, day: date) -> set[Any]:
        return {pid for pid, joined, left in memberships.get(organisation_id.int, ())
                if joined <= day and (left is None or day <= left)}
    for x in graph.records(ExperienceExchange):
        if x.retracted or not _within(x.exchanged_on, start, end):
            continue
        parties = [x.organisation_id, *x.counterpart_organisations]
        if by == "partnership":
            keys = {pid for oid in parties for pid in member_of(oid, x.exchanged_on)}
        else:
            keys = {region for region in map(region_of.get, (oid.int for oid in parties)) if region is not None}
        keys |= keys_of_partnerships(x.counterpart_partnerships, x.exchanged_on)
        add(keys, "exchanges")
        if x.confirmed:
            add(keys, "exchanges_confirmed")
    for q in graph.records(QualificationInitiative):
        for counter, day in (("qualifications_submitted", q.submitted_on), ("qualifications_included", q.included_on)):
            if day is not None and _within(day, start, end):
                add(keys_of_partnerships([q.partnership_id], day), counter)
        for c in q.certifying_institutions:
            if _within(c["authorised_on"], start, end):
                add(keys_of_partnerships([q.partnership_id], c["authorised_on"]), "certifying_institutions")

    if by == "region":
        return [{"region": code, "name": name, **rows[code]} for code, name in REGIONS.items()]
    return sorted(({"partnership": str(p.id), "name": p.name, **rows[p.id]} for p in partnerships.values()),
                  key=lambda r: r["name"])
