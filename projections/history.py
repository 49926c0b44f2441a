"""The audit explorer's read side: the log searched by type, actor, record and time; versions side by side."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from hub.application import HubApplication
from hub.log import LoggedEvent, record_state

SCAN_PAGE = 1000


def search_log(app: HubApplication, after: int = 0, limit: int = 50, *, event_type: str | None = None,
               actor: str | None = None, aggregate_id: UUID | None = None,
               since: datetime | None = None, until: datetime | None = None,
               scan_limit: int = 200_000) -> tuple[list[LoggedEvent], int | None]:
    """Up to ``limit`` events after ``after`` that match every filter, and where to continue.

    Scans at most ``scan_limit`` events per call, so one page never reads the whole log;
    the returned position continues the search (None at the end of the log).
    """
    found: list[LoggedEvent] = []
    position, scanned, last = after, 0, app.log_length()
    while position < last and len(found) < limit and scanned < scan_limit:
        page = app.read_log(after=position, limit=SCAN_PAGE)
        if not page:
            break
        for e in page:
            position = e.position or position  # events read from the log always carry their position
            scanned += 1
            if ((event_type is None or e.event_type == event_type or f"{e.aggregate_type}.{e.event_type}" == event_type)
                    and (actor is None or e.actor == actor)
                    and (aggregate_id is None or e.aggregate_id == aggregate_id)
                    and (since is None or e.recorded_at >= since)
                    and (until is None or e.recorded_at <= until)):
                found.append(e)
                if len(found) == limit:
                    break
    return found, (position if position < last else None)


def versions(app: HubApplication, aggregate_id: Any) -> list[dict[str, Any]]:
    """Each event of a record with the state it produced and what changed from the previous state."""
    history = app.history(aggregate_id)  # validates the id, gives actors and record times
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    record: Aggregate | None = None
    stored = cast("list[Aggregate.Event]", app.events.get(history[0].aggregate_id))
    for event, domain_event in zip(history, stored, strict=True):
        record = domain_event.mutate(record)  # one replay, folding forward
        state = record_state(record)
        state.pop("modified_on", None)
        changes = {k: (previous.get(k), v) for k, v in state.items() if previous.get(k) != v and k != "version"}
        out.append({"event": event, "state": state, "changes": changes})
        previous = state
    return out
