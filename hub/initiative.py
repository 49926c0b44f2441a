"""Qualification initiative: a market qualification a partnership initiates or supports.

Drafted → submitted to the register (ZRK) → included; certifying institutions are
authorised once it is included. Inclusion may come long after the partnership
ended (the seed's qualification did), so the partnership's dates are not checked.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict

DRAFTED, SUBMITTED, INCLUDED = "drafted", "submitted", "included"


class QualificationInitiative(Aggregate):
    @classmethod
    def draft(
        cls, id: UUID, title: str, partnership_id: UUID, drafted_on: date, actor: str,
        description: str = "", synthetic: bool = False,
    ) -> QualificationInitiative:
        return cls(
            id=id, title=title, partnership_id=partnership_id, drafted_on=drafted_on,
            description=description, synthetic=synthetic, actor=actor,
        )

    @event("Drafted")
    def __init__(
        self, id: UUID, title: str, partnership_id: UUID, drafted_on: date,
        description: str, synthetic: bool, actor: str,
    ):
        self.title = title
        self.partnership_id = partnership_id
        self.drafted_on = drafted_on
        self.description = description
        self.synthetic = synthetic
        self.status = DRAFTED
        self.submitted_on: date | None = None
        self.register_reference: str | None = None
        self.included_on: date | None = None
        self.certifying_institutions: list[dict[str, Any]] = []

    def status_on(self, day: date) -> str | None:
        """Where the qualification stood in the world on ``day`` (None before it was drafted)."""
        for status, since in ((INCLUDED, self.included_on), (SUBMITTED, self.submitted_on), (DRAFTED, self.drafted_on)):
            if since is not None and since <= day:
                return status
        return None

    def submit(self, submitted_on: date, actor: str, register_reference: str | None = None) -> None:
        if self.status != DRAFTED:
            raise StateConflict(f"the initiative is already {self.status}", "status")
        if submitted_on < self.drafted_on:
            raise InvalidCommand(f"must not be before drafting on {self.drafted_on}", "submitted_on")
        self._submitted(submitted_on=submitted_on, register_reference=register_reference, actor=actor)

    def include(self, included_on: date, actor: str) -> None:
        if self.status != SUBMITTED:
            raise StateConflict(
                "a qualification is included only after it was submitted to the register", "status"
            )
        assert self.submitted_on is not None
        if included_on < self.submitted_on:
            raise InvalidCommand(f"must not be before submission on {self.submitted_on}", "included_on")
        self._included(included_on=included_on, actor=actor)

    def authorise_certifying_institution(self, organisation_id: UUID, authorised_on: date, actor: str) -> None:
        if self.status != INCLUDED:
            raise StateConflict("certifying institutions are authorised for included qualifications", "status")
        assert self.included_on is not None
        if authorised_on < self.included_on:
            raise InvalidCommand(f"must not be before inclusion on {self.included_on}", "authorised_on")
        if any(c["organisation_id"] == organisation_id for c in self.certifying_institutions):
            raise StateConflict("this institution is already authorised", "organisation_id")
        self._institution_authorised(organisation_id=organisation_id, authorised_on=authorised_on, actor=actor)

    @event("Submitted")
    def _submitted(self, submitted_on: date, register_reference: str | None, actor: str) -> None:
        self.status = SUBMITTED
        self.submitted_on = submitted_on
        self.register_reference = register_reference

    @event("Included")
    def _included(self, included_on: date, actor: str) -> None:
        self.status = INCLUDED
        self.included_on = included_on

    @event("CertifyingInstitutionAuthorised")
    def _institution_authorised(self, organisation_id: UUID, authorised_on: date, actor: str) -> None:
        self.certifying_institutions.append({"organisation_id": organisation_id, "authorised_on": authorised_on})
