"""The interactive partner graph page (its data comes from the JSON API)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from hub.regions import VOIVODESHIPS
from hub.vocabulary import STANDARD_AREAS
from web.context import read_models
from web.ui.common import language
from web.ui.labels import area_name

bp = Blueprint("graph", __name__)


@bp.get("/graph")
def partner_graph() -> str:
    ticks = [(position, at.isoformat(timespec="minutes")) for position, at in read_models().ticks()]
    areas = {code: area_name(code, language()) for code in STANDARD_AREAS}
    return render_template("graph.html", regions=VOIVODESHIPS, areas=areas, ticks=ticks, today=date.today())
