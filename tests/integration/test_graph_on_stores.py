"""The graph follows a real SQLite file and a real PostgreSQL log, across writers."""

from __future__ import annotations

from datetime import date

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.synthetic import generate
from projections.follower import Follower, build_graph
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
