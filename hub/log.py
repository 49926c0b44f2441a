"""How stored events and records are shown: position, record time, actor, type, payload, state.

Shared by the command line, the API and the audit read models, so the log is
described the same way wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson

from hub.initiative import QualificationInitiative
from hub.meeting import Meeting
from hub.partnership import Partnership

# Attributes every stored event has; the rest is the event's own payload.
_ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic")

#: Keys never shown (the log keeps them to check tokens; showing a hash invites guessing at it offline).
SECRETS = frozenset({"secret_hash"})

#: Events about signing in and tokens: shown on their own, apart from the record of the network.
SECURITY_EVENTS = frozenset({"Account.TokenIssued", "Account.TokenRevoked"})


def redacted(value: Any) -> Any:
    """``value`` without any :data:`SECRETS` key, at any depth.

    >>> redacted({"tokens": {"t1": {"secret_hash": "ab12", "label": "laptop"}}})
    {'tokens': {'t1': {'label': 'laptop'}}}
    """
    if isinstance(value, dict):
        return {k: redacted(v) for k, v in value.items() if k not in SECRETS}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value


@dataclass(frozen=True)
class LoggedEvent:
    position: int | None  # place in the application's global log (None when read per aggregate)
    recorded_at: datetime  # record time: when the hub learned the fact (UTC)
    actor: str
    aggregate_type: str
    aggregate_id: UUID
    version: int
    event_type: str
    payload: dict[str, Any]

    @classmethod
    def from_domain_event(cls, event: Any, position: int | None = None) -> LoggedEvent:
        aggregate_type, _, event_type = type(event).__qualname__.rpartition(".")
        payload = redacted({k: v for k, v in vars(event).items() if k not in _ENVELOPE})
        return cls(
            position=position,
            recorded_at=event.timestamp,
            actor=payload.pop("actor", "?"),
            aggregate_type=aggregate_type,
            aggregate_id=event.originator_id,
            version=event.originator_version,
            event_type=event_type,
            payload=payload,
        )

    def summary(self) -> str:
        """The payload in one line; names and titles in full, ids shortened, lists counted."""
        return " ".join(
            f"{key}={_short(value)}" for key, value in self.payload.items()
            if value is not False and value not in (None, [], {}, "")
        )


def _short(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, UUID):
        return str(value)[:8]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ",".join(value)
        return f"[{len(value)}]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_short(v)}" for k, v in value.items()) + "}"
    return str(value)


def plain(value: Any) -> Any:
    """``value`` with UUIDs and dates as strings, ready for JSON (Polish text untouched)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if type(value).__name__ == "Personal":  # a name not yet sealed (an event before it is stored)
        return str(value)
    return value


def _scalar(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()  # a date known to a year stays "2008" (``hub.dates.KnownDate``)
    if type(value).__name__ == "Personal":
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def json_bytes(value: Any) -> bytes:
    """``json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))`` as UTF-8, five times faster.

    orjson (a maintained C/Rust encoder) writes the large answers of the read side: the partnership
    view of 1,000 partnerships as of a moment (36,433 links, 11 MB) took 0.77 s with the standard
    library and takes 0.15 s. Dates go through :func:`plain`'s rule (so "2008" stays "2008").

    >>> json_bytes({"on": date(2020, 12, 8), 1: ("Rzeszów", None)})
    b'{"on":"2020-12-08","1":["Rzesz\xc3\xb3w",null]}'
    """
    # Copied to a text of its own size: orjson 3.13 hands back its buffer, 4 KB for a short text and about
    # three times the text for a long one (10.4 MB took 33 MB) — and the read side keeps these texts.
    return memoryview(orjson.dumps(value, default=_scalar, option=_OPTIONS)).tobytes()


def record_state(aggregate: Any) -> dict[str, Any]:
    """A record's current state as plain data: id, type, version, times, then its fields."""
    state = {
        "id": str(aggregate.id),
        "type": type(aggregate).__name__,
        "version": aggregate.version,
        "created_on": aggregate.created_on.isoformat(),
        "modified_on": aggregate.modified_on.isoformat(),
    }
    for key, value in vars(aggregate).items():
        if not key.startswith("_") and key != "pending_events":
            state[key] = plain(list(value.values()) if key in ("members", "areas") else value)
    return dict(redacted(state))


def in_business_time(record: Any, day: date) -> dict[str, Any]:
    """What differs when ``record`` is read as it held in the world on ``day`` (business time).

    A partnership: its members and their roles that day, and whether it was in force; an
    initiative: its status that day, and only the dates reached by then; a meeting: whether
    it took place that day. Always ``valid_at`` itself, so an answer says which day it is about.
    """
    view: dict[str, Any] = {"valid_at": day}
    if isinstance(record, Partnership):
        on = record.members_on(day)
        view.update(members=on, in_force=record.is_active_on(day),
                    former_members=[m for m in record.former_members if m["left_on"] < day])
    elif isinstance(record, QualificationInitiative):
        view.update(status=record.status_on(day),
                    submitted_on=_reached(record.submitted_on, day), included_on=_reached(record.included_on, day),
                    certifying_institutions=[c for c in record.certifying_institutions
                                             if c["authorised_on"] <= day])
    elif isinstance(record, Meeting):
        view.update(takes_place=record.takes_place_on(day))
    return view


def _reached(when: date | None, day: date) -> date | None:
    return when if when is not None and when <= day else None
