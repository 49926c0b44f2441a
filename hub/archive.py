"""Lossless export and import of the whole log as NDJSON.

The file is one JSON object per line: a header, one line per stored event
(position, record id, version, topic, state in base64, record time, actor,
leaf hash), and a trailer with the count and the Merkle root. Import checks
everything before it writes anything — the header, every line, every leaf
hash against the event's own bytes, the count and the root — and then writes
all events with their original positions, and their leaves, in one
transaction into an empty store. So the same records, the same projections
and the same root come back, or nothing is stored.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import IO, Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from hub.application import HubApplication
from hub.errors import HubError
from hub.ledger import LEAVES, event_leaf
from hub.log import LoggedEvent
from hub.merkle import MerkleTree

FORMAT = "partnership-hub-log/1"
Progress = Callable[[int, int], None]


class ArchiveError(HubError):
    """The file cannot be imported; nothing was stored."""


def export_log(app: HubApplication, out: IO[str], progress: Progress | None = None) -> dict[str, Any]:
    """Write the whole log; return the trailer (count and root)."""
    total = app.log_length()
    head = app.ledger.sign_head()
    out.write(json.dumps({"format": FORMAT, "log_length": total, "tree_head": head.as_dict()}) + "\n")
    tree, count = MerkleTree(), 0
    for n in app.notifications():
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


def read_archive(lines: Iterator[str]) -> tuple[list[_Row], dict[str, Any]]:
    """Parse and check a whole export; raise :class:`ArchiveError` naming the first bad line."""
    rows: list[_Row] = []
    people: list[tuple[str, str]] = []
    tree = MerkleTree()
    trailer = None
    previous = 0
    for number, text in enumerate(lines, start=1):
        if trailer is not None:
            raise ArchiveError(f"line {number}: data after the end of the log")
        try:
            line = json.loads(text)
        except ValueError:
            raise ArchiveError(f"line {number}: not JSON (a truncated or damaged file?)") from None
        if number == 1:
            if not isinstance(line, dict) or line.get("format") != FORMAT:
                raise ArchiveError(f"line 1: not a {FORMAT} export")
            continue
        if isinstance(line, dict) and line.get("end") is True:
            trailer = line
            continue
        if isinstance(line, dict) and set(line) == {"person", "key"}:
            if not (isinstance(line["person"], str) and isinstance(line["key"], str)):
                raise ArchiveError(f"line {number}: not a personal-data key")
            people.append((line["person"], line["key"]))
            continue
        try:
            row = _Row(line)
        except (KeyError, TypeError, ValueError) as error:
            raise ArchiveError(f"line {number}: not an event ({error})") from None
        if row.id <= previous:
            raise ArchiveError(f"line {number}: position {row.id} is out of order")
        if event_leaf(row.id, row) != row.leaf_hash:
            raise ArchiveError(f"line {number}: the event at position {row.id} does not match its leaf hash")
        previous = row.id
        tree.append(row.leaf_hash)
        rows.append(row)
    if trailer is None:
        raise ArchiveError("the file ends before the end of the log: it is truncated")
    if trailer.get("events") != len(rows):
        raise ArchiveError(f"the file says {trailer.get('events')} events but holds {len(rows)}")
    if trailer.get("root") != tree.root().hex():
        raise ArchiveError("the events do not add up to the root the file states")
    trailer = {**trailer, "people": people}
    return rows, trailer


def import_log(app: HubApplication, lines: Iterator[str], progress: Progress | None = None) -> dict[str, Any]:
    """Import an export into an empty store, all or nothing; return the trailer."""
    if app.log_length() != 0:
        raise ArchiveError("the store is not empty: import only into a new, empty store")
    rows, trailer = read_archive(lines)
    people = trailer.pop("people")
    recorder = app.recorder
    app.vault.salt()  # makes the vault's table (schema, not data) before the one data transaction
    if isinstance(recorder, SQLiteApplicationRecorder):
        with recorder.datastore.transaction(commit=True) as c:
            c.executemany(f"INSERT INTO {recorder.events_table_name} (rowid, originator_id, originator_version, "
                          "topic, state) VALUES (?, ?, ?, ?, ?)",
                          [(r.id, r.originator_id.hex, r.originator_version, r.topic, r.state) for r in rows])
            c.executemany(f"INSERT INTO {LEAVES} (position, leaf) VALUES (?, ?)", [(r.id, r.leaf_hash) for r in rows])
            c.executemany("INSERT OR REPLACE INTO hub_people (person_id, key) VALUES (?, ?)", people)
    elif isinstance(recorder, PostgresApplicationRecorder):
        schema = Identifier(recorder.datastore.schema)
        events = Identifier(recorder.events_table_name)
        with recorder.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(schema, events))
            curs.executemany(SQL("INSERT INTO {}.{} (notification_id, originator_id, originator_version, topic, state) "
                                 "VALUES (%s, %s, %s, %s, %s)").format(schema, events),
                             [(r.id, r.originator_id, r.originator_version, r.topic, r.state) for r in rows])
            insert = SQL("INSERT INTO {}.{} (position, leaf) VALUES (%s, %s)").format(schema, Identifier(LEAVES))
            curs.executemany(insert,
                             [(r.id, r.leaf_hash) for r in rows])
            curs.executemany(SQL("INSERT INTO {}.hub_people (person_id, key) VALUES (%s, %s) ON CONFLICT (person_id) "
                                 "DO UPDATE SET key = EXCLUDED.key, erased_at = NULL").format(schema), people)
            if rows:
                curs.execute(SQL("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)"),
                             (f'"{recorder.datastore.schema}"."{recorder.events_table_name}"', rows[-1].id))
    else:
        raise ArchiveError("import needs a persistent store (sqlite:/// or postgresql://)")
    app.forget_personal_data()
    if progress:
        progress(len(rows), len(rows))
    return trailer
