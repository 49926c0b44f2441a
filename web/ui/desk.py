"""The partner's desk: post, correct, confirm, dispute and retract experience exchanges for one's own
organisation.

Records that wait for the organisation's word come first, each shown whole (what was posted, by whom,
with whom) so nobody confirms a title. Posting answers with the record's receipt — a download and the
command that checks it offline — and the forms are the commands' own (:mod:`web.ui.forms`): a picker
finds counterparts among thousands by name, and a correction carries the version it was opened at,
so a change made meanwhile is shown instead of overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from hub import commands as cmd
from hub.authorisation import Principal
from hub.errors import ConcurrencyConflict, HubError
from hub.exchange import ExperienceExchange
from projections.profiles import desk as desk_records
from projections.profiles import names
from web import schemas
from web.context import current_principal, hub_app, read_models
from web.problems import status_of
from web.ui.common import record, require
from web.ui.forms import Form, shown_values
from web.ui.manage import changed_meanwhile, differences, name_resolver, names_of_records, opened_version

bp = Blueprint("desk", __name__)

OWN = frozenset({"organisation_id"})  # the desk's organisation: never asked, never changed


def _partner(command: cmd.Command) -> Principal:
    """The desk is a partner's: someone whom ``command``'s rule allows, acting for an organisation."""
    who = require(command)
    if who.organisation_id is None:
        abort(403)
    return who


@bp.app_context_processor
def waiting_count() -> dict[str, Any]:
    """For the menu: how many records wait for the signed-in partner's word (counted only when shown)."""
    def count() -> int:
        who = current_principal()
        if who is None or who.organisation_id is None:
            return 0
        return len(desk_records(read_models(), who.organisation_id)["waiting"])
    return {"desk_waiting": count}


