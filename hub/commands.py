"""One declaration per command: its input schema and who may run it.

A command's fields are loaded with its schema before any aggregate is touched,
so bad input is refused with field-level messages and leaves nothing behind.
Dates come as ISO strings (or ``date`` objects), ids as UUID strings. Schemas
check shapes and vocabularies; rules that relate fields to each other or to a
record's state live in the aggregates, each written once.

Every :class:`Command` is declared here with its :class:`~hub.authorisation.Rule`
(a command cannot exist without one); the service checks it, the API documents
it and the UI shows only the forms the person may use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from hub.authorisation import MANAGERS, MANAGERS_OR_ACCOUNT_HOLDER, PARTNERS, Rule
from hub.dates import KNOWN_DATE, KnownDate
from hub.errors import InvalidCommand
from hub.regions import REGIONS, is_region, region_refusal
from hub.vocabulary import (
    ACCOUNT_ROLES,
    MEETING_FORMATS,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    QUALIFICATION_TYPES,
    SCOPES,
    Vocabulary,
)

# What the hub refuses in text, said in the OpenAPI document too (JSON Schema patterns, ECMA-262 regexes): no
# control characters but tab and line breaks, and for a required text at least one character that is not a
# blank (Python's blanks, which strip() removes).
CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f"
NO_NUL = rf"^[^{CONTROLS}]*$"
NOT_BLANK = rf"^[^{CONTROLS}]*[^\s{CONTROLS}\u0085][^{CONTROLS}]*$"
_CONTROL = re.compile(f"[{CONTROLS}]")


class Text(fields.String):
    """A string with surrounding blanks stripped; required ones may not be blank; none holds control characters."""

    def __init__(self, *, max_length: int = 500, **kwargs: Any):
        metadata = {"pattern": NOT_BLANK if kwargs.get("required") else NO_NUL, **kwargs.pop("metadata", {})}
        super().__init__(validate=validate.Length(max=max_length), metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise ValidationError("Must not be blank.")
        if _CONTROL.search(text):
            raise ValidationError("Must not contain control characters.")
        return text


class Free(fields.String):
    """Free text kept as typed, without control characters (the OpenAPI document says so)."""

    def __init__(self, **kwargs: Any):
        super().__init__(metadata={"pattern": NO_NUL, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):
            raise ValidationError("Must not contain control characters.")
        return text


class Code(fields.String):
    """A code from a :class:`~hub.vocabulary.Vocabulary`, refused with the vocabulary's own message."""

    def __init__(self, vocabulary: Vocabulary, **kwargs: Any):
        self.vocabulary = vocabulary
        super().__init__(validate=self._check, metadata={"enum": list(vocabulary)}, **kwargs)

    def _check(self, value: str) -> None:
        if value not in self.vocabulary:
            raise ValidationError(self.vocabulary.refusal(value))


class KnownDay(fields.Field[KnownDate]):
    """A business date as known: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``hub.dates``: the rule for ends)."""

    def __init__(self, *, end: bool = False, **kwargs: Any):
        metadata = {"type": "string", "pattern": KNOWN_DATE,
                    **kwargs.pop("metadata", {})}
        metadata["description"] = (metadata.get("description", "") + " (YYYY, YYYY-MM or YYYY-MM-DD: recorded "
                                   "with the precision given)").strip()
        super().__init__(metadata=metadata, **kwargs)
        self.end = end

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> KnownDate:
        if isinstance(value, date):
            return KnownDate.of(value)
        if not isinstance(value, str):
            raise ValidationError("Not a valid date.")
        try:
            return KnownDate.parse(value, end=self.end)
        except ValueError:
            raise ValidationError("Not a valid date.") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value.isoformat())


class Region(fields.String):
    """A voivodeship TERYT code or ``PL``."""

    def __init__(self, **kwargs: Any):
        super().__init__(validate=self._check, metadata={"enum": list(REGIONS), **kwargs.pop("metadata", {})},
                         **kwargs)

    @staticmethod
    def _check(value: str) -> None:
        if not is_region(value):
            raise ValidationError(region_refusal(value))


# The web addresses the API states it takes (a subset of what marshmallow's URL check accepts, so what the
# document promises is always accepted): http(s), a host with a top-level domain, an optional plain path.
WEB_ADDRESS = r"^https?://(?:[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?\.)+[a-z]{2,12}(?:/[A-Za-z0-9._~%/-]*)?$"


