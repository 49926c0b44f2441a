"""Experience exchange: a partner's record of cooperation, confirmed (or disputed) by its counterparts.

Unconfirmed records stay visible as unconfirmed; a retraction keeps the record
(with its reason) but ends it: it cannot be confirmed or corrected afterwards.
A counterpart that does not recognise the record disputes it with a reason: a
disputed record counts as confirmed nowhere until the dispute is withdrawn by
that counterpart confirming it. Each counterpart stands by its latest word: a
dispute replaces its confirmation and a confirmation its dispute. An exchange
cannot be dated in the future: it records what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict
from hub.rules import require_changes

CORRECTABLE = (
    "exchanged_on", "topic", "area", "summary", "outcomes",
    "counterpart_organisations", "counterpart_partnerships",
)


def _check_counterparts(organisation_id: UUID, organisations: list[UUID], partnerships: list[UUID]) -> None:
    if not organisations and not partnerships:
        raise InvalidCommand("name at least one counterpart organisation or partnership", "counterpart_organisations")
    if organisation_id in organisations:
        raise InvalidCommand("an organisation is not its own counterpart", "counterpart_organisations")
    if len(set(organisations)) != len(organisations):
        raise InvalidCommand("each counterpart is named once", "counterpart_organisations")
    if len(set(partnerships)) != len(partnerships):
        raise InvalidCommand("each counterpart is named once", "counterpart_partnerships")


def _require_past(exchanged_on: date) -> None:
    if exchanged_on > date.today():
        raise InvalidCommand("an exchange cannot be dated in the future", "exchanged_on")


class ExperienceExchange(Aggregate):
    """An exchange of experience posted on behalf of one organisation."""

    @classmethod
    def post(
        cls,
        id: UUID,
        organisation_id: UUID,
        exchanged_on: date,
        topic: str,
        actor: str,
        counterpart_organisations: list[UUID] | None = None,
        counterpart_partnerships: list[UUID] | None = None,
        area: str | None = None,
        summary: str = "",
        outcomes: str = "",
        synthetic: bool = False,
    ) -> ExperienceExchange:
        orgs = list(counterpart_organisations or [])
        parts = list(counterpart_partnerships or [])
        _check_counterparts(organisation_id, orgs, parts)
        _require_past(exchanged_on)
        return cls(
            id=id, organisation_id=organisation_id, counterpart_organisations=orgs,
            counterpart_partnerships=parts, exchanged_on=exchanged_on, topic=topic,
            area=area, summary=summary, outcomes=outcomes, synthetic=synthetic, actor=actor,
        )

    @event("Posted")
    def __init__(
        self, id: UUID, organisation_id: UUID, counterpart_organisations: list[UUID],
        counterpart_partnerships: list[UUID], exchanged_on: date, topic: str,
        area: str | None, summary: str, outcomes: str, synthetic: bool, actor: str,
    ):
        self.organisation_id = organisation_id
        self.counterpart_organisations = list(counterpart_organisations)
        self.counterpart_partnerships = list(counterpart_partnerships)
        self.exchanged_on = exchanged_on
        self.topic = topic
        self.area = area
        self.summary = summary
        self.outcomes = outcomes
        self.synthetic = synthetic
        self.confirmations: list[dict[str, Any]] = []
        self.disputes: list[dict[str, Any]] = []
        self.retracted_reason: str | None = None

    @property
    def retracted(self) -> bool:
        return self.retracted_reason is not None

    @property
    def confirmed(self) -> bool:
        """Confirmed by a counterpart and disputed by none."""
        return bool(self.confirmations) and not self.disputes

    @property
    def disputed(self) -> bool:
        return bool(self.disputes)

    def is_disputed_by(self, organisation_id: UUID) -> bool:
        return any(d["organisation_id"] == organisation_id for d in self.disputes)

    def is_confirmed_by(self, organisation_id: UUID) -> bool:
        return any(c["organisation_id"] == organisation_id for c in self.confirmations)

    def _require_live(self) -> None:
        if self.retracted:
            raise StateConflict("the record was retracted", "status")

    def confirm(self, organisation_id: UUID, actor: str, via_partnership: UUID | None = None) -> None:
        """Confirm as a counterpart: named directly, or a member of a named partnership.

        The caller vouches for ``via_partnership`` membership (the aggregate cannot see it).
        """
        self._require_live()
        if organisation_id == self.organisation_id:
            raise InvalidCommand("the posting organisation cannot confirm its own record", "organisation_id")
        self._require_counterpart(organisation_id, via_partnership, "confirm")
        if self.is_confirmed_by(organisation_id):
            raise StateConflict("already confirmed by this organisation", "organisation_id")
        self._confirmed(organisation_id=organisation_id, via_partnership=via_partnership, actor=actor)

    def dispute(self, organisation_id: UUID, reason: str, actor: str, via_partnership: UUID | None = None) -> None:
        """Dispute as a counterpart: the record is not as it happened (the reason says why)."""
        self._require_live()
        if organisation_id == self.organisation_id:
            raise InvalidCommand("the posting organisation cannot dispute its own record", "organisation_id")
        self._require_counterpart(organisation_id, via_partnership, "dispute")
        if not reason.strip():
            raise InvalidCommand("say why the record is disputed", "reason")
        if self.is_disputed_by(organisation_id):
            raise StateConflict("already disputed by this organisation", "organisation_id")
        self._disputed(organisation_id=organisation_id, via_partnership=via_partnership, reason=reason, actor=actor)

    def _require_counterpart(self, organisation_id: UUID, via_partnership: UUID | None, verb: str) -> None:
        named = organisation_id in self.counterpart_organisations or (
            via_partnership is not None and via_partnership in self.counterpart_partnerships
        )
        if not named:
            raise InvalidCommand(f"only a counterpart named in the record can {verb} it", "organisation_id")

    def correct(self, changes: dict[str, Any], actor: str) -> None:
        self._require_live()
        require_changes(changes, CORRECTABLE, "corrected")
        if "exchanged_on" in changes:
            _require_past(changes["exchanged_on"])
        _check_counterparts(
            self.organisation_id,
            list(changes.get("counterpart_organisations", self.counterpart_organisations)),
            list(changes.get("counterpart_partnerships", self.counterpart_partnerships)),
        )
        self._corrected(changes=dict(changes), actor=actor)

    def retract(self, reason: str, actor: str) -> None:
        self._require_live()
        if not reason.strip():
            raise InvalidCommand("say why the record is retracted", "reason")
        self._retracted(reason=reason, actor=actor)

    @event("Confirmed")
    def _confirmed(self, organisation_id: UUID, via_partnership: UUID | None, actor: str) -> None:
        self.confirmations.append(
            {"organisation_id": organisation_id, "via_partnership": via_partnership, "actor": actor}
        )
        self.disputes = [d for d in self.disputes if d["organisation_id"] != organisation_id]

    @event("Disputed")
    def _disputed(self, organisation_id: UUID, via_partnership: UUID | None, reason: str, actor: str) -> None:
        self.confirmations = [c for c in self.confirmations if c["organisation_id"] != organisation_id]
        self.disputes.append({"organisation_id": organisation_id, "via_partnership": via_partnership,
                              "reason": reason, "actor": actor})

    @event("Corrected")
    def _corrected(self, changes: dict[str, Any], actor: str) -> None:
        for key, value in changes.items():
            setattr(self, key, list(value) if isinstance(value, list) else value)
        # A confirmation or a dispute stands only while its organisation is still a counterpart.
        self.confirmations = [c for c in self.confirmations if self._still_counterpart(c)]
        self.disputes = [d for d in self.disputes if self._still_counterpart(d)]

    def _still_counterpart(self, word: dict[str, Any]) -> bool:
        return (word["organisation_id"] in self.counterpart_organisations
                or word["via_partnership"] in self.counterpart_partnerships)

    @event("Retracted")
    def _retracted(self, reason: str, actor: str) -> None:
        self.retracted_reason = reason
