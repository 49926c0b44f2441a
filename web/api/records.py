"""Blueprints for the recorded resources: list, create, read (now, at a version or a time), history, commands.

Every resource follows one pattern, so it is declared as data (:data:`RESOURCES`)
and turned into flask-smorest views here. Bodies are validated by the service's
own command schemas; the service authorises and records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import current_app, g, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hub import commands as cmd
from hub.errors import InvalidCommand, NotFound
from projections import catalogue
from projections.moments import parse_as_of
from web import schemas
from web.auth import principal, require_reader_of_everything
from web.problems import PROBLEM_JSON, TITLES, ProblemSchema


@dataclass(frozen=True)
class Resource:
    kind: str  # URL segment and catalogue kind
    out: type[Schema]
    filters: type[Schema]
    create: tuple[str, type[Schema]]  # service method, body schema
    commands: list[tuple[str, str, type[Schema]]] = field(default_factory=list)  # action, method, schema
    receipt: bool = False  # creating answers with a receipt (signed head + inclusion proof)


RESOURCES = [
    Resource("organisations", schemas.Organisation, schemas.OrganisationFilters,
             ("register_organisation", cmd.RegisterOrganisation), [
                 ("rename", "rename_organisation", cmd.RenameOrganisation),
                 ("move", "move_organisation", cmd.MoveOrganisation),
                 ("details", "update_organisation_details", cmd.UpdateOrganisationDetails)]),
    Resource("partnerships", schemas.Partnership, schemas.PartnershipFilters,
             ("sign_partnership", cmd.SignPartnership), [
                 ("members", "join_partnership", cmd.JoinPartnership),
                 ("members/role", "change_member_role", cmd.ChangeMemberRole),
                 ("members/leave", "leave_partnership", cmd.LeavePartnership),
                 ("areas", "declare_area", cmd.DeclareArea),
                 ("areas/withdraw", "withdraw_area", cmd.WithdrawArea),
                 ("extend", "extend_partnership", cmd.ExtendPartnership),
                 ("amend", "amend_partnership", cmd.AmendPartnership),
                 ("terminate", "terminate_partnership", cmd.TerminatePartnership)]),
    Resource("meetings", schemas.Meeting, schemas.MeetingFilters,
             ("announce_meeting", cmd.AnnounceMeeting), [
                 ("reschedule", "reschedule_meeting", cmd.RescheduleMeeting),
                 ("held", "record_meeting_held", cmd.HoldMeeting),
                 ("cancel", "cancel_meeting", cmd.CancelMeeting)]),
    Resource("exchanges", schemas.Exchange, schemas.ExchangeFilters,
             ("post_exchange", cmd.PostExchange), [
                 ("confirm", "confirm_exchange", cmd.ConfirmExchange),
                 ("correct", "correct_exchange", cmd.CorrectExchange),
                 ("retract", "retract_exchange", cmd.RetractExchange)], receipt=True),
    Resource("initiatives", schemas.Initiative, schemas.InitiativeFilters,
             ("draft_initiative", cmd.DraftInitiative), [
                 ("submit", "submit_initiative", cmd.SubmitInitiative),
                 ("include", "include_initiative", cmd.IncludeInitiative),
                 ("certifying-institutions", "authorise_certifying_institution", cmd.AuthoriseCertifyingInstitution)]),
]

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


def hub_app() -> Any:
    return current_app.extensions["hub"]


def read_models() -> Any:
    return current_app.extensions["hub_graph"]


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    return key.strip() if key else None


def expected_version() -> int | None:
    """``If-Match: 3`` makes a command conditional on the version the client saw."""
    value = request.headers.get("If-Match")
    if value is None:
        return None
    value = value.strip().strip('"')
    if not value.isdigit():
        raise InvalidCommand("If-Match takes the record's version number", "If-Match")
    return int(value)


def record_of(kind: str, record_id: UUID, version: int | None = None) -> Any:
    record = hub_app().get(record_id, version=version)
    if not isinstance(record, catalogue.KINDS[kind]):
        raise NotFound(f"no {kind[:-1]} has id {record_id}", "id")
    return record


def version_as_of(record_id: UUID, as_of: str) -> int:
    """The record's version as the hub knew it at a record time or log position."""
    try:
        moment = parse_as_of(as_of)
    except ValueError as error:
        raise InvalidCommand(str(error), "as_of") from None
    if not isinstance(moment, datetime):
        moment = read_models().recorded_at(moment)
    versions = [e.version for e in hub_app().history(record_id) if moment is not None and e.recorded_at <= moment]
    if not versions:
        raise NotFound(f"the record {record_id} did not exist yet at {as_of}", "as_of")
    return versions[-1]


