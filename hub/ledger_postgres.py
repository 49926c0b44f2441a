"""The ledger's recorder on PostgreSQL: each stored event's leaf in the same transaction.

Apart from :mod:`hub.ledger` so that a hub on SQLite never imports psycopg and the library's PostgreSQL
module (0.2 s of every ``hub`` command's start); the storage settings name it by topic.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.errors import DuplicateObject
from psycopg.sql import SQL, Identifier

from hub.ledger import LEAVES, POSTGRES_TYPES, SCHEMA_LOCK, TABLES, event_leaf


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        for table, columns in TABLES.items():
            self.sql_create_statements.append(SQL(
                "CREATE TABLE IF NOT EXISTS {}.{} (" + columns.format(**POSTGRES_TYPES) + ")"
            ).format(schema, Identifier(table)))
        self.sql_insert_leaves = SQL("INSERT INTO {}.{} (position, leaf) VALUES (%s, %s)").format(
            schema, Identifier(LEAVES))

    def create_table(self) -> None:
        # The library makes its composite types first, each in a transaction of its own, and takes "already
        # exists" as done; a type another worker creates at the same moment ends instead in a unique violation
        # on PostgreSQL's catalogue (one clean CI run: "duplicate key ... pg_type_typname_nsp_index", a worker
        # that fails to boot). So they are made here first under the schema lock; the library then finds them.
        for statement in self.sql_create_statements:
            if "CREATE TYPE" in statement.as_string():
                with self.datastore.transaction(commit=True) as curs, contextlib.suppress(DuplicateObject):
                    curs.execute(SQL("SELECT pg_advisory_xact_lock(%s)"), (SCHEMA_LOCK,), prepare=False)
                    curs.execute(statement, prepare=False)
        super().create_table()

    def _create_table(self, curs: Any) -> None:
        # Workers of one server start together and each makes sure the tables exist; PostgreSQL refuses
        # a second concurrent "CREATE OR REPLACE FUNCTION" ("tuple concurrently updated", a worker that
        # fails to boot): one process at a time, the lock held until this transaction ends.
        curs.execute(SQL("SELECT pg_advisory_xact_lock(%s)"), (SCHEMA_LOCK,), prepare=False)
        super()._create_table(curs)

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        leaves = [(i, event_leaf(i, s)) for i, s in zip(ids or [], stored_events, strict=bool(ids))]
        curs.executemany(self.sql_insert_leaves, leaves)
        return ids
