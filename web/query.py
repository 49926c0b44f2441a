"""Query parameters an API endpoint does not declare are refused (400, naming them), and so is
one that takes a single value given more than once.

Before this, ``GET /api/partnerships/<id>?valid_at=2021-06-01`` answered the record as it
stands now — an answer that looks right and is not; and ``?q=IBE&q=KO`` searched for the
first and said nothing of the second. Each endpoint's known parameters are read once from
the schemas its flask-smorest views declare (the same ones the OpenAPI document shows), so a
new filter is known the moment it is declared.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from marshmallow import fields as ma_fields

from web.problems import problem


def declared_query_parameters(app: Flask) -> dict[str, dict[str, bool]]:
    """Endpoint → the query parameters its view declares (by their names on the wire), each with
    whether it takes a list (given once per value, ``?kind=a&kind=b``)."""
    known: dict[str, dict[str, bool]] = {}
    for endpoint, view in app.view_functions.items():
        apidoc: dict[str, Any] = getattr(view, "_apidoc", None) or {}
        names: dict[str, bool] = {}
        for parameter in apidoc.get("arguments", {}).get("parameters", []):
            if parameter.get("in") == "query":
                schema = parameter["schema"]
                declared = (schema if not isinstance(schema, type) else schema()).fields
                names |= {field.data_key or name: isinstance(field, ma_fields.List) for name, field in declared.items()}
        known[endpoint] = names
    return known


def refuse_unknown_parameters(app: Flask) -> None:
    """Install the check for every ``/api`` request (the docs pages excepted: they are for browsers)."""
    known = declared_query_parameters(app)

    @app.before_request
    def check_query() -> Response | None:
        if not request.path.startswith("/api") or request.endpoint is None or request.path.startswith("/api/docs"):
            return None
        declared = known.get(request.endpoint, {})
        unknown = sorted(set(request.args) - set(declared))
        if unknown:
            allowed = ", ".join(sorted(declared)) or "none"
            return problem(400, f"unknown query parameter(s): {', '.join(unknown)} (this endpoint takes: {allowed})",
                           {name: ["Unknown query parameter."] for name in unknown})
        repeated = sorted(name for name in request.args if not declared[name] and len(request.args.getlist(name)) > 1)
        if repeated:
            detail = f"query parameter(s) given more than once: {', '.join(repeated)} (each takes one value)"
            return problem(400, detail, {name: ["Give this parameter once."] for name in repeated})
        return None
