"""Qualification initiative: a market qualification a partnership initiates or supports.

Drafted → submitted to the register (ZRK) → included; certifying institutions are
authorised once it is included. Inclusion may come long after the partnership
ended (the seed's qualification did), so the partnership's dates are not checked.

The qualification's details — PRK level, full or partial, the register's code, the
announcement that included it ("M.P. 2023 poz. 1283") — are recorded as they become
known, with a submission or an inclusion or any time later; a date recorded wrongly
is corrected by an event of its own, so the history keeps both.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict
from hub.rules import require_changes
from hub.vocabulary import QUALIFICATION_TYPES

DRAFTED, SUBMITTED, INCLUDED = "drafted", "submitted", "included"
DETAILS = ("prk_level", "qualification_type", "register_code", "announcement")


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
        self.prk_level: int | None = None
        self.qualification_type: str | None = None
        self.register_code: str | None = None
        self.announcement: str | None = None

    def status_on(self, day: date) -> str | None:
        """Where the qualification stood in the world on ``day`` (None before it was drafted)."""
        for status, since in ((INCLUDED, self.included_on), (SUBMITTED, self.submitted_on), (DRAFTED, self.drafted_on)):
            if since is not None and since <= day:
                return status
        return None

    def submit(self, submitted_on: date, actor: str, register_reference: str | None = None,
               **details: Any) -> None:
        """Submitted to the register; details known by then may come with it (one more event)."""
        if self.status != DRAFTED:
            raise StateConflict(f"the initiative is already {self.status}", "status")
        if submitted_on < self.drafted_on:
            raise InvalidCommand(f"must not be before drafting on {self.drafted_on}", "submitted_on")
        self._submitted(submitted_on=submitted_on, register_reference=register_reference, actor=actor)
        self._record_known(details, actor)

    def include(self, included_on: date, actor: str, **details: Any) -> None:
        """Included in the register; the announcement and code usually become known now."""
        if self.status == INCLUDED:
            raise StateConflict(f"the qualification is already included (on {self.included_on})", "status")
        if self.status != SUBMITTED:
            raise StateConflict(
                "a qualification is included only after it was submitted to the register", "status"
            )
        assert self.submitted_on is not None
        if included_on < self.submitted_on:
            raise InvalidCommand(f"must not be before submission on {self.submitted_on}", "included_on")
        self._included(included_on=included_on, actor=actor)
        self._record_known(details, actor)

    def record_details(self, actor: str, **details: Any) -> None:
        """Details that became known later; each given field replaces what was recorded."""
        require_changes(details, DETAILS, "recorded as details")
        self._record_known(details, actor)

    def _record_known(self, details: dict[str, Any], actor: str) -> None:
        given = {k: v for k, v in details.items() if v is not None}
        unknown = set(given) - set(DETAILS)
        if unknown:
            raise InvalidCommand(f"not a detail of a qualification: {', '.join(sorted(unknown))}", "details")
        if "prk_level" in given and not 1 <= given["prk_level"] <= 8:
            raise InvalidCommand("the Polish Qualifications Framework has levels 1 to 8", "prk_level")
        if "qualification_type" in given:
            QUALIFICATION_TYPES.require(given["qualification_type"], "qualification_type")
        if given:
            self._details_recorded(details=given, actor=actor)

    def correct_dates(self, actor: str, reason: str, submitted_on: date | None = None,
                      included_on: date | None = None) -> None:
        """Correct a submission or inclusion date recorded wrongly; the history keeps the first one."""
        if submitted_on is None and included_on is None:
            raise InvalidCommand("name a date to correct (submitted_on or included_on)", "changes")
        if submitted_on is not None and self.submitted_on is None:
            raise StateConflict("no submission date is recorded yet: submit the initiative", "submitted_on")
        if included_on is not None and self.included_on is None:
            raise StateConflict("no inclusion date is recorded yet: include the initiative", "included_on")
        new_submitted = submitted_on or self.submitted_on
        new_included = included_on or self.included_on
        assert new_submitted is not None
        if new_submitted < self.drafted_on:
            raise InvalidCommand(f"must not be before drafting on {self.drafted_on}", "submitted_on")
        if new_included is not None and new_included < new_submitted:
            raise InvalidCommand(f"must not be before submission on {new_submitted}", "included_on")
        first_authorised = min((c["authorised_on"] for c in self.certifying_institutions), default=None)
        if new_included is not None and first_authorised is not None and first_authorised < new_included:
            raise InvalidCommand(f"must not be after a certifying institution was authorised on {first_authorised}",
                                 "included_on")
        self._dates_corrected(submitted_on=submitted_on, included_on=included_on, reason=reason, actor=actor)

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

    @event("DetailsRecorded")
    def _details_recorded(self, details: dict[str, Any], actor: str) -> None:
        for key, value in details.items():
            setattr(self, key, value)

    @event("DatesCorrected")
    def _dates_corrected(self, submitted_on: date | None, included_on: date | None, reason: str,
                         actor: str) -> None:
        self.submitted_on = submitted_on or self.submitted_on
        self.included_on = included_on or self.included_on

    @event("CertifyingInstitutionAuthorised")
    def _institution_authorised(self, organisation_id: UUID, authorised_on: date, actor: str) -> None:
        self.certifying_institutions.append({"organisation_id": organisation_id, "authorised_on": authorised_on})
