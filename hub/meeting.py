"""Meeting: a conference, seminar, lecture… (named so that "event" stays the log's word).

Organisations and partnerships organise and attend meetings, in any mix: an education
office's conference may predate every partnership. A meeting may last several days
(``held_on``…``ends_on``); its attendance is recorded as known — a figure, none, or an
estimate, on site and online apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, Phrase, StateConflict
from hub.evolution import evolve
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
        ends_on: date | None = None,
    ) -> Meeting:
        MEETING_FORMATS.require(format, "format")
        if not organisers:
            raise InvalidCommand("name at least one organiser (an organisation or a partnership)", "organisers")
        _require_span(held_on, ends_on)
        if len(set(organisers)) != len(organisers):
            raise InvalidCommand("each organiser is named once", "organisers")
        if not place and not online:
            raise InvalidCommand("give a place or mark the meeting as online", "place")
        return cls(
            id=id, title=title, format=format, held_on=held_on, place=place, online=online,
            organisers=list(organisers),
            participating_organisations=list(participating_organisations or []),
            participating_partnerships=list(participating_partnerships or []),
            area=area, synthetic=synthetic, ends_on=ends_on, actor=actor,
        )

    @event("Announced")
    def __init__(
        self, id: UUID, title: str, format: str, held_on: date, place: str | None,
        online: bool, organisers: list[UUID], participating_organisations: list[UUID],
        participating_partnerships: list[UUID], area: str | None, synthetic: bool, ends_on: date | None,
        actor: str,
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
        self.ends_on = ends_on
        self.attendance: int | None = None
        self.attendance_online: int | None = None
        self.attendance_estimated = False
        self.cancellation_reason: str | None = None
        self.synthetic = synthetic

    def may_change(self, today: date, holding: bool = False) -> bool:
        """Whether a change (or, ``holding``, the record that it was held) would be taken now: only an announced
        meeting changes, and it is held from its first day on. For offering only what would not be refused.

        >>> m = Meeting.announce(id=__import__("uuid").uuid4(), title="Forum", format="conference",
        ...                      held_on=date(2030, 1, 10), organisers=[__import__("uuid").uuid4()], place="Rzeszów",
        ...                      actor="t")
        >>> m.may_change(date(2030, 1, 9)), m.may_change(date(2030, 1, 9), holding=True)
        (True, False)
        """
        return self.status == ANNOUNCED and (not holding or self.held_on <= today)

    def _require_announced(self) -> None:
        if self.status != ANNOUNCED:
            raise StateConflict(f"the meeting was already {self.status}", "status")

    @property
    def last_day(self) -> date:
        """The meeting's last business day (its only one, when it lasts a day)."""
        return self.ends_on or self.held_on

    def takes_place_on(self, day: date) -> bool:
        return self.held_on <= day <= self.last_day

    def reschedule(
        self, held_on: date, actor: str, place: str | None = None, online: bool | None = None,
        ends_on: date | None = None,
    ) -> None:
        """Move the meeting; without a new ``ends_on`` it keeps lasting as many days as before."""
        self._require_announced()
        online = self.online if online is None else online
        place = self.place if place is None else place
        if not place and not online:
            raise InvalidCommand("give a place or mark the meeting as online", "place")
        if ends_on is None and self.ends_on is not None:
            ends_on = held_on + (self.ends_on - self.held_on)
        _require_span(held_on, ends_on)
        self._rescheduled(held_on=held_on, ends_on=ends_on, place=place, online=online, actor=actor)

    def hold(
        self, actor: str, attendance: int | None = None,
        participating_organisations: list[UUID] | None = None,
        participating_partnerships: list[UUID] | None = None,
        attendance_online: int | None = None, attendance_estimated: bool = False,
    ) -> None:
        """Record that it was held; attendance on site and online as known (or estimated, or not at all). Not before
        its first day: like an exchange, a meeting held is a record of what happened."""
        self._require_announced()
        if not self.may_change(date.today(), holding=True):  # one home for the rule the pages offer by
            raise InvalidCommand(Phrase("a meeting is recorded as held from its first day on (%(day)s); until then it "
                                        "is announced", day=self.held_on.isoformat()), None)
        for field, figure in (("attendance", attendance), ("attendance_online", attendance_online)):
            if figure is not None and figure < 0:
                raise InvalidCommand("must not be negative", field)
        if attendance_estimated and attendance is None and attendance_online is None:
            raise InvalidCommand("an estimate needs a figure (on site or online)", "attendance_estimated")
        self._held(
            attendance=attendance, attendance_online=attendance_online,
            attendance_estimated=attendance_estimated,
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
    def _rescheduled(self, held_on: date, ends_on: date | None, place: str | None, online: bool, actor: str) -> None:
        self.held_on = held_on
        self.ends_on = ends_on
        self.place = place
        self.online = online

    @event("Held")
    def _held(
        self, attendance: int | None, attendance_online: int | None, attendance_estimated: bool,
        participating_organisations: list[UUID], participating_partnerships: list[UUID], actor: str,
    ) -> None:
        self.status = HELD
        self.attendance = attendance
        self.attendance_online = attendance_online
        self.attendance_estimated = attendance_estimated
        self.participating_organisations = list(participating_organisations)
        self.participating_partnerships = list(participating_partnerships)

    @event("Cancelled")
    def _cancelled(self, reason: str, actor: str) -> None:
        self.status = CANCELLED
        self.cancellation_reason = reason


def _require_span(held_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < held_on:
        raise InvalidCommand(f"must not be before the first day {held_on}", "ends_on")


def _announced_v2(state: dict[str, Any]) -> None:
    """2026-11: multi-day meetings (``ends_on``); organisers may be organisations too (same field)."""
    state["ends_on"] = None


def _rescheduled_v2(state: dict[str, Any]) -> None:
    """2026-11: a rescheduled meeting keeps or changes its last day (``ends_on``)."""
    state["ends_on"] = None


def _held_v2(state: dict[str, Any]) -> None:
    """2026-11: attendance online and whether the figures are estimates (attendance itself became optional)."""
    state["attendance_online"] = None
    state["attendance_estimated"] = False


evolve(Meeting, "Announced", _announced_v2)
evolve(Meeting, "Rescheduled", _rescheduled_v2)
evolve(Meeting, "Held", _held_v2)
