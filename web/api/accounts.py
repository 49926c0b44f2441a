"""Accounts and their tokens (managers write; managers and auditors read)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import (
    WRITE_ERRORS,
    Annotated,
    RecordBlueprint,
    documents_problems,
    expected_version,
    idempotency_key,
    record_of,
    who_may,
)
from web.context import hub_app, principal

blp = RecordBlueprint("accounts", schemas.Account,
                      "People using the hub: roles and bearer tokens (shown once, stored as hashes).")
blp.add_reads(schemas.AccountFilters, readers_only=True)


@blp.creates(cmd.CREATE_ACCOUNT, out=schemas.AccountWithToken)
def create_account(data: dict[str, Any]) -> Any:
    """Create an account with its first token; the token is in this response only.

    A retry with the same ``Idempotency-Key`` returns the account with ``token: null``:
    the clear token was never stored.
    """
    account_id, token = hub_app().open_account(by=principal(), client_key=idempotency_key(), **data)
    return Annotated(record_of("accounts", account_id, written=True), token=token)


@blp.route("/<uuid:record_id>/tokens", methods=["POST"], endpoint="issue_token")
@blp.arguments(cmd.ISSUE_TOKEN.schema)
@blp.response(201, schemas.Token)
@documents_problems(blp, *WRITE_ERRORS)
def issue_token(data: dict[str, Any], record_id: UUID) -> Any:
    record_of("accounts", record_id)
    return hub_app().issue_token(record_id, by=principal(), **data)


issue_token.__doc__ = f"Issue another token (shown once).\n\n{who_may(cmd.ISSUE_TOKEN)}"


@blp.route("/<uuid:record_id>/tokens/<token_id>", methods=["DELETE"], endpoint="revoke_token")
@blp.response(200, schemas.Account)
@documents_problems(blp, *WRITE_ERRORS)
def revoke_token(record_id: UUID, token_id: str) -> Any:
    record_of("accounts", record_id)
    hub_app().revoke_token(record_id, by=principal(), token_id=token_id)
    return record_of("accounts", record_id, written=True)


revoke_token.__doc__ = f"Revoke a token.\n\n{who_may(cmd.REVOKE_TOKEN)}"


@blp.command("roles", cmd.GRANT_ROLE)
def grant_role(record_id: UUID, data: dict[str, Any]) -> None:
    """Grant the account a role."""
    hub_app().grant_role(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("roles/revoke", cmd.REVOKE_ROLE)
def revoke_role(record_id: UUID, data: dict[str, Any]) -> None:
    """Revoke a role from the account."""
    hub_app().revoke_role(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("disable", cmd.DISABLE_ACCOUNT)
def disable(record_id: UUID, data: dict[str, Any]) -> None:
    """Disable the account: its tokens stop working."""
    hub_app().disable_account(record_id, by=principal(), expected_version=expected_version(), **data)
