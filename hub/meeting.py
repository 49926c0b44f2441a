"""Meeting: a conference, seminar, lecture… that partnerships organise (not the log's "event")."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict
from hub.vocabulary import MEETING_FORMATS

ANNOUNCED, HELD, CANCELLED = "announced", "held", "cancelled"


class Meeting(Aggregate):
    """A meeting is announced, may be rescheduled, and is finally held or cancelled."""

    @classmethod
    def announce(
        cls,
        id: UUID,
        title: str,
        format: str,
        held_on: date,
        organisers: list[UUID],
        actor: str,
        place: str | None = None,
        online: bool = False,
        participating_organisations: list[UUID] | None = None,
        participating_partnerships: list[UUID] | None = None,
        area: str | None = None,
        synthetic: bool = False,
    ) -> Meeting:
        MEETING_FORMATS.require(format, "format")
        if not organisers:
            raise InvalidCommand("at least one partnership organises a meeting", "organisers")
        if len(set(organisers)) != len(organisers):
            raise InvalidCommand("each organiser is named once", "organisers")
        if not place and not online:
            raise InvalidCommand("give a place or mark the meeting as online", "place")
        return cls(
            id=id, title=title, format=format, held_on=held_on, place=place, online=online,
            organisers=list(organisers),
            participating_organisations=list(participating_organisations or []),
            participating_partnerships=list(participating_partnerships or []),
            area=area, synthetic=synthetic, actor=actor,
        )

    @event("Announced")
    def __init__(
        self, id: UUID, title: str, format: str, held_on: date, place: str | None,
        online: bool, organisers: list[UUID], participating_organisations: list[UUID],
        participating_partnerships: list[UUID], area: str | None, synthetic: bool, actor: str,
    ):
        self.title = title
        self.format = format
        self.held_on = held_on
        self.place = place
        self.online = online
        self.organisers = list(organisers)
        self.participating_organisations = list(participating_organisations)
        self.participating_partnerships = list(participating_partnerships)
        self.area = area
        self.status = ANNOUNCED
        self.attendance: int | None = None
        self.cancellation_reason: str | None = None
        self.synthetic = synthetic

    def _require_announced(self) -> None:
        if self.status != ANNOUNCED:
            raise StateConflict(f"the meeting was already {self.status}", "status")

    def reschedule(self, held_on: date, actor: str, place: str | None = None, online: bool | None = None) -> None:
        self._require_announced()
        online = self.online if online is None else online
        place = self.place if place is None else place
        if not place and not online:
            raise InvalidCommand("give a place or mark the meeting as online", "place")
        self._rescheduled(held_on=held_on, place=place, online=online, actor=actor)

    def hold(
        self, attendance: int, actor: str,
        participating_organisations: list[UUID] | None = None,
        participating_partnerships: list[UUID] | None = None,
    ) -> None:
        self._require_announced()
        if attendance < 0:
            raise InvalidCommand("must not be negative", "attendance")
        self._held(
            attendance=attendance,
            participating_organisations=list(
                self.participating_organisations if participating_organisations is None
                else participating_organisations
            ),
            participating_partnerships=list(
                self.participating_partnerships if participating_partnerships is None
                else participating_partnerships
            ),
            actor=actor,
        )

    def cancel(self, reason: str, actor: str) -> None:
        self._require_announced()
        self._cancelled(reason=reason, actor=actor)

    @event("Rescheduled")
    def _rescheduled(self, held_on: date, place: str | None, online: bool, actor: str) -> None:
        self.held_on = held_on
        self.place = place
        self.online = online

    @event("Held")
    def _held(
        self, attendance: int, participating_organisations: list[UUID],
        participating_partnerships: list[UUID], actor: str,
    ) -> None:
        self.status = HELD
        self.attendance = attendance
        self.participating_organisations = list(participating_organisations)
        self.participating_partnerships = list(participating_partnerships)

    @event("Cancelled")
    def _cancelled(self, reason: str, actor: str) -> None:
        self.status = CANCELLED
        self.cancellation_reason = reason