class WebAddress(fields.Url):
    def __init__(self, **kwargs: Any):
        super().__init__(metadata={"pattern": WEB_ADDRESS, "format": "uri"}, **kwargs)


class CommandSchema(Schema):
    class Meta:
        unknown = RAISE


# -- organisations ------------------------------------------------------------

class RegisterOrganisation(CommandSchema):
    name = Text(required=True, max_length=300)
    kind = Code(ORGANISATION_KINDS, required=True)
    region = Region(required=True)
    city = Text(load_default=None, allow_none=True, max_length=120)
    website = WebAddress(load_default=None, allow_none=True)
    synthetic = fields.Boolean(load_default=False)


class RenameOrganisation(CommandSchema):
    name = Text(required=True, max_length=300)


class MoveOrganisation(CommandSchema):
    region = Region(required=True)
    city = Text(load_default=None, allow_none=True, max_length=120)


class UpdateOrganisationDetails(CommandSchema):
    kind = Code(ORGANISATION_KINDS, required=True)
    website = WebAddress(required=True, allow_none=True)


# -- partnerships -------------------------------------------------------------

class Signatory(CommandSchema):
    name = Text(required=True, max_length=200)
    function = Text(required=True, max_length=300)


class FoundingMember(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Code(MEMBER_ROLES, required=True)
    signatory = fields.Nested(Signatory, load_default=None, allow_none=True)


class Area(CommandSchema):
    code = Text(required=True, max_length=20)
    label_pl = Text(required=True, max_length=500)
    label_en = Free(load_default=None, allow_none=True, validate=validate.Length(max=500))


class SignPartnership(CommandSchema):
    name = Text(required=True, max_length=300)
    regions = fields.List(Region(), required=True,
                          validate=validate.Length(min=1, error="name at least one home region"))
    scope = Code(SCOPES, required=True)
    purpose = Text(required=True, max_length=2000)
    framework_project = Free(load_default=None, allow_none=True, validate=validate.Length(max=500))
    programme = Free(load_default=None, allow_none=True, validate=validate.Length(max=200))
    signed_on = KnownDay(required=True)
    signed_at = Text(required=True, max_length=120)
    valid_until = KnownDay(end=True, load_default=None, allow_none=True)
    areas = fields.List(fields.Nested(Area), load_default=list)
    members = fields.List(fields.Nested(FoundingMember), required=True)
    project_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the framework project (a record of /api/projects) the partnership belongs to"})
    declared_members = fields.Integer(load_default=None, allow_none=True, strict=True,
                                      validate=validate.Range(min=1, max=1_000_000), metadata={
                                          "description": "approximate total when only some members are known"})
    synthetic = fields.Boolean(load_default=False)


class JoinPartnership(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Code(MEMBER_ROLES, required=True)
    joined_on = KnownDay(required=True)
    signatory = fields.Nested(Signatory, load_default=None, allow_none=True)


class ChangeMemberRole(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Code(MEMBER_ROLES, required=True)
    changed_on = KnownDay(required=True)
    former_leader_role = Code(MEMBER_ROLES, load_default=None, allow_none=True)


class LeavePartnership(CommandSchema):
    organisation_id = fields.UUID(required=True)
    left_on = KnownDay(end=True, required=True)


class DeclareArea(Area):
    pass


class WithdrawArea(CommandSchema):
    code = Text(required=True, max_length=20)


class ExtendPartnership(CommandSchema):
    valid_until = KnownDay(end=True, required=True)


class AmendPartnership(CommandSchema):
    name = Text(max_length=300)
    purpose = Text(max_length=2000)
    framework_project = Free(allow_none=True, validate=validate.Length(max=500))
    programme = Free(allow_none=True, validate=validate.Length(max=200))
    regions = fields.List(Region())
    scope = Code(SCOPES)
    declared_members = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=1_000_000))
    project_id = fields.UUID(allow_none=True)


class TerminatePartnership(CommandSchema):
    terminated_on = KnownDay(end=True, required=True)
    reason = Text(required=True, max_length=2000)


# -- framework projects -------------------------------------------------------

class RegisterProject(CommandSchema):
    name = Text(required=True, max_length=300)
    programme = Free(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "the funding programme, e.g. POWER"})
    operator_id = fields.UUID(load_default=None, allow_none=True,
                              metadata={"description": "the organisation that operates the project"})
    starts_on = KnownDay(load_default=None, allow_none=True)
    ends_on = KnownDay(end=True, load_default=None, allow_none=True)
    synthetic = fields.Boolean(load_default=False)


