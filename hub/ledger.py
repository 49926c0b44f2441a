"""The tamper-evident log: a Merkle leaf per stored event, written in the event's own transaction.

Each stored event's canonical bytes (position, record id, version, topic,
state) become a leaf of an RFC 6962 Merkle tree (:mod:`hub.merkle`). The
library's own SQLite and PostgreSQL application recorders are extended — not
replaced — so the leaf row is inserted by the same transaction as the event
row: an event is never stored without its leaf. Signed tree heads (size, root,
time, Ed25519 signature) pin the tree; ``verify`` recomputes everything and
names the first position that does not match.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from hub.merkle import MerkleTree, leaf_hash
from hub.signing import Signer, fingerprint, verify_signature

LOG_ID = "partnership-hub"
LEAVES, HEADS = "hub_leaves", "hub_tree_heads"


def leaf_data(position: int, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The canonical bytes of one stored event at its log position."""
    rid = originator_id.hex if isinstance(originator_id, UUID) else UUID(str(originator_id)).hex
    body = bytes(state) if isinstance(state, (bytes, bytearray, memoryview)) else str(state).encode("utf-8")
    return f"hub-event/1\n{position}\n{rid}\n{version}\n{topic}\n".encode() + body


def event_leaf(position: int, s: Any) -> bytes:
    return leaf_hash(leaf_data(position, s.originator_id, s.originator_version, s.topic, s.state))


# -- recorders: the library's, with the leaf written in the same transaction -----------

class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [
            f"CREATE TABLE IF NOT EXISTS {LEAVES} (position INTEGER PRIMARY KEY, leaf BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {HEADS} (size INTEGER PRIMARY KEY, root TEXT NOT NULL, "
            "signed_at TEXT NOT NULL, signature TEXT NOT NULL)",
        ]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        c.executemany(f"INSERT INTO {LEAVES} (position, leaf) VALUES (?, ?)",
                      [(i, event_leaf(i, s)) for i, s in zip(ids or [], stored_events, strict=bool(ids))])
        return ids


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {}.{} (position bigint PRIMARY KEY, leaf bytea NOT NULL)"
        ).format(schema, Identifier(LEAVES)))
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {}.{} (size bigint PRIMARY KEY, root text NOT NULL, "
            "signed_at text NOT NULL, signature text NOT NULL)"
        ).format(schema, Identifier(HEADS)))
        self.sql_insert_leaves = SQL("INSERT INTO {}.{} (position, leaf) VALUES (%s, %s)").format(
            schema, Identifier(LEAVES))

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        leaves = [(i, event_leaf(i, s)) for i, s in zip(ids or [], stored_events, strict=bool(ids))]
        curs.executemany(self.sql_insert_leaves, leaves)
        return ids


class POPOLedgerRecorder(POPOApplicationRecorder):
    def __init__(self) -> None:
        super().__init__()
        self.leaves: dict[int, bytes] = {}
        self.heads: dict[int, tuple[str, str, str]] = {}

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        for i, s in zip(ids or [], stored_events, strict=bool(ids)):
            self.leaves[i] = event_leaf(i, s)
        return ids


# -- reading and writing the ledger's own rows ---------------------------------------------

