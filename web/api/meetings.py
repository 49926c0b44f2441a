"""Meetings: announce, reschedule, record as held, cancel (managers)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub import commands as cmd
from web import schemas
from web.api.common import RecordBlueprint, expected_version, idempotency_key, record_of
from web.context import hub_app, principal

blp = RecordBlueprint("meetings", schemas.Meeting, "Meetings: list, create, read at any moment, history and commands.")
blp.add_reads(schemas.MeetingFilters)


@blp.creates(cmd.ANNOUNCE_MEETING)
def announce(data: dict[str, Any]) -> Any:
    """Announce a meeting."""
    new_id = hub_app().announce_meeting(by=principal(), client_key=idempotency_key(), **data)
    return record_of("meetings", new_id, written=True)


@blp.command("reschedule", cmd.RESCHEDULE_MEETING)
def reschedule(record_id: UUID, data: dict[str, Any]) -> None:
    """Move the meeting to another day or place."""
    hub_app().reschedule_meeting(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("held", cmd.RECORD_MEETING_HELD)
def held(record_id: UUID, data: dict[str, Any]) -> None:
    """Record that the meeting was held, with its attendance."""
    hub_app().record_meeting_held(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("cancel", cmd.CANCEL_MEETING)
def cancel(record_id: UUID, data: dict[str, Any]) -> None:
    """Cancel the meeting, with a reason."""
    hub_app().cancel_meeting(record_id, by=principal(), expected_version=expected_version(), **data)
