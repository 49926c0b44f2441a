"""Lossless export and import of the whole log as NDJSON, checked against the hub's public key.

The file is one JSON object per line: a header (format, the log's origin, its
public key and the newest signed checkpoint), one line per stored event
(position, record id, version, topic, state in base64, record time, actor,
leaf hash), one line per signed checkpoint (the chain, with the witnesses'
cosignatures), the personal-data keys, and a trailer with the count and root.

Import believes nothing the file says about itself. Before it writes anything
it checks every leaf against its event's bytes, that the events add up to the
newest checkpoint *and that checkpoint is signed by the key the importer
trusts* (``--key``, or this hub's own), that every checkpoint of the chain
verifies and follows the one before, that the witnesses the hub is configured
with cosigned the newest one, and that every event is one of the hub's own
kinds and decodes. Then it writes events, leaves, checkpoints and keys in one
transaction into an empty store — the same records and the same root, or
nothing. A file rewritten with its hashes recomputed, cut short, or given a
forged header fails on the signature; each refusal is one line naming why.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from typing import IO, Any
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import resolve_topic

from hub.application import HubApplication
from hub.errors import HubError
from hub.ledger import CHECKPOINTS, LEAVES, event_leaf
from hub.log import LoggedEvent
from hub.verifier.checkpoint import CheckpointError, SignedCheckpoint, legacy_head_verifies, open_checkpoint
from hub.verifier.merkle import MerkleTree
from hub.verifier.note import NoteKey

FORMAT, FORMAT_1 = "partnership-hub-log/2", "partnership-hub-log/1"
Progress = Callable[[int, int], None]


class ArchiveError(HubError):
    """The file cannot be imported; nothing was stored."""


def export_log(app: HubApplication, out: IO[str], progress: Progress | None = None) -> dict[str, Any]:
    """Write the whole log; return the trailer (count and root)."""
    ledger = app.ledger
    head = ledger.sign_head()
    total = head.size
    out.write(json.dumps({"format": FORMAT, "log_length": app.log_length(), "origin": ledger.origin,
                          "public_key": ledger.log_key.vkey(), "checkpoint": head.note()}) + "\n")
    tree, count = MerkleTree(), 0
    for n in app.notifications():
        if count == total:
            break  # written after the checkpoint: the next export carries it
        event = LoggedEvent.from_domain_event(app.mapper.to_domain_event(n), position=n.id)
        leaf = event_leaf(n.id, n)
        tree.append(leaf)
        out.write(json.dumps({
            "position": n.id, "originator_id": str(n.originator_id), "version": n.originator_version,
            "topic": n.topic, "state": base64.b64encode(bytes(n.state)).decode("ascii"),
            "recorded_at": event.recorded_at.isoformat(), "actor": event.actor,
            "leaf_hash": leaf.hex()}, ensure_ascii=False) + "\n")
        count += 1
        if progress and count % 1000 == 0:
            progress(count, total)
    for signed in ledger.chain(up_to=total):
        out.write(json.dumps({"checkpoint": signed.note()}) + "\n")
    # Personal-data keys travel with a full backup (outside the Merkle root); erased people have none.
    for person_id, key in app.vault.person_keys():
        out.write(json.dumps({"person": person_id, "key": key}) + "\n")
    trailer = {"end": True, "events": count, "root": tree.root().hex()}
    out.write(json.dumps(trailer) + "\n")
    if progress:
        progress(count, total)
    return trailer


class _Row:
    def __init__(self, line: dict[str, Any]):
        self.id = int(line["position"])
        self.originator_id = UUID(line["originator_id"])
        self.originator_version = int(line["version"])
        self.topic = str(line["topic"])
        self.state = base64.b64decode(line["state"], validate=True)
        self.leaf_hash = bytes.fromhex(line["leaf_hash"])


class Archive:
    """An export read and checked line by line (nothing about its signatures yet)."""

    def __init__(self) -> None:
        self.header: dict[str, Any] = {}
        self.rows: list[_Row] = []
        self.checkpoints: list[str] = []
        self.people: list[tuple[str, str]] = []
        self.tree = MerkleTree()
        self.trailer: dict[str, Any] = {}


def read_archive(lines: Iterator[str]) -> Archive:
    """Parse and check a whole export's own consistency; raise :class:`ArchiveError` naming the first bad line."""
    archive = Archive()
    ended = False
    previous = 0
    for number, text in enumerate(lines, start=1):
        if number == 1:
            text = text.removeprefix("\ufeff")  # a BOM that an editor or a copy added
        if ended:
            raise ArchiveError(f"line {number}: data after the end of the log")
        try:
            line = json.loads(text)
        except (ValueError, RecursionError):
            raise ArchiveError(f"line {number}: not JSON (a truncated or damaged file?)") from None
        if not isinstance(line, dict):
            raise ArchiveError(f"line {number}: not a line of a log export")
        if number == 1:
            if line.get("format") not in (FORMAT, FORMAT_1):
                raise ArchiveError(f"line 1: not a {FORMAT} export")
            archive.header = line
            continue
        if line.get("end") is True:
            archive.trailer, ended = line, True
            continue
        if set(line) == {"person", "key"}:
            if not (isinstance(line["person"], str) and isinstance(line["key"], str)):
                raise ArchiveError(f"line {number}: not a personal-data key")
            archive.people.append((line["person"], line["key"]))
            continue
        if set(line) == {"checkpoint"}:
            if not isinstance(line["checkpoint"], str):
                raise ArchiveError(f"line {number}: not a checkpoint")
            archive.checkpoints.append(line["checkpoint"])
            continue
        try:
            row = _Row(line)
        except KeyError as error:
            raise ArchiveError(f"line {number}: not an event (no {error.args[0]!r})") from None
        except (TypeError, ValueError, binascii.Error):
            raise ArchiveError(f"line {number}: not an event (a position, id, version, state or leaf hash that "
                               "cannot be read)") from None
        if row.id <= previous:
            raise ArchiveError(f"line {number}: position {row.id} is out of order")
        if event_leaf(row.id, row) != row.leaf_hash:
            raise ArchiveError(f"line {number}: the event at position {row.id} does not match its leaf hash")
        previous = row.id
        archive.tree.append(row.leaf_hash)
        archive.rows.append(row)
    if not ended:
        raise ArchiveError("the file ends before the end of the log: it is truncated")
    if archive.trailer.get("events") != len(archive.rows):
        raise ArchiveError(f"the file says {archive.trailer.get('events')} events but holds {len(archive.rows)}")
    if archive.trailer.get("root") != archive.tree.root().hex():
        raise ArchiveError("the events do not add up to the root the file states")
    return archive


