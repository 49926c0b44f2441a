"""Each change in the log as one sentence a person reads: "role of Kuratorium Oświaty w Rzeszowie
changed from partner to leading partner, valid from 2021-03-01".

Built from the event's own payload, with names for ids and words for codes (``web.ui.labels``).
What the payload does not carry — the role a member had before — is read from the record as it
is now (its role history keeps every earlier role with the day it ended), so no past state is
replayed: a page of 50 events costs 50 look-ups in the read model. An event without a sentence
of its own reads as its label and its details.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask_babel import get_locale

from hub.log import LoggedEvent
from hub.vocabulary import ACCOUNT_ROLES, MEMBER_ROLES, ORGANISATION_KINDS
from web.ui.labels import N_, event_label, field_label, readable, region_name, translated

SENTENCES = {
    "Organisation.Registered": N_("%(name)s registered: %(kind)s, %(place)s"),
    "Organisation.Renamed": N_("renamed to %(name)s"),
    "Organisation.Moved": N_("moved to %(place)s"),
    "Organisation.DetailsUpdated": N_("kind set to %(kind)s, website %(website)s"),
    "Partnership.Signed": N_("%(name)s signed on %(signed_on)s in %(signed_at)s by %(members)s"),
    "Partnership.MemberJoined": N_("%(organisation)s joined as %(role)s on %(joined_on)s"),
    "Partnership.MemberRoleChanged": N_("role of %(organisation)s changed from %(before)s to %(role)s, "
                                        "valid from %(changed_on)s"),
    "Partnership.MemberLeft": N_("%(organisation)s left on %(left_on)s"),
    "Partnership.AreaDeclared": N_("area %(code)s declared: %(label_pl)s"),
    "Partnership.AreaWithdrawn": N_("area %(code)s withdrawn"),
    "Partnership.Extended": N_("extended until %(valid_until)s"),
    "Partnership.Terminated": N_("terminated on %(terminated_on)s: %(reason)s"),
    "Meeting.Announced": N_("%(title)s announced for %(held_on)s, organised by %(organisers)s"),
    "Meeting.Rescheduled": N_("moved to %(held_on)s"),
    "Meeting.Cancelled": N_("cancelled: %(reason)s"),
    "ExperienceExchange.Posted": N_("%(organisation)s posted “%(topic)s” of %(exchanged_on)s with %(counterparts)s"),
    "ExperienceExchange.Confirmed": N_("%(organisation)s confirmed it"),
    "ExperienceExchange.Disputed": N_("%(organisation)s disputed it: %(reason)s"),
    "ExperienceExchange.Retracted": N_("retracted: %(reason)s"),
    "QualificationInitiative.Drafted": N_("“%(title)s” drafted on %(drafted_on)s"),
    "QualificationInitiative.Submitted": N_("application submitted on %(submitted_on)s"),
    "QualificationInitiative.Included": N_("included in the register on %(included_on)s"),
    "QualificationInitiative.CertifyingInstitutionAuthorised": N_("%(organisation)s authorised to certify from "
                                                                  "%(authorised_on)s"),
    "Account.Created": N_("account of %(name)s created"),
    "Account.RoleGranted": N_("role %(role)s granted"),
    "Account.RoleRevoked": N_("role %(role)s revoked"),
    "Account.Disabled": N_("account disabled: %(reason)s"),
}
LEADER_HANDOVER = N_("; %(organisation)s becomes %(role)s")
CHANGES = N_("%(what)s: %(changes)s")


def sentence(e: LoggedEvent, name_of: Callable[[UUID], str], record: Any = None) -> str:
    """``e`` as one sentence in the reader's language; ``record`` is the record as it is now (for what
    the event does not carry, such as the role a member had before)."""
    kind = f"{e.aggregate_type}.{e.event_type}"
    template = SENTENCES.get(kind)
    p = e.payload
    if template is None:
        details = "; ".join(f"{field_label(k)}: {readable(v, name_of)}" for k, v in _changes(p).items())
        return str(translated(CHANGES, what=event_label(kind), changes=details)) if details else event_label(kind)
    lang = str(get_locale() or "pl")
    words = {k: readable(v, name_of) for k, v in p.items()}
    if "organisation_id" in p:
        words["organisation"] = readable(p["organisation_id"], name_of)
    if kind.startswith("Organisation."):
        words["kind"] = ORGANISATION_KINDS.label(str(p.get("kind")), lang)
        words["place"] = ", ".join(x for x in (p.get("city"), region_name(str(p.get("region")))) if x)
    if kind.startswith("Account."):
        words["role"] = ACCOUNT_ROLES.label(str(p.get("role")), lang)
    elif "role" in p:
        words["role"] = MEMBER_ROLES.label(str(p["role"]), lang)
    if kind == "Partnership.Signed":
        words["members"] = readable(p.get("members"), name_of)
    if kind == "Partnership.MemberRoleChanged":
        words["before"] = MEMBER_ROLES.label(_role_before(record, p), lang)
    if kind == "ExperienceExchange.Posted":
        words["counterparts"] = readable([*p.get("counterpart_organisations", []),
                                          *p.get("counterpart_partnerships", [])], name_of)
    try:
        text = str(translated(template, **words))
    except (KeyError, ValueError):  # an old event without a field the sentence names: its label and details
        return str(translated(CHANGES, what=event_label(kind), changes="; ".join(
            f"{field_label(k)}: {readable(v, name_of)}" for k, v in _changes(p).items())))
    if kind == "Partnership.MemberRoleChanged" and p.get("former_leader_id"):
        text += str(translated(LEADER_HANDOVER, organisation=readable(p["former_leader_id"], name_of),
                            role=MEMBER_ROLES.label(str(p.get("former_leader_role")), lang)))
    return text


def _changes(payload: dict[str, Any]) -> dict[str, Any]:
    inner = payload.get("changes") if isinstance(payload.get("changes"), dict) else None
    return {k: v for k, v in (inner or payload).items() if v not in (None, "", [], {}, False)}


def _role_before(record: Any, payload: dict[str, Any]) -> str:
    """The role the member held the day before the change, from the record's role history."""
    history = getattr(record, "role_history", None) or []
    day = payload.get("changed_on")
    for entry in history:
        if entry["organisation_id"] == payload.get("organisation_id") and day is not None \
                and entry["valid_to"] == day - timedelta(days=1):
            return str(entry["role"])
    return "?"
