"""Partnerships: sign, members and their roles, areas, extend, amend, terminate (managers)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import RecordBlueprint, expected_version, idempotency_key, record_of
from web.context import hub_app, principal

blp = RecordBlueprint("partnerships", schemas.Partnership,
                      "Partnerships: list, create, read at any moment, history and commands.")
blp.add_reads(schemas.PartnershipFilters)


@blp.creates(cmd.SIGN_PARTNERSHIP)
def sign(data: dict[str, Any]) -> Any:
    """Record a signed partnership with its founding members."""
    new_id = hub_app().sign_partnership(by=principal(), client_key=idempotency_key(), **data)
    return record_of("partnerships", new_id, written=True)


@blp.command("members", cmd.JOIN_PARTNERSHIP)
def join(record_id: UUID, data: dict[str, Any]) -> None:
    """An organisation joins the partnership."""
    hub_app().join_partnership(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("members/role", cmd.CHANGE_MEMBER_ROLE)
def change_member_role(record_id: UUID, data: dict[str, Any]) -> None:
    """Change a member's role (making one leader hands leadership over)."""
    hub_app().change_member_role(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("members/leave", cmd.LEAVE_PARTNERSHIP)
def leave(record_id: UUID, data: dict[str, Any]) -> None:
    """A member leaves the partnership."""
    hub_app().leave_partnership(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("areas", cmd.DECLARE_AREA)
def declare_area(record_id: UUID, data: dict[str, Any]) -> None:
    """Declare an area of activity."""
    hub_app().declare_area(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("areas/withdraw", cmd.WITHDRAW_AREA)
def withdraw_area(record_id: UUID, data: dict[str, Any]) -> None:
    """Withdraw an area of activity."""
    hub_app().withdraw_area(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("extend", cmd.EXTEND_PARTNERSHIP)
def extend(record_id: UUID, data: dict[str, Any]) -> None:
    """Extend the partnership's validity."""
    hub_app().extend_partnership(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("amend", cmd.AMEND_PARTNERSHIP)
def amend(record_id: UUID, data: dict[str, Any]) -> None:
    """Amend the agreement: name, purpose, project, programme, regions or scope."""
    hub_app().amend_partnership(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("terminate", cmd.TERMINATE_PARTNERSHIP)
def terminate(record_id: UUID, data: dict[str, Any]) -> None:
    """Terminate the partnership on a business date, with a reason."""
    hub_app().terminate_partnership(record_id, by=principal(), expected_version=expected_version(), **data)