class AmendProject(CommandSchema):
    name = Text(max_length=300)
    programme = Free(allow_none=True, validate=validate.Length(max=200))
    operator_id = fields.UUID(allow_none=True)
    starts_on = KnownDay(allow_none=True)
    ends_on = KnownDay(end=True, allow_none=True)


# -- meetings -----------------------------------------------------------------

class AnnounceMeeting(CommandSchema):
    title = Text(required=True, max_length=300)
    format = Code(MEETING_FORMATS, required=True)
    held_on = KnownDay(required=True, metadata={"description": "the (first) day"})
    ends_on = KnownDay(end=True, load_default=None, allow_none=True,
                          metadata={"description": "the last day of a longer meeting"})
    place = Free(load_default=None, allow_none=True, validate=validate.Length(max=200))
    online = fields.Boolean(load_default=False)
    organisers = fields.List(fields.UUID(), required=True, metadata={
        "description": "organisations and/or partnerships, at least one"})
    participating_organisations = fields.List(fields.UUID(), load_default=list)
    participating_partnerships = fields.List(fields.UUID(), load_default=list)
    area = Free(load_default=None, allow_none=True, validate=validate.Length(max=20))
    synthetic = fields.Boolean(load_default=False)


class RescheduleMeeting(CommandSchema):
    held_on = KnownDay(required=True)
    ends_on = KnownDay(end=True, load_default=None, allow_none=True, metadata={
        "description": "the new last day; left out, the meeting keeps its length"})
    place = Free(load_default=None, allow_none=True, validate=validate.Length(max=200))
    online = fields.Boolean(load_default=None, allow_none=True)


class HoldMeeting(CommandSchema):
    attendance = fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(min=0, max=10_000_000), metadata={"description": "on site"})
    attendance_online = fields.Integer(load_default=None, allow_none=True, strict=True,
                                       validate=validate.Range(min=0, max=10_000_000))
    attendance_estimated = fields.Boolean(load_default=False, metadata={"description": "the figures are estimates"})
    participating_organisations = fields.List(fields.UUID(), load_default=None, allow_none=True)
    participating_partnerships = fields.List(fields.UUID(), load_default=None, allow_none=True)


class CancelMeeting(CommandSchema):
    reason = Text(required=True, max_length=2000)


# -- experience exchanges -----------------------------------------------------

class PostExchange(CommandSchema):
    organisation_id = fields.UUID(required=True)
    topic = Text(required=True, max_length=300)
    exchanged_on = KnownDay(required=True, metadata={"description": "not in the future"})
    counterpart_organisations = fields.List(fields.UUID(), load_default=list)
    counterpart_partnerships = fields.List(fields.UUID(), load_default=list)
    area = Free(load_default=None, allow_none=True, validate=validate.Length(max=20))
    summary = Free(load_default="", validate=validate.Length(max=5000))
    outcomes = Text(load_default="", max_length=5000)
    synthetic = fields.Boolean(load_default=False)


class ConfirmExchange(CommandSchema):
    organisation_id = fields.UUID(required=True)
    via_partnership = fields.UUID(load_default=None, allow_none=True)


class DisputeExchange(CommandSchema):
    organisation_id = fields.UUID(required=True, metadata={"description": "the counterpart that disputes"})
    reason = Text(required=True, max_length=2000, metadata={"description": "what is not as it happened"})
    via_partnership = fields.UUID(load_default=None, allow_none=True)


class CorrectExchange(CommandSchema):
    counterpart_organisations = fields.List(fields.UUID())
    counterpart_partnerships = fields.List(fields.UUID())
    exchanged_on = KnownDay()
    topic = Text(max_length=300)
    area = Free(allow_none=True, validate=validate.Length(max=20))
    summary = Free(validate=validate.Length(max=5000))
    outcomes = Text(max_length=5000)


class RetractExchange(CommandSchema):
    reason = Text(required=True, max_length=2000)


# -- qualification initiatives ------------------------------------------------

