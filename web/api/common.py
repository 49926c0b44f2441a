"""What every recorded kind's API shares: list, read (now, at a version or a time), history, and
the shape of its commands.

Each resource has its own module (``organisations``, ``partnerships``…) with one
view per command, named after it, so ``terminate`` is found by looking for it.
A command view is one call to the service; :meth:`RecordBlueprint.command`
gives it the route, the body schema and the "who may" text from the command's
one declaration (``hub.commands``), and answers with the record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hub.commands import Command
from hub.errors import InvalidCommand, NotFound
from hub.log import in_business_time
from hub.moments import parse_as_of
from projections import catalogue
from web import schemas
from web.context import hub_app, read_models, require_reader_of_everything
from web.problems import PROBLEM_JSON, TITLES, ProblemSchema

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)

View = Callable[..., Any]


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    return key.strip() if key else None


def expected_version() -> int | None:
    """``If-Match: 3`` makes a command conditional on the version the client saw."""
    value = request.headers.get("If-Match")
    if value is None:
        return None
    value = value.strip().strip('"')
    if not value.isdigit():
        raise InvalidCommand("If-Match takes the record's version number", "If-Match")
    return int(value)


def record_of(kind: str, record_id: UUID, version: int | None = None, written: bool = False) -> Any:
    """The record to answer with; ``written``: the one this request's command just saved (not read back)."""
    fresh = hub_app().just_saved(record_id) if written else None
    if isinstance(fresh, catalogue.KINDS[kind]):
        return fresh
    record = hub_app().get(record_id, version=version)
    if not isinstance(record, catalogue.KINDS[kind]):
        raise NotFound(f"no {kind[:-1]} has id {record_id}", "id")
    return record


def version_as_of(record_id: UUID, as_of: str) -> int:
    """The record's version as the hub knew it at a record time or log position."""
    try:
        moment = parse_as_of(as_of)
    except ValueError as error:
        raise InvalidCommand(str(error), "as_of") from None
    return hub_app().version_as_of(record_id, moment)


def documents_problems(blp: Blueprint, *codes: int) -> Callable[[View], View]:
    """Document the problem responses a view can give."""
    def decorate(view: View) -> View:
        for code in codes:
            view = blp.alt_response(code, schema=ProblemSchema, description=TITLES.get(code),
                                    content_type=PROBLEM_JSON)(view)
        return view
    return decorate


class Annotated:
    """A record read together with what this response adds to it (a receipt, a new token)."""

    def __init__(self, record: Any, **extra: Any):
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def with_receipt(out: type[Schema]) -> type[Schema]:
    return type(f"{out.__name__}WithReceipt", (out,), {
        "receipt": fields.Nested(schemas.Receipt, allow_none=True, metadata={
            "description": "keep it: proves offline that the log holds this record (hub audit verify-receipt); "
                           "null until the next checkpoint is signed (within a second): then fetch receipt_url"}),
        "receipt_url": fields.String(metadata={"description": "where the receipt is, once signed"})})


def page_schema(out: type[Schema]) -> type[Schema]:
    return type(f"{out.__name__}Page", (schemas.Out,), {
        "items": fields.List(fields.Nested(out)), "total": fields.Integer(),
        "page": fields.Integer(), "page_size": fields.Integer()})


def who_may(declaration: Command) -> str:
    return f"Who may: {declaration.rule.description}."


class RecordBlueprint(Blueprint):
    """The API of one recorded kind under ``/api/<kind>``."""

    def __init__(self, kind: str, out: type[Schema], description: str):
        super().__init__(kind, __name__, url_prefix=f"/api/{kind}", description=description)
        self.kind = kind
        self.out = out

    def add_reads(self, filters: type[Schema], readers_only: bool = False) -> None:
        """``GET`` the list (filters, pages), one record (now, ``?version``, ``?as_of``) and its history."""
        kind, out = self.kind, self.out

        @self.route("", methods=["GET"], endpoint="list")
        @self.arguments(filters, location="query", as_kwargs=True)
        @self.response(200, page_schema(out))
        def list_records(page: int, page_size: int, q: str | None = None, **filters: Any) -> dict[str, Any]:
            """List with filters and pages (name search ignores case and Polish diacritics)."""
            if readers_only:
                require_reader_of_everything()
            items, total = catalogue.search(read_models(), kind, page=page, page_size=page_size, q=q, **filters)
            return {"items": items, "total": total, "page": page, "page_size": page_size}

        @self.route("/<uuid:record_id>", methods=["GET"], endpoint="read")
        @self.arguments(schemas.AtArgs, location="query", as_kwargs=True)
        @self.response(200, out)
        def read(record_id: UUID, version: int | None = None, as_of: str | None = None,
                 valid_at: date | None = None) -> Any:
            """The record now, at a ``version``, or ``as_of`` a record time; ``valid_at`` reads it in business time."""
            if readers_only:
                require_reader_of_everything()
            if as_of is not None:
                version = version_as_of(record_id, as_of)
            record = record_of(kind, record_id, version)
            return record if valid_at is None else Annotated(record, **in_business_time(record, valid_at))

        @self.route("/<uuid:record_id>/history", methods=["GET"], endpoint="history")
        @self.response(200, schemas.LoggedEvent(many=True))
        def history(record_id: UUID) -> Any:
            """Every event of the record with its actor and record time (managers and auditors)."""
            require_reader_of_everything()
            record_of(kind, record_id)
            return hub_app().history(record_id)

    def creates(self, declaration: Command, out: type[Schema] | None = None) -> Callable[[View], View]:
        """``POST /api/<kind>``: the view calls the service and returns the record (or it, annotated)."""
        def decorate(create: View) -> View:
            def view(data: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
                record = create(data)
                return record, 201, {"Location": f"/api/{self.kind}/{record.id}"}

            view.__name__, view.__doc__ = create.__name__, f"{create.__doc__}\n\n{who_may(declaration)}"
            documented = documents_problems(self, *WRITE_ERRORS)(view)
            documented = self.doc(parameters=[{
                "in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                "description": "a retry with the same key returns the first record and stores nothing"}])(documented)
            routed: View = self.route("", methods=["POST"], endpoint="create")(
                self.arguments(declaration.schema)(self.response(201, out or self.out)(documented)))
            return routed
        return decorate

    def command(self, path: str, declaration: Command) -> Callable[[View], View]:
        """``POST /api/<kind>/<id>/<path>``: the body is the command's input; the answer is the record."""
        kind = self.kind

        def decorate(run: View) -> View:
            def view(data: dict[str, Any], record_id: UUID) -> Any:
                record_of(kind, record_id)
                run(record_id, data)
                return record_of(kind, record_id, written=True)

            view.__name__ = run.__name__
            view.__doc__ = (f"{run.__doc__}\n\n{who_may(declaration)} "
                            "``If-Match: <version>`` makes it conditional.")
            documented = documents_problems(self, *WRITE_ERRORS)(view)
            routed: View = self.route(f"/<uuid:record_id>/{path}", methods=["POST"],
                                      endpoint=path.replace("/", "_"))(
                self.arguments(declaration.schema)(self.response(200, self.out)(documented)))
            return routed
        return decorate
