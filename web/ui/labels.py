"""What people read instead of codes: field labels and command titles, in their language.

One home for the words the forms, the record pages and the audit's history use, marked
here for the translation catalogue and translated when shown (:func:`field_label`,
:func:`command_title`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from flask import g
from flask_babel import get_locale, gettext

from hub.errors import Phrase
from hub.regions import REGIONS
from hub.vocabulary import (
    EXCHANGE_STATUSES,
    INITIATIVE_STATUSES,
    MEETING_FORMATS,
    MEETING_STATUSES,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    QUALIFICATION_TYPES,
    SCOPES,
    STANDARD_AREAS,
    Vocabulary,
)


def translated(message: str, **variables: Any) -> str:
    """``gettext``, remembered for the request: the audit's download words the same labels 100,000 times, and
    flask-babel's lookup of the request's catalogue is most of that cost (8 of 27 s at 105k events)."""
    cache: dict[str, str] = g.setdefault("hub_translations", {})
    text = cache.get(message)
    if text is None:
        text = cache[message] = str(gettext(message))
    return text % variables if variables else text


def say(message: object) -> str:
    """A message in the reader's language: a :class:`~hub.errors.Phrase` worded from its translated template,
    its values translated where the catalogue knows them (a vocabulary's name), anything else as ``gettext``."""
    if isinstance(message, Phrase):
        return translated(message.template, **{
            key: translated(value) if isinstance(value, str) and value else value
            for key, value in message.params.items()})
    return translated(str(message)) if message else ""


def N_(message: str) -> str:
    return message


FIELD_LABELS = {
    "announcement": N_("Announcement"),
    "area": N_("Area of activity"),
    "areas": N_("Areas of activity"),
    "attendance": N_("Attendance on site"),
    "attendance_estimated": N_("The figures are estimates"),
    "attendance_online": N_("Attendance online"),
    "authorised_on": N_("Authorised on"),
    "changed_on": N_("Changed on"),
    "city": N_("City"),
    "code": N_("Code"),
    "counterpart_organisations": N_("Counterpart organisations"),
    "counterpart_partnerships": N_("Counterpart partnerships"),
    "declared_members": N_("Members (declared)"),
    "description": N_("Description"),
    "drafted_on": N_("Drafted on"),
    "ends_on": N_("Ends on"),
    "exchanged_on": N_("Date"),
    "format": N_("Format"),
    "former_leader_role": N_("New role of the former leader"),
    "framework_project": N_("Framework project (name)"),
    "function": N_("Function"),
    "held_on": N_("Held on"),
    "included_on": N_("Included on"),
    "joined_on": N_("Joined on"),
    "kind": N_("Kind"),
    "label": N_("Label"),
    "label_en": N_("Label in English"),
    "label_pl": N_("Label in Polish"),
    "left_on": N_("Left on"),
    "members": N_("Members"),
    "members.item": N_("Member"),
    "areas.item": N_("Area"),
    "signatory.name": N_("Signatory's full name"),
    "signatory.function": N_("Signatory's function"),
    "name": N_("Name"),
    "online": N_("Online"),
    "operator_id": N_("Operator"),
    "organisation_id": N_("Organisation"),
    "organisers": N_("Organisers"),
    "outcomes": N_("Outcomes"),
    "participating_organisations": N_("Participating organisations"),
    "participating_partnerships": N_("Participating partnerships"),
    "partnership_id": N_("Partnership"),
    "place": N_("Place"),
    "prk_level": N_("PRK level"),
    "programme": N_("Programme"),
    "project_id": N_("Framework project"),
    "purpose": N_("Purpose"),
    "qualification_type": N_("Qualification type"),
    "reason": N_("Reason"),
    "cancellation_reason": N_("Why it was cancelled"),
    "region": N_("Region"),
    "regions": N_("Regions"),
    "register_code": N_("Code in the register"),
    "register_reference": N_("Reference in the register"),
    "role": N_("Role"),
    "scope": N_("Scope"),
    "signatory": N_("Signatory"),
    "signed_at": N_("Signed at (place)"),
    "signed_on": N_("Signed on"),
    "starts_on": N_("Starts on"),
    "submitted_on": N_("Submitted on"),
    "summary": N_("Summary"),
    "terminated_on": N_("Terminated on"),
    "title": N_("Title"),
    "token_id": N_("Token"),
    "topic": N_("Topic"),
    "valid_until": N_("Valid until"),
    "via_partnership": N_("Via partnership"),
    "website": N_("Website"),
    "created_on": N_("Recorded on"),
    "confirmations": N_("Confirmed by"),
    "disputes": N_("Disputed by"),
    "retracted_reason": N_("Reason for retraction"),
    "synthetic": N_("Synthetic data"),
    "former_members": N_("Former members"),
    "role_history": N_("Earlier roles"),
    "termination_reason": N_("Reason for termination"),
    "status": N_("Status"),
    "roles": N_("Roles"),
    "tokens": N_("Tokens"),
    "disabled_reason": N_("Reason for disabling"),
    "certifying_institutions": N_("Certifying institutions"),
    "changes": N_("Changes"),
    "leader_id": N_("Leader"),
}

COMMAND_TITLES = {
    "register_organisation": N_("Register an organisation"),
    "rename_organisation": N_("Rename"),
    "move_organisation": N_("Move to another region or city"),
    "update_organisation_details": N_("Change kind or website"),
    "sign_partnership": N_("Record a signed partnership"),
    "join_partnership": N_("Add a member"),
    "change_member_role": N_("Change a member's role"),
    "leave_partnership": N_("Record a member leaving"),
    "declare_area": N_("Declare an area of activity"),
    "withdraw_area": N_("Withdraw an area of activity"),
    "extend_partnership": N_("Extend"),
    "amend_partnership": N_("Amend"),
    "terminate_partnership": N_("Terminate"),
    "create_account": N_("Create an account"),
    "grant_role": N_("Grant a role"),
    "revoke_role": N_("Revoke a role"),
    "disable_account": N_("Disable the account"),
    "register_project": N_("Register a framework project"),
    "amend_project": N_("Amend"),
    "announce_meeting": N_("Announce a meeting"),
    "reschedule_meeting": N_("Reschedule"),
    "record_meeting_held": N_("Record that it was held"),
    "cancel_meeting": N_("Cancel"),
    "post_exchange": N_("Post an experience exchange"),
    "confirm_exchange": N_("Confirm"),
    "correct_exchange": N_("Correct"),
    "retract_exchange": N_("Retract"),
    "dispute_exchange": N_("Dispute"),
    "draft_initiative": N_("Draft a qualification initiative"),
    "submit_initiative": N_("Record its submission"),
    "include_initiative": N_("Record its inclusion in the register"),
    "record_initiative_details": N_("Record qualification details"),
    "correct_initiative_dates": N_("Correct its dates"),
    "authorise_certifying_institution": N_("Authorise a certifying institution"),
}


def field_label(name: str) -> str:
    """``field_label("held_on") == "Held on"`` (or its translation); a nested field's path
    (``signatory.name``) falls back to its own name; an unknown field reads as itself."""
    known = FIELD_LABELS.get(name) or FIELD_LABELS.get(name.rpartition(".")[2])
    return translated(known) if known else name.rpartition(".")[2].replace("_", " ")


def command_title(name: str) -> str:
    known = COMMAND_TITLES.get(name)
    return translated(known) if known else name.replace("_", " ")


def field_path_label(key: str) -> str:
    """An error's field path in words: ``members.0.role`` → "Members 1: Role"."""
    words: list[str] = []
    previous = ""
    for part in key.split("."):
        if part.isdigit() and words:
            item = f"{previous}.item"
            words[-1] = f"{field_label(item) if item in FIELD_LABELS else words[-1]} {int(part) + 1}"
        else:
            words.append(field_label(f"{previous}.{part}" if previous else part))
            previous = part
    return ": ".join(words)


RECORD_KINDS = {
    "Organisation": N_("organisation"),
    "Partnership": N_("partnership"),
    "Meeting": N_("meeting"),
    "ExperienceExchange": N_("experience exchange"),
    "QualificationInitiative": N_("qualification initiative"),
    "FrameworkProject": N_("framework project"),
    "Account": N_("account"),
}

#: What each stored event means, by ``Kind.Event`` (the log's own names stay in the API).
EVENT_LABELS = {
    "Organisation.Registered": N_("organisation registered"),
    "Organisation.Renamed": N_("organisation renamed"),
    "Organisation.Moved": N_("organisation moved"),
    "Organisation.DetailsUpdated": N_("organisation's kind or website changed"),
    "Partnership.Signed": N_("partnership signed"),
    "Partnership.MemberJoined": N_("member joined"),
    "Partnership.MemberRoleChanged": N_("member's role changed"),
    "Partnership.MemberLeft": N_("member left"),
    "Partnership.AreaDeclared": N_("area of activity declared"),
    "Partnership.AreaWithdrawn": N_("area of activity withdrawn"),
    "Partnership.Extended": N_("partnership extended"),
    "Partnership.Amended": N_("partnership amended"),
    "Partnership.Terminated": N_("partnership terminated"),
    "FrameworkProject.Registered": N_("framework project registered"),
    "FrameworkProject.Amended": N_("framework project amended"),
    "Meeting.Announced": N_("meeting announced"),
    "Meeting.Rescheduled": N_("meeting rescheduled"),
    "Meeting.Held": N_("meeting held"),
    "Meeting.Cancelled": N_("meeting cancelled"),
    "ExperienceExchange.Posted": N_("exchange posted"),
    "ExperienceExchange.Confirmed": N_("exchange confirmed"),
    "ExperienceExchange.Disputed": N_("exchange disputed"),
    "ExperienceExchange.Corrected": N_("exchange corrected"),
    "ExperienceExchange.Retracted": N_("exchange retracted"),
    "QualificationInitiative.Drafted": N_("initiative drafted"),
    "QualificationInitiative.Submitted": N_("application submitted"),
    "QualificationInitiative.Included": N_("qualification included in the register"),
    "QualificationInitiative.DetailsRecorded": N_("qualification details recorded"),
    "QualificationInitiative.DatesCorrected": N_("initiative's dates corrected"),
    "QualificationInitiative.CertifyingInstitutionAuthorised": N_("certifying institution authorised"),
    "Account.Created": N_("account created"),
    "Account.RoleGranted": N_("role granted"),
    "Account.RoleRevoked": N_("role revoked"),
    "Account.Disabled": N_("account disabled"),
    "Account.TokenIssued": N_("token or sign-in link issued"),
    "Account.TokenRevoked": N_("token revoked"),
}


def record_kind(type_name: str) -> str:
    known = RECORD_KINDS.get(type_name)
    return translated(known) if known else type_name


def event_label(kind: str) -> str:
    """``event_label("Meeting.Held") == "meeting held"`` (or its translation)."""
    known = EVENT_LABELS.get(kind)
    return translated(known) if known else kind


#: A partnership's status on a day (``Partnership.status_on``): derived, never recorded.
PARTNERSHIP_STATUSES = {"active": N_("active"), "not_yet": N_("not yet in force"), "expired": N_("expired"),
                        "terminated": N_("terminated")}


def partnership_status(code: str) -> str:
    """A partnership's status (:data:`PARTNERSHIP_STATUSES`) in the reader's language."""
    return translated(PARTNERSHIP_STATUSES[code]) if code in PARTNERSHIP_STATUSES else code


#: Regions that are no voivodeship, in words that are translated (a voivodeship's name is a name in any language).
SUPRA_REGIONAL_WORDS = {"PL": N_("all of Poland")}


def region_name(code: str) -> str:
    """A region (``hub.regions``) as the reader names it: a voivodeship by its name, "PL" in the reader's language
    (English pages said "cała Polska")."""
    words = SUPRA_REGIONAL_WORDS.get(code)
    return translated(words) if words is not None else REGIONS.get(code, code)


def area_name(code: str, language: str) -> str:
    """An area of activity as people read it: a standard area's code with its words (the code alone, "A4", said
    nothing in a list's filters or the graph's), a partnership's own area as its code.

    >>> area_name("A4", "en"), area_name("LOCAL-1", "pl")
    ('A4 — networking and exchanging experience with education and labour-market bodies', 'LOCAL-1')
    """
    return f"{code} — {STANDARD_AREAS.label(code, language)}" if code in STANDARD_AREAS else code


def readable(value: Any, name_of: Callable[[UUID], str]) -> str:
    """A value as a person reads it: names for ids, roles in words, dates as dates, lists joined.

    >>> readable([UUID(int=1)], lambda i: "Kuratorium"), readable(None, str)
    ('Kuratorium', '—')
    >>> readable("2026-12-03T10:05:47.996660+00:00", str)
    '2026-12-03 10:05:47 UTC'
    """
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, UUID):
        return name_of(value)
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        try:
            return name_of(UUID(value))
        except ValueError:
            return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(readable(v, name_of) for v in value)
    if isinstance(value, dict):
        if "organisation_id" in value:  # a member, a confirmation, a dispute, an authorisation
            words = readable(value["organisation_id"], name_of)
            if value.get("role"):
                words += f" ({MEMBER_ROLES.label(value['role'], str(get_locale() or 'pl'))})"
            if value.get("reason"):
                words += f": {value['reason']}"
            return words
        if value and all(isinstance(k, UUID) for k in value):  # members or areas by id
            return readable(list(value.values()), name_of)
        if {"code", "label_pl"} <= set(value):
            return f"{value['code']} {value['label_pl']}"
        return "; ".join(f"{field_label(str(k))}: {readable(v, name_of)}" for k, v in value.items()
                         if v not in (None, "", [], {}))
    if isinstance(value, bool):
        return str(translated("yes") if value else translated("no"))
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return record_time(value) + (" UTC" if value.tzinfo else "")
    if isinstance(value, date) or hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def record_time(moment: datetime) -> str:
    """A record time as the log's pages and downloads show it: to the second, in UTC (a naive one as it is).

    >>> record_time(datetime.fromisoformat("2026-12-03T11:05:47.996660+01:00"))
    '2026-12-03 10:05:47'
    """
    return (moment.astimezone(UTC) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M:%S")


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)")


#: The attributes of records whose values are codes of a closed list, by kind of record: a record's page and a list
#: show them by their label in the reader's language (``webinarium``, not ``webinar``), and a list's filter takes
#: no other value.
CODED: dict[tuple[str, str], Vocabulary] = {
    ("organisations", "kind"): ORGANISATION_KINDS, ("partnerships", "scope"): SCOPES,
    ("meetings", "format"): MEETING_FORMATS, ("meetings", "status"): MEETING_STATUSES,
    ("exchanges", "status"): EXCHANGE_STATUSES,
    ("initiatives", "status"): INITIATIVE_STATUSES, ("initiatives", "qualification_type"): QUALIFICATION_TYPES,
}
