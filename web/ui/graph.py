"""The interactive partner graph page (its data comes from the JSON API)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from hub.regions import VOIVODESHIPS
from hub.vocabulary import STANDARD_AREAS
from web.context import hub_app

bp = Blueprint("graph", __name__)


@bp.get("/graph")
def partner_graph() -> str:
    return render_template("graph.html", regions=VOIVODESHIPS, areas=STANDARD_AREAS,
                           last_position=hub_app().log_length(), today=date.today())
