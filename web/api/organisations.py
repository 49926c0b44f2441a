"""Organisations: register, rename, move, update details (managers)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import RecordBlueprint, expected_version, idempotency_key, record_of
from web.context import hub_app, principal

blp = RecordBlueprint("organisations", schemas.Organisation,
                      "Organisations: list, create, read at any moment, history and commands.")
blp.add_reads(schemas.OrganisationFilters)


@blp.creates(cmd.REGISTER_ORGANISATION)
def register(data: dict[str, Any]) -> Any:
    """Register an organisation."""
    new_id = hub_app().register_organisation(by=principal(), client_key=idempotency_key(), **data)
    return record_of("organisations", new_id, written=True)


@blp.command("rename", cmd.RENAME_ORGANISATION)
def rename(record_id: UUID, data: dict[str, Any]) -> None:
    """Rename the organisation."""
    hub_app().rename_organisation(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("move", cmd.MOVE_ORGANISATION)
def move(record_id: UUID, data: dict[str, Any]) -> None:
    """Move the organisation to another region or city."""
    hub_app().move_organisation(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("details", cmd.UPDATE_ORGANISATION_DETAILS)
def details(record_id: UUID, data: dict[str, Any]) -> None:
    """Update the organisation's kind and website."""
    hub_app().update_organisation_details(record_id, by=principal(), expected_version=expected_version(), **data)