def check_signatures(archive: Archive, key: NoteKey | None, origin: str, witnesses: list[Any] | None = None,
                     quorum: int = 0) -> list[SignedCheckpoint]:
    """Check the export against the hub's public key (and the witnesses); return its checkpoints, oldest first."""
    size, tree = len(archive.rows), archive.tree
    if archive.header.get("format") == FORMAT_1:
        return _check_first_format(archive, key)
    if key is None:
        raise ArchiveError("cannot check the export's signature: give the hub's public key (--key hub-key.pem)")
    exported_origin = archive.header.get("origin")
    if exported_origin != origin:
        raise ArchiveError(f"the export is of the log {exported_origin!r}, this hub is {origin!r} "
                           f"(set HUB_LOG_ORIGIN={exported_origin} to restore it)")
    try:
        newest = open_checkpoint(str(archive.header.get("checkpoint")), key)
    except CheckpointError as error:
        raise ArchiveError(f"the export's newest checkpoint does not verify with the key {key.vkey()}: "
                           f"{error}") from None
    if newest.size != size or tree.root(size) != newest.checkpoint.root:
        raise ArchiveError(f"the file's {size} events do not add up to its signed checkpoint of size "
                           f"{newest.size}: events were added, dropped or rewritten after signing")
    chain: list[SignedCheckpoint] = []
    for note in archive.checkpoints:
        try:
            signed = open_checkpoint(note, key)
        except CheckpointError as error:
            raise ArchiveError(f"a checkpoint in the file does not verify: {error}") from None
        expected = chain[-1].checkpoint.digest() if chain else None
        if signed.checkpoint.previous != expected:
            raise ArchiveError(f"the checkpoint of size {signed.size} does not follow the one before it in the file")
        if signed.size > size or tree.root(signed.size) != signed.checkpoint.root:
            raise ArchiveError(f"the file's events do not add up to its checkpoint of size {signed.size}")
        chain.append(signed)
    if not chain or chain[-1].checkpoint != newest.checkpoint:
        raise ArchiveError("the file's chain of checkpoints does not end with the checkpoint in its header")
    if witnesses and quorum:
        cosigners = chain[-1].with_signatures(list(newest.signatures)).cosigners([w.key for w in witnesses])
        if len(cosigners) < quorum:
            raise ArchiveError(f"the export's newest checkpoint has {len(cosigners)} of the {quorum} witness "
                               "cosignatures this hub requires")
    return chain


def _check_first_format(archive: Archive, key: NoteKey | None) -> list[SignedCheckpoint]:
    head = archive.header.get("tree_head") or {}
    if key is None:
        raise ArchiveError("cannot check the export's signed tree head: give the hub's public key (--key hub-key.pem),"
                           " or --unsigned to import an export whose key is lost")
    try:
        size, root, signed_at, signature = int(head["size"]), str(head["root"]), str(head["signed_at"]), \
            str(head["signature"])
    except (KeyError, TypeError, ValueError):
        size, root, signed_at, signature = 0, "", "", ""
    if not legacy_head_verifies(key, size, root, signed_at, signature):
        raise ArchiveError("the export's signed tree head does not verify with the key it was checked with "
                           "(give the key that signed it: --key)") from None
    if size != len(archive.rows) or archive.tree.root(size).hex() != root:
        raise ArchiveError(f"the file's {len(archive.rows)} events do not add up to its signed tree head of "
                           f"size {size}")
    return []


