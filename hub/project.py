"""Framework project: a programme-funded project that partnerships are set up under.

The seed's is "ZSK 4" of the programme POWER, operated by the Instytut Badań
Edukacyjnych in Warsaw. Partnerships of one project in different regions are linked
through it — a structural link (``same_project`` in the partnership view), kept apart
from cooperation. Its period is business time, recorded with the precision known.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand
from hub.rules import require_changes

AMENDABLE = ("name", "programme", "operator_id", "starts_on", "ends_on")


def _require_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise InvalidCommand(f"must not be before the start {starts_on}", "ends_on")


class FrameworkProject(Aggregate):
    """A project partnerships belong to: name, programme, operating organisation, period."""

    @classmethod
    def register(
        cls, id: UUID, name: str, actor: str, programme: str | None = None, operator_id: UUID | None = None,
        starts_on: date | None = None, ends_on: date | None = None, synthetic: bool = False,
    ) -> FrameworkProject:
        _require_period(starts_on, ends_on)
        return cls(id=id, name=name, programme=programme, operator_id=operator_id, starts_on=starts_on,
                   ends_on=ends_on, synthetic=synthetic, actor=actor)

    @event("Registered")
    def __init__(
        self, id: UUID, name: str, programme: str | None, operator_id: UUID | None, starts_on: date | None,
        ends_on: date | None, synthetic: bool, actor: str,
    ):
        self.name = name
        self.programme = programme
        self.operator_id = operator_id
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.synthetic = synthetic

    def amend(self, changes: dict[str, Any], actor: str) -> None:
        require_changes(changes, AMENDABLE, "amended")
        _require_period(changes.get("starts_on", self.starts_on), changes.get("ends_on", self.ends_on))
        self._amended(changes=dict(changes), actor=actor)

    @event("Amended")
    def _amended(self, changes: dict[str, Any], actor: str) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