class _Rows:
    """Leaves and tree heads on whichever store the application uses."""

    def __init__(self, recorder: Any):
        self.recorder = recorder

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        r = self.recorder
        if isinstance(r, SQLiteApplicationRecorder):
            with r.datastore.transaction(commit=False) as c:
                c.execute(sql, params)
                return [tuple(row) for row in c.fetchall()]
        with r.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL(sql.replace("?", "%s")).format(schema=Identifier(r.datastore.schema)), params)
            return [tuple(row.values()) for row in curs.fetchall()] if curs.description else []

    def _table(self, name: str) -> str:
        return name if isinstance(self.recorder, SQLiteApplicationRecorder) else "{schema}." + name

    def leaves_after(self, position: int, limit: int = 10_000) -> list[tuple[int, bytes]]:
        if isinstance(self.recorder, POPOLedgerRecorder):
            return sorted((p, leaf) for p, leaf in self.recorder.leaves.items() if p > position)[:limit]
        rows = self._query(f"SELECT position, leaf FROM {self._table(LEAVES)} WHERE position > ? "
                           "ORDER BY position LIMIT ?", (position, limit))
        return [(int(p), bytes(leaf)) for p, leaf in rows]

    def position_of(self, originator_id: UUID, version: int) -> int | None:
        """Where one record's event sits in the log."""
        r = self.recorder
        if isinstance(r, POPOLedgerRecorder):
            index = r._stored_events_index.get(str(originator_id), {}).get(version)
            return None if index is None else index + 1
        if isinstance(r, SQLiteApplicationRecorder):
            rows = self._query(f"SELECT rowid FROM {r.events_table_name} "
                               "WHERE originator_id = ? AND originator_version = ?",
                               (originator_id.hex, version))
        else:
            rows = self._query("SELECT notification_id FROM {schema}." + r.events_table_name +
                               " WHERE originator_id = ? AND originator_version = ?", (originator_id, version))
        return int(rows[0][0]) if rows else None

    def heads(self, size: int | None = None, latest: bool = False) -> list[tuple[int, str, str, str]]:
        """Signed heads, oldest first; or the one of ``size``; or only the latest (one indexed lookup)."""
        if isinstance(self.recorder, POPOLedgerRecorder):
            rows = sorted((s, *v) for s, v in self.recorder.heads.items() if size is None or s == size)
            return rows[-1:] if latest else rows
        where = "" if size is None else " WHERE size = ?"
        order = " ORDER BY size DESC LIMIT 1" if latest else " ORDER BY size"
        rows = self._query(f"SELECT size, root, signed_at, signature FROM {self._table(HEADS)}{where}{order}",
                           () if size is None else (size,))
        return [(int(s), r, t, sig) for s, r, t, sig in rows]

    def save_head(self, size: int, root: str, signed_at: str, signature: str) -> None:
        r = self.recorder
        if isinstance(r, POPOLedgerRecorder):
            r.heads.setdefault(size, (root, signed_at, signature))
        elif isinstance(r, SQLiteApplicationRecorder):
            with r.datastore.transaction(commit=True) as c:
                c.execute(f"INSERT OR IGNORE INTO {HEADS} VALUES (?, ?, ?, ?)", (size, root, signed_at, signature))
        else:
            with r.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(SQL("INSERT INTO {}.{} VALUES (%s, %s, %s, %s) ON CONFLICT (size) DO NOTHING").format(
                    Identifier(r.datastore.schema), Identifier(HEADS)), (size, root, signed_at, signature))
                conn.commit()


# -- tree heads, proofs, verification ------------------------------------------------------

@dataclass(frozen=True)
class TreeHead:
    size: int
    root: str  # hex
    signed_at: str  # ISO 8601, UTC
    signature: str = ""  # base64 Ed25519 over message()

    def message(self) -> bytes:
        return json.dumps({"log": LOG_ID, "size": self.size, "root": self.root, "signed_at": self.signed_at},
                          sort_keys=True, separators=(",", ":")).encode("utf-8")

    def verify(self, public_pem: str) -> bool:
        return verify_signature(public_pem, self.message(), self.signature)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


