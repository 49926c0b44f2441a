"""Marshmallow schemas for every command's input.

A command's fields are loaded here before any aggregate is touched, so bad
input is refused with field-level messages and leaves nothing behind. Dates
come as ISO strings (or ``date`` objects), ids as UUID strings.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from hub.errors import InvalidCommand
from hub.regions import REGIONS, SCOPES
from hub.vocabulary import MEETING_FORMATS, ORGANISATION_KINDS, ROLES


class Text(fields.String):
    """A string with surrounding blanks stripped; required ones may not be blank."""

    def __init__(self, *, max_length: int = 500, **kwargs: Any):
        super().__init__(validate=validate.Length(max=max_length), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise ValidationError("Must not be blank.")
        return text


def _one_of(choices: Any) -> validate.OneOf:
    return validate.OneOf(list(choices), error="Must be one of: {choices}.")


Region = lambda **kw: fields.String(validate=_one_of(REGIONS), **kw)  # noqa: E731
Role = lambda **kw: fields.String(validate=_one_of(ROLES), **kw)  # noqa: E731


class CommandSchema(Schema):
    class Meta:
        unknown = RAISE


class Partial(CommandSchema):
    """A change of some fields: at least one must be given."""

    @validates_schema
    def _at_least_one(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Name at least one field to change.")


# -- organisations ------------------------------------------------------------

class RegisterOrganisation(CommandSchema):
    name = Text(required=True, max_length=300)
    kind = fields.String(required=True, validate=_one_of(ORGANISATION_KINDS))
    region = Region(required=True)
    city = Text(required=True, max_length=120)
    website = fields.Url(load_default=None, allow_none=True)
    synthetic = fields.Boolean(load_default=False)


class RenameOrganisation(CommandSchema):
    name = Text(required=True, max_length=300)


class MoveOrganisation(CommandSchema):
    region = Region(required=True)
    city = Text(required=True, max_length=120)


class UpdateOrganisationDetails(CommandSchema):
    kind = fields.String(required=True, validate=_one_of(ORGANISATION_KINDS))
    website = fields.Url(required=True, allow_none=True)


# -- partnerships -------------------------------------------------------------

class Signatory(CommandSchema):
    name = Text(required=True, max_length=200)
    function = Text(required=True, max_length=300)


class FoundingMember(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Role(required=True)
    signatory = fields.Nested(Signatory, load_default=None, allow_none=True)


class Area(CommandSchema):
    code = Text(required=True, max_length=20)
    label_pl = Text(required=True, max_length=500)
    label_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class SignPartnership(CommandSchema):
    name = Text(required=True, max_length=300)
    regions = fields.List(Region(), required=True, validate=validate.Length(min=1))
    scope = fields.String(required=True, validate=_one_of(SCOPES))
    purpose = Text(required=True, max_length=2000)
    framework_project = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    programme = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    signed_on = fields.Date(required=True)
    signed_at = Text(required=True, max_length=120)
    valid_until = fields.Date(load_default=None, allow_none=True)
    areas = fields.List(fields.Nested(Area), load_default=list)
    members = fields.List(fields.Nested(FoundingMember), required=True, validate=validate.Length(min=2))
    synthetic = fields.Boolean(load_default=False)


class JoinPartnership(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Role(required=True)
    joined_on = fields.Date(required=True)
    signatory = fields.Nested(Signatory, load_default=None, allow_none=True)


class ChangeMemberRole(CommandSchema):
    organisation_id = fields.UUID(required=True)
    role = Role(required=True)
    changed_on = fields.Date(required=True)
    former_leader_role = Role(load_default=None, allow_none=True)


class LeavePartnership(CommandSchema):
    organisation_id = fields.UUID(required=True)
    left_on = fields.Date(required=True)


class DeclareArea(Area):
    pass


class WithdrawArea(CommandSchema):
    code = Text(required=True, max_length=20)


class ExtendPartnership(CommandSchema):
    valid_until = fields.Date(required=True)


class AmendPartnership(Partial):
    name = Text(max_length=300)
    purpose = Text(max_length=2000)
    framework_project = fields.String(allow_none=True, validate=validate.Length(max=500))
    programme = fields.String(allow_none=True, validate=validate.Length(max=200))
    regions = fields.List(Region(), validate=validate.Length(min=1))
    scope = fields.String(validate=_one_of(SCOPES))


class TerminatePartnership(CommandSchema):
    terminated_on = fields.Date(required=True)
    reason = Text(required=True, max_length=2000)


# -- meetings -----------------------------------------------------------------

class AnnounceMeeting(CommandSchema):
    title = Text(required=True, max_length=300)
    format = fields.String(required=True, validate=_one_of(MEETING_FORMATS))
    held_on = fields.Date(required=True)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    online = fields.Boolean(load_default=False)
    organisers = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1))
    participating_organisations = fields.List(fields.UUID(), load_default=list)
    participating_partnerships = fields.List(fields.UUID(), load_default=list)
    area = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    synthetic = fields.Boolean(load_default=False)


class RescheduleMeeting(CommandSchema):
    held_on = fields.Date(required=True)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    online = fields.Boolean(load_default=None, allow_none=True)


class HoldMeeting(CommandSchema):
    attendance = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10_000_000))
    participating_organisations = fields.List(fields.UUID(), load_default=None, allow_none=True)
    participating_partnerships = fields.List(fields.UUID(), load_default=None, allow_none=True)


class CancelMeeting(CommandSchema):
    reason = Text(required=True, max_length=2000)


# -- experience exchanges -----------------------------------------------------

class PostExchange(CommandSchema):
    organisation_id = fields.UUID(required=True)
    counterpart_organisations = fields.List(fields.UUID(), load_default=list)
    counterpart_partnerships = fields.List(fields.UUID(), load_default=list)
    exchanged_on = fields.Date(required=True)
    topic = Text(required=True, max_length=300)
    area = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    summary = fields.String(load_default="", validate=validate.Length(max=5000))
    outcomes = fields.String(load_default="", validate=validate.Length(max=5000))
    synthetic = fields.Boolean(load_default=False)


class ConfirmExchange(CommandSchema):
    organisation_id = fields.UUID(required=True)
    via_partnership = fields.UUID(load_default=None, allow_none=True)


class CorrectExchange(Partial):
    counterpart_organisations = fields.List(fields.UUID())
    counterpart_partnerships = fields.List(fields.UUID())
    exchanged_on = fields.Date()
    topic = Text(max_length=300)
    area = fields.String(allow_none=True, validate=validate.Length(max=20))
    summary = fields.String(validate=validate.Length(max=5000))
    outcomes = fields.String(validate=validate.Length(max=5000))


class RetractExchange(CommandSchema):
    reason = Text(required=True, max_length=2000)


# -- qualification initiatives ------------------------------------------------

class DraftInitiative(CommandSchema):
    title = Text(required=True, max_length=300)
    partnership_id = fields.UUID(required=True)
    drafted_on = fields.Date(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    synthetic = fields.Boolean(load_default=False)


class SubmitInitiative(CommandSchema):
    submitted_on = fields.Date(required=True)
    register_reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class IncludeInitiative(CommandSchema):
    included_on = fields.Date(required=True)


class AuthoriseCertifyingInstitution(CommandSchema):
    organisation_id = fields.UUID(required=True)
    authorised_on = fields.Date(required=True)


def load(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data`` with ``schema``; raise :class:`InvalidCommand` with field messages."""
    try:
        return schema().load(data)
    except ValidationError as error:
        raise InvalidCommand(error.messages) from None


# -- accounts -------------------------------------------------------------------

class CreateAccount(CommandSchema):
    name = Text(required=True, max_length=200)
    role = fields.String(required=True, validate=_one_of(("manager", "auditor", "partner")))
    organisation_id = fields.UUID(load_default=None, allow_none=True)


class GrantRole(CommandSchema):
    role = fields.String(required=True, validate=_one_of(("manager", "auditor", "partner")))
    organisation_id = fields.UUID(load_default=None, allow_none=True)


class RevokeRole(CommandSchema):
    role = fields.String(required=True, validate=_one_of(("manager", "auditor", "partner")))


class IssueToken(CommandSchema):
    label = fields.String(load_default="", validate=validate.Length(max=100))


class RevokeToken(CommandSchema):
    token_id = Text(required=True, max_length=64)


class DisableAccount(CommandSchema):
    reason = Text(required=True, max_length=500)
