"""What a partnership's or an organisation's page shows, gathered from the folded records."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub.account import Account
from hub.application import HubApplication
from hub.exchange import ExperienceExchange
from hub.initiative import QualificationInitiative
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.project import FrameworkProject
from projections.graph import PartnerGraph


def names(graph: PartnerGraph) -> dict[UUID, str]:
    """Every organisation's and partnership's current name, by id."""
    return {r.id: r.name for cls in (Organisation, Partnership) for r in graph.records(cls)}


def actor_names(graph: PartnerGraph) -> dict[str, str]:
    """Account ids (as events record them) → the person's name, for showing who recorded what."""
    return {str(a.id): a.name for a in graph.records(Account)}


def partnership_profile(graph: PartnerGraph, app: HubApplication, partnership: Partnership) -> dict[str, Any]:
    """The partnership's page: its meetings, and exchanges of its members made while they were members."""
    pid = partnership.id
    projects = {f.id: f for f in graph.records(FrameworkProject)}
    # who was ever a member, asked first: members_on copies the members of a day, and asking it of every exchange
    # took 0.12 s of a partnership's page at 99,527 events (35,000 exchanges)
    ever = {m["organisation_id"] for m in partnership.memberships}

    def its(x: ExperienceExchange) -> bool:
        return pid in x.counterpart_partnerships or (
            x.organisation_id in ever and x.organisation_id in partnership.members_on(x.exchanged_on))
    return {
        "record": partnership,
        "project": projects.get(partnership.project_id) if partnership.project_id else None,
        "names": names(graph),
        "meetings": sorted((m for m in graph.records(Meeting)
                            if pid in m.organisers or pid in m.participating_partnerships), key=lambda m: m.held_on),
        "exchanges": sorted((x for x in graph.records(ExperienceExchange) if its(x)), key=lambda x: x.exchanged_on),
        "initiatives": [q for q in graph.records(QualificationInitiative) if q.partnership_id == pid],
        "timeline": app.history(pid),
    }


def organisation_profile(graph: PartnerGraph, app: HubApplication, organisation: Organisation) -> dict[str, Any]:
    oid = organisation.id
    partnerships = [p for p in graph.records(Partnership) if oid in p.members
                    or any(m["organisation_id"] == oid for m in p.former_members)]
    return {
        "record": organisation,
        "names": names(graph),
        "partnerships": sorted(partnerships, key=lambda p: p.name),
        "meetings": sorted((m for m in graph.records(Meeting)
                            if oid in m.organisers or oid in m.participating_organisations),
                           key=lambda m: m.held_on),
        "exchanges": sorted((x for x in graph.records(ExperienceExchange)
                             if x.organisation_id == oid or oid in x.counterpart_organisations),
                            key=lambda x: x.exchanged_on),
        "timeline": app.history(oid),
    }


def desk(graph: PartnerGraph, organisation_id: UUID) -> dict[str, list[ExperienceExchange]]:
    """A partner's desk in one pass over the exchanges: ``posted`` by the organisation (newest first),
    ``waiting`` for its word (it is named, has neither confirmed nor disputed, and the record stands),
    and ``answered`` (the other records that name it)."""
    out: dict[str, list[ExperienceExchange]] = {"posted": [], "waiting": [], "answered": []}
    for x in graph.records(ExperienceExchange):
        if x.organisation_id == organisation_id:
            out["posted"].append(x)
        elif organisation_id in x.counterpart_organisations:
            answered = x.is_confirmed_by(organisation_id) or x.is_disputed_by(organisation_id)
            waits = not x.retracted and not answered
            out["waiting" if waits else "answered"].append(x)
    out["posted"].sort(key=lambda x: x.exchanged_on, reverse=True)
    return out
