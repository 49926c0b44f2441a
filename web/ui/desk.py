"""The partner's desk: post, correct, confirm and retract experience exchanges for one's own organisation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for

from hub import commands as cmd
from hub.authorisation import Principal
from hub.errors import HubError
from hub.exchange import ExperienceExchange
from hub.organisation import Organisation
from hub.vocabulary import STANDARD_AREAS
from projections import catalogue
from projections.profiles import names
from web.context import hub_app, read_models
from web.problems import status_of
from web.ui.common import record, require

bp = Blueprint("desk", __name__)

EXCHANGE_FIELDS = ("exchanged_on", "topic", "area", "summary", "outcomes")


def _partner(command: cmd.Command) -> Principal:
    """The desk is a partner's: someone whom ``command``'s rule allows, acting for an organisation."""
    who = require(command)
    if who.organisation_id is None:
        abort(403)
    return who


def _desk(form: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None,
          editing: Any = None, status: int = 200) -> Any:
    own = _partner(cmd.POST_EXCHANGE).organisation_id
    models = read_models()
    mine, _total = catalogue.search(models, "exchanges", page_size=10_000, organisation=own)
    posted = [x for x in mine if x.organisation_id == own]
    to_confirm = [x for x in mine if x.organisation_id != own]
    orgs = sorted((o for o in models.records(Organisation) if o.id != own), key=lambda o: o.name)
    return render_template("desk.html", posted=posted, to_confirm=to_confirm, organisations=orgs,
                           form=form or {}, errors=errors or {}, editing=editing, areas=STANDARD_AREAS,
                           names=names(models), own=own), status


@bp.get("/desk")
def desk() -> Any:
    return _desk()


def _exchange_form() -> dict[str, Any]:
    form: dict[str, Any] = {k: request.form.get(k, "").strip() for k in EXCHANGE_FIELDS}
    form["counterpart_organisations"] = request.form.getlist("counterpart_organisations")
    return form


def _fields(form: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in form.items() if v not in ("", None)}
    fields.setdefault("exchanged_on", "")
    fields.setdefault("topic", "")
    return fields


@bp.post("/desk/exchanges")
def post_exchange() -> Any:
    who = _partner(cmd.POST_EXCHANGE)
    form = _exchange_form()
    try:
        hub_app().post_exchange(by=who, organisation_id=str(who.organisation_id), **_fields(form))
    except HubError as error:
        return _desk(form, error.errors, status=status_of(error))
    return redirect(url_for("ui.desk.desk"))


@bp.get("/desk/exchanges/<uuid:record_id>/edit")
def edit_exchange(record_id: UUID) -> Any:
    x = record(ExperienceExchange, record_id)
    form = {k: getattr(x, k) or "" for k in EXCHANGE_FIELDS}
    form["counterpart_organisations"] = [str(o) for o in x.counterpart_organisations]
    return _desk(form, editing=x)


@bp.post("/desk/exchanges/<uuid:record_id>/correct")
def correct_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.CORRECT_EXCHANGE)
    x = record(ExperienceExchange, record_id)
    form = _exchange_form()
    fields = {k: v for k, v in _fields(form).items() if k != "counterpart_organisations" or v}
    try:
        hub_app().correct_exchange(record_id, by=who, expected_version=x.version, **fields)
    except HubError as error:
        return _desk(form, error.errors, editing=x, status=status_of(error))
    return redirect(url_for("ui.desk.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/confirm")
def confirm_exchange(record_id: UUID) -> Any:
    who = _partner(cmd.CONFIRM_EXCHANGE)
    try:
        hub_app().confirm_exchange(record_id, by=who, organisation_id=str(who.organisation_id))
    except HubError as error:
        return _desk(errors=error.errors, status=status_of(error))
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
