"""The graph follows a real SQLite file and a real PostgreSQL log, across writers."""

from __future__ import annotations

import time
from datetime import date

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.synthetic import generate
from projections.follower import Follower, LiveGraph, build_graph
from tests.projections.helpers import canonical


def test_a_generated_network_followed_live_equals_a_rebuild_from_another_connection(app):
    follower = Follower(app)
    result = generate(app, partnerships=20, organisations=60, meetings=30, exchanges=60, seed=5)
    assert result["events"] > 150 and result["skipped"] == 0
    follower.catch_up()
    other = app if app.database_url.startswith("memory") else HubApplication(app.database_url)
    other.register_organisation(by=Principal.operator("other-writer"), name="Późniejsza organizacja", kind="ngo", region="32", city="Szczecin")
    assert follower.catch_up() == 1
    rebuilt = build_graph(other)
    assert canonical(follower.graph.snapshot()) == canonical(rebuilt.snapshot())
    middle = app.log_length() // 2
    assert canonical(follower.graph.snapshot(as_of=middle, valid_at=date(2022, 1, 1))) == \
        canonical(build_graph(other, until=middle).snapshot(valid_at=date(2022, 1, 1)))
    G = follower.graph.snapshot()
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert kinds == {"membership", "organised", "attended", "exchange_confirmed", "exchange_unconfirmed"}
    regions = {r for _, t, r in ((n, d["type"], d["region"]) for n, d in G.nodes(data=True)) if t == "partnership"}
    assert len(regions) == 16
    assert [d["name"] for _, d in G.nodes(data=True) if not d["synthetic"]] == ["Późniejsza organizacja"]



def test_a_generated_network_holds_no_meeting_before_its_day():
    """Meetings dated after today are announced (or cancelled), never held: the rule a person's command meets too."""
    app = HubApplication("memory://")
    generate(app, partnerships=100, organisations=300, meetings=600, exchanges=20, seed=5)  # a few meetings to come
    G = build_graph(app).snapshot()
    meetings = [d for _, d in G.nodes(data=True) if d["type"] == "meeting"]
    coming = [d["status"] for d in meetings if d["held_on"] > date.today()]
    assert coming and set(coming) <= {"announced", "cancelled"}
    assert any(d["status"] == "held" for d in meetings)


def test_the_same_seed_gives_the_same_network_and_adds_nothing_twice(app):
    generate(app, partnerships=5, organisations=12, meetings=5, exchanges=10, seed=9)
    length = app.log_length()
    assert generate(app, partnerships=5, organisations=12, meetings=5, exchanges=10, seed=9)["events"] == 0
    assert app.log_length() == length
    twin = HubApplication("memory://")
    generate(twin, partnerships=5, organisations=12, meetings=5, exchanges=10, seed=9)
    mine = [(e.aggregate_id, e.event_type, e.payload) for e in app.read_log(limit=10_000)]
    theirs = [(e.aggregate_id, e.event_type, e.payload) for e in twin.read_log(limit=10_000)]
    assert mine == theirs


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.postgres
def test_on_postgresql_the_live_graph_follows_by_subscription_and_reads_its_writes(postgres_url):
    reader_app, writer_app = HubApplication(postgres_url), HubApplication(postgres_url)
    live = LiveGraph(reader_app)
    try:
        assert live.subscribed
        by = Principal.operator("another-worker")
        # Another process writes: the subscription applies it with no request asking for it.
        org = writer_app.register_organisation(by=by, name="Stowarzyszenie Pogranicze", kind="ngo", region="18")
        assert _wait_for(lambda: live.graph.position == writer_app.log_length())
        assert live.graph.node(str(org))["name"] == "Stowarzyszenie Pogranicze"
        # This process writes: its very next read shows the write, before any notification is awaited.
        renamed = reader_app.rename_organisation(org, by=by, name="Stowarzyszenie Nowe Pogranicze")
        assert renamed == 2
        assert live.refresh().node(str(org))["name"] == "Stowarzyszenie Nowe Pogranicze"
        # A client carries the position of a write answered elsewhere: the read waits for nothing else.
        writer_app.rename_organisation(org, by=by, name="Pogranicze")
        assert live.refresh(at_least=writer_app.last_written).node(str(org))["name"] == "Pogranicze"
        # Everything seen equals a rebuild, each event applied once.
        assert _wait_for(lambda: live.graph.position == writer_app.log_length())
        assert canonical(live.graph.snapshot()) == canonical(build_graph(writer_app).snapshot())
    finally:
        live.close()
        reader_app.close()
        writer_app.close()
    assert not live.subscribed


def test_on_sqlite_the_live_graph_polls(sqlite_url):
    app = HubApplication(sqlite_url)
    live = LiveGraph(app)
    other = HubApplication(sqlite_url)
    org = other.register_organisation(by=Principal.operator("x"), name="Fundacja Wschód", kind="ngo", region="18")
    assert not live.subscribed
    assert live.graph.position == 0  # nothing pushes on SQLite ...
    assert live.refresh().node(str(org))["name"] == "Fundacja Wschód"  # ... each request polls


def test_a_write_the_subscription_was_never_told_of_is_followed_all_the_same(sqlite_url, monkeypatch):
    """The library LISTENs only after its first read of the log: a write committed in between is notified to
    nobody. A subscription that hears nothing at all stands in for it here; the graph follows regardless."""
    import threading

    from projections import follower

    class Deaf:  # a subscription that is never notified
        def __init__(self) -> None:
            self.stopped = threading.Event()

        def __enter__(self):
            return self

        def __exit__(self, *args) -> None:
            self.stop()

        def __iter__(self):
            return self

        def __next__(self):
            self.stopped.wait()
            raise StopIteration

        def stop(self) -> None:
            self.stopped.set()

    monkeypatch.setattr(follower, "SAFETY_POLL", 0.05)
    reader, writer = HubApplication(sqlite_url), HubApplication(sqlite_url)
    monkeypatch.setattr(reader.recorder, "subscribe", lambda gt: Deaf(), raising=False)
    live = LiveGraph(reader, subscribe=True)
    try:
        assert live.subscribed
        writer.register_organisation(by=Principal.operator("another-worker"), name="Nieusłyszana", kind="ngo",
                                     region="18")
        assert _wait_for(lambda: live.graph.position == writer.log_length(), seconds=5)
        assert live.subscribed and live.failure is None and live.problem is None

        # the log cannot be read for a while: said (the health check shows it), then forgotten once it answers
        catch_up, failures = live._follower.catch_up, [OSError("database is locked")] * 3

        def flaky(*args, **kwargs):
            if failures:
                raise failures.pop()
            return catch_up(*args, **kwargs)

        monkeypatch.setattr(live._follower, "catch_up", flaky)
        assert _wait_for(lambda: live.problem == "the read model could not look at the log: OSError: database is "
                                                 "locked", seconds=5)
        assert _wait_for(lambda: live.problem is None, seconds=5) and not failures
    finally:
        live.close()
        reader.close()
        writer.close()
