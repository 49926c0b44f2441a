"""Query parameters an API endpoint does not declare are refused (400, naming them).

Before this, ``GET /api/partnerships/<id>?valid_at=2021-06-01`` answered the record as it
stands now — an answer that looks right and is not. Each endpoint's known parameters are
read once from the schemas its flask-smorest views declare (the same ones the OpenAPI
document shows), so a new filter is known the moment it is declared.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from web.problems import problem


def declared_query_parameters(app: Flask) -> dict[str, frozenset[str]]:
    """Endpoint → the query parameter names its view declares (by their names on the wire)."""
    known: dict[str, frozenset[str]] = {}
    for endpoint, view in app.view_functions.items():
        apidoc: dict[str, Any] = getattr(view, "_apidoc", None) or {}
        names: set[str] = set()
        for parameter in apidoc.get("arguments", {}).get("parameters", []):
            if parameter.get("in") == "query":
                schema = parameter["schema"]
                fields = (schema if not isinstance(schema, type) else schema()).fields
                names |= {field.data_key or name for name, field in fields.items()}
        known[endpoint] = frozenset(names)
    return known


def refuse_unknown_parameters(app: Flask) -> None:
    """Install the check for every ``/api`` request (the docs pages excepted: they are for browsers)."""
    known = declared_query_parameters(app)

    @app.before_request
    def check_query() -> Response | None:
        if not request.path.startswith("/api") or request.endpoint is None or request.path.startswith("/api/docs"):
            return None
        unknown = sorted(set(request.args) - known.get(request.endpoint, frozenset()))
        if not unknown:
            return None
        allowed = ", ".join(sorted(known.get(request.endpoint, ()))) or "none"
        return problem(400, f"unknown query parameter(s): {', '.join(unknown)} (this endpoint takes: {allowed})",
                       {name: ["Unknown query parameter."] for name in unknown})