def _desk(form: Form | None = None, editing: Any = None, conflict: Any = None,
          errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    own = _partner(cmd.POST_EXCHANGE).organisation_id
    assert own is not None
    records = desk_records(read_models(), own)
    receipt = _receipt_of(request.args.get("posted"), own)
    pages = {name: _paged(records[name], f"{name}_page") for name in ("posted", "answered")}
    records.update({name: page.items for name, page in pages.items()})
    page = render_template(
        "desk.html", **records, pages=pages, editing=editing, conflict=conflict,
        form=form or Form(cmd.POST_EXCHANGE, omit=OWN), errors=errors or {}, names=names(read_models()),
        own=own, receipt=receipt, key=request.form.get("_key") or uuid4().hex,
        general_errors=[m for k, ms in (errors or {}).items()
                        if not k.startswith(("dispute-", "retract-")) for m in ms])
    return page, status


DESK_PAGE = 20


@dataclass(frozen=True)
class Page:
    """One page of a desk list, and where it stands in the whole (the page says "21–40 of 68")."""

    items: list[Any]
    number: int
    pages: int
    total: int
    arg: str

    @property
    def first(self) -> int:
        return (self.number - 1) * DESK_PAGE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * DESK_PAGE + len(self.items)


def _paged(items: list[Any], arg: str) -> Page:
    """``items`` cut to the page ``?<arg>=N`` asks for (past the end: the last page; not a number: the first)."""
    pages = max(1, -(-len(items) // DESK_PAGE))
    asked = request.args.get(arg, "1")
    number = min(max(int(asked), 1), pages) if asked.isascii() and asked.isdigit() else 1
    return Page(items[(number - 1) * DESK_PAGE:number * DESK_PAGE], number, pages, len(items), arg)


def _receipt_of(posted: str | None, own: UUID) -> dict[str, Any] | None:
    """What the desk says about a record just posted: its log position and where its receipt is."""
    try:
        x = hub_app().get(UUID(posted)) if posted else None
    except (ValueError, HubError):
        return None
    if not isinstance(x, ExperienceExchange) or x.organisation_id != own:
        return None
    return {"record": x, "position": hub_app().position_of(x.id, 1)}


@bp.get("/desk")
def desk() -> tuple[str, int]:
    return _desk()


@bp.post("/desk/exchanges")
def post_exchange() -> Any:
    who = _partner(cmd.POST_EXCHANGE)
    form, data = Form.read(cmd.POST_EXCHANGE, request.form, request.form.getlist, name_resolver(), omit=OWN)
    if form.errors:
        return _desk(form, status=422)
    key = request.form.get("_key") or None
    try:
        record_id = hub_app().post_exchange(by=who, client_key=key, organisation_id=str(who.organisation_id), **data)
    except HubError as error:
        form.errors.update(error.errors)
        return _desk(form, status=status_of(error))
    flash(_("Posted: %(name)s. Keep its receipt: it proves the record is in the log.",
            name=record(ExperienceExchange, record_id).topic), "success")
    return redirect(url_for("ui.desk.desk", posted=record_id))


@bp.get("/desk/exchanges/<uuid:record_id>/receipt")
def receipt(record_id: UUID) -> Response:
    """The record's receipt as a file for ``hub audit verify-receipt FILE --key hub-key.pem``."""
    _partner(cmd.POST_EXCHANGE)
    position = hub_app().position_of(record_id, 1)
    if position is None:
        abort(404)
    body = json.dumps(schemas.Receipt().dump(hub_app().ledger.receipt(position)), indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=receipt-{position}.json"})


@bp.get("/desk/exchanges/<uuid:record_id>/edit")
def edit_exchange(record_id: UUID) -> tuple[str, int]:
    _partner(cmd.CORRECT_EXCHANGE)
    x = record(ExperienceExchange, record_id)
    return _desk(Form(cmd.CORRECT_EXCHANGE, shown_values(cmd.CORRECT_EXCHANGE, x, names_of_records())), editing=x)


@bp.post("/desk/exchanges/<uuid:record_id>/correct")
def correct_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.CORRECT_EXCHANGE)
    x = record(ExperienceExchange, record_id)
    seen, opened = opened_version(x)
    name_of = names_of_records()
    form, data = Form.read(cmd.CORRECT_EXCHANGE, request.form, request.form.getlist, name_resolver(),
                           shown_values(cmd.CORRECT_EXCHANGE, opened, name_of))
    if form.errors:
        return _desk(form, editing=opened, status=422)
    try:
        hub_app().correct_exchange(record_id, by=who, expected_version=seen, **data)
    except ConcurrencyConflict:
        form.errors["_version"] = [changed_meanwhile()]
        return _desk(form, editing=x, conflict=differences(opened, x, name_of), status=409)
    except HubError as error:
        form.errors.update(error.errors)
        return _desk(form, editing=opened, status=status_of(error))
    flash(_("Saved: %(what)s — %(name)s.", what=_("Correct"), name=x.topic), "success")
    return redirect(url_for("ui.desk.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/confirm")
def confirm_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.CONFIRM_EXCHANGE)
    try:
        hub_app().confirm_exchange(record_id, by=who, organisation_id=str(who.organisation_id))
    except HubError as error:
        return _desk(errors=error.errors, status=status_of(error))
    flash(_("Confirmed: %(name)s.", name=record(ExperienceExchange, record_id).topic), "success")
    return redirect(url_for("ui.desk.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/dispute")
def dispute_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.DISPUTE_EXCHANGE)
    try:
        hub_app().dispute_exchange(record_id, by=who, organisation_id=str(who.organisation_id),
                                   reason=request.form.get("reason", ""))
    except HubError as error:
        errors = {f"dispute-{record_id}": error.errors["reason"]} if "reason" in error.errors else error.errors
        return _desk(errors=errors, status=status_of(error))
    flash(_("Disputed: %(name)s. The poster sees your reason.", name=record(ExperienceExchange, record_id).topic),
          "success")
    return redirect(url_for("ui.desk.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/retract")
def retract_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.RETRACT_EXCHANGE)
    try:
        hub_app().retract_exchange(record_id, by=who, reason=request.form.get("reason", ""))
    except HubError as error:
        # A missing reason is shown by the record's own form; anything else at the top of the desk.
        errors = {f"retract-{record_id}": error.errors["reason"]} if "reason" in error.errors else error.errors
        return _desk(errors=errors, status=status_of(error))
    return redirect(url_for("ui.desk.desk"))
