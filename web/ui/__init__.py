"""The HTML UI: server-rendered pages over the same service and read models as the API.

Thin like the API: it parses forms, checks who is signed in, calls ``hub`` or
``projections`` and renders. Every form carries a CSRF token (Flask-WTF).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from hub.errors import HubError, InvalidCommand, NotFound, Unauthenticated
from hub.exchange import ExperienceExchange
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.regions import REGIONS, VOIVODESHIPS
from hub.vocabulary import ORGANISATION_KINDS, ROLES, STANDARD_AREAS
from projections import catalogue
from projections.history import search_log, versions
from projections.overview import overview
from projections.profiles import actor_names, names, organisation_profile, partnership_profile
from web.i18n import LANGUAGES

bp = Blueprint("ui", __name__)

PUBLIC_ENDPOINTS = {"ui.signin", "ui.language", "static"}


def hub_app() -> Any:
    return current_app.extensions["hub"]


def graph() -> Any:
    return current_app.extensions["hub_graph"]


def roles() -> set[str]:
    return set(g.principal.roles) if g.get("principal") else set()


@bp.before_app_request
def require_sign_in() -> Any:
    if request.path.startswith("/api") or request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if g.get("principal") is None and not current_app.config["HUB_PUBLIC_READ"]:
        return redirect(url_for("ui.signin", next=request.full_path.rstrip("?")))
    return None


@bp.app_context_processor
def template_helpers() -> dict[str, Any]:
    return {
        "principal": g.get("principal"),
        "roles": roles(),
        "can_audit": bool(roles() & {"manager", "auditor"}),
        "lang": session.get("lang") or request.accept_languages.best_match(LANGUAGES) or "pl",
        "languages": LANGUAGES,
        "region_name": lambda code: REGIONS.get(code, code),
        "role_label": role_label,
        "actor_name": _actor_name,
        "kind_label": lambda kind: ORGANISATION_KINDS.get(kind, (kind, kind))[0 if _lang() == "pl" else 1],
    }


@bp.app_template_filter("region_name")
def region_name_filter(code: str) -> str:
    return REGIONS.get(code, code)


def _actor_name(actor: str) -> str:
    """The name of the account an event records as actor (looked up once per request)."""
    if "actor_names" not in g:
        g.actor_names = actor_names(graph())
    return g.actor_names.get(actor, "")


def _lang() -> str:
    return session.get("lang") or request.accept_languages.best_match(LANGUAGES) or "pl"


def role_label(role: str) -> str:
    return ROLES.get(role, (role, role))[0 if _lang() == "pl" else 1]


def require_role(*allowed: str) -> None:
    if not (roles() & set(allowed)):
        abort(403)


# -- signing in -------------------------------------------------------------------

@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    error = None
    token = request.values.get("token", "").strip()
    if request.method == "POST":
        try:
            principal = hub_app().redeem_sign_in_link(token)
        except (Unauthenticated, InvalidCommand, NotFound):
            error = _("This sign-in link is not valid or was already used. Ask a manager for a new one.")
        else:
            session.clear()
            session["account_id"] = str(principal.account_id)
            target = request.form.get("next") or url_for("ui.dashboard")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("ui.dashboard"))
    return render_template("signin.html", token=token, error=error, next=request.values.get("next", "")), 401 if error else 200


@bp.post("/signout")
def signout() -> Any:
    session.pop("account_id", None)
    return redirect(url_for("ui.signin"))


@bp.get("/lang/<code>")
def language(code: str) -> Any:
    if code in LANGUAGES:
        session["lang"] = code
    target = request.args.get("next", "/")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")


# -- reading ----------------------------------------------------------------------

@bp.get("/")
def dashboard() -> str:
    return render_template("dashboard.html", o=overview(graph(), hub_app(), date.today()))


def _listing(kind: str, regions: dict[str, str]) -> str:
    """A list page: name search (diacritics ignored) and a region filter, sorted by name."""
    region = request.args.get("region") or None
    items, total = catalogue.search(graph(), kind, page_size=10_000, q=request.args.get("q") or None,
                                    region=region if region in REGIONS else None)
    return render_template(f"{kind}.html", items=sorted(items, key=lambda r: r.name), total=total,
                           regions=regions, today=date.today())


@bp.get("/partnerships")
def partnerships() -> str:
    return _listing("partnerships", VOIVODESHIPS)


@bp.get("/partnerships/<uuid:record_id>")
def partnership(record_id: UUID) -> str:
    record = _record(Partnership, record_id)
    return render_template("partnership.html", p=partnership_profile(graph(), hub_app(), record), today=date.today())


@bp.get("/organisations")
def organisations() -> str:
    return _listing("organisations", REGIONS)


@bp.get("/organisations/<uuid:record_id>")
def organisation(record_id: UUID) -> str:
    record = _record(Organisation, record_id)
    return render_template("organisation.html", o=organisation_profile(graph(), hub_app(), record))


@bp.get("/graph")
def partner_graph() -> str:
    return render_template("graph.html", regions=VOIVODESHIPS, areas=STANDARD_AREAS,
                           last_position=hub_app().log_length(), today=date.today())


def _record(cls: type, record_id: UUID) -> Any:
    try:
        record = hub_app().get(record_id)
    except NotFound:
        abort(404)
    if not isinstance(record, cls):
        abort(404)
    return record


# -- audit explorer -----------------------------------------------------------------

def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@bp.get("/audit")
def audit() -> str:
    require_role("manager", "auditor")
    args = request.args
    after = int(args["after"]) if args.get("after", "").isdigit() else 0
    try:
        aggregate = UUID(args["record"]) if args.get("record") else None
    except ValueError:
        aggregate = None
    verification = hub_app().verify_log() if args.get("verify") else None
    events, next_after = search_log(
        hub_app(), after=after, limit=50, event_type=args.get("type") or None, actor=args.get("actor") or None,
        aggregate_id=aggregate, since=_when(args.get("since")), until=_when(args.get("until")))
    return render_template("audit.html", events=events, next_after=next_after, args=args, names=names(graph()),
                           last=hub_app().log_length(), verification=verification,
                           head=hub_app().ledger.latest_head())


@bp.get("/audit/<uuid:record_id>")
def audit_record(record_id: UUID) -> str:
    require_role("manager", "auditor")
    try:
        steps = versions(hub_app(), record_id)
    except NotFound:
        abort(404)
    return render_template("audit_record.html", steps=steps, record_id=record_id, names=names(graph()))


# -- the partner's desk ------------------------------------------------------------

EXCHANGE_FIELDS = ("exchanged_on", "topic", "area", "summary", "outcomes")


def _desk(form: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None,
          editing: Any = None, status: int = 200) -> Any:
    require_role("partner")
    own = g.principal.organisation_id
    mine, _total = catalogue.search(graph(), "exchanges", page_size=10_000, organisation=own)
    posted = [x for x in mine if x.organisation_id == own]
    to_confirm = [x for x in mine if x.organisation_id != own]
    orgs = sorted((o for o in graph().records(Organisation) if o.id != own), key=lambda o: o.name)
    return render_template("desk.html", posted=posted, to_confirm=to_confirm, organisations=orgs,
                           form=form or {}, errors=errors or {}, editing=editing, areas=STANDARD_AREAS,
                           names=names(graph()), own=own), status


@bp.get("/desk")
def desk() -> Any:
    return _desk()


def _exchange_form() -> dict[str, Any]:
    form = {k: request.form.get(k, "").strip() for k in EXCHANGE_FIELDS}
    form["counterpart_organisations"] = request.form.getlist("counterpart_organisations")
    return form


def _fields(form: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in form.items() if v not in ("", None)}
    fields.setdefault("exchanged_on", "")
    fields.setdefault("topic", "")
    return fields


@bp.post("/desk/exchanges")
def post_exchange() -> Any:
    require_role("partner")
    form = _exchange_form()
    try:
        hub_app().post_exchange(actor=g.principal, organisation_id=str(g.principal.organisation_id), **_fields(form))
    except HubError as error:
        return _desk(form, error.errors, status=422)
    return redirect(url_for("ui.desk"))


@bp.get("/desk/exchanges/<uuid:record_id>/edit")
def edit_exchange(record_id: UUID) -> Any:
    x = _record(ExperienceExchange, record_id)
    form = {k: getattr(x, k) or "" for k in EXCHANGE_FIELDS}
    form["counterpart_organisations"] = [str(o) for o in x.counterpart_organisations]
    return _desk(form, editing=x)


@bp.post("/desk/exchanges/<uuid:record_id>/correct")
def correct_exchange(record_id: UUID) -> Any:
    x = _record(ExperienceExchange, record_id)
    form = _exchange_form()
    fields = {k: v for k, v in _fields(form).items() if k != "counterpart_organisations" or v}
    try:
        hub_app().correct_exchange(record_id, actor=g.principal, expected_version=x.version, **fields)
    except HubError as error:
        return _desk(form, error.errors, editing=x, status=422)
    return redirect(url_for("ui.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/confirm")
def confirm_exchange(record_id: UUID) -> Any:
    try:
        hub_app().confirm_exchange(record_id, actor=g.principal, organisation_id=str(g.principal.organisation_id))
    except HubError as error:
        return _desk(errors=error.errors, status=409)
    return redirect(url_for("ui.desk"))


@bp.post("/desk/exchanges/<uuid:record_id>/retract")
def retract_exchange(record_id: UUID) -> Any:
    try:
        hub_app().retract_exchange(record_id, actor=g.principal, reason=request.form.get("reason", ""))
    except HubError as error:
        return _desk(errors={f"retract-{record_id}": error.errors.get("reason") or [str(error)]}, status=422)
    return redirect(url_for("ui.desk"))