class Ledger:
    """Follows the leaves into an in-memory Merkle tree; signs heads; gives proofs; verifies the log."""

    def __init__(self, recorder: Any, signer: Signer):
        self.rows = _Rows(recorder)
        self.recorder = recorder
        self.signer = signer
        self.tree = MerkleTree()
        self.positions: list[int] = []  # tree index → log position
        self.lock = threading.RLock()

    @property
    def public_pem(self) -> str:
        return self.signer.public_pem

    def catch_up(self) -> int:
        with self.lock:
            added = 0
            while True:
                rows = self.rows.leaves_after(self.positions[-1] if self.positions else 0)
                if not rows:
                    return added
                for position, leaf in rows:
                    self.tree.append(leaf)
                    self.positions.append(position)
                added += len(rows)

    def index_of(self, position: int) -> int:
        with self.lock:
            self.catch_up()
            i = bisect.bisect_left(self.positions, position)
            if i == len(self.positions) or self.positions[i] != position:
                raise LookupError(f"no event at position {position}")
            return i

    def sign_head(self) -> TreeHead:
        """A signed head for the whole log as it is now (reused if the log has not grown)."""
        with self.lock:
            self.catch_up()
            size = self.tree.size
            latest = self.latest_head()
            if latest is not None and latest.size == size:
                return latest
            head = TreeHead(size, self.tree.root(size).hex(), datetime.now(UTC).isoformat(timespec="seconds"))
            head = TreeHead(head.size, head.root, head.signed_at, self.signer.sign(head.message()))
            self.rows.save_head(head.size, head.root, head.signed_at, head.signature)
            return head

    def sign_head_if_due(self, every_seconds: float) -> TreeHead | None:
        """Sign a head when the last one is older than ``every_seconds`` and the log has grown since."""
        with self.lock:
            latest = self.latest_head()
            if latest is not None:
                age = datetime.now(UTC) - datetime.fromisoformat(latest.signed_at)
                if age.total_seconds() < every_seconds:
                    return None
            self.catch_up()
            if latest is not None and latest.size == self.tree.size:
                return None
            return self.sign_head() if self.tree.size else None

    def heads(self) -> list[TreeHead]:
        return [TreeHead(*row) for row in self.rows.heads()]

    def latest_head(self) -> TreeHead | None:
        rows = self.rows.heads(latest=True)
        return TreeHead(*rows[0]) if rows else None

    def head_of_size(self, size: int) -> TreeHead:
        rows = self.rows.heads(size=size)
        if not rows:
            raise LookupError(f"no signed tree head of size {size}")
        return TreeHead(*rows[0])

    def inclusion(self, position: int, size: int) -> dict[str, Any]:
        with self.lock:
            index = self.index_of(position)
            return {"position": position, "index": index, "tree_size": size,
                    "leaf_hash": self.tree.levels[0][index].hex(),
                    "proof": [h.hex() for h in self.tree.inclusion_proof(index, size)]}

    def consistency(self, old: int, new: int) -> list[str]:
        with self.lock:
            self.catch_up()
            return [h.hex() for h in self.tree.consistency_proof(old, new)]

    def receipt(self, position: int) -> dict[str, Any]:
        """Proof that the event at ``position`` is in the log: its leaf, a signed head covering it, the path."""
        head = self.sign_head()
        return {"log": LOG_ID, "public_key_sha256": fingerprint(self.public_pem), "tree_head": head.as_dict(),
                **self.inclusion(position, head.size)}

    def verify(self, notifications: Iterator[Any]) -> Verification:
        """Recompute every leaf from the stored events, the tree, and every signed head.

        ``notifications`` are the stored events in log order (the recorder's own rows).
        Problems come sorted by position, so the first one names where the log was changed.
        """
        problems: list[Problem] = []
        leaves = dict(self._all_leaves())
        recomputed = MerkleTree()
        seen: set[int] = set()
        count = 0
        for n in notifications:
            count += 1
            seen.add(n.id)
            expected = event_leaf(n.id, n)
            stored = leaves.get(n.id)
            if stored is None:
                problems.append(Problem(n.id, "an event with no leaf: inserted outside the hub"))
            elif stored != expected:
                problems.append(Problem(n.id, "the event does not match its leaf: edited or moved"))
            recomputed.append(expected)
        for position in sorted(set(leaves) - seen):
            problems.append(Problem(position, "a leaf with no event: the event was deleted"))
        previous_size = 0
        for head in self.heads():
            if not head.verify(self.public_pem):
                problems.append(Problem(None, f"the signed tree head of size {head.size} has a bad signature"))
            elif head.size > recomputed.size or recomputed.root(head.size).hex() != head.root:
                problems.append(Problem(
                    None, f"the log up to size {head.size} (signed {head.signed_at}) no longer has the signed root: "
                          f"changed after position {self._position_at(previous_size)}"))
            previous_size = head.size
        problems.sort(key=lambda p: (p.position is None, p.position or 0))
        return Verification(count, len(self.heads()), recomputed.root().hex(), problems)

    def _position_at(self, size: int) -> int:
        return self.positions[size - 1] if 0 < size <= len(self.positions) else 0

    def _all_leaves(self) -> Iterator[tuple[int, bytes]]:
        position = 0
        while True:
            rows = self.rows.leaves_after(position)
            if not rows:
                return
            yield from rows
            position = rows[-1][0]
