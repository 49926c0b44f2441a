"""The tamper-evident log: a Merkle leaf per stored event, written in the event's own transaction.

Each stored event's canonical bytes (position, record id, version, topic,
state) become a leaf of an RFC 6962 Merkle tree (:mod:`hub.verifier.merkle`). The
library's own SQLite and PostgreSQL application recorders are extended — not
replaced — so the leaf row is inserted by the same transaction as the event
row: an event is never stored without its leaf. Signed tree heads (size, root,
time, Ed25519 signature) pin the tree; ``verify`` recomputes everything and
names the first position that does not match.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from hub.errors import HubError
from hub.signing import Signer, SigningKeyError
from hub.verifier.checkpoint import Checkpoint, CheckpointError, SignedCheckpoint, legacy_head_verifies, open_checkpoint
from hub.verifier.merkle import MerkleTree, leaf_hash
from hub.verifier.note import NoteError, NoteKey, parse_signature
from hub.witnessing import Witness

log = logging.getLogger(__name__)

DEFAULT_ORIGIN = "partnership-hub.local/log"
LEAVES, HEADS = "hub_leaves", "hub_tree_heads"  # hub_tree_heads: heads of the first format, read only
CHECKPOINTS, COSIGNATURES = "hub_checkpoints", "hub_cosignatures"


def leaf_data(position: int, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The canonical bytes of one stored event at its log position."""
    rid = originator_id.hex if isinstance(originator_id, UUID) else UUID(str(originator_id)).hex
    body = bytes(state) if isinstance(state, (bytes, bytearray, memoryview)) else str(state).encode("utf-8")
    return f"hub-event/1\n{position}\n{rid}\n{version}\n{topic}\n".encode() + body


def event_leaf(position: int, s: Any) -> bytes:
    return leaf_hash(leaf_data(position, s.originator_id, s.originator_version, s.topic, s.state))


# -- recorders: the library's, with the leaf written in the same transaction -----------

# One home for the ledger's tables; each store fills in its own column types.
TABLES = {
    LEAVES: "position {int} PRIMARY KEY, leaf {bytes} NOT NULL",
    HEADS: "size {int} PRIMARY KEY, root {text} NOT NULL, signed_at {text} NOT NULL, signature {text} NOT NULL",
    CHECKPOINTS: "size {int} PRIMARY KEY, note {text} NOT NULL",
    COSIGNATURES: "size {int} NOT NULL, witness {text} NOT NULL, line {text} NOT NULL, PRIMARY KEY (size, witness)",
}
SQLITE_TYPES = {"int": "INTEGER", "bytes": "BLOB", "text": "TEXT"}
SCHEMA_LOCK = int.from_bytes(b"hub-tabs", "big")  # the PostgreSQL advisory lock taken while creating tables
POSTGRES_TYPES = {"int": "bigint", "bytes": "bytea", "text": "text"}


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [
            f"CREATE TABLE IF NOT EXISTS {table} ({columns.format(**SQLITE_TYPES)})"
            for table, columns in TABLES.items()]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        c.executemany(f"INSERT INTO {LEAVES} (position, leaf) VALUES (?, ?)",
                      [(i, event_leaf(i, s)) for i, s in zip(ids or [], stored_events, strict=bool(ids))])
        return ids


class POPOLedgerRecorder(POPOApplicationRecorder):
    def __init__(self) -> None:
        super().__init__()
        self.leaves: dict[int, bytes] = {}
        self.heads: dict[int, tuple[str, str, str]] = {}
        self.checkpoints: dict[int, str] = {}
        self.cosignatures: dict[tuple[int, str], str] = {}

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        for i, s in zip(ids or [], stored_events, strict=bool(ids)):
            self.leaves[i] = event_leaf(i, s)
        return ids


# -- reading and writing the ledger's own rows ---------------------------------------------

Execute = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


