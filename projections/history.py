"""The audit explorer's read side: the log searched by type, actor, record and time (newest first or
oldest first; security events apart); versions side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from hub.application import HubApplication
from hub.log import SECURITY_EVENTS, LoggedEvent, record_state

SCAN_PAGE = 1000


@dataclass(frozen=True)
class LogQuery:
    """What the audit explorer asks of the log; every field is optional.

    ``actors`` is a set of actor ids (the explorer turns a typed name into the accounts it names);
    ``security`` picks sign-in and token events only (True), everything else (False), or both (None).
    """

    event_type: str | None = None
    actors: frozenset[str] | None = None
    aggregate_id: UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    security: bool | None = False

    def might_match(self, n: Any) -> bool:
        """A look at a stored row before decoding it: False only when it certainly does not match.

        The topic names the record kind and the event; the record id is a column; an actor recorded as plain
        ASCII appears in the stored JSON as ``"actor":"…"``. Decoding is what a search costs, so a filter by
        actor over 100,000 events reads the rows and decodes only the few that may be that person's.
        """
        kind = str(n.topic).rsplit(":", 1)[-1]
        if self.event_type is not None and self.event_type not in (kind.rsplit(".", 1)[-1], kind):
            return False
        if self.security is not None and (kind in SECURITY_EVENTS) != self.security:
            return False
        if self.aggregate_id is not None and str(n.originator_id).replace("-", "") != self.aggregate_id.hex:
            return False
        if self.actors is not None and self._needles is not None:
            state = bytes(n.state)
            return any(needle in state for needle in self._needles)
        return True

    @property
    def _needles(self) -> list[bytes] | None:
        """The actors as they appear in stored JSON; None when one could be escaped there (then: decode)."""
        if self.actors is None or not all(a.isascii() and a.isprintable() and '"' not in a and "\\" not in a
                                           for a in self.actors):
            return None
        return [f'"actor":"{a}"'.encode() for a in self.actors]

    def matches(self, e: LoggedEvent) -> bool:
        kind = f"{e.aggregate_type}.{e.event_type}"
        return ((self.event_type is None or self.event_type in (e.event_type, kind))
                and (self.actors is None or e.actor in self.actors)
                and (self.aggregate_id is None or e.aggregate_id == self.aggregate_id)
                and (self.since is None or e.recorded_at >= self.since)
                and (self.until is None or e.recorded_at <= self.until)
                and (self.security is None or (kind in SECURITY_EVENTS) == self.security))


def search_log(app: HubApplication, after: int = 0, limit: int = 50, *, event_type: str | None = None,
               actor: str | None = None, aggregate_id: UUID | None = None,
               since: datetime | None = None, until: datetime | None = None,
               scan_limit: int = 200_000) -> tuple[list[LoggedEvent], int | None]:
    """Up to ``limit`` events after ``after`` that match every filter, oldest first, and where to continue.

    Scans at most ``scan_limit`` events per call, so one page never reads the whole log;
    the returned position continues the search (None at the end of the log).
    """
    query = LogQuery(event_type, None if actor is None else frozenset({actor}), aggregate_id, since, until, None)
    found: list[LoggedEvent] = []
    position, scanned, last = after, 0, app.log_length()
    while position < last and len(found) < limit and scanned < scan_limit:
        page = app.read_log(after=position, limit=SCAN_PAGE, keep=query.might_match)
        read_to, page_start = app.last_read(), position
        if read_to is None:
            break
        for e in page:
            position = e.position or position  # events read from the log always carry their position
            scanned += 1
            if query.matches(e):
                found.append(e)
                if len(found) == limit:
                    break
        else:
            scanned += (read_to - page_start) - len(page)  # rows turned down undecoded count as read
            position = read_to
    return found, (position if position < last else None)


def search_log_newest_first(app: HubApplication, query: LogQuery, before: int | None = None, limit: int = 50,
                            scan_limit: int = 200_000) -> tuple[list[LoggedEvent], int | None]:
    """Up to ``limit`` events before position ``before`` (the end of the log if None) that match
    ``query``, newest first, and the position to continue from (None at the start of the log).

    An auditor reads what happened lately first; reading backwards page by page keeps one page's
    cost independent of the log's length, as :func:`search_log` does forwards.
    """
    end = app.log_length() + 1 if before is None else min(before, app.log_length() + 1)
    found: list[LoggedEvent] = []
    scanned = 0
    while end > 1 and len(found) < limit and scanned < scan_limit:
        start = max(1, end - SCAN_PAGE)
        page = app.read_log(after=start - 1, limit=end - start, keep=query.might_match)
        scanned += (end - start) - len(page)  # rows turned down undecoded count as read
        for e in reversed(page):
            end = e.position or end
            scanned += 1
            if query.matches(e):
                found.append(e)
                if len(found) == limit:
                    break
        else:
            end = start
    return found, (end if end > 1 else None)


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