def check_events(app: HubApplication, archive: Archive) -> None:
    """Every event is one of the hub's own kinds and decodes (a poison topic would break the hub later)."""
    for row in archive.rows:
        if not row.topic.startswith("hub."):
            raise ArchiveError(f"the event at position {row.id} has the topic {row.topic[:80]!r}, "
                               "which is not one of the hub's events")
        try:
            cls = resolve_topic(row.topic)
            ok = isinstance(cls, type) and issubclass(cls, DomainEvent)
        except Exception:  # any topic that does not resolve is refused the same way
            ok = False
        if not ok:
            raise ArchiveError(f"the event at position {row.id} has the topic {row.topic[:80]!r}, "
                               "which is not one of the hub's events")
        try:
            app.mapper.to_domain_event(StoredEvent(row.originator_id, row.originator_version, row.topic, row.state))
        except Exception as error:  # an event today's code cannot read must not be stored
            raise ArchiveError(f"the event at position {row.id} cannot be read: {error}") from None


def import_log(app: HubApplication, lines: Iterator[str], progress: Progress | None = None, *,
               key: NoteKey | None = None, unsigned: bool = False) -> dict[str, Any]:
    """Import an export into an empty store, all or nothing; return the trailer.

    ``key`` is the hub's public key to check the export with (default: this hub's own key, if it has one);
    ``unsigned`` imports an export of the first format whose key is lost (only that).
    """
    if app.log_length() != 0:
        raise ArchiveError("the store is not empty: import only into a new, empty store")
    archive = read_archive(lines)
    ledger = app.ledger
    if key is None and not unsigned:
        try:
            key = ledger.log_key
        except HubError:
            key = None
    elif key is not None:
        key = NoteKey(ledger.origin, key.raw)
    if unsigned and archive.header.get("format") != FORMAT_1:
        raise ArchiveError("--unsigned is only for exports of the first format; this one is signed: give --key")
    chain = [] if unsigned else check_signatures(archive, key, ledger.origin, ledger.witnesses, ledger.quorum)
    check_events(app, archive)
    rows, people = archive.rows, archive.people
    recorder = app.recorder
    app.vault.prepare()  # the vault's table (schema, no row) before the one data transaction
    notes = [(c.size, c.note()) for c in chain]
    if isinstance(recorder, SQLiteApplicationRecorder):
        with recorder.datastore.transaction(commit=True) as c:
            c.executemany(f"INSERT INTO {recorder.events_table_name} (rowid, originator_id, originator_version, "
                          "topic, state) VALUES (?, ?, ?, ?, ?)",
                          [(r.id, r.originator_id.hex, r.originator_version, r.topic, r.state) for r in rows])
            c.executemany(f"INSERT INTO {LEAVES} (position, leaf) VALUES (?, ?)", [(r.id, r.leaf_hash) for r in rows])
            c.executemany(f"INSERT INTO {CHECKPOINTS} (size, note) VALUES (?, ?)", notes)
            c.executemany("INSERT OR REPLACE INTO hub_people (person_id, key) VALUES (?, ?)", people)
    else:
        _restore_on_postgres(recorder, rows, notes, people)
    if chain and ledger.can_sign:
        try:
            ledger.signer.remember(ledger.store, chain[-1].note())  # the restored chain is what this key signed
        except HubError:
            pass  # no private key here: verification only
    app.forget_personal_data()
    if progress:
        progress(len(rows), len(rows))
    return {**archive.trailer, "checkpoints": len(chain)}


def _restore_on_postgres(recorder: Any, rows: Any, notes: list[tuple[int, str]], people: Any) -> None:
    """The rows of an archive in one PostgreSQL transaction (psycopg is imported only for a hub on PostgreSQL)."""
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    if not isinstance(recorder, PostgresApplicationRecorder):
        raise ArchiveError("import needs a persistent store (sqlite:/// or postgresql://)")
    schema = Identifier(recorder.datastore.schema)
    events = Identifier(recorder.events_table_name)
    with recorder.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
        curs.execute(SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(schema, events))
        curs.executemany(SQL("INSERT INTO {}.{} (notification_id, originator_id, originator_version, topic, state) "
                             "VALUES (%s, %s, %s, %s, %s)").format(schema, events),
                         [(r.id, r.originator_id, r.originator_version, r.topic, r.state) for r in rows])
        insert = SQL("INSERT INTO {}.{} (position, leaf) VALUES (%s, %s)").format(schema, Identifier(LEAVES))
        curs.executemany(insert, [(r.id, r.leaf_hash) for r in rows])
        curs.executemany(SQL("INSERT INTO {}.{} (size, note) VALUES (%s, %s)").format(
            schema, Identifier(CHECKPOINTS)), notes)
        curs.executemany(SQL("INSERT INTO {}.hub_people (person_id, key) VALUES (%s, %s) ON CONFLICT (person_id) "
                             "DO UPDATE SET key = EXCLUDED.key, erased_at = NULL").format(schema), people)
        if rows:
            curs.execute(SQL("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)"),
                         (f'"{recorder.datastore.schema}"."{recorder.events_table_name}"', rows[-1].id))
