"""Edits made directly in the SQLite file and in PostgreSQL rows are caught by the verifier.

Each test changes the stored log behind the hub's back, the way someone with
database access could, and checks that ``verify`` names where.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.ledger import HEADS, LEAVES, event_leaf
from hub.sample import load_sample


class Tamperer:
    """Raw access to the stored rows, bypassing the hub."""

    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.events, self.pos = "stored_events", "rowid"
        else:
            base, _, query = url.partition("?schema=")
            self.conn = psycopg.connect(base, autocommit=True)
            self.events, self.pos = f'"{query}".hub_events', "notification_id"
            self.leaves, self.heads = f'"{query}".{LEAVES}', f'"{query}".{HEADS}'
        if self.sqlite:
            self.leaves, self.heads = LEAVES, HEADS

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        statement = statement.format(events=self.events, pos=self.pos, leaves=self.leaves, heads=self.heads)
        if not self.sqlite:
            statement = statement.replace("?", "%s")
        cursor = self.conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []

    def row(self, position: int) -> tuple:
        return self.sql("SELECT originator_id, originator_version, topic, state FROM {events} WHERE {pos} = ?",
                        (position,))[0]

    def put(self, position: int, row: tuple) -> None:
        self.sql("INSERT INTO {events} ({pos}, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
                 (position, *row))

    def close(self) -> None:
        self.conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stored(request) -> Iterator[tuple[HubApplication, Tamperer]]:
    url = request.getfixturevalue(f"{request.param}_url")
    app = HubApplication(url)
    load_sample(app)
    app.ledger.sign_head()
    app.register_organisation(by=Principal.operator("m"), name="Późniejsza", kind="ngo", region="06", city="Lublin")
    app.ledger.sign_head()
    tamperer = Tamperer(url)
    yield app, tamperer
    tamperer.close()
    app.close()


def verify(app: HubApplication):
    return HubApplication(app.database_url).verify_log()


def test_an_untouched_log_verifies(stored):
    app, _ = stored
    report = verify(app)
    assert report.ok and report.events == 8 and report.heads == 2


def test_an_edited_payload_is_caught_at_its_position(stored):
    app, t = stored
    originator_id, version, topic, state = t.row(3)
    t.sql("UPDATE {events} SET state = ? WHERE {pos} = ?", (bytes(state).replace(b"Mediacji", b"Mediacje"), 3))
    report = verify(app)
    assert report.first.position == 3 and "edited" in report.first.what


def test_a_deleted_event_is_caught_at_its_position(stored):
    app, t = stored
    t.sql("DELETE FROM {events} WHERE {pos} = ?", (5,))
    report = verify(app)
    assert report.first.position == 5 and "deleted" in report.first.what


def test_an_inserted_event_is_caught(stored):
    app, t = stored
    t.put(100, (uuid4().hex if t.sqlite else uuid4(), 1, "hub.organisation:Organisation.Registered", b"{}"))
    report = verify(app)
    assert report.first.position == 100 and "inserted" in report.first.what


def test_swapped_events_are_caught_at_the_first_of_them(stored):
    app, t = stored
    second, third = t.row(2), t.row(3)
    t.sql("DELETE FROM {events} WHERE {pos} IN (?, ?)", (2, 3))
    t.put(2, third)
    t.put(3, second)
    report = verify(app)
    assert [p.position for p in report.problems[:2]] == [2, 3]


def test_history_rewritten_with_matching_leaves_is_caught_by_the_signed_heads(stored):
    app, t = stored
    originator_id, version, topic, state = t.row(1)
    forged = bytes(state).replace(b"Instytut", b"Institute")
    t.sql("UPDATE {events} SET state = ? WHERE {pos} = ?", (forged, 1))

    from types import SimpleNamespace

    row = SimpleNamespace(originator_id=originator_id, originator_version=version, topic=topic, state=forged)
    t.sql("UPDATE {leaves} SET leaf = ? WHERE position = ?", (event_leaf(1, row), 1))  # as a careful forger would
    report = verify(app)
    assert not report.ok
    assert all("no longer has the signed root" in p.what for p in report.problems)
    assert "size 7" in str(report.first) and "size 8" in str(report.problems[1])


def test_a_changed_tree_head_is_caught(stored):
    app, t = stored
    t.sql("UPDATE {heads} SET root = ? WHERE size = ?", ("00" * 32, 7))
    report = verify(app)
    assert not report.ok and "size 7 has a bad signature" in str(report.first)


def test_a_refused_write_leaves_no_leaf_behind(stored):
    app, t = stored
    [(leaves,)], [(events,)] = t.sql("SELECT COUNT(*) FROM {leaves}"), t.sql("SELECT COUNT(*) FROM {events}")
    assert leaves == events == 8
    org = app.register_organisation(by=Principal.operator("m"), name="X", kind="ngo", region="06", city="X")
    other = HubApplication(app.database_url)
    stale = other.repository.get(org)
    app.rename_organisation(org, by=Principal.operator("m"), name="Y")
    stale.rename(name="Z", actor="n")
    from eventsourcing.persistence import IntegrityError

    with pytest.raises(IntegrityError):
        other.save(stale)
    [(leaves,)], [(events,)] = t.sql("SELECT COUNT(*) FROM {leaves}"), t.sql("SELECT COUNT(*) FROM {events}")
    assert leaves == events == 10 and verify(app).ok
    other.close()
