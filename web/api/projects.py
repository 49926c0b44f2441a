"""Framework projects: register and amend (managers); partnerships refer to them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import RecordBlueprint, expected_version, idempotency_key, record_of
from web.context import hub_app, principal

blp = RecordBlueprint("projects", schemas.Project,
                      "Framework projects (e.g. ZSK 4 of POWER): list, create, read at any moment, history, amend.")
blp.add_reads(schemas.ProjectFilters)


@blp.creates(cmd.REGISTER_PROJECT)
def register(data: dict[str, Any]) -> Any:
    """Register a framework project: name, programme, operating organisation, period."""
    new_id = hub_app().register_project(by=principal(), client_key=idempotency_key(), **data)
    return record_of("projects", new_id, written=True)


@blp.command("amend", cmd.AMEND_PROJECT)
def amend(record_id: UUID, data: dict[str, Any]) -> None:
    """Amend the project's name, programme, operator or period."""
    hub_app().amend_project(record_id, by=principal(), expected_version=expected_version(), **data)
