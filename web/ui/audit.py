"""The audit explorer: the global log with filters, each record's history, verification.

Written for people: newest first (what happened lately is what an auditor asks first), names instead of
ids, record kinds, events and fields in the reader's language, one line of details per event. Sign-in and
token events have their own tab, hidden from the record of the network; no secret hash is shown anywhere
(``hub.log.redacted``). A filter that cannot be read — a malformed date, an actor nobody is called — is
an error shown by its field, never a filter quietly dropped.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from hub.errors import NotFound
from hub.log import LoggedEvent
from hub.tables import write_csv, write_xlsx
from projections import catalogue
from projections.catalogue import fold
from projections.history import LogQuery, search_log_newest_first, versions
from projections.profiles import actor_names
from web.context import hub_app, read_models
from web.schemas import MAX_INT
from web.ui.common import require_reader
from web.ui.labels import EVENT_LABELS, event_label, field_label, readable, record_kind, record_time
from web.ui.manage import names_of_records
from web.ui.sentences import sentence

bp = Blueprint("audit", __name__)


class LogFilters(Schema):
    """The explorer's filters; a value that does not parse is shown as an error, never ignored."""

    class Meta:
        unknown = EXCLUDE  # e.g. the verify button's own parameter

    before = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_INT))
    type = fields.String(load_default=None, validate=validate.Length(max=100))
    actor = fields.String(load_default=None, validate=validate.Length(max=200))
    record = fields.UUID(load_default=None)
    since = fields.DateTime(load_default=None)
    until = fields.DateTime(load_default=None)
    tab = fields.String(load_default="records", validate=validate.OneOf(["records", "security"]))

    @post_load
    def _in_utc(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for key in ("since", "until"):
            moment = data[key]
            if moment is not None and moment.tzinfo is None:
                data[key] = moment.replace(tzinfo=UTC)  # the page shows record times in UTC
        return data


def _actors(typed: str | None) -> tuple[frozenset[str] | None, str | None]:
    """The actors an actor filter names, and a notice about how it was read.

    (Part of) a person's name, diacritics optional, names their accounts; anything else is taken as an
    actor exactly as recorded (an account id, or the name an operator gave on the command line), and the
    notice says so — the filter is never dropped.
    """
    if typed is None:
        return None, None
    people = actor_names(read_models())
    needle = fold(typed)
    found = frozenset(actor for actor, name in people.items() if needle in fold(name))
    if found:
        return found, None
    if typed in people:
        return frozenset({typed}), None
    return frozenset({typed}), _("Nobody with an account is called “%(text)s”: shown are the events recorded "
                                 "under exactly that name (an operator's, on the command line).", text=typed)


@bp.get("/audit")
def audit() -> Any:
    require_reader()
    app = hub_app()
    given = {k: v for k, v in request.args.items() if v.strip()}
    errors: dict[str, list[str]] = {}
    chosen: dict[str, Any] = {}
    try:
        chosen = LogFilters().load(given)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        errors = {str(k): [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in messages.items()}
    actors, notice = _actors(chosen["actor"]) if not errors else (None, None)
    events: list[LoggedEvent] = []
    next_before: int | None = None
    if not errors:
        query = LogQuery(chosen["type"], actors, chosen["record"], chosen["since"], chosen["until"],
                         security=chosen["tab"] == "security")
        before = chosen["before"]
        if before is None and chosen["until"] is not None:  # jump: the graph knows when each position was recorded
            before = read_models().position_at(chosen["until"]) + 1
        if request.args.get("format") in ("csv", "xlsx"):
            return _download(app, query, before, request.args["format"])
        events, next_before = search_log_newest_first(app, query, before=before, limit=50)
    verification = app.verify_log(sign_pending=True) if request.args.get("verify") else None
    name_of = names_of_records(tuple(catalogue.KINDS))
    rows = [_told(e, name_of) for e in events]
    page = render_template("audit.html", rows=rows, next_before=next_before, args=request.args, errors=errors,
                           last=app.log_length(), verification=verification, head=_newest_head(app),
                           tab=chosen.get("tab", request.args.get("tab", "records")), notice=notice,
                           event_types=sorted(((kind, event_label(kind)) for kind in EVENT_LABELS),
                                              key=lambda pair: pair[1]))
    return page, 422 if errors else 200


#: The most events one download of the log holds (newest first); a longer one is named ``…-newest-N``.
MAX_DOWNLOAD = 200_000
LOG_COLUMNS = ("position", "recorded_at", "actor", "who", "record_kind", "record_id", "record", "event", "what",
               "details")


def _download(app: Any, query: LogQuery, before: int | None, fmt: str) -> Response:
    """The events the filters let through, newest first, with the page's words, as CSV or XLSX."""
    events, more = search_log_newest_first(app, query, before=before, limit=MAX_DOWNLOAD,
                                           scan_limit=app.log_length() + 1)
    name_of = names_of_records(tuple(catalogue.KINDS))
    people = actor_names(read_models())
    rows = [[e.position, record_time(e.recorded_at), e.actor,
             people.get(e.actor, ""), told["kind"], str(e.aggregate_id), told["name"], e.event_type,
             told["what"], told["sentence"]] for e in events for told in (_told(e, name_of),)]
    name = f"audit-log{'-newest-' + str(MAX_DOWNLOAD) if more else ''}"
    if fmt == "csv":
        return Response(write_csv(LOG_COLUMNS, rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(write_xlsx({"audit log": (LOG_COLUMNS, rows)}),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def _told(e: LoggedEvent, name_of: Any) -> dict[str, Any]:
    """An event in the reader's words, as the log's page and its download show it."""
    return {"event": e, "what": event_label(f"{e.aggregate_type}.{e.event_type}"),
            "kind": record_kind(e.aggregate_type), "name": _record_name(e, name_of),
            "sentence": sentence(e, name_of, read_models().record(e.aggregate_id))}


def _record_name(e: LoggedEvent, name_of: Any) -> str:
    for key in ("name", "title", "topic"):
        if isinstance(e.payload.get(key), str):
            return str(e.payload[key])
    return str(name_of(e.aggregate_id)) if name_of(e.aggregate_id) != str(e.aggregate_id) else ""


@bp.get("/audit/<uuid:record_id>")
def audit_record(record_id: UUID) -> str:
    require_reader()
    try:
        steps = versions(hub_app(), record_id)
    except NotFound:
        abort(404)
    name_of = names_of_records()
    now = read_models().record(record_id)
    for step in steps:
        e = step["event"]
        step["what"] = event_label(f"{e.aggregate_type}.{e.event_type}")
        step["sentence"] = sentence(e, name_of, now)
        shown = [(field_label(k), readable(before, name_of), readable(after, name_of))
                 for k, (before, after) in step["changes"].items() if k not in ("id", "type", "modified_on")]
        step["readable"] = [row for row in shown if row[1] != row[2]]  # an empty field set empty says nothing
    last = steps[-1]["state"]
    return render_template("audit_record.html", steps=steps, record_id=record_id,
                           kind=record_kind(steps[0]["state"]["type"]),
                           name=last.get("name") or last.get("title") or last.get("topic") or str(record_id))


def _newest_head(app: Any) -> dict[str, Any] | None:
    head = app.ledger.latest_head()
    return None if head is None else head.as_head()