class DraftInitiative(CommandSchema):
    title = Text(required=True, max_length=300)
    partnership_id = fields.UUID(required=True)
    drafted_on = KnownDay(required=True)
    description = Free(load_default="", validate=validate.Length(max=5000))
    synthetic = fields.Boolean(load_default=False)


class QualificationDetails(CommandSchema):
    """What becomes known of a qualification: with a submission, an inclusion, or later."""

    prk_level = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=8),
                               metadata={"description": "level of the Polish Qualifications Framework (PRK), 1–8"})
    qualification_type = Code(QUALIFICATION_TYPES, allow_none=True)
    register_code = Free(allow_none=True, validate=validate.Length(max=100),
                                  metadata={"description": "the qualification's code in the register (ZRK)"})
    announcement = Free(allow_none=True, validate=validate.Length(max=200), metadata={
        "description": "the announcement that included it, e.g. M.P. 2023 poz. 1283"})


class SubmitInitiative(QualificationDetails):
    submitted_on = KnownDay(required=True)
    register_reference = Free(load_default=None, allow_none=True, validate=validate.Length(max=100))


class IncludeInitiative(QualificationDetails):
    included_on = KnownDay(required=True)


class RecordInitiativeDetails(QualificationDetails):
    pass


class CorrectInitiativeDates(CommandSchema):
    submitted_on = KnownDay(load_default=None, allow_none=True)
    included_on = KnownDay(load_default=None, allow_none=True)
    reason = Text(required=True, max_length=2000)


class AuthoriseCertifyingInstitution(CommandSchema):
    organisation_id = fields.UUID(required=True)
    authorised_on = KnownDay(required=True)


# -- accounts -------------------------------------------------------------------

class CreateAccount(CommandSchema):
    name = Text(required=True, max_length=200)
    role = Code(ACCOUNT_ROLES, required=True)
    organisation_id = fields.UUID(load_default=None, allow_none=True)


class GrantRole(CommandSchema):
    role = Code(ACCOUNT_ROLES, required=True)
    organisation_id = fields.UUID(load_default=None, allow_none=True)


class RevokeRole(CommandSchema):
    role = Code(ACCOUNT_ROLES, required=True)


class IssueToken(CommandSchema):
    label = Free(load_default="", validate=validate.Length(max=100))


class RevokeToken(CommandSchema):
    token_id = Text(required=True, max_length=64)


class EndSessions(CommandSchema):
    """Signing out everywhere takes no input."""


class DisableAccount(CommandSchema):
    reason = Text(required=True, max_length=500)


# -- the declarations -----------------------------------------------------------

