"""What the UI's blueprints share: who is signed in, what they may do, the language, template helpers."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import abort, g, request, session
from flask_babel import gettext as _

from hub.authorisation import Principal
from hub.commands import POST_EXCHANGE, Command
from hub.errors import NotFound
from hub.partnership import Partnership
from hub.vocabulary import ACCOUNT_ROLES, MEMBER_ROLES, ORGANISATION_KINDS, vocabularies
from projections.overview import day_to_show
from projections.profiles import actor_names
from projections.tables import exchange_status
from web.context import current_principal, hub_app, read_models
from web.i18n import LANGUAGES
from web.ui.labels import area_name, event_label, partnership_status, region_name


def language() -> str:
    return str(session.get("lang") or request.accept_languages.best_match(LANGUAGES) or "pl")


def may(command: Command) -> bool:
    """Whether the person signed in may run ``command`` (its declared rule): which forms to show."""
    who = current_principal()
    return who is not None and command.rule.allows(who)


def require(command: Command) -> Principal:
    """The person signed in, if ``command``'s rule allows them; otherwise 403."""
    who = current_principal()
    if who is None or not command.rule.allows(who):
        abort(403)
    return who


def require_reader() -> None:
    """The audit explorer: managers and auditors (``hub.authorisation``)."""
    who = current_principal()
    if who is None or not who.reads_everything:
        abort(403)


def asked_day(asked: str | None) -> tuple[date | None, str | None]:
    """A day a person asked for as YYYY-MM-DD (None when not asked), or the words refusing one that is not a day."""
    try:
        return (date.fromisoformat(asked) if asked else None), None
    except ValueError:
        return None, str(_("A date as YYYY-MM-DD, e.g. 2021-06-01."))


def business_day(asked: str | None, field: str) -> tuple[date, dict[str, Any] | None, dict[str, list[str]]]:
    """The business date a page shows (``asked`` as YYYY-MM-DD, or today), a notice about it
    (:func:`projections.overview.day_to_show`), and errors for ``field``."""
    today = date.today()
    day, refusal = asked_day(asked)
    if refusal:
        return today, None, {field: [refusal]}
    shown, notice = day_to_show(read_models().records(Partnership), day, today)
    return shown, notice, {}


def record(cls: type, record_id: UUID) -> Any:
    """The record, if it is of kind ``cls``; otherwise 404."""
    try:
        found = hub_app().get(record_id)
    except NotFound:
        abort(404)
    if not isinstance(found, cls):
        abort(404)
    return found


def _actor_name(actor: str) -> str:
    """The name of the account an event records as actor (looked up once per request)."""
    if "actor_names" not in g:
        g.actor_names = actor_names(read_models())
    return str(g.actor_names.get(actor, ""))


def template_helpers() -> dict[str, Any]:
    who = current_principal()
    lang = language()
    return {
        "principal": who,
        "can_audit": who is not None and who.reads_everything,
        "has_desk": who is not None and who.organisation_id is not None and may(POST_EXCHANGE),
        "may": may,
        "lang": lang,
        "languages": LANGUAGES,
        "region_name": region_name,
        "role_label": lambda role: MEMBER_ROLES.label(role, lang),
        "account_role_label": lambda role: ACCOUNT_ROLES.label(role, lang),
        "actor_name": _actor_name,
        "kind_label": lambda kind: ORGANISATION_KINDS.label(kind, lang),
        "event_label": lambda e: event_label(f"{e.aggregate_type}.{e.event_type}"),  # a logged event in words
        "label": lambda vocabulary, code: vocabularies()[vocabulary].label(code, lang),
        "exchange_status": exchange_status,  # its words: label("exchange_statuses", ...)
        "partnership_status": partnership_status,  # a status code (Partnership.status_on) in words
        "declared_area": lambda area: area.get("label_en") or area["label_pl"] if lang == "en" else area["label_pl"],
        "area_name": lambda code: area_name(code, lang),  # an area code with its words
    }