class _Rows:
    """Leaves, checkpoints and cosignatures on whichever store the application uses.

    Statements are written with ``?`` placeholders and ``{t}`` before a table name
    (the schema on PostgreSQL).
    """

    def __init__(self, recorder: Any):
        self.recorder = recorder
        self.memory = isinstance(recorder, POPOLedgerRecorder)
        self.sqlite = isinstance(recorder, SQLiteApplicationRecorder)
        self._memory_lock = threading.RLock()

    def _sql(self, sql: str) -> Any:
        if self.sqlite:
            return sql.replace("{t}", "")
        from psycopg.sql import SQL, Identifier  # PostgreSQL only (hub.ledger_postgres)

        return SQL(sql.replace("?", "%s").replace("{t}", "{schema}.")).format(
            schema=Identifier(self.recorder.datastore.schema))

    def _runner(self, curs: Any) -> Execute:
        """Run statements on one cursor of either store, rows as tuples."""
        if self.sqlite:
            # rows as tuples, not the library's sqlite3.Row made into tuples: a server's start reads every leaf to
            # check its saved read model, and 995,974 of them with the tree built took 2.11-2.18 s, now 0.75-0.79 s
            curs.sqlite_cursor.row_factory = None

        def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            curs.execute(self._sql(sql), params)
            if self.sqlite:  # the library's SQLite cursor has no description: only a SELECT has rows
                return list(curs.fetchall()) if sql.lstrip().upper().startswith("SELECT") else []
            return [tuple(row.values()) for row in curs.fetchall()] if curs.description else []
        return run

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        r = self.recorder
        if self.sqlite:
            with r.datastore.transaction(commit=False) as c:
                return self._runner(c)(sql, params)
        with r.datastore.get_connection() as conn, conn.cursor() as curs:
            return self._runner(curs)(sql, params)

    @contextmanager
    def locked(self) -> Iterator[Execute]:
        """One transaction that holds the signing lock: processes extend the chain one at a time."""
        r = self.recorder
        if self.memory:
            with self._memory_lock:
                yield self._memory_execute
            return
        if self.sqlite:
            with r.datastore.transaction(commit=True) as c:
                c.execute(f"DELETE FROM {CHECKPOINTS} WHERE size < 0")  # takes SQLite's write lock first
                yield self._runner(c)
            return
        with r.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(self._sql(f"LOCK TABLE {{t}}{CHECKPOINTS} IN EXCLUSIVE MODE"))
            yield self._runner(curs)

    def _memory_execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        r = self.recorder
        if sql.startswith("INSERT INTO {t}" + CHECKPOINTS):
            r.checkpoints.setdefault(params[0], params[1])
            return []
        if sql.startswith("INSERT INTO {t}" + COSIGNATURES):
            r.cosignatures.setdefault((params[0], params[1]), params[2])
            return []
        raise AssertionError(sql)  # the memory store reads through the methods below

    def leaves_after(self, position: int, limit: int = 10_000) -> list[tuple[int, bytes]]:
        if self.memory:
            return sorted((p, leaf) for p, leaf in self.recorder.leaves.items() if p > position)[:limit]
        rows = self._query(f"SELECT position, leaf FROM {{t}}{LEAVES} WHERE position > ? ORDER BY position LIMIT ?",
                           (position, limit))
        return rows if self.sqlite else [(int(p), bytes(leaf)) for p, leaf in rows]  # SQLite's are these already

    def position_of(self, originator_id: UUID, version: int) -> int | None:
        """Where one record's event sits in the log."""
        r = self.recorder
        if self.memory:
            index = r._stored_events_index.get(str(originator_id), {}).get(version)
            return None if index is None else index + 1
        if self.sqlite:
            rows = self._query(f"SELECT rowid FROM {r.events_table_name} "
                               "WHERE originator_id = ? AND originator_version = ?", (originator_id.hex, version))
        else:
            rows = self._query("SELECT notification_id FROM {t}" + r.events_table_name +
                               " WHERE originator_id = ? AND originator_version = ?", (originator_id, version))
        return int(rows[0][0]) if rows else None

    def legacy_heads(self) -> list[tuple[int, str, str, str]]:
        """Heads of the first format (size, hex root, time, base64 signature), oldest first."""
        if self.memory:
            return sorted((s, *v) for s, v in self.recorder.heads.items())
        rows = self._query(f"SELECT size, root, signed_at, signature FROM {{t}}{HEADS} ORDER BY size")
        return [(int(s), str(root), str(t), str(sig)) for s, root, t, sig in rows]

    def checkpoints(self, latest: bool = False, run: Execute | None = None, size: int | None = None
                    ) -> list[tuple[int, str]]:
        """(size, note) of the stored checkpoints, oldest first; or only the newest, or the one of ``size``
        (one indexed lookup each)."""
        if self.memory:
            rows = sorted((s, n) for s, n in self.recorder.checkpoints.items() if size is None or s == size)
            return rows[-1:] if latest else rows
        where, params = ("WHERE size = ?", (size,)) if size is not None else ("", ())
        order = "DESC LIMIT 1" if latest else ""
        rows = (run or self._query)(f"SELECT size, note FROM {{t}}{CHECKPOINTS} {where} ORDER BY size {order}", params)
        return [(int(s), str(note)) for s, note in rows]

    def cosignatures(self, size: int | None = None) -> dict[int, list[str]]:
        """Witness cosignature lines stored for each checkpoint size (or for the one of ``size``)."""
        if self.memory:
            items = sorted((s, line) for (s, _), line in self.recorder.cosignatures.items() if size in (None, s))
        else:
            where, params = ("WHERE size = ?", (size,)) if size is not None else ("", ())
            items = [(int(s), str(line)) for s, line in self._query(
                f"SELECT size, line FROM {{t}}{COSIGNATURES} {where} ORDER BY size, witness", params)]
        found: dict[int, list[str]] = {}
        for size, line in items:
            found.setdefault(size, []).append(line)
        return found

    def latest_cosigned(self, witness: str) -> int:
        """The largest checkpoint size this witness cosigned, as stored (0 if none)."""
        if self.memory:
            return max((s for (s, w) in self.recorder.cosignatures if w == witness), default=0)
        rows = self._query(f"SELECT max(size) FROM {{t}}{COSIGNATURES} WHERE witness = ?", (witness,))
        return int(rows[0][0] or 0) if rows else 0

    def save_cosignatures(self, size: int, witness: str, lines: list[str]) -> None:
        with self.locked() as run:
            for line in lines:
                if self.memory:
                    run("INSERT INTO {t}" + COSIGNATURES, (size, witness, line))
                elif self.sqlite:
                    run(f"INSERT OR IGNORE INTO {COSIGNATURES} VALUES (?, ?, ?)", (size, witness, line))
                else:
                    run(f"INSERT INTO {{t}}{COSIGNATURES} VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        (size, witness, line))

    def insert_checkpoint(self, run: Execute, size: int, note: str) -> None:
        run(f"INSERT INTO {{t}}{CHECKPOINTS} (size, note) VALUES (?, ?)", (size, note))


# -- checkpoints, proofs, verification -----------------------------------------------------

class LedgerError(HubError):
    """The ledger cannot do what was asked without vouching for a log that does not match what it signed."""


@dataclass(frozen=True)
class Problem:
    position: int | None
    what: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.what}" if self.position is not None else self.what