def documents_problems(blp: Blueprint, *codes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document the problem responses a view can give."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for code in codes:
            view = blp.alt_response(code, schema=ProblemSchema, description=TITLES.get(code),
                                    content_type=PROBLEM_JSON)(view)
        return view
    return decorate


class Annotated:
    """A record read together with what this response adds to it (a receipt, a new token)."""

    def __init__(self, record: Any, **extra: Any):
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def with_receipt(out: type[Schema]) -> type[Schema]:
    from web.api.audit import Receipt

    return type(f"{out.__name__}WithReceipt", (out,), {
        "receipt": fields.Nested(Receipt, metadata={
            "description": "keep it: proves offline that the log holds this record (hub audit verify-receipt)"})})


def page_schema(out: type[Schema]) -> type[Schema]:
    return type(f"{out.__name__}Page", (Schema,), {
        "items": fields.List(fields.Nested(out)), "total": fields.Integer(),
        "page": fields.Integer(), "page_size": fields.Integer()})


def make_blueprint(res: Resource) -> Blueprint:
    blp = Blueprint(res.kind, __name__, url_prefix=f"/api/{res.kind}",
                    description=f"{res.kind.capitalize()}: list, create, read at any moment, history and commands.")
    method, body = res.create

    @blp.route("", methods=["GET"], endpoint="list")
    @blp.arguments(res.filters, location="query", as_kwargs=True)
    @blp.response(200, page_schema(res.out))
    def list_records(page: int, page_size: int, q: str | None = None, **filters: Any) -> dict[str, Any]:
        """List with filters and pages (name search ignores case and Polish diacritics)."""
        items, total = catalogue.search(read_models(), res.kind, page=page, page_size=page_size, q=q, **filters)
        return {"items": items, "total": total, "page": page, "page_size": page_size}

    created_out = with_receipt(res.out) if res.receipt else res.out

    @blp.route("", methods=["POST"], endpoint="create")
    @blp.arguments(body)
    @blp.response(201, created_out)
    @documents_problems(blp, *WRITE_ERRORS)
    @blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                          "description": "a retry with the same key returns the first record and stores nothing"}])
    def create(data: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
        app = hub_app()
        new_id = getattr(app, method)(actor=principal(), client_key=idempotency_key(), **data)
        record = record_of(res.kind, new_id)
        if res.receipt:
            record = Annotated(record, receipt=app.ledger.receipt(app.position_of(new_id, 1)))
        return record, 201, {"Location": f"/api/{res.kind}/{new_id}"}

    @blp.route("/<uuid:record_id>", methods=["GET"], endpoint="read")
    @blp.arguments(schemas.AtArgs, location="query", as_kwargs=True)
    @blp.response(200, res.out)
    def read(record_id: UUID, version: int | None = None, as_of: str | None = None) -> Any:
        """The record now, at a ``version``, or ``as_of`` a record time."""
        if as_of is not None:
            version = version_as_of(record_id, as_of)
        return record_of(res.kind, record_id, version)

    @blp.route("/<uuid:record_id>/history", methods=["GET"], endpoint="history")
    @blp.response(200, schemas.LoggedEvent(many=True))
    def history(record_id: UUID) -> Any:
        """Every event of the record with its actor and record time (managers and auditors)."""
        require_reader_of_everything()
        record_of(res.kind, record_id)
        return hub_app().history(record_id)

    add_commands(blp, res.kind, res.out, res.commands)
    return blp


def add_commands(blp: Blueprint, kind: str, out: type[Schema], commands: list[tuple[str, str, type[Schema]]]) -> None:
    """``POST /api/<kind>/<id>/<action>`` for each command: body validated, result is the record."""
    for action, command, schema in commands:
        view = documents_problems(blp, *WRITE_ERRORS)(_command_view(kind, command))
        blp.route(f"/<uuid:record_id>/{action}", methods=["POST"], endpoint=action.replace("/", "_"))(
            blp.arguments(schema)(blp.response(200, out)(view)))


def _command_view(kind: str, command: str) -> Callable[..., Any]:
    def view(data: dict[str, Any], record_id: UUID) -> Any:
        record_of(kind, record_id)
        getattr(hub_app(), command)(record_id, actor=principal(), expected_version=expected_version(), **data)
        return record_of(kind, record_id)

    view.__name__ = command
    view.__doc__ = f"{command.replace('_', ' ').capitalize()}. ``If-Match: <version>`` makes it conditional."
    return view
