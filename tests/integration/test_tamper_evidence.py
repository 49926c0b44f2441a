"""Edits made directly in the SQLite file and in PostgreSQL rows are caught by the verifier.

Each test is one attack by someone who runs the database but does not hold the
hub's signing key: it changes the stored rows behind the hub's back — events,
leaves, checkpoints, in every combination a careful forger would try — and
checks that ``hub audit verify`` fails and names the first position it can no
longer vouch for. Twenty kinds, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from types import SimpleNamespace
from uuid import uuid4

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.ledger import CHECKPOINTS, LEAVES, LedgerError, event_leaf
from hub.sample import load_sample
from hub.verifier.checkpoint import Checkpoint, SignedCheckpoint
from hub.verifier.note import sign


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
            self.leaves, self.heads = f'"{query}".{LEAVES}', f'"{query}".{CHECKPOINTS}'
        if self.sqlite:
            self.leaves, self.heads = LEAVES, CHECKPOINTS

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

    def rewrite(self, position: int, old: bytes, new: bytes) -> None:
        """Change an event's payload and recompute its leaf, as a careful forger would."""
        originator_id, version, topic, state = self.row(position)
        forged = bytes(state).replace(old, new)
        assert forged != bytes(state)
        self.sql("UPDATE {events} SET state = ? WHERE {pos} = ?", (forged, position))
        row = SimpleNamespace(originator_id=originator_id, originator_version=version, topic=topic, state=forged)
        self.sql("UPDATE {leaves} SET leaf = ? WHERE position = ?", (event_leaf(position, row), position))

    def sizes(self) -> list[int]:
        return [int(s) for (s,) in self.sql("SELECT size FROM {heads} ORDER BY size")]

    def cut(self, after: int, heads_too: bool) -> None:
        """Delete every event (and leaf) after ``after``; with ``heads_too`` the checkpoints over them as well."""
        self.sql("DELETE FROM {events} WHERE {pos} > ?", (after,))
        self.sql("DELETE FROM {leaves} WHERE position > ?", (after,))
        if heads_too:
            self.sql("DELETE FROM {heads} WHERE size > ?", (after,))

    def close(self) -> None:
        self.conn.close()


