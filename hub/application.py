"""HubApplication: the service layer. One method per command; it owns the transaction.

Each command validates its input with a schema from :mod:`hub.commands`, loads
the aggregate, asks it to change (the aggregate checks its rules) and saves its
new events in one transaction. Creating commands accept a ``client_key``: the
record's id is derived from it, so a retried request makes one record. A save
that races another writer is retried on fresh state (the rules are checked
again) or, when the caller named the version it saw, refused as a conflict.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Notification, Transcoding, UUIDAsHex
from eventsourcing.utils import get_topic

from hub import commands as cmd
from hub.account import SIGN_IN_LABEL, Account, token_hash
from hub.authorisation import Principal, authorise, require_own_organisation
from hub.dates import KnownDate
from hub.errors import ConcurrencyConflict, InvalidCommand, NotFound, Unauthenticated
from hub.exchange import ExperienceExchange
from hub.initiative import QualificationInitiative
from hub.ledger import DEFAULT_ORIGIN, Ledger, LedgerError, POPOLedgerRecorder
from hub.log import LoggedEvent
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.privacy import PersonalAsSealed, Vault
from hub.project import FrameworkProject
from hub.signing import Signer
from hub.storage import database_url, persistence_env, store_identity
from hub.text import fold
from hub.witnessing import load_witnesses, quorum

A = TypeVar("A", bound=Aggregate)

HUB_NAMESPACE = uuid5(NAMESPACE_URL, "urn:partnership-hub")
SAVE_ATTEMPTS = 3

LABELS: dict[type[Aggregate], str] = {
    Organisation: "organisation",
    Partnership: "partnership",
    Meeting: "meeting",
    ExperienceExchange: "experience exchange",
    QualificationInitiative: "qualification initiative",
    FrameworkProject: "framework project",
    Account: "account",
}


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: ``token`` is shown once and never stored in clear."""

    account_id: UUID
    token_id: str
    token: str


class KnownDateAsText(Transcoding):
    """A business date known to a year, a month or a day: its text as given and the day it stands for."""

    type = KnownDate
    name = "known_date"

    def encode(self, obj: KnownDate) -> list[str]:
        return obj.encode()

    def decode(self, data: list[str]) -> KnownDate:
        return KnownDate.decode(data)


class SharedUUIDAsHex(UUIDAsHex):
    """The library's record ids as hex, each decoded once while it is in use: a UUID never changes, and a replay
    of 99,527 events decoded 301,884 of them (the records they refer to) for 61,693 distinct values."""

    decode = staticmethod(lru_cache(maxsize=1 << 15)(UUID))


