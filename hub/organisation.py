"""Organisation: a body that can be a member of partnerships and a party to exchanges.

Rules are checked in the public command methods *before* an event is triggered;
the ``@event`` methods only apply facts, so old events always replay.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.regions import require_region
from hub.vocabulary import ORGANISATION_KINDS


class Organisation(Aggregate):
    """An organisation, registered once; renamed, moved or re-described by new events."""

    @classmethod
    def register(
        cls,
        id: UUID,
        name: str,
        kind: str,
        region: str,
        city: str | None,
        actor: str,
        website: str | None = None,
        synthetic: bool = False,
    ) -> Organisation:
        require_region(region)
        ORGANISATION_KINDS.require(kind, "kind")
        return cls(
            id=id, name=name, kind=kind, region=region, city=city,
            website=website, synthetic=synthetic, actor=actor,
        )

    @event("Registered")
    def __init__(
        self, id: UUID, name: str, kind: str, region: str, city: str | None,
        website: str | None, synthetic: bool, actor: str,
    ):
        self.name = name
        self.kind = kind
        self.region = region
        self.city = city
        self.website = website
        self.synthetic = synthetic

    def rename(self, name: str, actor: str) -> None:
        self._renamed(name=name, actor=actor)

    def move(self, region: str, city: str | None, actor: str) -> None:
        require_region(region)
        self._moved(region=region, city=city, actor=actor)

    def update_details(self, kind: str, website: str | None, actor: str) -> None:
        ORGANISATION_KINDS.require(kind, "kind")
        self._details_updated(kind=kind, website=website, actor=actor)

    @event("Renamed")
    def _renamed(self, name: str, actor: str) -> None:
        self.name = name

    @event("Moved")
    def _moved(self, region: str, city: str | None, actor: str) -> None:
        self.region = region
        self.city = city

    @event("DetailsUpdated")
    def _details_updated(self, kind: str, website: str | None, actor: str) -> None:
        self.kind = kind
        self.website = website
