"""Every error as an RFC 9457 problem: one JSON shape, the right status, never a traceback.

400 malformed · 401 no or bad token · 403 wrong role or not your organisation ·
404 unknown id · 405 with ``Allow`` · 409 conflict · 422 field errors.
"""

from __future__ import annotations

import http
import logging
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError
from flask import Flask, Response, json, redirect, render_template, request, session, url_for
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from hub.errors import (
    ConcurrencyConflict,
    Forbidden,
    HubError,
    InvalidCommand,
    NotFound,
    StateConflict,
    Unauthenticated,
    _flatten,
)

log = logging.getLogger(__name__)
UNREACHABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg_pool.PoolTimeout)

STATUS: dict[type[HubError], int] = {
    InvalidCommand: 422,
    StateConflict: 409,
    ConcurrencyConflict: 409,
    NotFound: 404,
    Unauthenticated: 401,
    Forbidden: 403,
}
TITLES = {400: "Bad request", 401: "Unauthorised", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Payload too large", 415: "Unsupported media type",
          422: "Invalid input", 500: "Internal server error"}


def status_of(error: HubError) -> int:
    """The HTTP status that tells what kind of refusal ``error`` is (422, 409, 404, 401, 403)."""
    return next((code for cls, code in STATUS.items() if isinstance(error, cls)), 400)


class ProblemSchema(Schema):
    """The body of every error response (RFC 9457 problem details)."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "field → messages"})
    refused_by = fields.String(validate=validate.OneOf(["schema", "rule"]), metadata={
        "description": "on 422: `schema` when the input breaks what this document states; `rule` when it is "
                       "well-formed but a business rule the document cannot state refuses it (a record that does "
                       "not exist, dates out of order, a log shorter than asked)"})


def problem(status: int, detail: str, errors: dict[str, list[str]] | None = None,
            headers: dict[str, str] | None = None, refused_by: str | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
                            "detail": detail}
    if errors:
        body["errors"] = errors
    if refused_by:
        body["refused_by"] = refused_by
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
    return response


PROBLEM_JSON = "application/problem+json"


class HubApi(Api):
    """flask-smorest's Api with problem-details errors that keep Werkzeug's headers (e.g. ``Allow``)."""

    ERROR_SCHEMA = ProblemSchema

    def _openapi_json(self) -> Response:
        """The OpenAPI document, with what apispec writes for an optional nested object made exact.

        For ``Nested(..., allow_none=True)`` apispec 6 writes ``anyOf: [{$ref}, {type: object, nullable: true}]``,
        whose second branch admits *any* object; the server accepts the nested object or null, nothing else.
        """
        return Response(json.dumps(_exact_nulls(self.spec.to_dict()), indent=2, ensure_ascii=False),
                        mimetype="application/json")

    def _register_responses(self) -> None:
        """Document error responses as ``application/problem+json``, which is what they are."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            content_type = PROBLEM_JSON if status >= 400 else self.DEFAULT_RESPONSE_CONTENT_TYPE
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if not request.path.startswith("/api"):
            return page(error.code or 500, error.description or "", headers)
        data = getattr(error, "data", None) or {}
        headers.update(data.get("headers") or {})
        if error.code == 422 and "messages" in data:
            # webargs: {"json": {...}} or {"query": {...}} → "field": [...]
            messages = data["messages"]
            flat: dict[str, list[str]] = {}
            for location in messages.values():
                flat.update(_flatten(location))
            return problem(422, "the request has invalid fields", flat, headers, refused_by="schema")
        if error.code == 500:
            return problem(500, "the server could not complete the request; nothing was stored", headers=headers)
        detail = data.get("message") or error.description or TITLES.get(error.code or 500, "Error")
        return problem(error.code or 500, detail, headers=headers)


def _exact_nulls(node: Any) -> Any:
    if isinstance(node, dict):
        if "anyOf" in node:
            node["anyOf"] = [{"nullable": True, "enum": [None]} if branch == {"type": "object", "nullable": True}
                             else branch for branch in node["anyOf"]]
        for value in node.values():
            _exact_nulls(value)
    elif isinstance(node, list):
        for value in node:
            _exact_nulls(value)
    return node


def page(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """An error as an HTML page, for people in the UI."""
    body = render_template("error.html", status=status, detail=detail)
    return Response(body, status=status, mimetype="text/html", headers=headers)


def register(app: Flask) -> None:
    @app.errorhandler(HubError)
    def hub_error(error: HubError) -> WerkzeugResponse:
        status = status_of(error)
        if not request.path.startswith("/api"):
            if status == 401:
                session.pop("account_id", None)
                return redirect(url_for("ui.signin.signin"))
            return page(status, str(error))
        return problem(status, str(error), error.errors, refused_by="rule" if status == 422 else None)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            api: HubApi = app.extensions["hub_api"]
            return api.handle_http_exception(error)
        if isinstance(error, UNREACHABLE):
            # The database is briefly away (restarting, failing over): say so, and when to try again. A retry
            # with the same Idempotency-Key stores the record once.
            log.warning("the database is unreachable: %s", str(error).splitlines()[0] if str(error) else error)
            detail = "the database is briefly unreachable; nothing was stored — try again in a moment"
            if not request.path.startswith("/api"):
                return page(503, detail, {"Retry-After": "2"})
            return problem(503, detail, headers={"Retry-After": "2"})
        log.exception("unexpected error")
        if not request.path.startswith("/api"):
            return page(500, "")
        return problem(500, "the server could not complete the request; nothing was stored")
