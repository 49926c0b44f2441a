"""The lists: organisations, partnerships, framework projects, meetings and exchanges.

Each list has a name search, a filter sidebar whose counts say what a click shows
(``projections.tables.browse``), sortable columns, pages that say what they leave out
("1–20 of 68"), and downloads (CSV, XLSX) of everything the filters let through, in the
columns the spreadsheet import reads (``hub.tables``), so a list can be edited and brought back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as N_

from hub.regions import REGIONS, VOIVODESHIPS, region_refusal
from hub.tables import write_csv, write_xlsx
from projections.tables import NEWEST_FIRST, browse, facets, sorts, table
from web.context import read_models
from web.ui.common import asked_day, language
from web.ui.labels import CODED, PARTNERSHIP_STATUSES, area_name, partnership_status, region_name
from web.ui.manage import names_of_records

bp = Blueprint("lists", __name__)

PER_PAGE = (20, 50, 100)


@dataclass(frozen=True)
class Listing:
    """How a list page shows a kind: its title, columns (sort name or None, label) and facets' labels."""

    title: Any
    columns: tuple[tuple[str | None, Any], ...]
    facets: dict[str, Any]


LISTINGS: dict[str, Listing] = {
    "organisations": Listing(N_("Organisations"), (
        ("name", N_("Name")), ("kind", N_("Kind")), ("region", N_("Region")), ("city", N_("City"))),
        {"region": N_("Region"), "kind": N_("Kind")}),
    "partnerships": Listing(N_("Partnerships"), (
        ("name", N_("Name")), ("region", N_("Region")), ("signed_on", N_("Signed on")),
        ("valid_until", N_("Valid until")), ("members", N_("Members")), ("status", N_("Status"))),
        {"status": N_("Status"), "region": N_("Region"), "scope": N_("Scope")}),
    "projects": Listing(N_("Framework projects"), (
        ("name", N_("Name")), ("programme", N_("Programme")), ("operator", N_("Operator")),
        ("starts_on", N_("Starts on"))),
        {"programme": N_("Programme")}),
    "meetings": Listing(N_("Meetings"), (
        ("held_on", N_("Date")), ("title", N_("Title")), ("format", N_("Format")), (None, N_("Organisers")),
        ("status", N_("Status"))),
        {"status": N_("Status"), "format": N_("Format"), "year": N_("Year")}),
    "exchanges": Listing(N_("Experience exchanges"), (
        ("exchanged_on", N_("Date")), ("topic", N_("Topic")), ("organisation", N_("Posted by")),
        (None, N_("Counterparts")), ("status", N_("Status"))),
        {"status": N_("Status"), "area": N_("Area"), "year": N_("Year")}),
}

#: The values a facet may take, where they are a closed set: anything else is reported, never ignored.
KNOWN_VALUES: dict[tuple[str, str], Any] = {
    **CODED, ("organisations", "region"): REGIONS, ("partnerships", "region"): VOIVODESHIPS,
    ("partnerships", "status"): PARTNERSHIP_STATUSES,
}


def value_label(kind: str, facet: str, code: str) -> str:
    """A facet value in the reader's language."""
    if facet == "region":
        return region_name(code)
    if facet == "area":
        return area_name(code, language())
    if (kind, facet) == ("partnerships", "status"):
        return partnership_status(code)
    known = KNOWN_VALUES.get((kind, facet))
    return known.label(code, language()) if known is not None and hasattr(known, "label") else code


def _refusal(kind: str, facet: str, value: str) -> str | None:
    known = KNOWN_VALUES.get((kind, facet))
    if facet == "region":
        return None if value in (known or {}) else str(region_refusal(value))
    if facet == "year" and not (value.isdigit() and len(value) == 4):
        return str(_("A year as four digits, e.g. 2021."))
    if known is not None and value not in known:
        return str(_("Unknown value “%(value)s”.", value=value))
    return None


def _listing(kind: str) -> Any:
    listing = LISTINGS[kind]
    today, on_error = _status_day(kind)
    chosen = {name: [v for v in request.args.getlist(name) if v] for name in facets(kind, today)}
    errors = {name: [m for m in (_refusal(kind, name, v) for v in values) if m] for name, values in chosen.items()}
    errors = {name: messages for name, messages in errors.items() if messages}
    if on_error:
        errors["on"] = [on_error]
    asked_sort = request.args.get("sort") or ""
    descending = asked_sort.startswith("-") if asked_sort else None
    sort = asked_sort.lstrip("-") or None
    if sort is not None and sort not in sorts(kind, read_models(), today):
        errors["sort"] = [_("This list cannot be sorted by “%(column)s”.", column=sort)]
    per_page = request.args.get("per", type=int) or PER_PAGE[0]
    if per_page not in PER_PAGE:
        per_page = PER_PAGE[0]
    page = max(request.args.get("page", type=int) or 1, 1)
    q = request.args.get("q") or None
    fmt = request.args.get("format")
    if errors:
        return render_template("list.html", kind=kind, listing=listing, found=None, chosen=chosen, errors=errors,
                               today=today, order=None, down=False, page=1, pages=1, per_page=per_page,
                               link=_link), 422
    models = read_models()
    found = browse(models, kind, today, q=q, chosen=chosen, sort=sort, descending=descending,
                   page=page, per_page=per_page)
    if fmt in ("csv", "xlsx"):
        columns, rows = table(models, kind, found.matches, today)
        stamp = f"{kind}-{today.isoformat()}"
        if fmt == "csv":
            return _download(write_csv(columns, rows), f"{stamp}.csv", "text/csv; charset=utf-8")
        return _download(write_xlsx({kind: (columns, rows)}), f"{stamp}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    order = sort or next(iter(sorts(kind, models, today)))
    down = descending if descending is not None else (sort is None and kind in NEWEST_FIRST)
    return render_template("list.html", kind=kind, listing=listing, found=found, chosen=chosen, errors={},
                           today=today, order=order, down=down, page=found.page, pages=found.pages, per_page=per_page,
                           link=_link, value_label=value_label,
                           name_of=names_of_records(
                               ("organisations", "partnerships", "projects"))), 200


def _status_day(kind: str) -> tuple[date, str | None]:
    """The business day a list reads statuses on: today, or for partnerships the day ``on`` names (the dashboard's
    "all active partnerships" on the date it shows), and a refusal of a day that is not one."""
    day, refusal = asked_day(request.args.get("on")) if kind == "partnerships" else (None, None)
    return day or date.today(), refusal


def _link(**changes: Any) -> str:
    """This list's address with some parameters changed (None removes one); a new filter or order starts
    again at page 1."""
    args: dict[str, list[str]] = {k: request.args.getlist(k) for k in request.args}
    if "page" not in changes:
        args.pop("page", None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    query = urlencode([(k, v) for k, values in args.items() for v in values])
    return f"{request.path}?{query}" if query else request.path


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _list_view(kind: str) -> Callable[[], Any]:
    def view() -> Any:
        return _listing(kind)
    view.__name__ = kind
    return view


for _kind in LISTINGS:  # /organisations, /partnerships, … each its own endpoint (ui.lists.organisations …)
    bp.add_url_rule(f"/{_kind}", _kind, _list_view(_kind), methods=["GET"])