class DateAsISO(Transcoding):
    """Business dates are stored as ISO dates, separate from the record timestamp."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


RecordId = UUID | str  # a record's id, as a UUID or its text


def as_uuid(value: object, field: str = "id") -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"{value!r} is not a record id", field) from None


class HubApplication(Application[UUID]):
    """The hub's event-sourced application (the write side and the log).

    Records are kept in the library's aggregate cache and fast-forwarded on each read (one
    query for the events after the cached version), so reading a record does not replay its
    history: authenticating a token after 500 sign-ins took 16.7 ms with a replay and takes
    0.2 ms from the cache (measured here, SQLite). Every process still reads what other
    processes wrote. Snapshots are not used: they would keep people's names outside the
    sealed events, where erasing a person could not reach them.
    """

    name = "hub"  # pinned: PostgreSQL tables are named after it
    RECORD_CACHE_SIZE = "10000"  # records per process (a whole 1,000-partnership network fits)

    def __init__(self, database_url_: str | None = None, env: dict[str, str] | None = None):
        self.database_url = database_url_ or database_url()
        settings = persistence_env(self.database_url)
        settings.setdefault("AGGREGATE_CACHE_MAXSIZE", self.RECORD_CACHE_SIZE)
        settings.update(env or {})
        super().__init__(env=settings)
        self._local = threading.local()
        self._ledger: Ledger | None = None
        self._written_lock = threading.Lock()
        self.last_written = 0  # the highest log position this process has written (read-your-writes)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        self._local.saved = {o.id: o for o in objs if isinstance(o, Aggregate)}
        ids = [r.notification.id for r in recordings if r.notification.id is not None]
        if ids:
            with self._written_lock:
                self.last_written = max(self.last_written, *ids)
        return recordings

    def construct_recorder(self) -> Any:
        # The library's in-memory factory takes no recorder topic: give it the ledger's one.
        if self.env.get("PERSISTENCE_MODULE", "eventsourcing.popo") == "eventsourcing.popo":
            return POPOLedgerRecorder()
        return super().construct_recorder()

    @property
    def ledger(self) -> Ledger:
        """The tamper-evident view of this application's log (Merkle tree, signed heads, proofs)."""
        if self._ledger is None:
            memory = isinstance(self.recorder, POPOLedgerRecorder)
            witnesses = load_witnesses()
            self._ledger = Ledger(self.recorder, Signer.ephemeral() if memory else None,
                                  store=store_identity(self.database_url),
                                  origin=os.environ.get("HUB_LOG_ORIGIN") or DEFAULT_ORIGIN,
                                  witnesses=witnesses, quorum=quorum(witnesses),
                                  every_seconds=float(os.environ.get("HUB_HEAD_EVERY_SECONDS") or 1))
        return self._ledger

    def just_saved(self, record_id: Any) -> Aggregate | None:
        """The record as this thread's last save stored it (once), so a command need not read it back.

        Only for the answer to the command that saved it: an entrypoint calls :meth:`forget_saved` as each
        request begins, so a later request never sees an object saved before it.
        """
        saved: dict[UUID, Aggregate] = getattr(self._local, "saved", {})
        return saved.pop(as_uuid(record_id), None)

    def forget_saved(self) -> None:
        self._local.saved = {}

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.stop()
        super().close()

    def position_of(self, record_id: Any, version: int = 1) -> int | None:
        """The log position of a record's event (its creation by default)."""
        return self.ledger.rows.position_of(as_uuid(record_id), version)

    def notifications(self, page: int = 1000) -> Iterator[Any]:
        """Every stored event in log order, read page by page."""
        start = 1
        while True:
            rows = self.recorder.select_notifications(start=start, limit=page)
            if not rows:
                return
            yield from rows
            start = rows[-1].id + 1

    def organisations_called(self, text: str) -> list[UUID]:
        """The organisations whose name now is ``text``, case and Polish diacritics ignored.

        For the command line, which keeps no read model: only the log's registrations and renamings
        are read (the store selects them by topic), so 3,000 organisations among 21k events take ms.
        """
        topics = [get_topic(getattr(Organisation, name)) for name in ("Registered", "Renamed")]  # made by @event
        names: dict[UUID, str] = {}
        start = 1
        while rows := self.recorder.select_notifications(start=start, limit=1000, topics=topics):
            for row in rows:
                event = self.mapper.to_domain_event(row)
                names[event.originator_id] = str(getattr(event, "name", ""))
            start = rows[-1].id + 1
        wanted = fold(text.strip())
        return [record_id for record_id, name in names.items() if fold(name) == wanted]

    def verify_log(self, against: Sequence[str] = (), ask_witnesses: bool = False, sign_pending: bool = False) -> Any:
        """Recompute the Merkle log from the stored events and check every signed checkpoint.

        ``against``: checkpoint notes kept elsewhere; ``ask_witnesses``: also fetch the newest checkpoint each
        configured witness cosigned. Either way the log must extend them. ``sign_pending``: the running hub
        first signs what it wrote in the last second (it would anyway); a refusal to sign is left to the report.
        """
        if sign_pending and self.ledger.can_sign:
            with suppress(LedgerError):  # the report names what made signing refuse
                self.ledger.sign_head()
        return self.ledger.verify(self.notifications(), against=against, ask_witnesses=ask_witnesses)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(SharedUUIDAsHex())  # the same name as the library's: stored events are unchanged
        transcoder.register(DateAsISO())
        transcoder.register(KnownDateAsText())
        # Names of people are sealed with per-person keys kept outside the log (hub.privacy).
        self.vault = Vault(getattr(self.factory, "datastore", None))
        transcoder.register(PersonalAsSealed(self.vault))

    def erase_person(self, person: str) -> str | None:
        """Make a person's name unreadable in every event; the log's bytes do not change."""
        erased = self.vault.erase(person)
        self.forget_personal_data()
        return erased

    def forget_personal_data(self) -> None:
        """Drop what this process read with people's names in it (after an erasure, here or elsewhere)."""
        self.vault.forget_cache()
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            with cache.lock:  # the library's clear() resets the recency list but keeps the entries
                cache.cache.clear()
                cache.clear()
                cache.full = False
        elif cache is not None:
            cache.cache.clear()

    # -- machinery -----------------------------------------------------------

    @contextmanager
    def bulk(self, store: bool = True) -> Iterator[None]:
        """Run many commands and store all their events in one transaction, in order.

        Used by imports and the synthetic generator. If anything inside fails,
        nothing is stored; with ``store=False`` nothing is stored either (a dry run:
        every command is checked against the records as they would then be).
        """
        if getattr(self._local, "batch", None) is not None:
            raise RuntimeError("bulk() does not nest")
        self._local.batch = {}
        self._local.batch_events = []
        try:
            yield
            if store and self._local.batch_events:
                self.save(*self._local.batch_events)
        finally:
            self._local.batch = None
            self._local.batch_events = None

    def _batch(self) -> dict[UUID, Aggregate] | None:
        return getattr(self._local, "batch", None)

    def _store(self, aggregate: Aggregate) -> None:
        batch = self._batch()
        if batch is None:
            self.save(aggregate)
        else:
            batch[aggregate.id] = aggregate
            self._local.batch_events.extend(aggregate.collect_events())

    def _exists(self, aggregate_id: UUID) -> bool:
        batch = self._batch()
        return (batch is not None and aggregate_id in batch) or aggregate_id in self.repository

    def has_record(self, record_id: UUID) -> bool:
        """Whether a record with this id exists (or is created in the open bulk batch)."""
        return self._exists(record_id)

    def find(self, record_id: UUID) -> Aggregate | None:
        """The record with this id as it now is (in the open bulk batch, if any), or None."""
        return self._find(record_id)

    def _find(self, aggregate_id: UUID) -> Aggregate | None:
        """The record with this id, from the open bulk batch or the store (None if there is none)."""
        batch = self._batch()
        if batch is not None and aggregate_id in batch:
            return batch[aggregate_id]
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _load(self, cls: type[A], aggregate_id: Any, field: str = "id") -> A:
        aggregate_id = as_uuid(aggregate_id, field)
        aggregate = self._find(aggregate_id)
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {LABELS[cls]} has id {aggregate_id}", field)
        return aggregate

    def _refer(self, cls: type[A], aggregate_id: UUID, field: str) -> A:
        """Load a record that the input refers to; an unknown one is a field error."""
        try:
            return self._load(cls, aggregate_id, field)
        except NotFound as error:
            raise InvalidCommand(error.message, field) from None

    @staticmethod
    def id_for_client_key(cls: type[Aggregate], client_key: str) -> UUID:
        """The id a record created with ``client_key`` has (or will have)."""
        return uuid5(HUB_NAMESPACE, f"{cls.__name__}:{client_key}")

    def _create(self, cls: type[A], client_key: str | None, build: Callable[[UUID], A]) -> UUID:
        if client_key is not None:
            if not isinstance(client_key, str) or not client_key.strip() or len(client_key) > 200:
                raise InvalidCommand("a client key is 1 to 200 characters", "client_key")
            aggregate_id = self.id_for_client_key(cls, client_key)
            if self._exists(aggregate_id):
                return aggregate_id
        else:
            aggregate_id = uuid4()
        aggregate = build(aggregate_id)
        try:
            self._store(aggregate)
        except IntegrityError:
            if client_key is not None and self._exists(aggregate_id):
                return aggregate_id  # a concurrent retry of the same request won
            raise ConcurrencyConflict("the record was created concurrently", "id") from None
        return aggregate_id

    def _change(
        self, cls: type[A], aggregate_id: Any, expected_version: int | None,
        mutate: Callable[[A], None],
    ) -> int:
        """Load, change and save one aggregate; return its new version."""
        for _ in range(SAVE_ATTEMPTS):
            aggregate = self._load(cls, aggregate_id)
            if expected_version is not None and aggregate.version != expected_version:
                raise ConcurrencyConflict(
                    f"the {LABELS[cls]} is at version {aggregate.version}, not {expected_version}",
                    "expected_version",
                )
            mutate(aggregate)
            try:
                self._store(aggregate)
            except IntegrityError:
                if expected_version is not None:
                    raise ConcurrencyConflict(
                        f"the {LABELS[cls]} was changed by someone else; reload it", "expected_version"
                    ) from None
                continue  # reload and check the rules again on the fresh state
            return aggregate.version
        raise ConcurrencyConflict(f"the {LABELS[cls]} keeps changing; try again", "id")

    @staticmethod
    def _admit(command: cmd.Command, by: Principal, fields: dict[str, Any],
               account_id: UUID | None = None) -> dict[str, Any]:
        """Check that ``by`` may run ``command`` (its declared rule), then load its input."""
        authorise(by, command.rule, command.title, account_id)
        return command.load(fields)

    # -- organisations ---------------------------------------------------------

    def register_organisation(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.REGISTER_ORGANISATION, by, fields)
        return self._create(Organisation, client_key, lambda id: Organisation.register(id=id, actor=by.actor, **data))

    def rename_organisation(
        self, organisation_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.RENAME_ORGANISATION, by, fields)
        return self._change(Organisation, organisation_id, expected_version, lambda o: o.rename(actor=by.actor, **data))

    def move_organisation(
        self, organisation_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.MOVE_ORGANISATION, by, fields)
        return self._change(Organisation, organisation_id, expected_version, lambda o: o.move(actor=by.actor, **data))

    def update_organisation_details(
        self, organisation_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.UPDATE_ORGANISATION_DETAILS, by, fields)
        return self._change(Organisation, organisation_id, expected_version,
                            lambda o: o.update_details(actor=by.actor, **data))

    # -- partnerships ----------------------------------------------------------

    def sign_partnership(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.SIGN_PARTNERSHIP, by, fields)
        for i, member in enumerate(data["members"]):
            self._refer(Organisation, member["organisation_id"], f"members.{i}.organisation_id")
        if data["project_id"] is not None:
            self._refer(FrameworkProject, data["project_id"], "project_id")
        return self._create(Partnership, client_key, lambda id: Partnership.sign(id=id, actor=by.actor, **data))

    def join_partnership(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.JOIN_PARTNERSHIP, by, fields)
        self._refer(Organisation, data["organisation_id"], "organisation_id")
        return self._change(Partnership, partnership_id, expected_version, lambda p: p.join(actor=by.actor, **data))

    def change_member_role(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.CHANGE_MEMBER_ROLE, by, fields)
        return self._change(Partnership, partnership_id, expected_version,
                            lambda p: p.change_role(actor=by.actor, **data))

    def leave_partnership(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.LEAVE_PARTNERSHIP, by, fields)
        return self._change(Partnership, partnership_id, expected_version, lambda p: p.leave(actor=by.actor, **data))

    def declare_area(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.DECLARE_AREA, by, fields)
        return self._change(Partnership, partnership_id, expected_version,
                            lambda p: p.declare_area(actor=by.actor, **data))

    def withdraw_area(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.WITHDRAW_AREA, by, fields)
        return self._change(Partnership, partnership_id, expected_version,
                            lambda p: p.withdraw_area(actor=by.actor, **data))

    def extend_partnership(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.EXTEND_PARTNERSHIP, by, fields)
        return self._change(Partnership, partnership_id, expected_version, lambda p: p.extend(actor=by.actor, **data))

    def amend_partnership(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.AMEND_PARTNERSHIP, by, fields)
        if data.get("project_id") is not None:
            self._refer(FrameworkProject, data["project_id"], "project_id")
        return self._change(Partnership, partnership_id, expected_version,
                            lambda p: p.amend(changes=data, actor=by.actor))

    def terminate_partnership(
        self, partnership_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.TERMINATE_PARTNERSHIP, by, fields)
        return self._change(Partnership, partnership_id, expected_version,
                            lambda p: p.terminate(actor=by.actor, **data))

    # -- framework projects ----------------------------------------------------

    def register_project(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.REGISTER_PROJECT, by, fields)
        if data["operator_id"] is not None:
            self._refer(Organisation, data["operator_id"], "operator_id")
        return self._create(FrameworkProject, client_key,
                            lambda id: FrameworkProject.register(id=id, actor=by.actor, **data))

    def amend_project(
        self, project_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.AMEND_PROJECT, by, fields)
        if data.get("operator_id") is not None:
            self._refer(Organisation, data["operator_id"], "operator_id")
        return self._change(FrameworkProject, project_id, expected_version,
                            lambda p: p.amend(changes=data, actor=by.actor))

    # -- meetings --------------------------------------------------------------

    def _refer_party(self, record_id: UUID, field: str) -> None:
        """An organisation or a partnership that the input names (an organiser, say)."""
        if not isinstance(self._find(record_id), (Organisation, Partnership)):
            raise InvalidCommand(f"no organisation or partnership has id {record_id}", field)

    def _refer_participants(self, data: dict[str, Any]) -> None:
        for i, party in enumerate(data.get("organisers") or []):
            self._refer_party(party, f"organisers.{i}")
        for i, oid in enumerate(data.get("participating_organisations") or []):
            self._refer(Organisation, oid, f"participating_organisations.{i}")
        for i, pid in enumerate(data.get("participating_partnerships") or []):
            self._refer(Partnership, pid, f"participating_partnerships.{i}")

    def announce_meeting(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.ANNOUNCE_MEETING, by, fields)
        self._refer_participants(data)
        return self._create(Meeting, client_key, lambda id: Meeting.announce(id=id, actor=by.actor, **data))

    def reschedule_meeting(
        self, meeting_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.RESCHEDULE_MEETING, by, fields)
        return self._change(Meeting, meeting_id, expected_version, lambda m: m.reschedule(actor=by.actor, **data))

    def record_meeting_held(
        self, meeting_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.RECORD_MEETING_HELD, by, fields)
        self._refer_participants(data)
        return self._change(Meeting, meeting_id, expected_version, lambda m: m.hold(actor=by.actor, **data))

    def cancel_meeting(
        self, meeting_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.CANCEL_MEETING, by, fields)
        return self._change(Meeting, meeting_id, expected_version, lambda m: m.cancel(actor=by.actor, **data))

    # -- experience exchanges --------------------------------------------------

    def _require_own_exchange(self, by: Principal, exchange_id: RecordId) -> None:
        if not by.is_operator:
            exchange = self._load(ExperienceExchange, exchange_id)
            require_own_organisation(by, exchange.organisation_id, "id")

    def _refer_counterparts(self, data: dict[str, Any]) -> None:
        for i, oid in enumerate(data.get("counterpart_organisations") or []):
            self._refer(Organisation, oid, f"counterpart_organisations.{i}")
        for i, pid in enumerate(data.get("counterpart_partnerships") or []):
            self._refer(Partnership, pid, f"counterpart_partnerships.{i}")

    def post_exchange(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.POST_EXCHANGE, by, fields)
        require_own_organisation(by, data["organisation_id"])
        self._refer(Organisation, data["organisation_id"], "organisation_id")
        self._refer_counterparts(data)
        return self._create(ExperienceExchange, client_key,
                            lambda id: ExperienceExchange.post(id=id, actor=by.actor, **data))

    def confirm_exchange(
        self, exchange_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        """Confirm as a named counterpart; confirming twice for one organisation changes nothing."""
        data = self._admit(cmd.CONFIRM_EXCHANGE, by, fields)
        require_own_organisation(by, data["organisation_id"])
        self._require_member(data["organisation_id"], data["via_partnership"])
        exchange = self._load(ExperienceExchange, exchange_id)
        if exchange.is_confirmed_by(data["organisation_id"]) and not exchange.retracted:
            return exchange.version
        return self._change(ExperienceExchange, exchange_id, expected_version,
                            lambda x: x.confirm(actor=by.actor, **data))

    def dispute_exchange(
        self, exchange_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        """Dispute as a named counterpart, with a reason; the record then counts as confirmed nowhere."""
        data = self._admit(cmd.DISPUTE_EXCHANGE, by, fields)
        require_own_organisation(by, data["organisation_id"])
        self._require_member(data["organisation_id"], data["via_partnership"])
        return self._change(ExperienceExchange, exchange_id, expected_version,
                            lambda x: x.dispute(actor=by.actor, **data))

    def _require_member(self, organisation_id: UUID, via: UUID | None) -> None:
        """A counterpart acting through a partnership must be one of its members."""
        if via is not None:
            partnership = self._refer(Partnership, via, "via_partnership")
            if organisation_id not in partnership.members:
                raise InvalidCommand("the organisation is not a member of that partnership", "via_partnership")

    def correct_exchange(
        self, exchange_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.CORRECT_EXCHANGE, by, fields)
        self._require_own_exchange(by, exchange_id)
        self._refer_counterparts(data)
        return self._change(ExperienceExchange, exchange_id, expected_version,
                            lambda x: x.correct(changes=data, actor=by.actor))

    def retract_exchange(
        self, exchange_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.RETRACT_EXCHANGE, by, fields)
        self._require_own_exchange(by, exchange_id)
        return self._change(ExperienceExchange, exchange_id, expected_version,
                            lambda x: x.retract(actor=by.actor, **data))

    # -- qualification initiatives ---------------------------------------------

    def draft_initiative(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.DRAFT_INITIATIVE, by, fields)
        self._refer(Partnership, data["partnership_id"], "partnership_id")
        return self._create(QualificationInitiative, client_key,
                            lambda id: QualificationInitiative.draft(id=id, actor=by.actor, **data))

    def submit_initiative(
        self, initiative_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.SUBMIT_INITIATIVE, by, fields)
        return self._change(QualificationInitiative, initiative_id, expected_version,
                            lambda q: q.submit(actor=by.actor, **data))

    def include_initiative(
        self, initiative_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.INCLUDE_INITIATIVE, by, fields)
        return self._change(QualificationInitiative, initiative_id, expected_version,
                            lambda q: q.include(actor=by.actor, **data))

    def record_initiative_details(
        self, initiative_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.RECORD_INITIATIVE_DETAILS, by, fields)
        return self._change(QualificationInitiative, initiative_id, expected_version,
                            lambda q: q.record_details(actor=by.actor, **data))

    def correct_initiative_dates(
        self, initiative_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.CORRECT_INITIATIVE_DATES, by, fields)
        return self._change(QualificationInitiative, initiative_id, expected_version,
                            lambda q: q.correct_dates(actor=by.actor, **data))

    def authorise_certifying_institution(
        self, initiative_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.AUTHORISE_CERTIFYING_INSTITUTION, by, fields)
        self._refer(Organisation, data["organisation_id"], "organisation_id")
        return self._change(
            QualificationInitiative, initiative_id, expected_version,
            lambda q: q.authorise_certifying_institution(actor=by.actor, **data),
        )

    # -- accounts ----------------------------------------------------------------

    def create_account(self, by: Principal, client_key: str | None = None, **fields: Any) -> UUID:
        data = self._admit(cmd.CREATE_ACCOUNT, by, fields)
        if data["organisation_id"] is not None:
            self._refer(Organisation, data["organisation_id"], "organisation_id")
        return self._create(Account, client_key, lambda id: Account.create(id=id, actor=by.actor, **data))

    def open_account(self, by: Principal, client_key: str | None = None,
                     **fields: Any) -> tuple[UUID, IssuedToken | None]:
        """Create an account with its first token. A retried request (same client key) gets no new
        token: the first one was shown once and never stored in clear."""
        account_id = self.create_account(by=by, client_key=client_key, **fields)
        if self._load(Account, account_id).tokens:
            return account_id, None
        return account_id, self.issue_token(account_id, by=by, label="first token")

    def grant_role(
        self, account_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.GRANT_ROLE, by, fields)
        if data["organisation_id"] is not None:
            self._refer(Organisation, data["organisation_id"], "organisation_id")
        return self._change(Account, account_id, expected_version, lambda a: a.grant_role(actor=by.actor, **data))

    def revoke_role(
        self, account_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.REVOKE_ROLE, by, fields)
        return self._change(Account, account_id, expected_version, lambda a: a.revoke_role(actor=by.actor, **data))

    def issue_token(self, account_id: RecordId, by: Principal, **fields: Any) -> IssuedToken:
        """A new bearer token for the account; its clear text exists only in the return value."""
        data = self._admit(cmd.ISSUE_TOKEN, by, fields)
        account = self._load(Account, account_id)
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        self._change(Account, account.id, None, lambda a: a.issue_token(
            token_id=token_id, secret_hash=token_hash(secret), label=data["label"], actor=by.actor))
        return IssuedToken(account.id, token_id, f"hub.{account.id.hex}.{token_id}.{secret}")

    def revoke_token(self, account_id: RecordId, by: Principal, **fields: Any) -> int:
        """Revoke a token: managers revoke anyone's; everyone may revoke their own."""
        data = self._admit(cmd.REVOKE_TOKEN, by, fields, account_id=as_uuid(account_id))
        return self._change(Account, account_id, None, lambda a: a.revoke_token(actor=by.actor, **data))

    def disable_account(
        self, account_id: RecordId, by: Principal, expected_version: int | None = None, **fields: Any
    ) -> int:
        data = self._admit(cmd.DISABLE_ACCOUNT, by, fields)
        return self._change(Account, account_id, expected_version, lambda a: a.disable(actor=by.actor, **data))

    def authenticate(self, token: str | None, sign_in: bool = False) -> Principal:
        """The principal a bearer token stands for; anything else is :class:`Unauthenticated`.

        A sign-in link is a token only for signing in (``sign_in=True``), never an API bearer token.
        """
        refused = Unauthenticated("a valid bearer token is required", "Authorization")
        parts = (token or "").split(".")
        if len(parts) != 4 or parts[0] != "hub":
            raise refused
        try:
            account = self._load(Account, UUID(hex=parts[1]))
        except (ValueError, NotFound):
            raise refused from None
        if not account.accepts(parts[2], parts[3]):
            raise refused
        if (account.tokens[parts[2]]["label"] == SIGN_IN_LABEL) != sign_in:
            if sign_in:
                raise Unauthenticated("this is an API token, not a sign-in link", "token")
            raise refused
        return Principal.of_account(account.id, account.name, account.roles, account.organisation_id)

    def issue_sign_in_link(self, account_id: RecordId, by: Principal) -> IssuedToken:
        """A one-time sign-in token for a person (the UI redeems it once, then it is revoked)."""
        return self.issue_token(account_id, by=by, label=SIGN_IN_LABEL)

    def redeem_sign_in_link(self, token: str | None, valid_hours: float = 24) -> tuple[Principal, int]:
        """Sign a person in with a one-time link: valid once, for ``valid_hours`` after it was issued.

        Returns the principal and the account's session epoch to keep in the session.
        """
        principal = self.authenticate(token, sign_in=True)
        assert principal.account_id is not None  # a token always belongs to an account
        token_id = (token or "").split(".")[2]
        issued = next(e.recorded_at for e in reversed(self.history(principal.account_id))
                      if e.event_type == "TokenIssued" and e.payload.get("token_id") == token_id)
        age = datetime.now(UTC) - issued
        if age.total_seconds() > valid_hours * 3600:
            self.revoke_token(principal.account_id, by=principal, token_id=token_id)
            raise Unauthenticated(f"this sign-in link expired ({valid_hours:g} hours after it was made)", "token")
        self.revoke_token(principal.account_id, by=principal, token_id=token_id)
        return principal, self._load(Account, principal.account_id).session_epoch

    def end_sessions(self, account_id: RecordId, by: Principal) -> int:
        """End every web session of a person: when they sign out, or a manager shuts them out."""
        self._admit(cmd.END_SESSIONS, by, {}, account_id=as_uuid(account_id))
        return self._change(Account, account_id, None, lambda a: a.end_sessions(actor=by.actor))

    def principal(self, account_id: Any, session_epoch: int | None = None) -> Principal:
        """The principal of a signed-in person, as the account stands now (and the session still valid)."""
        try:
            account = self._load(Account, account_id)
        except NotFound:
            raise Unauthenticated("the account no longer exists", "session") from None
        if session_epoch is not None and session_epoch != account.session_epoch:
            raise Unauthenticated("the session has ended: sign in again", "session")
        if account.disabled:
            raise Unauthenticated("the account is disabled", "session")
        return Principal.of_account(account.id, account.name, account.roles, account.organisation_id)

    def accounts(self) -> list[Account]:
        """Every account, in the order they were created."""
        topic = f"{Account.__module__}:{Account.Created.__qualname__}"
        found: list[Notification] = []
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=1000, topics=[topic])
            if not page:
                return [self._load(Account, n.originator_id) for n in found]
            found.extend(page)
            start = page[-1].id + 1

    # -- reading ---------------------------------------------------------------

    def get(self, aggregate_id: Any, version: int | None = None) -> Aggregate:
        """Any record by id, now or as it stood at ``version``."""
        aggregate_id = as_uuid(aggregate_id)
        if version is not None and version < 1:
            raise InvalidCommand("versions start at 1", "version")
        if version is not None:
            version = min(version, 2**31 - 1)  # past the last version is the current state
        try:
            return self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"no record has id {aggregate_id}", "id") from None

    def version_as_of(self, aggregate_id: Any, as_of: int | datetime) -> int:
        """The record's version as the hub knew it at a log position or a record time (record time)."""
        events = self.history(aggregate_id)
        if isinstance(as_of, datetime):
            known = [e.version for e in events if e.recorded_at <= as_of]
        else:
            known = [e.version for e in events if (self.position_of(e.aggregate_id, e.version) or 0) <= as_of]
        if not known:
            raise NotFound(f"the record {events[0].aggregate_id} did not exist yet at {as_of}", "as_of")
        return known[-1]

    def history(self, aggregate_id: Any) -> list[LoggedEvent]:
        """Every event of one record, oldest first, with actor and record time."""
        aggregate_id = as_uuid(aggregate_id)
        events = [LoggedEvent.from_domain_event(e) for e in self.events.get(aggregate_id)]
        if not events:
            raise NotFound(f"no record has id {aggregate_id}", "id")
        return events

    def read_log(self, after: int = 0, limit: int = 100,
                 keep: Callable[[Notification], bool] | None = None) -> list[LoggedEvent]:
        """The global log from position ``after + 1``, oldest first (stable positions).

        ``keep`` looks at each stored row before it is decoded (decoding is most of a search's cost): a row it
        turns down is not returned. The last position read is then the caller's to track: see
        :meth:`last_read`.
        """
        if after < 0 or limit < 1:
            raise InvalidCommand("after ≥ 0 and limit ≥ 1", "limit" if limit < 1 else "after")
        after = min(after, 2**62)
        notifications = self.recorder.select_notifications(start=after + 1, limit=limit)
        self._local.last_read = notifications[-1].id if notifications else None
        return [
            LoggedEvent.from_domain_event(self.mapper.to_domain_event(n), position=n.id)
            for n in notifications if keep is None or keep(n)
        ]

    def last_read(self) -> int | None:
        """The position of the last row this thread's latest :meth:`read_log` read (kept or not)."""
        return getattr(self._local, "last_read", None)

    def log_length(self) -> int:
        """The position of the last stored event (0 for an empty log)."""
        return self.recorder.max_notification_id() or 0