@dataclass(frozen=True)
class Command:
    """A use case: the service method of the same ``name``, its input ``schema``, who may run it."""

    name: str
    schema: type[CommandSchema]
    rule: Rule
    creates: bool = False  # takes a client key (idempotent creation)

    @property
    def title(self) -> str:
        """The command in words, e.g. ``terminate partnership``."""
        return self.name.replace("_", " ")

    @property
    def inputs(self) -> dict[str, fields.Field[Any]]:
        """The input's fields by name, as declared (what a form or a spreadsheet shows)."""
        return dict(self._loader.fields)

    @cached_property
    def _loader(self) -> CommandSchema:
        # One schema instance per command: making one deep-copies its fields, which was 18% of a
        # command's time (profiled: 1,000 registrations, 0.096 s of 0.555 s). Loading keeps no state.
        return self.schema()

    def load(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validate ``data``; raise :class:`InvalidCommand` with field messages."""
        try:
            loaded: dict[str, Any] = self._loader.load(data)
        except ValidationError as error:
            raise InvalidCommand(error.messages) from None
        return loaded


COMMANDS: dict[str, Command] = {}

#: What an id field of a command names (a form's picker and a spreadsheet resolve names through it):
#: the kinds of record, as the API's collections are called.
REFERENCES: dict[str, tuple[str, ...]] = {
    "organisation_id": ("organisations",),
    "operator_id": ("organisations",),
    "partnership_id": ("partnerships",),
    "via_partnership": ("partnerships",),
    "project_id": ("projects",),
    "organisers": ("organisations", "partnerships"),
    "participating_organisations": ("organisations",),
    "participating_partnerships": ("partnerships",),
    "counterpart_organisations": ("organisations",),
    "counterpart_partnerships": ("partnerships",),
}


def declare(name: str, schema: type[CommandSchema], rule: Rule, creates: bool = False) -> Command:
    if name in COMMANDS:
        raise ValueError(f"the command {name} is declared twice")
    COMMANDS[name] = Command(name, schema, rule, creates)
    return COMMANDS[name]


REGISTER_ORGANISATION = declare("register_organisation", RegisterOrganisation, MANAGERS, creates=True)
RENAME_ORGANISATION = declare("rename_organisation", RenameOrganisation, MANAGERS)
MOVE_ORGANISATION = declare("move_organisation", MoveOrganisation, MANAGERS)
UPDATE_ORGANISATION_DETAILS = declare("update_organisation_details", UpdateOrganisationDetails, MANAGERS)

SIGN_PARTNERSHIP = declare("sign_partnership", SignPartnership, MANAGERS, creates=True)
JOIN_PARTNERSHIP = declare("join_partnership", JoinPartnership, MANAGERS)
CHANGE_MEMBER_ROLE = declare("change_member_role", ChangeMemberRole, MANAGERS)
LEAVE_PARTNERSHIP = declare("leave_partnership", LeavePartnership, MANAGERS)
DECLARE_AREA = declare("declare_area", DeclareArea, MANAGERS)
WITHDRAW_AREA = declare("withdraw_area", WithdrawArea, MANAGERS)
EXTEND_PARTNERSHIP = declare("extend_partnership", ExtendPartnership, MANAGERS)
AMEND_PARTNERSHIP = declare("amend_partnership", AmendPartnership, MANAGERS)
TERMINATE_PARTNERSHIP = declare("terminate_partnership", TerminatePartnership, MANAGERS)

REGISTER_PROJECT = declare("register_project", RegisterProject, MANAGERS, creates=True)
AMEND_PROJECT = declare("amend_project", AmendProject, MANAGERS)

ANNOUNCE_MEETING = declare("announce_meeting", AnnounceMeeting, MANAGERS, creates=True)
RESCHEDULE_MEETING = declare("reschedule_meeting", RescheduleMeeting, MANAGERS)
RECORD_MEETING_HELD = declare("record_meeting_held", HoldMeeting, MANAGERS)
CANCEL_MEETING = declare("cancel_meeting", CancelMeeting, MANAGERS)

POST_EXCHANGE = declare("post_exchange", PostExchange, PARTNERS, creates=True)
CONFIRM_EXCHANGE = declare("confirm_exchange", ConfirmExchange, PARTNERS)
CORRECT_EXCHANGE = declare("correct_exchange", CorrectExchange, PARTNERS)
DISPUTE_EXCHANGE = declare("dispute_exchange", DisputeExchange, PARTNERS)
RETRACT_EXCHANGE = declare("retract_exchange", RetractExchange, PARTNERS)

DRAFT_INITIATIVE = declare("draft_initiative", DraftInitiative, MANAGERS, creates=True)
SUBMIT_INITIATIVE = declare("submit_initiative", SubmitInitiative, MANAGERS)
INCLUDE_INITIATIVE = declare("include_initiative", IncludeInitiative, MANAGERS)
RECORD_INITIATIVE_DETAILS = declare("record_initiative_details", RecordInitiativeDetails, MANAGERS)
CORRECT_INITIATIVE_DATES = declare("correct_initiative_dates", CorrectInitiativeDates, MANAGERS)
AUTHORISE_CERTIFYING_INSTITUTION = declare(
    "authorise_certifying_institution", AuthoriseCertifyingInstitution, MANAGERS)

CREATE_ACCOUNT = declare("create_account", CreateAccount, MANAGERS, creates=True)
GRANT_ROLE = declare("grant_role", GrantRole, MANAGERS)
REVOKE_ROLE = declare("revoke_role", RevokeRole, MANAGERS)
ISSUE_TOKEN = declare("issue_token", IssueToken, MANAGERS)
REVOKE_TOKEN = declare("revoke_token", RevokeToken, MANAGERS_OR_ACCOUNT_HOLDER)
DISABLE_ACCOUNT = declare("disable_account", DisableAccount, MANAGERS)
END_SESSIONS = declare("end_sessions", EndSessions, MANAGERS_OR_ACCOUNT_HOLDER)
