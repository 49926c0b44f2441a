"""The partner graph projection: edge kinds, filters, both time axes, diff, exports."""

from __future__ import annotations

import doctest
import json
import random
from datetime import UTC, date, datetime, timedelta

import networkx as nx
import pytest
from eventsourcing.persistence import Tracking

import projections.analytics
import projections.diff
import projections.graph
from hub.application import HubApplication
from hub.authorisation import Principal
from hub.log import record_state
from hub.partnership import Partnership
from hub.sample import load_sample
from projections import analytics
from projections.diff import diff
from projections.exports import full_view_json, write
from projections.follower import Follower, build_graph
from projections.graph import partnership_links, partnership_view
from tests.integration.test_application import orgs, sign
from tests.projections.helpers import canonical


@pytest.fixture
def hub():
    app = HubApplication("memory://")
    yield app
    app.close()


def kinds(G):
    return sorted(d["kind"] for _, _, d in G.edges(data=True))


def test_the_sample_appears_with_its_three_organisations_and_roles(hub):
    ids = load_sample(hub)
    G = build_graph(hub).snapshot()
    p = str(ids["podkarpackie-lll-2020"])
    assert G.nodes[p]["name"] == "Podkarpackie partnerstwo strategiczne na rzecz uczenia się przez całe życie"
    roles = {G.nodes[u if u != p else v]["name"]: d["role"] for u, v, d in G.edges(p, data=True)
             if d["kind"] == "membership"}
    (project,) = [u if u != p else v for u, v, d in G.edges(p, data=True) if d["kind"] == "project"]
    assert G.nodes[project]["type"] == "project" and G.nodes[project]["name"].startswith("ZSK 4")
    assert roles == {"Instytut Badań Edukacyjnych": "leader", "Kuratorium Oświaty w Rzeszowie": "leading_partner",
                     "Podkarpackie Centrum Mediacji": "business_partner"}
    assert G.nodes[p]["signed_on"] == date(2020, 12, 8) and G.nodes[p]["region"] == "18"


def test_a_meeting_is_a_node_linked_to_organisers_and_attendees_and_cancelling_removes_it(hub):
    a, b, c, d = orgs(hub, "A", "B", "C", "D")
    p, q = sign(hub, a, b), sign(hub, c, d, regions=["12"])
    m = hub.announce_meeting(by=Principal.operator("m"), title="Konferencja", format="conference", held_on="2021-05-20",
                             place="Rzeszów", organisers=[str(p), str(q)], participating_organisations=[str(a)])
    f = Follower(hub)
    f.catch_up()
    G = f.graph.snapshot()
    assert G.nodes[str(m)]["type"] == "meeting" and G.nodes[str(m)]["name"] == "Konferencja"
    assert kinds(G) == ["attended"] + ["membership"] * 4 + ["organised"] * 2
    assert {(u if v == str(m) else v, d["kind"]) for u, v, d in G.edges(str(m), data=True)} == {
        (str(p), "organised"), (str(q), "organised"), (str(a), "attended")}
    P = partnership_view(f.graph.view())  # p and q organised it together; p's member a attended q's meeting
    assert set(P.nodes) == {str(p), str(q)} and P.edges[str(p), str(q)]["kinds"] == ["co_organised", "attended"]
    assert partnership_view(f.graph.view(), kinds=["attended"]).edges[str(p), str(q)]["kinds"] == ["attended"]
    hub.cancel_meeting(m, by=Principal.operator("m"), reason="odwołana")
    f.catch_up()
    assert kinds(f.graph.snapshot()) == ["membership"] * 4 and str(m) not in f.graph.snapshot()
    assert not partnership_view(f.graph.view()).edges  # no link left between p and q
    assert str(m) in f.graph.snapshot(as_of=f.graph.position - 1)  # as it was known before the cancellation


def test_organisations_meet_before_any_partnership_and_a_path_runs_through_their_meeting(hub):
    """An education office's two-day congress with three NGOs, years before their partnership."""
    office, ngo1, ngo2, ngo3 = orgs(hub, "Kuratorium Oświaty", "Fundacja A", "Stowarzyszenie B", "Fundacja C")
    m = hub.announce_meeting(by=Principal.operator("m"), title="Kongres LLL", format="conference",
                             held_on="2015-10-14", ends_on="2015-10-15", place="Rzeszów",
                             organisers=[str(ngo1), str(ngo2), str(ngo3)], participating_organisations=[str(office)])
    hub.record_meeting_held(m, by=Principal.operator("m"), attendance=200, attendance_online=450,
                            attendance_estimated=True)
    p = sign(hub, office, ngo1, signed_on="2020-12-08")
    g = build_graph(hub)
    before = g.snapshot(valid_at=date(2015, 10, 15))  # the congress's second day: no partnership yet
    assert str(m) in before and str(p) not in before
    assert nx.shortest_path(before, str(office), str(ngo3)) == [str(office), str(m), str(ngo3)]
    assert str(m) not in g.snapshot(valid_at=date(2015, 10, 13))
    meeting = hub.get(m)
    assert (meeting.attendance, meeting.attendance_online, meeting.attendance_estimated) == (200, 450, True)
    assert meeting.takes_place_on(date(2015, 10, 15)) and not meeting.takes_place_on(date(2015, 10, 16))