@dataclass(frozen=True)
class Verification:
    events: int
    heads: int
    root: str
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # what was checked beyond the store (witnesses, files)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


_handed_down: dict[str, tuple[MerkleTree, array[int]]] = {}


def hand_down(ledger: Ledger) -> None:
    """Keep ``ledger``'s tree for the worker processes a server forks next: the first ledger of the same store each
    worker makes starts from it (its pages shared) and reads only the leaves after it.

    Why: each worker read every leaf again into a tree of its own in its first seconds — 7.4 MB at 99,527 events,
    74 MB at 995,974 in each worker — though the server's first process had just built the same tree to check its
    saved read model against the log (without a saved model, the tree is built here once instead of once per
    worker). Appending to a level (a byte string) copies only its last page.
    """
    with ledger.lock:
        ledger.catch_up()
        if ledger.store:
            _handed_down[ledger.store] = ledger.tree, ledger.positions


class Ledger:
    """Follows the leaves into an in-memory Merkle tree; signs checkpoints; gives proofs; verifies the log.

    ``signer`` is the private key (``None``: loaded from ``HUB_SIGNING_KEY`` when first needed, and made only
    for a log with no checkpoint yet); ``public`` a public key to check with instead (``--key``).
    """

    def __init__(self, recorder: Any, signer: Signer | None = None, *, store: str = "", origin: str = DEFAULT_ORIGIN,
                 public: NoteKey | None = None, witnesses: list[Witness] | None = None, quorum: int = 0,
                 every_seconds: float = 1.0):
        self.rows = _Rows(recorder)
        self.recorder = recorder
        self._signer = signer
        self._public = public
        self.store = store
        self.origin = origin
        self.witnesses = witnesses or []
        self.quorum = quorum
        self.every_seconds = every_seconds
        # tree index → log position; both inherited from the server's first process, if it handed them down
        inherited = _handed_down.pop(store) if store in _handed_down else None
        self.tree, self.positions = inherited or (MerkleTree(), array("q"))
        self.lock = threading.RLock()
        self._last_signed = 0.0  # time.monotonic() of this process's last signing
        self._timer: threading.Timer | None = None
        self._opened: dict[str, SignedCheckpoint] = {}  # notes whose signature this process checked already
        self._newest: SignedCheckpoint | None = None  # the newest checkpoint this process signed or read

    # -- keys -------------------------------------------------------------------------------

    @property
    def signer(self) -> Signer:
        """The private key; made only for a log that has never been signed."""
        if self._signer is None:
            try:
                self._signer = self.existing_signer()
            except SigningKeyError:
                if self.rows.checkpoints(latest=True) or self.rows.legacy_heads():
                    raise
                try:
                    self._signer = Signer.create()
                except FileExistsError:  # another process made it meanwhile
                    self._signer = Signer.load()
        return self._signer

    def existing_signer(self) -> Signer:
        """The private key as stored; an error (saying what to do) if it cannot be read. Never makes one."""
        if self._signer is not None:
            return self._signer
        try:
            return Signer.load()
        except SigningKeyError as error:
            raise SigningKeyError(
                f"{error.message}: restore the hub's key file (HUB_SIGNING_KEY), or check the log with the hub's "
                "public key alone: hub audit verify --key hub-key.pem") from None

    def check_with(self, key: NoteKey) -> None:
        """Check (and only check) with this public key: verification on a machine without the private key."""
        self._public = NoteKey(self.origin, key.raw)
        self._opened.clear()  # checked with another key: check again
    @property
    def can_sign(self) -> bool:
        return self._public is None

    @property
    def log_key(self) -> NoteKey:
        """The public key checkpoints are checked with (never makes a key)."""
        return self._public or self.existing_signer().note_key(self.origin)

    @property
    def public_pem(self) -> str:
        return self.log_key.pem()

    def published_key(self) -> NoteKey:
        """The key to publish: the one checkpoints are checked with (made here for a log never signed)."""
        return self._public or self.signer.note_key(self.origin)

    # -- following the leaves --------------------------------------------------------------

    def catch_up(self) -> int:
        with self.lock:
            added = 0
            while True:
                rows = self.rows.leaves_after(self.positions[-1] if self.positions else 0)
                if not rows:
                    return added
                self.tree.extend([leaf for _, leaf in rows])
                self.positions.extend(position for position, _ in rows)
                added += len(rows)

    def index_of(self, position: int) -> int:
        with self.lock:
            self.catch_up()
            i = bisect.bisect_left(self.positions, position)
            if i == len(self.positions) or self.positions[i] != position:
                raise LookupError(f"no event at position {position}")
            return i

    # -- signing ---------------------------------------------------------------------------

    def _open(self, note: str) -> SignedCheckpoint:
        """The checkpoint in ``note``, its signature checked (once per process: Ed25519 costs ~0.2 ms a check)."""
        known = self._opened.get(note)
        if known is not None:
            return known
        try:
            signed = open_checkpoint(note, self.log_key)
        except CheckpointError as error:
            raise LedgerError(str(error)) from None
        if len(self._opened) >= 64:
            self._opened.pop(next(iter(self._opened)))
        self._opened[note] = signed
        return signed

    def latest_head(self) -> SignedCheckpoint | None:
        rows = self.rows.checkpoints(latest=True)
        newest = self._open(rows[0][1]) if rows else None
        if newest is not None:
            self._newest = newest
        return newest

    def sign_head(self) -> SignedCheckpoint:
        """A signed checkpoint for the whole log as it is now (the newest one if the log has not grown).

        Refuses (:class:`LedgerError`) when the stored log no longer matches the newest checkpoint or the one
        this key remembers signing: signing then would vouch for a rewritten or truncated history.
        """
        signer = self.signer
        with self.lock:
            self.catch_up()
            with self.rows.locked() as run:
                rows = self.rows.checkpoints(latest=True, run=run)
                latest = self._open(rows[0][1]) if rows else None
                if latest is not None and latest.size >= self.tree.size:
                    return latest
                self._check_extends(latest, "the newest stored checkpoint")
                remembered = signer.remembered(self.store)
                if remembered is not None:
                    mine = self._open(remembered)
                    fresh_start = (f"; if this store was emptied on purpose to start a new log, remove "
                                   f"{signer.record_path(self.store)}")
                    try:
                        self._check_extends(mine, "the newest checkpoint this key signed")
                    except LedgerError as error:
                        raise LedgerError(error.message + fresh_start) from None
                    if latest is None or latest.size < mine.size:
                        raise LedgerError(f"the checkpoint of size {mine.size} this key signed at "
                                          f"{mine.checkpoint.time} is missing from the store: refusing to sign "
                                          f"(run hub audit verify){fresh_start}")
                size = self.tree.size
                checkpoint = Checkpoint(self.origin, size, self.tree.root(size),
                                        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                        latest.checkpoint.digest() if latest else None)
                signed = SignedCheckpoint(checkpoint, (signer.sign(checkpoint.text(), self.origin),))
                self.rows.insert_checkpoint(run, size, signed.note())
                signer.remember(self.store, signed.note())
            self._last_signed = time.monotonic()
            self._newest = signed
        if self.witnesses:
            signed = self.send_to_witnesses(signed)
        return signed

    def _check_extends(self, signed: SignedCheckpoint | None, what: str) -> None:
        if signed is None:
            return
        size = signed.size
        if size > self.tree.size:
            raise LedgerError(f"the log holds {self.tree.size} events but {what} covers {size}: "
                              "events were removed; refusing to sign (run hub audit verify)")
        if self.tree.root(size) != signed.checkpoint.root:
            raise LedgerError(f"the first {size} events no longer add up to {what}: refusing to sign "
                              "(run hub audit verify)")

    def sign_if_due(self) -> SignedCheckpoint | None:
        """Sign when the log has grown and the last signing is at least ``every_seconds`` old."""
        if time.monotonic() - self._last_signed < self.every_seconds:
            return None
        with self.lock:
            self.catch_up()
            latest = self.rows.checkpoints(latest=True)
            if latest and latest[0][0] >= self.tree.size or not self.tree.size:
                return None
        return self.sign_head()

    def sign_soon(self) -> None:
        """After a write: make sure a checkpoint covers it within ``every_seconds`` (one timer per process)."""
        with self.lock:
            if self._timer is not None:
                return
            delay = max(0.0, self.every_seconds - (time.monotonic() - self._last_signed))
            self._timer = threading.Timer(delay, self._timed_sign)
            self._timer.daemon = True
            self._timer.start()

    def _timed_sign(self) -> None:
        with self.lock:
            self._timer = None
        try:
            self.sign_head()
        except (OperationalError, InterfaceError) as error:  # the database is briefly away: try again soon
            log.warning("could not sign a checkpoint, trying again: %s", str(error).splitlines()[0])
            self._last_signed = time.monotonic()
            self.sign_soon()
        except LedgerError as error:  # the stored log no longer matches what was signed: say so, sign nothing
            log.error("refusing to sign a checkpoint: %s", error)
        except Exception:  # the server goes on; verify reports the unsigned tail
            log.exception("could not sign a checkpoint")

    def stop(self) -> None:
        """Stop signing on a timer; what is still waiting for its checkpoint is signed now (a server stopping)."""
        with self.lock:
            pending, self._timer = self._timer, None
        if pending is not None:
            pending.cancel()
            self._timed_sign()

    def send_to_witnesses(self, signed: SignedCheckpoint) -> SignedCheckpoint:
        """Ask every witness to cosign ``signed`` (with a consistency proof); keep what they sign."""
        text = signed.checkpoint.text()
        for witness in self.witnesses:
            old = self.rows.latest_cosigned(witness.name)
            for _ in range(2):
                proof = self.tree.consistency_proof(old, signed.size) if 0 < old < signed.size else []
                answer = witness.add_checkpoint(old if old <= signed.size else 0, proof, signed.note())
                if answer.status == 409 and answer.body.strip().isdigit() and int(answer.body) != old:
                    old = int(answer.body)  # the witness says which size it cosigned last
                    if old > signed.size:
                        break
                    continue
                break
            cosignatures = witness.cosignatures(answer, text) if answer.status == 200 else []
            if cosignatures:
                self.rows.save_cosignatures(signed.size, witness.name, [s.line() for s in cosignatures])
                signed = signed.with_signatures(cosignatures)
            else:
                log.warning("witness %s did not cosign the checkpoint of size %d: %s %s", witness.name,
                            signed.size, answer.status, answer.body.strip()[:200])
        return signed

    # -- proofs and receipts ----------------------------------------------------------------

    def head_of_size(self, size: int) -> SignedCheckpoint:
        rows = self.rows.checkpoints(size=size)
        if not rows:
            raise LookupError(f"no signed checkpoint of size {size}")
        return self.with_cosignatures(self._open(rows[0][1]))

    def with_cosignatures(self, signed: SignedCheckpoint, lines: list[str] | None = None) -> SignedCheckpoint:
        """The checkpoint with the witnesses' cosignatures stored for it (or the ``lines`` given)."""
        lines = self.rows.cosignatures(size=signed.size).get(signed.size, []) if lines is None else lines
        return signed.with_signatures([parse_signature(line) for line in lines])

    def chain(self, up_to: int) -> Iterator[SignedCheckpoint]:
        """Every stored checkpoint of at most ``up_to`` events with its cosignatures, oldest first (two queries)."""
        cosigned = self.rows.cosignatures()
        for size, note in self.rows.checkpoints():
            if size <= up_to:
                yield self.with_cosignatures(self._open(note), cosigned.get(size, []))

    def inclusion(self, position: int, size: int) -> dict[str, Any]:
        with self.lock:
            index = self.index_of(position)
            return {"position": position, "index": index, "tree_size": size,
                    "leaf_hash": self.tree.leaf(index).hex(),
                    "proof": [h.hex() for h in self.tree.inclusion_proof(index, size)]}

    def consistency(self, old: int, new: int) -> list[str]:
        with self.lock:
            self.catch_up()
            return [h.hex() for h in self.tree.consistency_proof(old, new)]

    def covering(self, position: int) -> SignedCheckpoint | None:
        """The newest checkpoint, if it covers the event at ``position`` (raises LookupError for no event)."""
        index = self.index_of(position)
        latest = self.latest_head()
        return latest if latest is not None and latest.size > index else None

    def receipt_if_ready(self, position: int) -> dict[str, Any] | None:
        """The receipt when a checkpoint this process knows already covers ``position`` (no waiting, no query).

        Right after a write this is almost always None: the next checkpoint comes within ``every_seconds``.
        """
        newest = self._newest
        if newest is None or newest.size > len(self.positions) or self.positions[newest.size - 1] < position:
            return None
        return self._receipt(position, newest)

    def receipt(self, position: int) -> dict[str, Any]:
        """Proof that the event at ``position`` is in the log: its leaf, a checkpoint covering it, the path.

        An event newer than the newest checkpoint waits for the next signing (at most ``every_seconds``).
        """
        head = self.covering(position)
        if head is None:
            # Wait for the next signing, but never more than half the cadence: a receipt is ready within it.
            wait = min(self.every_seconds / 2, self.every_seconds - (time.monotonic() - self._last_signed))
            if wait > 0:
                time.sleep(wait)
            head = self.covering(position) or self.sign_head()
        return self._receipt(position, head)

    def _receipt(self, position: int, head: SignedCheckpoint) -> dict[str, Any]:
        head = self.with_cosignatures(head)
        with self.lock:
            self.catch_up()
            return {"log": self.origin, "public_key": self.log_key.vkey(), "tree_head": head.as_head(),
                    **self.inclusion(position, head.size)}

    # -- verification ------------------------------------------------------------------------

    def verify(self, notifications: Iterator[Any], against: Sequence[str] = (),
               ask_witnesses: bool = False) -> Verification:
        """Recompute every leaf from the stored events, the tree, every checkpoint and what others hold.

        ``notifications`` are the stored events in log order (the recorder's own rows); ``against`` are
        checkpoint notes kept elsewhere (a saved receipt's, a witness's). Problems come sorted by position,
        so the first one names where the log was changed.
        """
        _ = self.log_key  # no key to check with is an error before anything is read
        problems: list[Problem] = []
        notes: list[str] = []
        leaves = dict(self._all_leaves())
        events: dict[int, bytes] = {}
        mismatched = False
        for n in notifications:
            events[n.id] = expected = event_leaf(n.id, n)
            stored = leaves.get(n.id)
            if stored is None:
                problems.append(Problem(n.id, "an event with no leaf: inserted outside the hub"))
            elif stored != expected:
                problems.append(Problem(n.id, "the event does not match its leaf: edited or moved"))
                mismatched = True
        for position in sorted(set(leaves) - set(events)):
            problems.append(Problem(position, "a leaf with no event: the event was deleted"))
        # Checkpoints signed the leaves as stored; an event with no leaf adds its own. Where an event and its leaf
        # disagree (reported above), either one may be the original: a checkpoint matching either tree is kept.
        tree, alternative = MerkleTree(), MerkleTree() if mismatched else None
        positions = sorted(set(leaves) | set(events))
        for position in positions:
            tree.append(leaves.get(position) or events[position])
            if alternative is not None:
                alternative.append(events.get(position) or leaves[position])
        del leaves, events

        def at(index: int) -> int:
            """The log position of tree index ``index`` (one past the end for the end)."""
            return positions[index] if index < len(positions) else (positions[-1] if positions else 0) + 1

        def check(size: int, root: bytes, what: str, good: int) -> Problem | None:
            if size > tree.size:
                return Problem(at(tree.size), f"{what} covers {size} events but the log holds {tree.size}: "
                                              f"the events from position {at(tree.size)} on were removed")
            if tree.root(size) != root and (alternative is None or alternative.root(size) != root):
                return Problem(at(good), f"the events from position {at(good)} to {at(size - 1)} no longer add "
                                         f"up to {what}: rewritten together with their leaves")
            return None

        signed_size = self._check_legacy(tree, check, problems)
        kept = self.rows.checkpoints()
        cosigned = self.rows.cosignatures()
        chain: dict[int, SignedCheckpoint] = {}
        previous: SignedCheckpoint | None = None
        for size, note in kept:
            what = f"the checkpoint of size {size}"
            try:
                signed = self._open(note)
            except LedgerError as error:
                problems.append(Problem(at(signed_size), f"{what} does not verify: {error}"))
                continue
            if signed.size != size:
                problems.append(Problem(at(signed_size), f"{what} is stored under another size"))
                continue
            what += f" (signed {signed.checkpoint.time})"
            expected_previous = previous.checkpoint.digest() if previous else None
            if signed.checkpoint.previous != expected_previous:
                after = previous.size if previous else 0
                problems.append(Problem(at(after), f"{what} does not follow the checkpoint stored before it: "
                                                   "a checkpoint between them was deleted"))
            problem = check(size, signed.checkpoint.root, what, previous.size if previous else 0)
            if problem:
                problems.append(problem)
            chain[size] = signed
            previous = signed
            signed_size = max(signed_size, size)
        if signed_size < tree.size:
            problems.append(Problem(at(signed_size), f"the events from position {at(signed_size)} to "
                                                     f"{at(tree.size - 1)} are covered by no signed checkpoint: "
                                                     "appended behind the hub's back, their checkpoints deleted, or "
                                                     "written by a hub killed before it signed them (it signs "
                                                     "them when it starts again)"))
        others = list(against)
        if self.can_sign:
            remembered = self.existing_signer().remembered(self.store)
            if remembered:
                others.append(remembered)
                notes.append("checked against the newest checkpoint the signing key remembers")
        if self.witnesses:
            self._check_witnesses(previous, cosigned, problems, notes, others if ask_witnesses else None)
        for note in others:
            self._check_other(note, tree, chain, check, at, problems)
        problems.sort(key=lambda p: (p.position is None, p.position or 0))
        return Verification(tree.size, len(kept) + len(self.rows.legacy_heads()), tree.root().hex(),
                            problems, notes)

    def _check_legacy(self, tree: MerkleTree, check: Callable[..., Problem | None], problems: list[Problem]) -> int:
        """Heads of the first format: each signature and root (they have no chain). Returns the size they cover."""
        covered = 0
        for size, root, signed_at, signature in self.rows.legacy_heads():
            if not legacy_head_verifies(self.log_key, size, root, signed_at, signature):
                problems.append(Problem(None, f"the signed tree head of size {size} has a bad signature"))
                continue
            problem = check(size, bytes.fromhex(root), f"the signed tree head of size {size} (signed {signed_at})",
                            covered)
            if problem:
                problems.append(problem)
            covered = max(covered, size)
        return covered

    def _check_other(self, note: str, tree: MerkleTree, chain: dict[int, SignedCheckpoint],
                     check: Callable[..., Problem | None], at: Callable[[int], int], problems: list[Problem]) -> None:
        try:
            other = self._open(note)
        except LedgerError as error:
            problems.append(Problem(None, f"a checkpoint given to check against does not verify: {error}"))
            return
        what = f"the checkpoint of size {other.size} signed {other.checkpoint.time} (held outside the store)"
        mine = chain.get(other.size)
        if mine is not None and mine.checkpoint.root != other.checkpoint.root:
            problems.append(Problem(at(0), f"a split view: the store's checkpoint of size {other.size} and {what} "
                                           "state different roots"))
            return
        below = max((s for s in chain if s < other.size), default=0)
        problem = check(other.size, other.checkpoint.root, what, below)
        if problem:
            problems.append(problem)
        elif mine is None:
            problems.append(Problem(at(below), f"{what} is missing from the store: checkpoints were deleted"))

    def _check_witnesses(self, latest: SignedCheckpoint | None, cosigned: dict[int, list[str]],
                         problems: list[Problem], notes: list[str], others: list[str] | None) -> None:
        if latest is not None and self.quorum:
            text = latest.checkpoint.text()
            names = set()
            for line in cosigned.get(latest.size, []):
                try:
                    signature = parse_signature(line)
                except NoteError:
                    continue
                names |= {w.name for w in self.witnesses if w.key.verifies(text, signature)}
            if len(names) < self.quorum:
                problems.append(Problem(None, f"the newest checkpoint (size {latest.size}) has {len(names)} of the "
                                              f"{self.quorum} witness cosignatures required"))
        if others is None:
            return
        for witness in self.witnesses:
            answer = witness.latest(self.origin)
            if answer.status != 200:
                notes.append(f"witness {witness.name} could not be asked ({answer.status or answer.body})")
                continue
            others.append(answer.body)
            notes.append(f"checked against the newest checkpoint witness {witness.name} cosigned")

    def _all_leaves(self) -> Iterator[tuple[int, bytes]]:
        position = 0
        while True:
            rows = self.rows.leaves_after(position)
            if not rows:
                return
            yield from rows
            position = rows[-1][0]
