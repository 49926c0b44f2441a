"""Marshmallow schemas of what the API returns and of its query parameters.

Command bodies are the service's own schemas (``hub.commands``), so the
OpenAPI document and the validation are one source.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hub.commands import KnownDay
from hub.moments import AS_OF
from hub.regions import REGIONS
from hub.vocabulary import ACCOUNT_ROLES, INITIATIVE_STATUSES, MEETING_STATUSES, SCOPES
from projections.graph import ALL_KINDS
from projections.kinds import ALSO_COUNTABLE

MAX_INT = 2**31 - 1  # what every store can hold in an integer column


class Out(Schema):
    class Meta:
        ordered = True


class Record(Out):
    id = fields.UUID()
    version = fields.Integer()
    created_on = fields.DateTime(metadata={"description": "record time of the first event"})
    modified_on = fields.DateTime(metadata={"description": "record time of the last event"})
    synthetic = fields.Boolean()
    valid_at = fields.Date(metadata={"description": "only when read ?valid_at=: the business date of this answer"})


class Organisation(Record):
    name = fields.String()
    kind = fields.String()
    region = fields.String()
    city = fields.String(allow_none=True)
    website = fields.String(allow_none=True)


class SignatoryOut(Out):
    name = fields.String()
    function = fields.String()


class Member(Out):
    organisation_id = fields.UUID()
    role = fields.String()
    signatory = fields.Nested(SignatoryOut, allow_none=True)
    joined_on = KnownDay()
    role_since = KnownDay()


class FormerMember(Member):
    left_on = KnownDay()


class RolePeriod(Out):
    organisation_id = fields.UUID()
    role = fields.String()
    valid_from = KnownDay()
    valid_to = KnownDay()


class AreaOut(Out):
    code = fields.String()
    label_pl = fields.String()
    label_en = fields.String(allow_none=True)


class Partnership(Record):
    name = fields.String()
    regions = fields.List(fields.String())
    scope = fields.String()
    purpose = fields.String()
    framework_project = fields.String(allow_none=True)
    programme = fields.String(allow_none=True)
    signed_on = KnownDay()
    signed_at = fields.String()
    valid_until = KnownDay(allow_none=True)
    terminated_on = KnownDay(allow_none=True)
    termination_reason = fields.String(allow_none=True)
    ends_on = KnownDay(allow_none=True)
    members = fields.Method("_members", metadata={"type": "array"})
    in_force = fields.Boolean(metadata={"description": "only when read ?valid_at=: signed and not ended that day"})
    project_id = fields.UUID(allow_none=True, metadata={"description": "its framework project (/api/projects)"})
    declared_members = fields.Integer(allow_none=True, metadata={
        "description": "approximate total when only some members are known (e.g. over 100)"})
    former_members = fields.List(fields.Nested(FormerMember))
    role_history = fields.List(fields.Nested(RolePeriod))
    areas = fields.Method("_areas")

    def _members(self, p: Any) -> Any:
        return Member(many=True).dump(list(p.members.values()))

    def _areas(self, p: Any) -> Any:
        return AreaOut(many=True).dump(list(p.areas.values()))


class Meeting(Record):
    title = fields.String()
    format = fields.String()
    held_on = KnownDay(metadata={"description": "the (first) day"})
    ends_on = KnownDay(allow_none=True, metadata={"description": "the last day of a longer meeting"})
    place = fields.String(allow_none=True)
    online = fields.Boolean()
    organisers = fields.List(fields.UUID())
    participating_organisations = fields.List(fields.UUID())
    participating_partnerships = fields.List(fields.UUID())
    area = fields.String(allow_none=True)
    status = fields.String()
    attendance = fields.Integer(allow_none=True, metadata={"description": "on site, when known"})
    attendance_online = fields.Integer(allow_none=True)
    attendance_estimated = fields.Boolean(metadata={"description": "the attendance figures are estimates"})
    takes_place = fields.Boolean(metadata={"description": "only when read ?valid_at=: the day falls in its span"})
    cancellation_reason = fields.String(allow_none=True)


class Confirmation(Out):
    organisation_id = fields.UUID()
    via_partnership = fields.UUID(allow_none=True)
    actor = fields.String()


class Dispute(Confirmation):
    reason = fields.String()


class Exchange(Record):
    organisation_id = fields.UUID()
    counterpart_organisations = fields.List(fields.UUID())
    counterpart_partnerships = fields.List(fields.UUID())
    exchanged_on = KnownDay()
    topic = fields.String()
    area = fields.String(allow_none=True)
    summary = fields.String()
    outcomes = fields.String()
    confirmed = fields.Boolean(metadata={"description": "confirmed by a counterpart and disputed by none"})
    confirmations = fields.List(fields.Nested(Confirmation))
    disputed = fields.Boolean()
    disputes = fields.List(fields.Nested(Dispute))
    retracted = fields.Boolean()
    retracted_reason = fields.String(allow_none=True)


class CertifyingInstitution(Out):
    organisation_id = fields.UUID()
    authorised_on = KnownDay()


class Initiative(Record):
    title = fields.String()
    partnership_id = fields.UUID()
    description = fields.String()
    drafted_on = KnownDay()
    status = fields.String(allow_none=True, metadata={
        "description": "drafted, submitted or included; null when read ?valid_at= a day before it was drafted"})
    submitted_on = KnownDay(allow_none=True)
    register_reference = fields.String(allow_none=True)
    included_on = KnownDay(allow_none=True)
    prk_level = fields.Integer(allow_none=True, metadata={"description": "Polish Qualifications Framework level"})
    qualification_type = fields.String(allow_none=True, metadata={"description": "full or partial"})
    register_code = fields.String(allow_none=True)
    announcement = fields.String(allow_none=True, metadata={"description": "e.g. M.P. 2023 poz. 1283"})
    certifying_institutions = fields.List(fields.Nested(CertifyingInstitution))


class Project(Record):
    name = fields.String()
    programme = fields.String(allow_none=True)
    operator_id = fields.UUID(allow_none=True, metadata={"description": "the operating organisation"})
    starts_on = KnownDay(allow_none=True)
    ends_on = KnownDay(allow_none=True)


class Account(Out):
    id = fields.UUID()
    version = fields.Integer()
    name = fields.String()
    roles = fields.List(fields.String())
    organisation_id = fields.UUID(allow_none=True)
    disabled = fields.Boolean()
    tokens = fields.Method("_tokens")

    def _tokens(self, a: Any) -> list[dict[str, str]]:
        return [{"token_id": k, "label": v["label"]} for k, v in a.tokens.items()]


class Token(Out):
    account_id = fields.UUID()
    token_id = fields.String()
    token = fields.String(metadata={"description": "shown once; only its hash is stored"})


class AccountWithToken(Account):
    token = fields.Nested(Token, allow_none=True)


class LoggedEvent(Out):
    position = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()
    actor = fields.String()
    aggregate_type = fields.String()
    aggregate_id = fields.UUID()
    version = fields.Integer()
    event_type = fields.String()
    payload = fields.Method("_payload", metadata={"type": "object"})

    def _payload(self, e: Any) -> Any:
        from hub.log import plain

        return plain(e.payload)


class LogPage(Out):
    events = fields.List(fields.Nested(LoggedEvent))
    next_after = fields.Integer(allow_none=True, metadata={"description": "pass as `after` for the next page"})
    last_position = fields.Integer()


# -- the tamper-evident log ------------------------------------------------------

class TreeHead(Out):
    size = fields.Integer()
    root = fields.String(metadata={"description": "hex SHA-256 Merkle root of the first `size` events"})
    signed_at = fields.String()
    checkpoint = fields.String(metadata={
        "description": "the signed checkpoint: a C2SP signed note (origin, size, base64 root, time, previous) with "
                       "the hub's Ed25519 signature (see /api/audit/key) and the witnesses' cosignatures"})


class Receipt(Out):
    log = fields.String(metadata={"description": "the log's origin (the checkpoint's first line)"})
    public_key = fields.String(metadata={"description": "the hub's key as a signed-note verifier key"})
    tree_head = fields.Nested(TreeHead)
    position = fields.Integer()
    index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String()
    proof = fields.List(fields.String())


class Consistency(Out):
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    from_head = fields.Nested(TreeHead, allow_none=True)
    to_head = fields.Nested(TreeHead, allow_none=True)
    proof = fields.List(fields.String())


class VerificationOut(Out):
    ok = fields.Boolean()
    events = fields.Integer()
    heads = fields.Integer()
    root = fields.String()
    first_problem = fields.String(allow_none=True)
    problems = fields.List(fields.Dict())


class Term(Out):
    code = fields.String()
    pl = fields.String(metadata={"description": "Polish label"})
    en = fields.String(metadata={"description": "English label"})


class Vocabularies(Out):
    organisation_kinds = fields.List(fields.Nested(Term))
    member_roles = fields.List(fields.Nested(Term))
    account_roles = fields.List(fields.Nested(Term))
    meeting_formats = fields.List(fields.Nested(Term))
    meeting_statuses = fields.List(fields.Nested(Term))
    exchange_statuses = fields.List(fields.Nested(Term))
    initiative_statuses = fields.List(fields.Nested(Term))
    qualification_types = fields.List(fields.Nested(Term))
    areas = fields.List(fields.Nested(Term))
    scopes = fields.List(fields.Nested(Term))
    regions = fields.List(fields.Nested(Term))


class Health(Out):
    status = fields.String()
    store = fields.String()
    events = fields.Integer()


# -- query parameters ---------------------------------------------------------

class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_INT))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    q = fields.String(load_default=None, metadata={"description": "name contains (case and diacritics ignored)"})


class OrganisationFilters(PageArgs):
    region = fields.String(validate=validate.OneOf(list(REGIONS)))
    kind = fields.String()


class PartnershipFilters(PageArgs):
    region = fields.String(validate=validate.OneOf(list(REGIONS)))
    scope = fields.String(validate=validate.OneOf(list(SCOPES)))
    active_on = fields.Date()
    member = fields.UUID()
    area = fields.String()


class MeetingFilters(PageArgs):
    organiser = fields.UUID()
    status = fields.String(validate=validate.OneOf(list(MEETING_STATUSES)))
    held_from = fields.Date()
    held_to = fields.Date()


class ExchangeFilters(PageArgs):
    organisation = fields.UUID()
    confirmed = fields.Boolean()
    retracted = fields.Boolean()


class InitiativeFilters(PageArgs):
    partnership = fields.UUID()
    status = fields.String(validate=validate.OneOf(list(INITIATIVE_STATUSES)))


class ProjectFilters(PageArgs):
    operator = fields.UUID(metadata={"description": "the operating organisation"})
    programme = fields.String()


class AccountFilters(PageArgs):
    role = fields.String(validate=validate.OneOf(list(ACCOUNT_ROLES)))


class AtArgs(Schema):
    version = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    as_of = fields.String(metadata={"description": "record time (ISO 8601) or log position: what the hub knew then",
                                    "pattern": AS_OF})
    valid_at = fields.Date(metadata={"description": "business date: the record as it held in the world that day "
                                                    "(members and roles, in force, status); combines with as_of"})


class LogArgs(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_INT))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class MomentArgs(Schema):
    """A moment on both axes, as the graph answers take it."""

    as_of = fields.String(metadata={"description": "record time (ISO 8601) or log position", "pattern": AS_OF})
    valid_at = fields.Date(metadata={"description": "business date"})


class GraphArgs(MomentArgs):
    view = fields.String(load_default="full", validate=validate.OneOf(["full", "partnerships"]))
    region = fields.String(validate=validate.OneOf(list(REGIONS)))
    scope = fields.String(validate=validate.OneOf(list(SCOPES)))
    kind = fields.List(fields.String(validate=validate.OneOf(list(ALL_KINDS))), metadata={
        "description": "edge kinds of the full graph (membership, organised, attended, exchange_…) or links of "
                       "the partnership view (shared_member, co_organised, attended, exchange_…)"})
    area = fields.String()


class GraphAnswerArgs(GraphArgs):
    reasons = fields.Boolean(metadata={
        "description": "false: the partnership view's links without their reasons, each with its kinds and weight "
                       "only (half the text); ask /api/graph/link for one link's reasons"})
    format = fields.String(load_default="node-link", validate=validate.OneOf(["node-link", "columns"]), metadata={
        "description": "columns: the partnership view's links (without reasons) as columns — links.source and "
                       "links.target index nodes, links.kinds indexes kinds — a fifth of the text of node-link"})


class LinkArgs(GraphArgs):
    """Two partnerships and the partnership view they are linked in (any filter and moment, as /api/graph takes)."""

    class Meta:
        exclude = ("view",)

    source = fields.String(required=True, metadata={"description": "partnership id"})
    target = fields.String(required=True, metadata={"description": "partnership id"})


class GraphLink(Schema):
    source = fields.String()
    target = fields.String()
    reasons = fields.List(fields.Dict(), metadata={"description": "kind, via which record, label"})
    kinds = fields.List(fields.String())
    weight = fields.Integer()


class MetricsArgs(GraphArgs):
    isolation_also = fields.List(fields.String(validate=validate.OneOf(list(ALSO_COUNTABLE))), metadata={
        "description": "also count these links as cooperation when finding isolated partnerships (by default "
                       "only joint meetings and confirmed exchanges with another region count)"})
    betweenness = fields.Boolean(load_default=True, metadata={
        "description": "include betweenness centrality (true by default): the slowest measure, seconds on a large "
                       "network after a write that adds a link; false leaves it out of the answer"})


class MapArgs(MomentArgs):
    valid_at = fields.Date(metadata={"description": "business date: partnerships active on it, facts up to it"})


class PathArgs(MomentArgs):
    from_ = fields.String(required=True, data_key="from",
                          metadata={"description": "organisation or partnership id, or region code"})
    to = fields.String(required=True, metadata={"description": "organisation or partnership id, or region code"})


class IndicatorArgs(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "first business date counted"})
    to = fields.Date(metadata={"description": "last business date counted"})
    by = fields.String(load_default="region", validate=validate.OneOf(["region", "partnership"]))


class FramesArgs(GraphArgs):
    from_ = fields.Date(data_key="from", required=True, metadata={"description": "first business date played"})
    to = fields.Date(required=True, metadata={"description": "last business date played"})
    step = fields.String(load_default="quarter", validate=validate.OneOf(["month", "quarter", "year"]))


class TrendArgs(Schema):
    as_of = fields.String(metadata={"description": "record time (ISO 8601) or log position: the trend as known then",
                                    "pattern": AS_OF})
    from_ = fields.Date(data_key="from", metadata={"description": "a day of the first quarter (default 2018-01-01)"})
    to = fields.Date(metadata={"description": "a day of the last quarter (default today; never after today)"})


class DiffArgs(Schema):
    from_ = fields.String(required=True, data_key="from", metadata={"pattern": AS_OF})
    to = fields.String(required=True, metadata={"pattern": AS_OF})
    axis = fields.String(load_default="record", validate=validate.OneOf(["record", "business"]))


class GraphJSON(Schema):
    directed = fields.Boolean()
    multigraph = fields.Boolean()
    graph = fields.Dict()
    nodes = fields.List(fields.Dict())
    edges = fields.List(fields.Dict(), metadata={"description": "node-link: one object per edge or link"})
    links = fields.Dict(metadata={"description": "format=columns: source, target (positions in nodes), weight "
                                                 "and kinds (positions in the answer's kinds), one entry per link"})
    kinds = fields.List(fields.List(fields.String()), metadata={"description": "format=columns: each set of kinds "
                                                                              "a link has, once"})
