"""The dashboard, the lists and the pages of partnerships and organisations."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from hub.organisation import Organisation
from hub.partnership import Partnership
from projections.overview import overview
from projections.profiles import organisation_profile, partnership_profile
from web.context import hub_app, read_models
from web.ui.common import business_day, record

bp = Blueprint("pages", __name__)


@bp.get("/")
def dashboard() -> tuple[str, int]:
    """The dashboard on a business date (``?on=``, today by default; see :func:`business_day`)."""
    asked = request.args.get("on") or None
    day, notice, errors = business_day(asked, "on")
    page = render_template("dashboard.html", o=overview(read_models(), hub_app(), day), asked=asked, notice=notice,
                           errors=errors, trend_columns=trend_columns())
    return page, 422 if errors else 200


def trend_columns() -> list[tuple[str, str]]:
    """The trend's columns (``projections.trends.COLUMNS``) with their labels in the reader's language."""
    return [("quarter", _("Quarter")), ("day", _("Valid at")), ("active_partnerships", _("Active partnerships")),
            ("inter_regional_links", _("Inter-regional links")), ("meetings_held", _("Meetings held")),
            ("exchanges_confirmed", _("Confirmed exchanges")), ("isolated_partnerships", _("Isolated partnerships")),
            ("regions_covered", _("Regions covered"))]


@bp.get("/partnerships/<uuid:record_id>")
def partnership(record_id: UUID) -> str:
    found = record(Partnership, record_id)
    return render_template("partnership.html", p=partnership_profile(read_models(), hub_app(), found),
                           today=date.today())


@bp.get("/organisations/<uuid:record_id>")
def organisation(record_id: UUID) -> str:
    found = record(Organisation, record_id)
    return render_template("organisation.html", o=organisation_profile(read_models(), hub_app(), found),
                           today=date.today())
