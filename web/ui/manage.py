"""The manager's workbench: a form for every command of organisations, partnerships, projects,
meetings and initiatives, made from the command's declaration (:mod:`web.ui.forms`).

``/<kind>/new`` creates, ``/<kind>/<id>/<command>`` changes. A change form carries the
record's version as the person saw it; if someone else changed the record meanwhile, saving
answers "changed since you opened it" with what changed, keeps what the person typed, and
takes the next save as made with that knowledge. A creation form carries a client key, so
sending it twice creates one record. Success is said with a message on the record's page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from hub import commands as cmd
from hub.account import Account
from hub.errors import ConcurrencyConflict, HubError
from hub.initiative import QualificationInitiative
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.project import FrameworkProject
from hub.regions import REGIONS
from projections import catalogue
from web.context import hub_app, read_models
from web.i18n import known_date
from web.problems import status_of
from web.ui.common import language, may, record, require
from web.ui.forms import Form, shown_values
from web.ui.labels import CODED, N_, command_title, field_label, field_path_label
from web.ui.labels import readable as show

bp = Blueprint("manage", __name__)


@dataclass(frozen=True)
class Desk:
    """The forms of one kind of record: the command that creates one and those that change it."""

    cls: type
    creates: cmd.Command
    changes: tuple[cmd.Command, ...]
    page: str  # the endpoint showing one record
    offered: Callable[[Any, cmd.Command], bool] = lambda record, command: True  # which changes a record's page offers


KINDS = {
    "organisations": Desk(Organisation, cmd.REGISTER_ORGANISATION, (
        cmd.RENAME_ORGANISATION, cmd.MOVE_ORGANISATION, cmd.UPDATE_ORGANISATION_DETAILS), "ui.pages.organisation"),
    "partnerships": Desk(Partnership, cmd.SIGN_PARTNERSHIP, (
        cmd.JOIN_PARTNERSHIP, cmd.CHANGE_MEMBER_ROLE, cmd.LEAVE_PARTNERSHIP, cmd.DECLARE_AREA,
        cmd.WITHDRAW_AREA, cmd.EXTEND_PARTNERSHIP, cmd.AMEND_PARTNERSHIP, cmd.TERMINATE_PARTNERSHIP),
        "ui.pages.partnership", lambda p, command: p.may_change()),  # a terminated partnership changes no more
    "projects": Desk(FrameworkProject, cmd.REGISTER_PROJECT, (cmd.AMEND_PROJECT,), "ui.manage.project"),
    "meetings": Desk(Meeting, cmd.ANNOUNCE_MEETING, (
        cmd.RESCHEDULE_MEETING, cmd.RECORD_MEETING_HELD, cmd.CANCEL_MEETING), "ui.manage.meeting",
        # a meeting held or cancelled changes no more, and one to come is not held yet: not offered, as refused
        lambda m, command: m.may_change(date.today(), holding=command is cmd.RECORD_MEETING_HELD)),
    "accounts": Desk(Account, cmd.CREATE_ACCOUNT, (cmd.GRANT_ROLE, cmd.REVOKE_ROLE, cmd.DISABLE_ACCOUNT),
                     "ui.accounts.account"),
    "initiatives": Desk(QualificationInitiative, cmd.DRAFT_INITIATIVE, (
        cmd.SUBMIT_INITIATIVE, cmd.INCLUDE_INITIATIVE, cmd.RECORD_INITIATIVE_DETAILS,
        cmd.CORRECT_INITIATIVE_DATES, cmd.AUTHORISE_CERTIFYING_INSTITUTION), "ui.manage.initiative"),
}
KIND_PATH = "<any(" + ",".join(KINDS) + "):kind>"


def names_of_records(kinds: tuple[str, ...] = ("organisations", "partnerships", "projects")
                     ) -> Callable[[UUID], str]:
    """Names of the records of ``kinds`` by id (an unknown id reads as itself), looked up one by one
    as a page refers to them."""
    models = read_models()
    classes = tuple(catalogue.KINDS[kind] for kind in kinds)

    def name_of(record_id: UUID) -> str:
        found = models.record(record_id)
        return catalogue.display_name(found) if isinstance(found, classes) else str(record_id)
    return name_of


def name_resolver() -> Callable[[tuple[str, ...], str], UUID]:
    """What a form's picker field sends (a name, diacritics optional, or an id) → the one record it names."""
    return _resolve