def test_region_and_kind_filters_keep_a_meeting_only_where_someone_of_the_region_took_part(hub):
    a, b = orgs(hub, "A", "B")
    (c,) = orgs(hub, "C", region="12")
    m = hub.announce_meeting(by=Principal.operator("m"), title="Seminarium", format="seminar", held_on="2021-05-20",
                             place="Kraków", organisers=[str(c)])
    n = hub.announce_meeting(by=Principal.operator("m"), title="Warsztaty", format="workshop", held_on="2021-05-21",
                             place="Rzeszów", organisers=[str(a)], participating_organisations=[str(b), str(c)])
    g = build_graph(hub)
    podkarpackie = g.snapshot(region="18")
    assert str(n) in podkarpackie and str(m) not in podkarpackie
    assert kinds(g.snapshot(kinds=["co_organised"])) == ["organised", "organised"]


def test_an_exchange_edge_is_unconfirmed_then_confirmed_then_corrected_then_gone(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    sign(hub, a, c)
    x = hub.post_exchange(by=Principal.operator("pa"), organisation_id=str(a), counterpart_organisations=[str(b)],
                          exchanged_on="2021-03-01", topic="Mediacje", area="A4")
    f = Follower(hub)
    f.catch_up()
    edge = lambda: [d for _, _, d in f.graph.snapshot(kinds={"exchange_confirmed", "exchange_unconfirmed"}).edges(data=True)]
    assert [(e["kind"], e["label"]) for e in edge()] == [("exchange_unconfirmed", "Mediacje")]
    hub.confirm_exchange(x, by=Principal.operator("pb"), organisation_id=str(b))
    f.catch_up()
    assert [(e["kind"], e["confirmed"]) for e in edge()] == [("exchange_confirmed", True)]
    hub.correct_exchange(x, by=Principal.operator("pa"), topic="Mediacje rówieśnicze")
    f.catch_up()
    assert [e["label"] for e in edge()] == ["Mediacje rówieśnicze"]
    hub.retract_exchange(x, by=Principal.operator("pa"), reason="pomyłka")
    f.catch_up()
    assert edge() == []


def test_filters_by_region_scope_kind_and_area(hub):
    a, b, c, d = orgs(hub, "A", "B", "C", "D")
    p = sign(hub, a, b, areas=[{"code": "A4", "label_pl": "sieciowanie"}])
    q = sign(hub, c, d, regions=["12", "18"], scope="supra-regional")
    hub.post_exchange(by=Principal.operator("x"), organisation_id=str(a), counterpart_organisations=[str(c)],
                      exchanged_on="2021-03-01", topic="T", area="A7")
    g = build_graph(hub)
    assert set(g.snapshot(region="12")) == {str(q)}
    assert {n for n, t in g.snapshot(scope="supra-regional").nodes(data="type") if t == "partnership"} == {str(q)}
    assert kinds(g.snapshot(kinds={"membership"})) == ["membership"] * 4
    by_area = g.snapshot(area="A4")
    assert {n for n, t in by_area.nodes(data="type") if t == "partnership"} == {str(p)}
    assert "exchange_unconfirmed" not in kinds(by_area)
    assert "exchange_unconfirmed" in kinds(g.snapshot(area="A7"))


def test_valid_at_follows_business_dates_of_partnerships_and_roles(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    p = sign(hub, a, b, signed_on="2020-12-08", valid_until="2022-06-30")
    hub.change_member_role(p, by=Principal.operator("m"), organisation_id=str(b), role="leader", changed_on="2021-06-01",
                           former_leader_role="partner")
    q = sign(hub, a, c, signed_on="2021-01-01", valid_until="2025-01-01")
    hub.terminate_partnership(q, by=Principal.operator("m"), terminated_on="2021-03-31", reason="koniec")
    g = build_graph(hub)
    partnerships = lambda day: {n for n, t in g.snapshot(valid_at=day).nodes(data="type") if t == "partnership"}
    assert partnerships(date(2020, 12, 7)) == set()
    assert partnerships(date(2021, 2, 1)) == {str(p), str(q)}
    assert partnerships(date(2021, 4, 1)) == {str(p)}
    assert partnerships(date(2022, 7, 1)) == set()
    role = lambda day, org: [d["role"] for u, v, d in g.snapshot(valid_at=day).edges(data=True) if str(org) in (u, v) and str(p) in (u, v)]
    assert role(date(2021, 5, 31), a) == ["leader"] and role(date(2021, 6, 1), a) == ["partner"]
    assert role(date(2021, 6, 1), b) == ["leader"]


def test_a_late_fact_changes_valid_at_answers_about_the_past_but_never_as_of_answers(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    p = sign(hub, a, b)
    f = Follower(hub)
    f.catch_up()
    before = f.graph.position
    past = date(2021, 6, 1)
    knew_then = canonical(f.graph.snapshot(as_of=before, valid_at=past))
    # Recorded today: C had joined back on 2021-01-15.
    hub.join_partnership(p, by=Principal.operator("m"), organisation_id=str(c), role="partner", joined_on="2021-01-15")
    f.catch_up()
    assert str(c) in f.graph.snapshot(valid_at=past).nodes
    assert canonical(f.graph.snapshot(as_of=before, valid_at=past)) == knew_then
    assert str(c) not in nx.node_connected_component(f.graph.snapshot(as_of=before, valid_at=past), str(p))


def test_as_of_a_record_time_equals_a_rebuild_from_the_log_up_to_then(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    p = sign(hub, a, b)
    hub.rename_organisation(a, by=Principal.operator("m"), name="A po zmianie")
    hub.join_partnership(p, by=Principal.operator("m"), organisation_id=str(c), role="observer", joined_on="2021-02-01")
    live = build_graph(hub)
    for position in range(0, hub.log_length() + 1):
        assert canonical(live.snapshot(as_of=position)) == canonical(build_graph(hub, until=position).snapshot())
    moment = live.recorded_at(4)
    assert live.position_at(moment) == 4
    assert live.snapshot(as_of=moment).nodes[str(a)]["name"] == "A"
    assert live.position_at(moment - timedelta(days=1)) == 0
    assert live.snapshot(as_of=datetime.now(UTC)).nodes[str(a)]["name"] == "A po zmianie"


def test_the_follower_catches_up_and_never_applies_an_event_twice(hub):
    load_sample(hub)
    f = Follower(hub)
    assert f.catch_up() == 7 and f.catch_up() == 0 and f.graph.position == 7
    orgs(hub, "Nowa")
    assert f.catch_up() == 1 and f.graph.position == 8
    event = hub.mapper.to_domain_event(hub.recorder.select_notifications(start=7, limit=1)[0])
    before = canonical(f.graph.snapshot())
    assert f.graph.apply(event, Tracking("hub", 7)) is False
    assert canonical(f.graph.snapshot()) == before


def test_diff_between_two_moments_on_both_axes(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    p = sign(hub, a, b)
    g1 = hub.log_length()
    hub.join_partnership(p, by=Principal.operator("m"), organisation_id=str(c), role="observer", joined_on="2021-02-01")
    hub.rename_organisation(a, by=Principal.operator("m"), name="Ą")
    g = build_graph(hub)
    record = diff(g.snapshot(as_of=g1), g.snapshot())
    assert [e["kind"] for e in record["edges_added"]] == ["membership"]
    assert record["nodes_changed"] == [{"node": str(a), "changes": {"name": ["A", "Ą"]}}]
    business = diff(g.snapshot(valid_at=date(2021, 1, 1)), g.snapshot(valid_at=date(2021, 3, 1)))
    assert [(e["source"], e["target"]) for e in business["edges_added"]] == [(str(c), str(p))]
    assert business["nodes_added"] == business["nodes_removed"] == []


def test_partnership_view_keeps_the_reasons_for_each_link(hub):
    a, b, c, d = orgs(hub, "Wspólny", "B", "C", "D")
    p, q = sign(hub, a, b), sign(hub, a, c, name="Drugie")
    r = sign(hub, d, b, name="Trzecie", regions=["12"])
    hub.post_exchange(by=Principal.operator("x"), organisation_id=str(c), counterpart_partnerships=[str(r)], exchanged_on="2021-03-01", topic="Wizyta")
    P = partnership_view(build_graph(hub).view())
    assert P.edges[str(p), str(q)]["reasons"] == [{"kind": "shared_member", "via": str(a), "label": "Wspólny"}]
    assert P.edges[str(q), str(r)]["kinds"] == ["exchange_unconfirmed"]
    assert P.edges[str(p), str(r)]["kinds"] == ["shared_member"]
    hops = analytics.link_path(P, str(q), str(r))
    assert [h["reasons"][0]["label"] for h in hops] == ["Wizyta"]
    assert analytics.region_link_path(P, "18", "12") is not None
    assert analytics.isolated_partnerships(P) == sorted([str(p), str(q), str(r)])  # no cooperation, only structure
    # p and q are both podkarpackie: only r (małopolskie) is another region for them.
    assert analytics.isolated_partnerships(P, also=["shared_member"]) == [str(q)]
    assert analytics.isolated_partnerships(P, also=["exchange_unconfirmed"]) == [str(p)]
    assert analytics.isolated_partnerships(P, also=["shared_member", "exchange_unconfirmed"]) == []


def test_communities_are_the_dense_groups_and_the_same_whatever_order_the_graph_was_built_in():
    """Two workers answer one version of the network with one body: the communities may not depend on the order
    a process happened to add nodes and links in (a replay, a saved model, writes one by one)."""
    groups = [[f"{g}{i}" for i in range(6)] for g in "abc"]
    links = [(u, v) for group in groups for u in group for v in group if u < v] + [("a0", "b0"), ("b1", "c1")]
    forward = nx.Graph(links)
    forward.add_node("alone")
    backward = nx.Graph()
    backward.add_node("alone")
    backward.add_edges_from((v, u) for u, v in reversed(links))
    found = analytics.communities(forward)
    assert found == analytics.communities(backward)
    loose = nx.gnm_random_graph(200, 600, seed=3)  # no clear groups: Leiden's moves follow the order it is handed
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(loose.nodes)))
    shuffled.add_edges_from(random.Random(3).sample(list(loose.edges), loose.number_of_edges()))
    assert analytics.communities(loose) == analytics.communities(shuffled)
    assert [sorted(n for n in found if found[n] == c) for c in range(4)] == [*groups, ["alone"]]
    weighted = nx.Graph(links)  # a link of many reasons between two groups pulls its ends out of them, together
    weighted.add_edge("a0", "b0", weight=10)
    heavy = analytics.communities(weighted)
    assert heavy["a0"] == heavy["b0"] != heavy["a1"] and found["a0"] == found["a1"] != found["b0"]
    assert analytics.communities(nx.Graph()) == {}


def test_analytics_on_a_small_network_with_known_answers():
    P = nx.Graph()
    for node, region in {"a": "18", "b": "18", "c": "12", "d": "12", "e": "06", "f": "18"}.items():
        P.add_node(node, regions=[region], name=node.upper())
    P.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")], reasons=[], kinds=["co_organised"])
    assert analytics.bridges(P) == [("c", "d"), ("d", "e")]
    assert analytics.articulation_points(P) == ["c", "d"]
    assert analytics.degree_centrality(P)["c"] == pytest.approx(3 / 5)
    assert max(analytics.betweenness_centrality(P).items(), key=lambda kv: kv[1])[0] == "c"
    groups = analytics.communities(P)
    assert groups["a"] == groups["b"] and groups["d"] == groups["e"] and groups["a"] != groups["e"]
    assert analytics.communities(P) == groups  # seeded: repeatable
    assert analytics.isolated_partnerships(P) == ["f"]
    assert [h["to"] for h in analytics.link_path(P, "a", "e")] == ["c", "d", "e"]
    assert analytics.link_path(P, "a", "f") is None
    assert [h["to"] for h in analytics.region_link_path(P, "18", "06")] == ["c", "d", "e"]
    assert "08" in analytics.uncovered_regions(P) and "18" not in analytics.uncovered_regions(P)
    assert analytics.summary(P)["components"] == 2
    alone = nx.Graph()
    alone.add_node("a", regions=["18"])
    assert analytics.degree_centrality(alone) == {"a": 0.0} and analytics.betweenness_centrality(alone) == {"a": 0.0}


def test_measures_of_a_large_network_are_networkx_exact_values_and_the_same_whatever_the_order_of_its_links():
    """Betweenness, bridges and articulation points run on rustworkx; every worker must answer alike."""
    G = nx.relabel_nodes(nx.gnm_random_graph(400, 1600, seed=3), lambda n: f"p{n:03}")
    G.add_edges_from([("p000", "tail1"), ("tail1", "tail2")])  # a bridge and an articulation point or two
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(G.nodes, reverse=True))
    shuffled.add_edges_from(sorted(G.edges, reverse=True))
    found = analytics.betweenness_centrality(G)
    assert found == analytics.betweenness_centrality(shuffled) == analytics.betweenness_centrality(G)
    assert found == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)
    assert analytics.bridges(G) == analytics.bridges(shuffled) == sorted(tuple(sorted(e)) for e in nx.bridges(G))
    assert analytics.articulation_points(G) == analytics.articulation_points(shuffled) == sorted(
        nx.articulation_points(G))
    assert ("p000", "tail1") in analytics.bridges(G) and "tail1" in analytics.articulation_points(G)


def test_a_metric_can_be_drawn_over_business_time(hub):
    a, b, c = orgs(hub, "A", "B", "C")
    sign(hub, a, b, signed_on="2020-01-01", valid_until="2020-12-31")
    sign(hub, a, c, signed_on="2021-01-01", valid_until=None)
    g = build_graph(hub)
    days = [date(2019, 6, 1), date(2020, 6, 1), date(2021, 6, 1)]
    series = analytics.trend(lambda day: partnership_view(g.view(valid_at=day)), days)
    assert [s["partnerships"] for _, s in series] == [0, 1, 1]


@pytest.mark.parametrize("module", [projections.analytics, projections.diff, projections.graph])
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


def test_exports_load_back_with_networkx_and_keep_polish_names(hub, tmp_path):
    ids = load_sample(hub)
    g = build_graph(hub)
    G, P = g.snapshot(), partnership_view(g.view())
    for fmt in ("graphml", "gexf", "json"):
        write(G, fmt, tmp_path / f"full.{fmt}")
        write(P, fmt, tmp_path / f"p.{fmt}")
    names = sorted(nx.get_node_attributes(nx.read_graphml(tmp_path / "full.graphml"), "name").values())
    assert "Podkarpackie Centrum Mediacji" in names and "Kuratorium Oświaty w Rzeszowie" in names
    gexf = nx.read_gexf(tmp_path / "full.gexf")
    partnership = gexf.nodes[str(ids["podkarpackie-lll-2020"])]
    assert partnership["label"].startswith("Podkarpackie partnerstwo strategiczne na rzecz uczenia się")
    text = (tmp_path / "full.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'start="2020-12-08"' in text and 'end="2022-06-30"' in text
    assert gexf.number_of_edges() == 4  # three memberships and the partnership's project
    import json
    data = json.loads((tmp_path / "full.json").read_text(encoding="utf-8"))
    assert {n["name"] for n in data["nodes"]} >= {"Instytut Badań Edukacyjnych"}
    assert len(data["edges"]) == 4


def test_after_an_erasure_one_thread_rebuilds_to_the_side_and_no_reader_sees_an_empty_graph(hub, monkeypatch):
    import threading

    import projections.follower as follower_module

    load_sample(hub)
    live = follower_module.LiveGraph(hub)
    full = live.refresh().G.number_of_nodes()
    assert full == 5  # three organisations, the project, the partnership
    builds = []
    real_follower = follower_module.Follower

    class CountedSlowFollower(real_follower):
        def catch_up(self, *args, **kwargs):
            builds.append(self)
            threading.Event().wait(0.05)  # a rebuild takes a while: readers must not see it half done
            return super().catch_up(*args, **kwargs)

    monkeypatch.setattr(follower_module, "Follower", CountedSlowFollower)
    assert hub.erase_person("Wiesław Pałka")
    seen: list[int] = []

    def read() -> None:
        seen.append(live.graph.G.number_of_nodes())  # what a request already holding the graph reads
        seen.append(live.refresh().G.number_of_nodes())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [full] * 16
    rebuilt = {id(f) for f in builds}
    assert len(rebuilt) == 1  # one rebuild, however many threads noticed the erasure
    assert "Wiesław Pałka" not in str(live.graph.records(Partnership)[0].members)


def test_a_reader_with_nothing_new_to_apply_does_not_wait_behind_a_long_computation(hub):
    import threading

    from projections.follower import LiveGraph

    load_sample(hub)
    live = LiveGraph(hub)
    live.refresh()
    holding, release, refreshed = threading.Event(), threading.Event(), []

    def long_computation() -> None:
        with live.graph.lock:  # as graph.memo does while it computes a large view
            holding.set()
            release.wait(30)

    worker = threading.Thread(target=long_computation)
    worker.start()
    holding.wait(30)
    refreshed.append(live.refresh())  # e.g. /api/health's request: it must not queue behind the computation
    still_computing = not release.is_set() and worker.is_alive()
    release.set()
    worker.join()
    assert still_computing and refreshed == [live.graph]


def test_a_record_handed_to_a_reader_never_changes_under_it(hub):
    ids = load_sample(hub)
    f = Follower(hub)
    f.catch_up()
    (held,) = f.graph.records(Partnership)  # e.g. being serialised by a request
    (again,) = f.graph.records(Partnership)  # listed again before anything changed: the same object
    assert again is held
    before = record_state(held)
    pcm = ids["pcm"]
    hub.change_member_role(ids["podkarpackie-lll-2020"], by=Principal.operator("m"), organisation_id=str(pcm),
                           role="partner", changed_on="2021-06-01")
    hub.rename_organisation(pcm, by=Principal.operator("m"), name="PCM")
    f.catch_up()
    assert record_state(held) == before  # the reader's object is as it was handed out
    (now,) = f.graph.records(Partnership)
    assert now is not held and now.members[pcm]["role"] == "partner" and now.version == held.version + 1


def test_answers_kept_from_before_a_long_catch_up_are_recomputed_after_it(hub):
    """A long catch-up notes no business days (it would cost a replay a tenth more): nothing kept from before it is
    trusted after it."""
    a, b = orgs(hub, "Instytut Badań Edukacyjnych", "Kuratorium Oświaty w Rzeszowie")
    partnership = sign(hub, a, b, signed_on="2020-12-08", valid_until="2022-06-30")
    follower = Follower(hub)
    follower.catch_up()
    graph = follower.graph
    day = date(2023, 3, 1)
    count = lambda: graph.snapshot(valid_at=day).number_of_nodes()
    assert graph.memo(("shown", day), count, days=(day, day)) == 2  # the partnership has ended by then
    before = graph.changed_at
    hub.extend_partnership(partnership, by=Principal.operator("t"), valid_until="2024-12-31")
    with graph.unnoted():
        follower.catch_up()
    assert not graph.untouched(day, day, since=before, until=graph.changed_at)
    assert graph.memo(("shown", day), count, days=(day, day)) == 3 == count()
    # Once caught up, writes are noted again: one about a later day keeps the answer, a new name does not.
    kept = graph.changed_at
    hub.post_exchange(by=Principal.operator("t"), organisation_id=str(a), counterpart_organisations=[str(b)],
                      exchanged_on="2024-06-01", topic="Mediacje")
    follower.catch_up()
    assert graph.untouched(day, day, since=kept, until=graph.changed_at)
    hub.rename_organisation(a, by=Principal.operator("t"), name="IBE")  # shown on every day
    follower.catch_up()
    assert not graph.untouched(day, day, since=kept, until=graph.changed_at)


def test_metrics_read_from_the_fold_in_columns_are_those_of_the_networkx_partnership_view():
    """The API's metrics are measured on the fold in columns (no graph is built); they are the view's, at any moment,
    for any kinds of links, whatever also counts as cooperation."""
    from hub.synthetic import generate
    from projections.trends import inter_regional_links

    app = HubApplication("memory://")
    generate(app, partnerships=40, organisations=120, meetings=80, exchanges=160, seed=4)
    graph = build_graph(app)
    seen = {}
    for as_of, valid_at in ((None, None), (graph.position // 4, None), (graph.position // 2, None),
                            (None, date(2021, 6, 30))):
        view = graph.view(as_of, valid_at)
        for kinds in (None, ["co_organised", "attended", "exchange_confirmed"], ["shared_member", "attended"]):
            links = analytics.Links.of_view(view, kinds)
            P = partnership_view(view, kinds, reasons=False)
            assert inter_regional_links(links) == sum(1 for u, v in P.edges()
                                                      if P.nodes[u]["region"] != P.nodes[v]["region"])
            for also in ([], ["shared_member"]):
                measured = seen[as_of, valid_at, str(kinds), str(also)] = analytics.metrics_of(links, also)
                assert measured == analytics.metrics(P, also)
    everything = seen[None, None, "None", "[]"]
    assert everything["summary"]["links"] > 100 and len(set(everything["communities"].values())) > 1
    early = seen[graph.position // 4, None, "None", "[]"]  # few links yet, most of them shared members
    assert early["summary"]["links"] < everything["summary"]["links"]
    assert early["summary"]["isolated_partnerships"] > seen[graph.position // 4, None, "None", "['shared_member']"][
        "summary"]["isolated_partnerships"] > 0


def test_betweenness_of_a_structure_seen_lately_is_reused_and_a_new_link_is_measured_anew(monkeypatch):
    G = nx.relabel_nodes(nx.gnm_random_graph(120, 400, seed=5), lambda n: f"p{n:03}")
    first = analytics.betweenness_centrality(G)
    calls = []
    measured = projections.analytics._dependencies
    monkeypatch.setattr(projections.analytics, "_dependencies", lambda *a, **k: calls.append(1) or measured(*a, **k))
    relabelled = nx.Graph()  # the same links with other attributes and in another order: the same structure
    relabelled.add_edges_from(((v, u, {"weight": 3}) for u, v in sorted(G.edges, reverse=True)))
    relabelled.add_nodes_from(G.nodes)
    assert analytics.betweenness_centrality(relabelled) == first and calls == []
    a, b = sorted(G.nodes)[:2]  # one link more or less: another structure
    if G.has_edge(a, b):
        G.remove_edge(a, b)
    else:
        G.add_edge(a, b)
    assert analytics.betweenness_centrality(G) == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)
    assert calls == [1]


def test_sampled_betweenness_is_the_same_whatever_order_the_graph_holds_and_is_reused_for_a_structure_seen(
        monkeypatch):
    """Above the budget for exact betweenness (a large, dense network) a seeded sample of sources is measured: the
    same sample in every process — networkx's estimate from it — and measured once per structure."""
    monkeypatch.setattr(projections.analytics, "BETWEENNESS_EXACT_BUDGET", 1_000)
    monkeypatch.setattr(projections.analytics, "BETWEENNESS_SAMPLE", 20)
    G = nx.relabel_nodes(nx.gnm_random_graph(120, 400, seed=7), lambda n: f"p{n:03}")
    shuffled = nx.Graph()
    shuffled.add_nodes_from(random.Random(1).sample(list(G.nodes), G.number_of_nodes()))
    shuffled.add_edges_from(random.Random(2).sample(list(G.edges), G.number_of_edges()))
    first = analytics.betweenness_centrality(G)
    in_order = nx.Graph()  # networkx's estimate from the same sources: drawn from the nodes in the order of their ids
    in_order.add_nodes_from(sorted(G.nodes))
    in_order.add_edges_from(G.edges)
    assert first == pytest.approx(nx.betweenness_centrality(in_order, k=20, seed=42), abs=1e-12)
    assert first != pytest.approx(nx.betweenness_centrality(in_order), abs=1e-3)  # a sample, not every source
    calls = []
    measured = projections.analytics._dependencies
    monkeypatch.setattr(projections.analytics, "_dependencies", lambda *a, **k: calls.append(1) or measured(*a, **k))
    projections.analytics._measured.clear()
    assert analytics.betweenness_centrality(shuffled) == first and calls == [1]
    assert analytics.betweenness_centrality(G) == first and calls == [1]  # the structure seen: not measured again
    assert sum(first.values()) > 0


def test_answers_kept_stay_within_their_byte_budget_the_least_recently_asked_going_first(hub, monkeypatch):
    """Answers are kept by number and, above all, by size: a record-time slider dragged over a large log must not
    take a worker's memory up by gigabytes (16 answers about settled moments, ~40-80 MB each at 99,527 events)."""
    a, b = orgs(hub, "Instytut Badań Edukacyjnych", "Kuratorium Oświaty w Rzeszowie")
    sign(hub, a, b, signed_on="2020-12-08", valid_until="2022-06-30")
    monkeypatch.setenv("HUB_ANSWERS_KEPT_MB", str(5_000 / 2**20))  # 5,000 bytes
    follower = Follower(hub)
    follower.catch_up()
    graph = follower.graph
    assert graph.kept_bytes == 5_000
    computed: list[tuple[str, int]] = []

    def answer(kind: str, n: int) -> bytes:
        computed.append((kind, n))
        return b"x" * 1_000

    def ask(kind: str, n: int) -> bytes:
        if kind == "moment":  # about a settled moment: kept across writes
            return graph.memo(("moment", n), lambda: answer(kind, n), as_of=1)
        if kind == "day":
            day = date(2021, 1, n)
            return graph.memo(("day", n), lambda: answer(kind, n), days=(day, day))
        return graph.memo(("now", n), lambda: answer(kind, n))

    asked = [(kind, n) for n in range(1, 5) for kind in ("moment", "day", "now")]  # 12 answers of 1,000 bytes
    for kind, n in asked:
        ask(kind, n)
    assert computed == asked
    computed.clear()
    for kind, n in reversed(asked):  # the 5 asked last are kept; the others were let go, the first first
        ask(kind, n)
    assert computed == list(reversed(asked[:-5]))
    kept = list(graph._memo.values()) + list(graph._lasting.values()) + [e[2] for e in graph._dated.values()]
    assert sum(s.size for s in kept) <= 5_000 and len(kept) == 5
    # an answer larger than the whole budget is still given, and kept only until the next one
    big = graph.memo(("big",), lambda: b"y" * 9_000)
    assert len(big) == 9_000
    assert graph.memo(("big",), lambda: b"other") is big  # kept, not computed again
    ask("now", 99)
    assert graph.memo(("big",), lambda: b"z") == b"z"  # let go for the one after it
    monkeypatch.setenv("HUB_ANSWERS_KEPT_MB", "lots")
    with pytest.raises(ValueError, match="HUB_ANSWERS_KEPT_MB must be a number of megabytes"):
        Follower(hub)


def test_a_view_made_before_a_catch_up_still_answers_without_what_came_after(hub):
    """A view is made for one moment; used after the graph caught up with records it never judged, it shows
    none of them (the history in columns met their ids after the view was made) and never fails."""
    a, b = orgs(hub, "A", "B")
    p = sign(hub, a, b)
    follower = Follower(hub)
    follower.catch_up()
    view = follower.graph.view(folded=True)
    before = partnership_links(view)
    c, d = orgs(hub, "C", "D")
    q, r = sign(hub, c, d), sign(hub, a, c)
    follower.catch_up()
    assert partnership_links(view) == before and set(before[0]) == {str(p)}
    assert {u for u, _, _ in projections.graph.visible_edges(view)} <= {str(a), str(b), str(p)}
    now = partnership_links(follower.graph.view(folded=True))
    assert set(now[0]) == {str(p), str(q), str(r)} and (min(str(p), str(r)), max(str(p), str(r))) in now[1]


def test_a_regions_view_as_of_a_moment_shows_a_project_only_if_one_of_its_partnerships_was_in_it_then(hub):
    """A framework project belongs to no region: a region's view shows it where one of its partnerships is shown —
    as linked at the view's moment. A partnership that joined it later once made it appear in the past too, unlike
    a rebuild of the log up to that moment (found by the property test with region filters)."""
    a, b = orgs(hub, "A", "B")
    p = sign(hub, a, b)
    project = hub.register_project(by=Principal.operator("t"), name="ZSK 4")
    before = hub.log_length()
    hub.amend_partnership(p, by=Principal.operator("t"), project_id=str(project))
    graph = build_graph(hub)
    assert str(project) in graph.snapshot(region="18")  # the partnership of region 18 is in it now
    then = graph.snapshot(as_of=before, region="18")
    assert str(project) not in then
    assert canonical(then) == canonical(build_graph(hub, until=before).snapshot(region="18"))


def test_record_time_stops_at_the_last_event_of_each_day_and_times_come_back_to_the_microsecond(hub, monkeypatch):
    import eventsourcing.domain

    clock = iter([datetime(2021, 3, 1, 9, 0, 0, 1, tzinfo=UTC), datetime(2021, 3, 1, 23, 59, 59, 999999, tzinfo=UTC),
                  datetime(2021, 3, 2, 0, 0, tzinfo=UTC), datetime(2021, 3, 4, 12, 0, 0, 500, tzinfo=UTC),
                  datetime(2021, 3, 4, 13, 0, tzinfo=UTC), datetime(2021, 3, 4, 14, 0, tzinfo=UTC)])
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: next(clock))
    orgs(hub, "A", "B", "C", "D", "E", "F")  # one event each, at the times above
    monkeypatch.undo()
    graph = build_graph(hub)
    start = graph.position - 6
    times = [graph.recorded_at(start + i) for i in range(1, 7)]
    assert times[0] == datetime(2021, 3, 1, 9, 0, 0, 1, tzinfo=UTC) and times[3].microsecond == 500
    assert [(p - start, at.isoformat()) for p, at in graph.ticks()][-3:] == [
        (2, "2021-03-01T23:59:59.999999+00:00"), (3, "2021-03-02T00:00:00+00:00"), (6, "2021-03-04T14:00:00+00:00")]
    assert graph.position_at(datetime(2021, 3, 4, 12, 0, 0, 499, tzinfo=UTC)) == start + 3
    assert graph.position_at(datetime(2021, 3, 4, 12, 0, 0, 500, tzinfo=UTC)) == start + 4
    assert graph.settled(datetime(2021, 3, 4, 13, 0, tzinfo=UTC)) == start + 5  # an hour before the newest event
    assert graph.settled(datetime(2021, 3, 4, 13, 59, 30, tzinfo=UTC)) is None  # within a minute of it


def test_an_edge_is_shown_with_all_it_was_recorded_with_and_facts_beside_it_open_no_new_version(hub):
    """Edge versions keep no attributes of their own: they are made from the columns when asked for. What they
    show must be what was recorded — a membership's role and its first day known to a year only, a meeting's area,
    an exchange's being disputed — and a record's change that leaves its links as they were must not be taken for
    a change of each link (which would open a version of every link at each event)."""
    a, b, c = orgs(hub, "Instytut", "Kuratorium", "Centrum")
    manager = Principal.operator("manager")
    p = sign(hub, a, b, signed_on="2020")
    m = hub.announce_meeting(by=manager, title="Seminarium", format="seminar", held_on="2021-05-20", place="Rzeszów",
                             organisers=[str(p)], participating_organisations=[str(c)], area="A7")
    x = hub.post_exchange(by=Principal.operator("partner-a"), organisation_id=str(a), counterpart_organisations=[str(c)],
                          exchanged_on="2021-03-01", topic="Mediacje", area="A1")
    hub.dispute_exchange(x, by=Principal.operator("partner-c"), organisation_id=str(c), reason="nie było nas")
    f = Follower(hub)
    f.catch_up()
    versions = f.graph.cols.edge_count

    def edges() -> dict[str, dict]:
        answer = json.loads(f.graph.current_answer("full").text())
        return {e["key"]: e for e in answer["edges"]}

    shown = edges()
    member = shown[f"membership:{p}:{a}:2020"]
    assert (member["role"], member["valid_from"], member["label"]) == ("leader", "2020", "Partnerstwo testowe")
    assert shown[f"attended:{m}:{c}"]["area"] == "A7" and shown[f"organised:{m}:{p}"]["label"] == "Seminarium"
    exchange = shown[f"exchange:{x}:{c}"]
    assert (exchange["disputed"], exchange["confirmed"], exchange["area"]) == (True, False, "A1")
    assert exchange["source"] == str(a) and exchange["valid_from"] == "2021-03-01"
    # the same, written from the columns as of that moment (the path of past moments)
    assert {e["key"]: e for e in json.loads(full_view_json(f.graph, f.graph.position))["edges"]} == shown

    hub.declare_area(p, by=manager, code="A7", label_pl="sieciowanie", label_en=None)
    hub.record_meeting_held(m, by=manager, attendance=40)
    hub.correct_exchange(x, by=Principal.operator("partner-a"), outcomes="Opis")
    f.catch_up()
    assert f.graph.cols.edge_count == versions and edges() == shown
    hub.change_member_role(p, by=manager, organisation_id=str(b), role="leader", changed_on="2021-02-01",
                           former_leader_role="leading_partner")
    f.catch_up()
    assert f.graph.cols.edge_count > versions and edges()[f"membership:{p}:{a}:2021-02-01"]["role"] == "leading_partner"


def test_a_current_answer_is_made_once_per_version_and_its_gzip_member_is_its_text(hub):
    """The current answers are kept deflated (projections.deflated): the answer object, and the gzip member it joins
    once, stay the same while nothing changes — a server joins them before it forks its workers — and a change
    gives a new one that shows it."""
    import gzip

    a, b = orgs(hub, "Instytut", "Kuratorium")
    f = Follower(hub)
    f.catch_up()
    for view in ("full", "partnerships"):
        first = f.graph.current_answer(view)
        assert f.graph.current_answer(view) is first
        assert gzip.decompress(b"".join(first.gzip_parts())) == first.text() and "nodes" in json.loads(first.text())
    before = f.graph.current_answer("full")
    hub.create_account(by=Principal.operator("admin"), name="Anna Nowak", role="manager")  # no change to the network
    f.catch_up()
    assert f.graph.current_answer("full") is before
    sign(hub, a, b, signed_on="2020")
    f.catch_up()
    after = f.graph.current_answer("full")
    assert after is not before and after.gzip_parts() != before.gzip_parts()
    assert gzip.decompress(b"".join(after.gzip_parts())) == after.text()
    assert "Partnerstwo testowe" in {n.get("name") for n in json.loads(after.text())["nodes"]}
