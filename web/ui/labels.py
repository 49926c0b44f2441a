"""What people read instead of codes: field labels and command titles, in their language.

One home for the words the forms, the record pages and the audit's history use, marked
here for the translation catalogue and translated when shown (:func:`field_label`,
:func:`command_title`).
"""

from __future__ import annotations

from flask_babel import gettext


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
    return gettext(known) if known else name.rpartition(".")[2].replace("_", " ")


def command_title(name: str) -> str:
    known = COMMAND_TITLES.get(name)
    return gettext(known) if known else name.replace("_", " ")


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