def _resolve(kinds: tuple[str, ...], text: str) -> UUID:
    found = catalogue.named(read_models(), kinds, text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise LookupError(_("Nothing is named “%(text)s”; pick a name from the suggestions.", text=text))
    raise LookupError(_("%(n)d records are named “%(text)s”; pick one from the suggestions.",
                        n=len(found), text=text))


def _read_form(command: cmd.Command, shown: dict[str, Any] | None = None) -> tuple[Form, dict[str, Any]]:
    return Form.read(command, request.form, request.form.getlist, _resolve, shown)


def _page(form: Form, *, kind: str, target: Any = None, hidden: dict[str, Any] | None = None,
          conflict: list[tuple[str, str, str]] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("manage_form.html", form=form, kind=kind, target=target, hidden=hidden or {},
                           conflict=conflict, title=command_title(form.command.name),
                           target_name=catalogue.display_name(target) if target is not None else ""), status


LIST_PAGES = {**{kind: f"ui.lists.{kind}" for kind in ("organisations", "partnerships", "projects", "meetings")},
              "accounts": "ui.accounts.accounts"}
KIND_TITLES = {"organisations": N_("Organisations"), "partnerships": N_("Partnerships"),
               "projects": N_("Framework projects"), "meetings": N_("Meetings"),
               "initiatives": N_("Qualification initiatives"), "exchanges": N_("Experience exchanges"),
               "accounts": N_("Accounts")}


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    """What record pages ask of the workbench: which forms to offer and where things are."""
    return {
        "actions_for": lambda kind, record: [c for c in KINDS[kind].changes
                                             if may(c) and KINDS[kind].offered(record, c)],
        "creatable": [kind for kind, desk in KINDS.items() if may(desk.creates)],
        "command_title": command_title,
        "field_label": field_label,
        "field_path_label": field_path_label,
        "form_regions": REGIONS,
        "form_areas": lambda: catalogue.areas(read_models()),  # asked for only by a form with an area
        "kind_command": lambda kind: KINDS[kind].creates.name,
        "record_url": lambda kind, record_id: url_for(KINDS[kind].page, record_id=record_id),
        "list_url": lambda kind: url_for(LIST_PAGES.get(kind, "ui.pages.dashboard")),
        "kind_title": lambda kind: _(KIND_TITLES[kind]),
    }


# -- creating ------------------------------------------------------------------

@bp.route(f"/{KIND_PATH}/new", methods=["GET", "POST"])
def create(kind: str) -> Any:
    desk = KINDS[kind]
    who = require(desk.creates)
    if request.method == "GET":
        return _page(Form(desk.creates), kind=kind, hidden={"_key": uuid4().hex})
    key = request.form.get("_key", "").strip() or uuid4().hex
    form, data = _read_form(desk.creates)
    if form.errors:
        return _page(form, kind=kind, hidden={"_key": key}, status=422)
    try:
        record_id = getattr(hub_app(), desk.creates.name)(by=who, client_key=key, **data)
    except HubError as error:
        form.errors.update(error.errors)
        return _page(form, kind=kind, hidden={"_key": key}, status=status_of(error))
    made = hub_app().get(record_id)
    flash(_("Recorded: %(name)s.", name=catalogue.display_name(made)), "success")
    return redirect(url_for(desk.page, record_id=record_id))


# -- changing ------------------------------------------------------------------

@bp.route(f"/{KIND_PATH}/<uuid:record_id>/<command>", methods=["GET", "POST"])
def change(kind: str, record_id: UUID, command: str) -> Any:
    desk = KINDS[kind]
    declared = next((c for c in desk.changes if c.name == command), None)
    if declared is None:
        abort(404)
    who = require(declared)
    current = record(desk.cls, record_id)
    name_of = names_of_records()
    if request.method == "GET":
        if not desk.offered(current, declared):  # an old link or a bookmark: say so rather than offer a refusal
            flash(_("This change cannot be made to this record now: %(what)s.", what=command_title(declared.name)),
                  "error")
            return redirect(url_for(desk.page, record_id=record_id))
        form = Form(declared, shown_values(declared, current, name_of))
        return _page(form, kind=kind, target=current, hidden={"_version": current.version})
    seen, opened = opened_version(current)
    form, data = _read_form(declared, shown_values(declared, opened, name_of))
    if form.errors:
        return _page(form, kind=kind, target=current, hidden={"_version": seen}, status=422)
    try:
        getattr(hub_app(), declared.name)(record_id, by=who, expected_version=seen, **data)
    except ConcurrencyConflict:
        # Shown with what changed; the form now carries the version just shown, so saving again applies.
        form.errors["_version"] = [changed_meanwhile()]
        return _page(form, kind=kind, target=current, hidden={"_version": current.version},
                     conflict=differences(opened, current, name_of), status=409)
    except HubError as error:
        form.errors.update(error.errors)
        return _page(form, kind=kind, target=current, hidden={"_version": seen}, status=status_of(error))
    flash(_("Saved: %(what)s — %(name)s.", what=command_title(declared.name),
            name=catalogue.display_name(current)), "success")
    return redirect(url_for(desk.page, record_id=record_id))


def opened_version(current: Any) -> tuple[int, Any]:
    """The version a change form was opened at (its ``_version``) and the record as it was then;
    a form without one, or with one the record never had, is a bad request."""
    seen = request.form.get("_version", "")
    if not seen.isdigit() or not 1 <= int(seen) <= current.version:
        abort(400)
    return int(seen), hub_app().get(current.id, version=int(seen))


def changed_meanwhile() -> str:
    return str(_("This record was changed since you opened it. Check what changed, then save again."))


def differences(before: Any, after: Any, name_of: Callable[[UUID], str]) -> list[tuple[str, str, str]]:
    """``(label, was, is now)`` for every public attribute that differs between two states of a record."""
    found = []
    for attribute, now in vars(after).items():
        was = getattr(before, attribute, None)
        if attribute.startswith("_") or was == now:
            continue
        found.append((field_label(attribute), show(was, name_of), show(now, name_of)))
    return found


# -- the pages of records that have no page of their own elsewhere ---------------

def _record_page(kind: str, record_id: UUID) -> str:
    desk = KINDS[kind]
    found = record(desk.cls, record_id)
    name_of = names_of_records()
    lang = language()

    def fact(attribute: str, value: Any) -> str:
        if (kind, attribute) in CODED and isinstance(value, str):
            return CODED[kind, attribute].label(value, lang)  # "webinarium", not "webinar"
        if isinstance(value, date):
            return known_date(value, "long")  # as the other pages show a date: "24 września 2028", not 2028-09-24
        ids = [value] if isinstance(value, UUID) else value if isinstance(value, list) else []
        if ids and all(isinstance(i, UUID) for i in ids):  # organisers, participants: to their pages
            return Markup(", ").join(_linked(i, name_of) for i in ids)
        return show(value, name_of)

    facts = [(field_label(k), fact(k, v)) for k, v in vars(found).items() if not k.startswith("_") and k != "synthetic"]
    return render_template("record.html", r=found, kind=kind, facts=facts, name=catalogue.display_name(found))


def _linked(record_id: UUID, name_of: Callable[[UUID], str]) -> Markup:
    """A record's name, linked to its page (the page its desk names) when the hub knows it."""
    found = read_models().record(record_id)
    desk = next((d for d in KINDS.values() if type(found) is d.cls), None)
    if desk is None:
        return escape(name_of(record_id))
    return Markup('<a href="{}">{}</a>').format(url_for(desk.page, record_id=record_id), name_of(record_id))


@bp.get("/meetings/<uuid:record_id>")
def meeting(record_id: UUID) -> str:
    return _record_page("meetings", record_id)


@bp.get("/projects/<uuid:record_id>")
def project(record_id: UUID) -> str:
    return _record_page("projects", record_id)


@bp.get("/initiatives/<uuid:record_id>")
def initiative(record_id: UUID) -> str:
    return _record_page("initiatives", record_id)


# -- the pickers' suggestions ---------------------------------------------------

@bp.get("/suggest")
def suggest() -> Response:
    """Names for a picker: ``?kinds=organisations,partnerships&q=lodz`` → up to 10 ``{id, name, kind, unique}``."""
    kinds = tuple(k for k in request.args.get("kinds", "").split(",") if k in catalogue.KINDS and k != "accounts")
    if not kinds:
        abort(400)
    models = read_models()
    found = catalogue.suggest(models, kinds, request.args.get("q", ""))
    taken = Counter(catalogue.fold(catalogue.display_name(r)) for kind in kinds
                    for r in models.records(catalogue.KINDS[kind]))
    return jsonify([{"id": str(r.id), "name": catalogue.display_name(r), "kind": kind,
                     "detail": getattr(r, "city", None) or "",
                     "unique": taken[catalogue.fold(catalogue.display_name(r))] == 1}
                    for kind, r in found])
