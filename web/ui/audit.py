"""The audit explorer: the global log with filters, each record's history, verification."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from hub.errors import NotFound
from hub.log import LoggedEvent
from projections.history import search_log, versions
from projections.profiles import names
from web.context import hub_app, read_models
from web.schemas import MAX_INT
from web.ui.common import require_reader

bp = Blueprint("audit", __name__)


class LogFilters(Schema):
    """The explorer's filters; a value that does not parse is shown as an error, never ignored."""

    class Meta:
        unknown = EXCLUDE  # e.g. the verify button's own parameter

    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_INT))
    type = fields.String(load_default=None, validate=validate.Length(max=100))
    actor = fields.String(load_default=None, validate=validate.Length(max=100))
    record = fields.UUID(load_default=None)
    since = fields.DateTime(load_default=None)
    until = fields.DateTime(load_default=None)

    @post_load
    def _in_utc(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for key in ("since", "until"):
            moment = data[key]
            if moment is not None and moment.tzinfo is None:
                data[key] = moment.replace(tzinfo=UTC)  # the page shows record times in UTC
        return data


@bp.get("/audit")
def audit() -> Any:
    require_reader()
    app = hub_app()
    given = {k: v for k, v in request.args.items() if v.strip()}
    errors: dict[str, list[str]] = {}
    try:
        chosen = LogFilters().load(given)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        errors = {str(k): [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in messages.items()}
    events: list[LoggedEvent] = []
    next_after: int | None = None
    if not errors:
        events, next_after = search_log(
            app, after=chosen["after"], limit=50, event_type=chosen["type"], actor=chosen["actor"],
            aggregate_id=chosen["record"], since=chosen["since"], until=chosen["until"])
    verification = app.verify_log() if request.args.get("verify") else None
    page = render_template("audit.html", events=events, next_after=next_after, args=request.args, errors=errors,
                           names=names(read_models()), last=app.log_length(), verification=verification,
                           head=app.ledger.latest_head())
    return page, 422 if errors else 200


@bp.get("/audit/<uuid:record_id>")
def audit_record(record_id: UUID) -> str:
    require_reader()
    try:
        steps = versions(hub_app(), record_id)
    except NotFound:
        abort(404)
    return render_template("audit_record.html", steps=steps, record_id=record_id, names=names(read_models()))
