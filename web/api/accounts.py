"""Accounts and their tokens (managers write; managers and auditors read)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from hub import commands as cmd
from projections import catalogue
from web import schemas
from web.api.records import (WRITE_ERRORS, Annotated, add_commands, documents_problems, hub_app,
                             idempotency_key, read_models, record_of)
from web.auth import principal, require_reader_of_everything

blp = Blueprint("accounts", __name__, url_prefix="/api/accounts",
                description="People using the hub: roles and bearer tokens (shown once, stored as hashes).")


@blp.route("", methods=["GET"], endpoint="list")
@blp.arguments(schemas.AccountFilters, location="query", as_kwargs=True)
@blp.response(200, type("AccountPage", (schemas.Out,), {
    "items": schemas.fields.List(schemas.fields.Nested(schemas.Account)), "total": schemas.fields.Integer(),
    "page": schemas.fields.Integer(), "page_size": schemas.fields.Integer()}))
def list_accounts(page: int, page_size: int, q: str | None = None, **filters: Any) -> dict[str, Any]:
    require_reader_of_everything()
    items, total = catalogue.search(read_models(), "accounts", page=page, page_size=page_size, q=q, **filters)
    return {"items": items, "total": total, "page": page, "page_size": page_size}


@blp.route("", methods=["POST"], endpoint="create")
@blp.arguments(cmd.CreateAccount)
@blp.response(201, schemas.AccountWithToken)
@documents_problems(blp, *WRITE_ERRORS)
def create_account(data: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """Create an account with its first token; the token is in this response only.

    A retry with the same ``Idempotency-Key`` returns the account with ``token: null``:
    the clear token was never stored.
    """
    account_id, token = hub_app().open_account(actor=principal(), client_key=idempotency_key(), **data)
    return Annotated(record_of("accounts", account_id), token=token), 201, {"Location": f"/api/accounts/{account_id}"}


@blp.route("/<uuid:record_id>", methods=["GET"], endpoint="read")
@blp.response(200, schemas.Account)
def read_account(record_id: UUID) -> Any:
    require_reader_of_everything()
    return record_of("accounts", record_id)


@blp.route("/<uuid:record_id>/history", methods=["GET"], endpoint="history")
@blp.response(200, schemas.LoggedEvent(many=True))
def account_history(record_id: UUID) -> Any:
    require_reader_of_everything()
    record_of("accounts", record_id)
    return hub_app().history(record_id)


@blp.route("/<uuid:record_id>/tokens", methods=["POST"], endpoint="issue_token")
@blp.arguments(cmd.IssueToken)
@blp.response(201, schemas.Token)
@documents_problems(blp, *WRITE_ERRORS)
def issue_token(data: dict[str, Any], record_id: UUID) -> Any:
    """Issue another token (shown once)."""
    record_of("accounts", record_id)
    return hub_app().issue_token(record_id, actor=principal(), **data)


@blp.route("/<uuid:record_id>/tokens/<token_id>", methods=["DELETE"], endpoint="revoke_token")
@blp.response(200, schemas.Account)
@documents_problems(blp, *WRITE_ERRORS)
def revoke_token(record_id: UUID, token_id: str) -> Any:
    record_of("accounts", record_id)
    hub_app().revoke_token(record_id, actor=principal(), token_id=token_id)
    return record_of("accounts", record_id)


add_commands(blp, "accounts", schemas.Account, [
    ("roles", "grant_role", cmd.GrantRole),
    ("roles/revoke", "revoke_role", cmd.RevokeRole),
    ("disable", "disable_account", cmd.DisableAccount),
])
