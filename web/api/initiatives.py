"""Qualification initiatives: draft, submit, include, authorise certifying institutions (managers)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import RecordBlueprint, expected_version, idempotency_key, record_of
from web.context import hub_app, principal

blp = RecordBlueprint("initiatives", schemas.Initiative,
                      "Initiatives: list, create, read at any moment, history and commands.")
blp.add_reads(schemas.InitiativeFilters)


@blp.creates(cmd.DRAFT_INITIATIVE)
def draft(data: dict[str, Any]) -> Any:
    """Draft a qualification initiative of a partnership."""
    new_id = hub_app().draft_initiative(by=principal(), client_key=idempotency_key(), **data)
    return record_of("initiatives", new_id, written=True)


@blp.command("submit", cmd.SUBMIT_INITIATIVE)
def submit(record_id: UUID, data: dict[str, Any]) -> None:
    """Record the submission to the register (ZRK)."""
    hub_app().submit_initiative(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("include", cmd.INCLUDE_INITIATIVE)
def include(record_id: UUID, data: dict[str, Any]) -> None:
    """Record the qualification's inclusion in the register."""
    hub_app().include_initiative(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("details", cmd.RECORD_INITIATIVE_DETAILS)
def record_details(record_id: UUID, data: dict[str, Any]) -> None:
    """Record the qualification's details as they become known: PRK level, type, register code, announcement."""
    hub_app().record_initiative_details(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("dates", cmd.CORRECT_INITIATIVE_DATES)
def correct_dates(record_id: UUID, data: dict[str, Any]) -> None:
    """Correct a submission or inclusion date recorded wrongly (the history keeps the first one), with a reason."""
    hub_app().correct_initiative_dates(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("certifying-institutions", cmd.AUTHORISE_CERTIFYING_INSTITUTION)
def authorise_certifying_institution(record_id: UUID, data: dict[str, Any]) -> None:
    """Record an institution authorised to certify the qualification."""
    hub_app().authorise_certifying_institution(
        record_id, by=principal(), expected_version=expected_version(), **data)