M = Principal.operator("m")
EXTRA = 60  # organisations after the sample, a checkpoint every 10 events: sizes 7, 17, 27 … 67


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stored(request) -> Iterator[tuple[HubApplication, Tamperer]]:
    url = request.getfixturevalue(f"{request.param}_url")
    app = HubApplication(url)
    load_sample(app)
    app.ledger.sign_head()
    # The hub signs on a cadence; here every ten events, as if writes came ten a second.
    for batch in range(EXTRA // 10):
        with app.bulk():
            for i in range(batch * 10, batch * 10 + 10):
                app.register_organisation(by=M, name=f"Organizacja {i:02d}", kind="ngo", region="06", city="Lublin")
        app.ledger.sign_head()
    tamperer = Tamperer(url)
    yield app, tamperer
    tamperer.close()
    app.close()


def verify(app: HubApplication, **kwargs):
    fresh = HubApplication(app.database_url)
    try:
        return fresh.verify_log(**kwargs)
    finally:
        fresh.close()


LAST = 7 + EXTRA  # 67 events, the newest checkpoint covers them all


def test_an_untouched_log_verifies(stored):
    app, t = stored
    report = verify(app)
    assert report.ok, report.problems
    assert report.events == LAST and report.heads == len(t.sizes()) == 7


# -- events ---------------------------------------------------------------------------------

def test_an_edited_payload_is_caught_at_its_position(stored):
    app, t = stored
    originator_id, version, topic, state = t.row(3)
    t.sql("UPDATE {events} SET state = ? WHERE {pos} = ?", (bytes(state).replace(b"Mediacji", b"Mediacje"), 3))
    report = verify(app)
    assert report.first.position == 3 and "edited" in report.first.what


def test_an_edited_topic_is_caught_at_its_position(stored):
    app, t = stored
    t.sql("UPDATE {events} SET topic = ? WHERE {pos} = ?", ("hub.organisation:Organisation.Renamed", 20))
    report = verify(app)
    assert report.first.position == 20 and "edited" in report.first.what


def test_an_event_moved_to_another_record_is_caught_at_its_position(stored):
    app, t = stored
    other = t.row(1)[0]
    t.sql("UPDATE {events} SET originator_id = ?, originator_version = ? WHERE {pos} = ?", (other, 99, 30))
    report = verify(app)
    assert report.first.position == 30 and "edited or moved" in report.first.what


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


# -- leaves ---------------------------------------------------------------------------------

def test_an_edited_leaf_is_caught_at_its_position(stored):
    app, t = stored
    t.sql("UPDATE {leaves} SET leaf = ? WHERE position = ?", (b"\x00" * 32, 12))
    report = verify(app)
    assert report.first.position == 12 and "does not match its leaf" in report.first.what


def test_a_deleted_leaf_is_caught_at_its_position(stored):
    app, t = stored
    t.sql("DELETE FROM {leaves} WHERE position = ?", (40,))
    report = verify(app)
    assert report.first.position == 40 and "no leaf" in report.first.what


def test_an_event_rewritten_with_its_leaf_is_caught_by_the_checkpoint_over_it(stored):
    app, t = stored
    t.rewrite(1, b"Instytut", b"Institute")
    report = verify(app)
    assert report.first.position == 1 and "no longer add up to the checkpoint of size 7" in report.first.what


def test_an_event_rewritten_with_its_leaf_in_the_middle_is_named_between_two_checkpoints(stored):
    app, t = stored
    t.rewrite(33, b"Organizacja 25", b"Organizacja XX")
    report = verify(app)
    assert report.first.position == 28 and "from position 28 to 37" in report.first.what  # after 27, up to 37


# -- checkpoints ----------------------------------------------------------------------------

def test_an_edited_checkpoint_is_caught_by_its_signature(stored):
    app, t = stored
    [(note,)] = t.sql("SELECT note FROM {heads} WHERE size = ?", (27,))
    forged = note.replace(note.split("\n")[2], "A" * 43 + "=")
    t.sql("UPDATE {heads} SET note = ? WHERE size = ?", (forged, 27))
    report = verify(app)
    assert not report.ok and "size 27 does not verify" in str(report.first) and report.first.position == 18


def test_one_deleted_checkpoint_breaks_the_chain(stored):
    app, t = stored
    t.sql("DELETE FROM {heads} WHERE size = ?", (37,))
    report = verify(app)
    assert report.first.position == 28 and "a checkpoint between them was deleted" in report.first.what


def test_the_newest_checkpoint_deleted_leaves_an_unsigned_tail(stored):
    app, t = stored
    t.sql("DELETE FROM {heads} WHERE size = ?", (LAST,))
    report = verify(app)
    assert report.first.position == 58 and "covered by no signed checkpoint" in report.first.what


def test_every_checkpoint_deleted_leaves_the_whole_log_unsigned(stored):
    app, t = stored
    t.sql("DELETE FROM {heads}")
    report = verify(app)
    assert report.first.position == 1 and "covered by no signed checkpoint" in report.first.what
    assert any("missing from the store" in p.what for p in report.problems)


def test_a_chain_forged_with_another_key_is_refused(stored):
    app, t = stored
    t.rewrite(3, b"Mediacji", b"Mediacje")
    forger, previous = Ed25519PrivateKey.generate(), None
    app.ledger.catch_up()
    t.sql("DELETE FROM {heads}")
    from hub.verifier.merkle import MerkleTree

    tree = MerkleTree()
    for (leaf,) in t.sql("SELECT leaf FROM {leaves} ORDER BY position"):
        tree.append(bytes(leaf))
    checkpoint = Checkpoint(app.ledger.origin, tree.size, tree.root(), "2026-11-25T00:00:00Z", previous)
    note = SignedCheckpoint(checkpoint, (sign(checkpoint.text(), app.ledger.origin, forger),)).note()
    t.sql("INSERT INTO {heads} (size, note) VALUES (?, ?)", (tree.size, note))
    report = verify(app)
    assert report.first.position == 1 and "not signed by the key" in report.first.what


# -- combined: what only the chain, the tail rule and the signer's record catch ---------------

def test_an_event_rewritten_with_its_leaf_after_the_last_checkpoint_is_an_unsigned_tail(stored):
    app, t = stored
    app.register_organisation(by=M, name="Ostatnia", kind="ngo", region="06", city="Lublin")
    t.rewrite(LAST + 1, b"Ostatnia", b"Podrobiona")
    report = verify(app)
    assert report.first.position == LAST + 1 and "covered by no signed checkpoint" in report.first.what


def test_an_event_rewritten_with_its_leaf_and_the_checkpoints_over_it_deleted_is_caught(stored):
    app, t = stored
    t.rewrite(50, b"Organizacja 42", b"Organizacja XX")
    t.sql("DELETE FROM {heads} WHERE size >= ?", (50,))
    report = verify(app)
    assert report.first.position == 48 and "covered by no signed checkpoint" in report.first.what
    assert any("no longer add up to the checkpoint of size 67" in p.what for p in report.problems)


def test_a_forged_event_appended_with_a_matching_leaf_is_an_unsigned_tail(stored):
    app, t = stored
    row = (uuid4().hex if t.sqlite else uuid4(), 1, "hub.organisation:Organisation.Registered", b"{}")
    t.put(LAST + 1, row)
    leaf = event_leaf(LAST + 1, SimpleNamespace(originator_id=row[0], originator_version=1, topic=row[2], state=b"{}"))
    t.sql("INSERT INTO {leaves} (position, leaf) VALUES (?, ?)", (LAST + 1, leaf))
    report = verify(app)
    assert report.first.position == LAST + 1 and "covered by no signed checkpoint" in report.first.what


def test_a_tail_of_30_events_cut_is_caught_by_the_checkpoint_over_it(stored):
    app, t = stored
    t.cut(LAST - 30, heads_too=False)
    report = verify(app)
    assert report.first.position == LAST - 29 and "were removed" in report.first.what


def test_a_tail_cut_with_its_checkpoints_is_caught_by_what_the_signer_remembers(stored):
    app, t = stored
    t.cut(37, heads_too=True)  # 30 events and the three checkpoints over them: the store alone looks whole
    report = verify(app)
    assert report.first.position == 38 and "the events from position 38 on were removed" in report.first.what
    hub = HubApplication(app.database_url)
    hub.register_organisation(by=M, name="Po cięciu", kind="ngo", region="06", city="Lublin")
    with pytest.raises(LedgerError, match="refusing to sign"):
        hub.ledger.sign_head()  # and the hub will not sign over the cut log
    hub.close()


def test_a_refused_write_leaves_no_leaf_behind(stored):
    app, t = stored
    [(leaves,)], [(events,)] = t.sql("SELECT COUNT(*) FROM {leaves}"), t.sql("SELECT COUNT(*) FROM {events}")
    assert leaves == events == LAST
    org = app.register_organisation(by=Principal.operator("m"), name="X", kind="ngo", region="06", city="X")
    other = HubApplication(app.database_url)
    stale = other.repository.get(org)
    app.rename_organisation(org, by=Principal.operator("m"), name="Y")
    stale.rename(name="Z", actor="n")
    from eventsourcing.persistence import IntegrityError

    with pytest.raises(IntegrityError):
        other.save(stale)
    [(leaves,)], [(events,)] = t.sql("SELECT COUNT(*) FROM {leaves}"), t.sql("SELECT COUNT(*) FROM {events}")
    app.ledger.sign_head()
    assert leaves == events == LAST + 2 and verify(app).ok
    other.close()
