"""The graph endpoints: node-link JSON, GraphML, GEXF, metrics, path, diff — with time travel."""

from __future__ import annotations

import gc
import io
import json
import tracemalloc

import networkx as nx
import zstandard

from hub.authorisation import Principal
from hub.synthetic import generate
from projections.follower import build_graph
from projections.graph import materialise, partnership_view
from tests.projections.helpers import canonical_node_link, rebuilt_node_link
from web import create_app


def test_node_link_graph_with_filters_and_both_time_axes(world):
    p = str(world.ids["p"])
    full = world.get("/api/graph", who="partner_a").get_json()
    names = {n["id"]: n.get("name") for n in full["nodes"]}
    assert names[p] == "Podkarpackie partnerstwo" and "Instytut Badań Edukacyjnych" in names.values()
    assert sorted(e["role"] for e in full["edges"]) == ["leader", "partner"]
    before_signing = world.get("/api/graph?valid_at=2020-01-01").get_json()
    assert p not in {n["id"] for n in before_signing["nodes"]}
    assert world.get("/api/graph?as_of=3").get_json()["edges"] == []
    only_region = world.get("/api/graph?region=14").get_json()
    assert [n["name"] for n in only_region["nodes"]] == ["Instytut Badań Edukacyjnych"]
    assert world.get("/api/graph?kind=attended").get_json()["edges"] == []
    partnerships = world.get("/api/graph?view=partnerships").get_json()
    assert [n["id"] for n in partnerships["nodes"]] == [p]
    bad = world.get("/api/graph?as_of=yesterday")
    assert bad.status_code == 422 and "as_of" in bad.get_json()["errors"]
    assert world.get("/api/graph?kind=friendship").status_code == 422


def test_graphml_and_gexf_downloads_load_back_with_polish_names(world):
    graphml = world.get("/api/graph.graphml")
    assert graphml.status_code == 200 and graphml.mimetype == "application/graphml+xml"
    G = nx.read_graphml(io.BytesIO(graphml.data))
    assert "Kuratorium Oświaty w Rzeszowie" in nx.get_node_attributes(G, "name").values()
    gexf = world.get("/api/graph.gexf?view=partnerships")
    assert gexf.status_code == 200 and b'start="2020-12-08"' in gexf.data
    assert "attachment" in gexf.headers["Content-Disposition"]


def test_metrics_without_betweenness_leave_out_only_it_and_never_measure_it(world, monkeypatch):
    """The graph page colours by community and marks bridges without betweenness, the slowest measure (seconds at
    real size after each write that adds a link): asked without it, it is not measured at all."""
    whole = world.get("/api/graph/metrics").get_json()
    assert set(whole["betweenness_centrality"]) == {str(world.ids["p"])}

    def never(*args, **kwargs):
        raise AssertionError("betweenness measured")

    monkeypatch.setattr("projections.analytics._betweenness", never)
    lean = world.get("/api/graph/metrics?betweenness=false").get_json()
    assert "betweenness_centrality" not in lean
    assert lean == {k: v for k, v in whole.items() if k != "betweenness_centrality"}
    assert world.get("/api/graph/metrics?betweenness=perhaps").status_code == 422


def test_metrics_path_and_diff(world):
    hub, ids = world.hub, world.ids
    q = hub.sign_partnership(by=Principal.operator("setup"), name="Małopolskie partnerstwo", regions=["12"], scope="regional", purpose="x",
                             signed_on="2021-01-01", signed_at="Kraków",
                             members=[{"organisation_id": str(ids["b"]), "role": "leader"},
                                      {"organisation_id": str(ids["c"]), "role": "partner"}])
    metrics = world.get("/api/graph/metrics").get_json()
    assert metrics["summary"]["partnerships"] == 2 and metrics["summary"]["links"] == 1
    # They only share a member: structure, not cooperation — both are isolated unless asked otherwise.
    assert metrics["isolated_partnerships"] == sorted([str(ids["p"]), str(q)]) and "18" not in metrics["uncovered_regions"]
    assert metrics["isolation_counts"] == ["co_organised", "attended", "exchange_confirmed"]
    lenient = world.get("/api/graph/metrics?isolation_also=shared_member").get_json()
    assert lenient["isolated_partnerships"] == [] and lenient["summary"]["isolated_partnerships"] == 0
    assert world.get("/api/graph/metrics?isolation_also=friendship").status_code == 422
    path = world.get(f"/api/graph/path?from={ids['p']}&to={q}").get_json()
    assert path["connected"] and path["hops"][0]["reasons"] == [
        {"kind": "shared_member", "via": str(ids["b"]), "label": "Kuratorium Oświaty w Rzeszowie"}]
    by_region = world.get("/api/graph/path?from=18&to=12").get_json()
    assert by_region["connected"] and len(by_region["hops"]) == 1
    assert world.get(f"/api/graph/path?from={ids['p']}&to=nowhere").status_code == 422
    changes = world.get("/api/graph/diff?from=2020-12-31&to=2021-06-01&axis=business").get_json()
    assert changes["nodes_added"] == [str(q)] and len(changes["edges_added"]) == 2
    record = world.get("/api/graph/diff?from=4&to=5").get_json()
    assert record["edges_added"] == [] and record["nodes_added"] == []
    assert world.get("/api/graph/diff?from=x&to=2021-01-01&axis=business").status_code == 422


def test_indicators_per_region_and_partnership(world):
    i = world.hub.draft_initiative(by=Principal.operator("setup"), title="Prowadzenie mediacji w oświacie", partnership_id=str(world.ids["p"]),
                                   drafted_on="2020-12-08")
    world.hub.submit_initiative(i, by=Principal.operator("setup"), submitted_on="2020-12-08")
    rows = world.get("/api/indicators?from=2020-01-01&to=2020-12-31").get_json()["rows"]
    assert {r["region"]: r["qualifications_submitted"] for r in rows}["18"] == 1
    by_partnership = world.get("/api/indicators?by=partnership").get_json()["rows"]
    assert by_partnership == [{"partnership": str(world.ids["p"]), "name": "Podkarpackie partnerstwo", "meetings_held": 0,
                               "attendance": 0, "exchanges": 0, "exchanges_confirmed": 0, "qualifications_submitted": 1,
                               "qualifications_included": 0, "certifying_institutions": 0}]
    assert world.get("/api/indicators?by=city").status_code == 422


def test_a_path_between_organisations_partnerships_and_regions_in_any_mix(world):
    """Two organisations that only ever met at a congress; one of them (IBE, region 14) leads a partnership in 18."""
    hub, ids, setup = world.hub, world.ids, Principal.operator("setup")
    ngo = hub.register_organisation(by=setup, name="Fundacja Wiedzy", kind="ngo", region="12")
    congress = hub.announce_meeting(by=setup, title="Kongres Edukacji Dorosłych", format="conference",
                                    held_on="2019-10-14", ends_on="2019-10-15", place="Kraków",
                                    organisers=[str(ngo)], participating_organisations=[str(ids["a"])])
    by_meeting = world.get(f"/api/graph/path?from={ids['a']}&to={ngo}").get_json()
    assert by_meeting["connected"] and [h["to"] for h in by_meeting["hops"]] == [str(congress), str(ngo)]
    assert by_meeting["hops"][0]["reasons"] == [{"kind": "attended", "via": str(congress),
                                                 "label": "Kongres Edukacji Dorosłych"}]
    assert by_meeting["hops"][0]["to_type"] == "meeting"
    org_to_partnership = world.get(f"/api/graph/path?from={ngo}&to={ids['p']}").get_json()
    assert [h["to_type"] for h in org_to_partnership["hops"]] == ["meeting", "organisation", "partnership"]
    org_to_region = world.get(f"/api/graph/path?from={ngo}&to=18").get_json()
    assert [h["to"] for h in org_to_region["hops"]] == [str(congress), str(ids["a"]), str(ids["p"])]
    region_to_org = world.get(f"/api/graph/path?from=14&to={ngo}").get_json()
    assert [h["to"] for h in region_to_org["hops"]] == [str(congress), str(ngo)]
    wrong_from = world.get(f"/api/graph/path?from=nowhere&to={ngo}")
    wrong_to = world.get(f"/api/graph/path?from={ngo}&to=99")
    assert wrong_from.status_code == wrong_to.status_code == 422
    assert list(wrong_from.get_json()["errors"]) == ["from"] and list(wrong_to.get_json()["errors"]) == ["to"]
    before = world.get(f"/api/graph/path?from={ids['a']}&to={ngo}&valid_at=2019-10-13").get_json()
    assert before["connected"] is False  # the day before the congress they had not met


def test_dates_known_to_a_year_read_as_given_in_the_api_exports_and_the_ui(world):
    hub, ids = world.hub, world.ids
    since = world.post("/api/partnerships", {
        "name": "Partnerstwo od 2008", "regions": ["18"], "scope": "regional", "purpose": "LLL", "signed_on": "2008",
        "valid_until": "2010-06", "signed_at": "Rzeszów", "members": [{"organisation_id": str(ids["c"]), "role": "coordinator"}]})
    assert since.status_code == 201
    body = since.get_json()
    assert (body["signed_on"], body["valid_until"], body["members"][0]["joined_on"]) == ("2008", "2010-06", "2008")
    pid = body["id"]
    assert world.get(f"/api/partnerships/{pid}?valid_at=2010-06-30").get_json()["in_force"] is True
    assert world.get(f"/api/partnerships/{pid}?valid_at=2010-07-01").get_json()["in_force"] is False
    nodes = {n["id"]: n for n in world.get("/api/graph").get_json()["nodes"]}
    assert (nodes[pid]["signed_on"], nodes[pid]["valid_from"], nodes[pid]["valid_to"]) == ("2008", "2008", "2010-06")
    gexf = world.get("/api/graph.gexf").data.decode("utf-8")
    assert 'start="2008-01-01"' in gexf and 'end="2010-06-30"' in gexf  # intervals are days, by the one rule
    G = nx.read_graphml(io.BytesIO(world.get("/api/graph.graphml").data))
    assert G.nodes[pid]["signed_on"] == "2008"
    refused = world.post("/api/partnerships", {"name": "X", "regions": ["18"], "scope": "regional", "purpose": "x",
                                               "signed_on": "w 2008", "signed_at": "X",
                                               "members": [{"organisation_id": str(ids["c"]), "role": "leader"}]})
    assert refused.status_code == 422 and refused.get_json()["errors"] == {"signed_on": ["Not a valid date."]}
    assert hub.get(pid).signed_on.precision == "year"


def test_the_current_graph_follows_each_write_and_equals_a_rebuild(world):
    """The unfiltered answers are kept up to date change by change: the writer's next read shows its write."""
    a, b, c, p = (str(world.ids[k]) for k in ("a", "b", "c", "p"))
    world.get("/api/graph")  # read once: what follows is brought up to date from here
    world.get("/api/graph?view=partnerships")
    second = world.post("/api/partnerships", {
        "name": "Partnerstwo małopolskie", "regions": ["12"], "scope": "regional", "purpose": "ZSK",
        "signed_on": "2021-03-01", "signed_at": "Kraków", "valid_until": "2023-03-01",
        "members": [{"organisation_id": c, "role": "leader"}]})
    assert second.status_code == 201, second.get_json()
    q = second.get_json()["id"]
    partnerships = world.get("/api/graph?view=partnerships").get_json()
    assert {n["id"] for n in partnerships["nodes"]} == {p, q} and partnerships["edges"] == []
    posted = world.post("/api/exchanges", {"organisation_id": a, "counterpart_organisations": [c],
                                           "exchanged_on": "2021-05-01", "topic": "Walidacja kwalifikacji"})
    assert posted.status_code == 201, posted.get_json()
    full = world.get("/api/graph").get_json()
    assert {(e["kind"], e["label"]) for e in full["edges"] if e["kind"].startswith("exchange")} == {
        ("exchange_unconfirmed", "Walidacja kwalifikacji")}
    [link] = world.get("/api/graph?view=partnerships").get_json()["edges"]
    assert {link["source"], link["target"]} == {p, q} and link["kinds"] == ["exchange_unconfirmed"]
    assert world.post(f"/api/partnerships/{q}/members", {"organisation_id": b, "role": "partner",
                                                         "joined_on": "2021-06-01"}).status_code == 200
    [link] = world.get("/api/graph?view=partnerships").get_json()["edges"]
    assert sorted(link["kinds"]) == ["exchange_unconfirmed", "shared_member"] and link["weight"] == 2
    rebuilt = build_graph(world.hub)
    assert canonical_node_link(world.get("/api/graph").get_json()) == canonical_node_link(
        rebuilt_node_link(materialise(rebuilt.view())))
    assert canonical_node_link(world.get("/api/graph?view=partnerships").get_json()) == canonical_node_link(
        rebuilt_node_link(partnership_view(rebuilt.view())))


def test_positions_are_grouped_by_region_never_move_and_go_into_gexf(world):
    a, b, p = (str(world.ids[k]) for k in ("a", "b", "p"))
    first = world.get("/api/graph/positions")
    before = first.get_json()
    assert set(before["positions"]) >= {a, b, p} and len(before["regions"]) == 17
    centre = before["regions"]["18"]
    assert before["positions"][p] == [centre["x"], centre["y"]]  # the region's first partnership: its centre
    assert world.post("/api/organisations", {"name": "Nowa organizacja", "kind": "ngo", "region": "18",
                                             "city": "Krosno"}).status_code == 201
    # the page's browser revalidates what it has: a new node is a new version, not a 304
    revalidated = world.get("/api/graph/positions", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 200
    after = revalidated.get_json()["positions"]
    assert len(after) == len(before["positions"]) + 1
    assert {k: after[k] for k in before["positions"]} == before["positions"]  # nothing already drawn moved
    gexf = nx.read_gexf(io.BytesIO(world.get("/api/graph.gexf").data))
    assert gexf.nodes[p]["viz"]["position"]["x"] == centre["x"]


def test_a_write_answers_with_its_log_position_and_a_read_may_ask_for_it(world):
    created = world.post("/api/organisations", {"name": "Fundacja Karpacka", "kind": "ngo", "region": "18"})
    assert created.status_code == 201
    position = int(created.headers["X-Hub-Position"])
    assert position == world.hub.log_length()
    # A read sent to any worker with the position shows the write (here: the same app on this store).
    read = world.get(f"/api/organisations/{created.get_json()['id']}", headers={"X-Hub-Min-Position": str(position)})
    assert read.status_code == 200 and read.get_json()["name"] == "Fundacja Karpacka"
    assert "X-Hub-Position" not in world.get("/api/organisations").headers  # reads carry none
    bad = world.get("/api/organisations", headers={"X-Hub-Min-Position": "latest"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"X-Hub-Min-Position": ["a log position is a whole number, as sent in X-Hub-Position"]}


def test_graph_answers_are_sent_once_per_version_validated_by_etag_and_gzipped(world, monkeypatch):
    import gzip
    import zlib

    import zstandard

    from web import answers

    monkeypatch.setattr(answers, "SMALLEST_TO_COMPRESS", 100)  # this small network's answers are a few kB

    for path in ("/api/graph", "/api/graph?view=partnerships", "/api/graph?region=18", "/api/graph/positions"):
        first = world.get(path)
        assert first.status_code == 200 and first.headers["ETag"]
        again = world.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""  # nothing changed: no body
        packed = world.get(path, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
        assert json.loads(gzip.decompress(packed.data)) == first.get_json()
        assert packed.headers["ETag"] != first.headers["ETag"]  # another representation, another tag
        assert int(first.headers["Content-Length"]) == len(first.data)
        # one gzip member: chromium and curl stop after the first (the current answers' pieces join into one)
        member = zlib.decompressobj(31)
        assert member.decompress(packed.data) == first.data and member.eof and member.unused_data == b""
        # zstd first where it is accepted (browsers send "gzip, deflate, br, zstd"): faster to make and smaller —
        # but the current answers are kept deflated: those go out as gzip, compressed by no request
        current = path in ("/api/graph", "/api/graph?view=partnerships")
        browser = world.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert browser.headers["Content-Encoding"] == ("gzip" if current else "zstd")
        if current:
            assert browser.data == packed.data and browser.headers["ETag"] == packed.headers["ETag"]
        else:
            assert json.loads(zstandard.ZstdDecompressor().decompress(browser.data)) == first.get_json()
            assert browser.headers["ETag"] not in (first.headers["ETag"], packed.headers["ETag"])
        zstd_only = world.get(path, headers={"Accept-Encoding": "zstd"})
        assert zstd_only.headers["Content-Encoding"] == "zstd"
        assert json.loads(zstandard.ZstdDecompressor().decompress(zstd_only.data)) == first.get_json()
        assert world.get(path, headers={"Accept-Encoding": "zstd", "If-None-Match": zstd_only.headers["ETag"]}).status_code == 304
    etag = world.get("/api/graph").headers["ETag"]
    # A write changes the answer: the old tag no longer matches and the new body shows the write.
    world.post("/api/organisations", {"name": "Fundacja Bieszczadzka", "kind": "ngo", "region": "18"})
    changed = world.get("/api/graph", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Fundacja Bieszczadzka" in {n["name"] for n in changed.get_json()["nodes"]}
    # An erasure changes names without a new event: the tag changes too.
    etag = changed.headers["ETag"]
    from hub.application import HubApplication

    other_process = HubApplication(world.hub.database_url)
    assert other_process.erase_person("partner_b")
    assert world.get("/api/graph", headers={"If-None-Match": etag}).status_code == 200
    other_process.close()


def test_the_trend_gives_each_quarter_valid_at_its_end_as_json_and_csv(world):
    answer = world.get("/api/trends?from=2020-10-01&to=2022-09-30")
    assert answer.status_code == 200
    rows = {r["quarter"]: r for r in answer.get_json()["quarters"]}
    assert list(rows) == ["2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2", "2022-Q3"]
    # Signed 2020-12-08, in force until 2022-06-30: active from 2020-Q4 to 2022-Q2, gone in 2022-Q3.
    assert [r["active_partnerships"] for r in rows.values()] == [1, 1, 1, 1, 1, 1, 1, 0]
    assert rows["2021-Q1"]["day"] == "2021-03-31" and rows["2021-Q1"]["regions_covered"] == 1
    assert rows["2021-Q1"]["isolated_partnerships"] == 1 and rows["2022-Q3"]["regions_covered"] == 0
    # A confirmed exchange dated in 2021-Q2 counts in that quarter only.
    posted = world.post("/api/exchanges", {"organisation_id": str(world.ids["a"]), "counterpart_organisations": [str(world.ids["b"])],
                                           "exchanged_on": "2021-05-10", "topic": "Mediacje w szkołach"}, who="partner_a")
    assert posted.status_code == 201
    assert world.post(f"/api/exchanges/{posted.get_json()['id']}/confirm", {"organisation_id": str(world.ids["b"])},
                      who="partner_b").status_code == 200
    rows = {r["quarter"]: r for r in world.get("/api/trends?from=2021-01-01&to=2021-09-30").get_json()["quarters"]}
    assert [r["exchanges_confirmed"] for r in rows.values()] == [0, 1, 0]
    # As the hub knew it before the exchange was recorded: none.
    before = world.hub.log_length() - 2
    rows = world.get(f"/api/trends?from=2021-04-01&to=2021-06-30&as_of={before}").get_json()["quarters"]
    assert rows[0]["exchanges_confirmed"] == 0
    csv_answer = world.get("/api/trends.csv?from=2021-01-01&to=2021-09-30")
    assert csv_answer.status_code == 200 and csv_answer.mimetype == "text/csv"
    lines = csv_answer.data.decode("utf-8").splitlines()
    assert lines[0] == ("quarter,day,active_partnerships,inter_regional_links,meetings_held,exchanges_confirmed,"
                        "isolated_partnerships,regions_covered")
    assert lines[2].startswith("2021-Q2,2021-06-30,1,0,0,1,")
    bad = world.get("/api/trends?from=2022-01-01&to=2021-01-01")
    assert bad.status_code == 422 and "from" in bad.get_json()["errors"]
    assert world.get("/api/trends?as_of=yesterday").status_code == 422


def test_frames_give_each_step_exactly_what_the_graph_answers_valid_at_that_day(world):
    answer = world.get("/api/graph/frames?view=full&from=2020-10-01&to=2022-12-31&step=quarter")
    assert answer.status_code == 200
    data = answer.get_json()
    assert [f["day"] for f in data["frames"]][:3] == ["2020-10-01", "2021-01-01", "2021-04-01"]
    for frame in data["frames"]:
        alone = world.get(f"/api/graph?view=full&valid_at={frame['day']}").get_json()
        assert sorted(data["nodes"][i]["id"] for i in frame["nodes"]) == sorted(n["id"] for n in alone["nodes"])
        assert sorted((data["edges"][i]["source"], data["edges"][i]["target"]) for i in frame["edges"]) == \
            sorted((e["source"], e["target"]) for e in alone["edges"])
    partnership = str(world.ids["p"])
    shown = [any(data["nodes"][i]["id"] == partnership for i in f["nodes"]) for f in data["frames"]]
    assert shown == [False] + [True] * 6 + [False] * 3  # signed 2020-12-08, ended 2022-06-30; the last step is 12-31
    assert world.get("/api/graph/frames?from=2010-01-01&to=2025-01-01&step=month").status_code == 422  # too many
    assert world.get("/api/graph/frames?from=2022-01-01&to=2021-01-01").status_code == 422
    assert world.get("/api/graph/frames?from=2021-01-01").status_code == 422  # to is required


def test_a_sign_in_changes_no_answer_about_the_network_and_keeps_its_tag(world):
    """Account events (sign-ins, tokens) are in the log but not in the network: readers keep their answers."""
    from hub.authorisation import Principal

    for path in ("/api/graph?region=18", "/api/graph/metrics", "/api/trends?from=2020-10-01&to=2021-06-30"):
        first = world.get(path)
        world.hub.issue_token(world.ids["auditor"], by=Principal.operator("setup"), label="another laptop")
        again = world.get(path, headers={"If-None-Match": first.headers.get("ETag", "none")})
        if "ETag" in first.headers:
            assert again.status_code == 304, path
        else:
            assert again.get_json() == first.get_json(), path
    tag = world.get("/api/graph?region=18").headers["ETag"]
    world.post("/api/organisations", {"name": "Fundacja Sanocka", "kind": "ngo", "region": "18"})
    changed = world.get("/api/graph?region=18", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Fundacja Sanocka" in {n["name"] for n in changed.get_json()["nodes"]}


def test_an_answer_about_a_past_moment_keeps_its_tag_and_body_while_others_write(world):
    from projections.exports import node_link
    from projections.follower import build_graph
    from projections.graph import partnership_view

    position = world.hub.log_length()
    path = f"/api/graph?view=partnerships&as_of={position}"
    first = world.get(path)
    assert first.status_code == 200
    for i in range(3):  # the network grows after that moment
        assert world.post("/api/organisations", {"name": f"Stowarzyszenie {i}", "kind": "ngo", "region": "18"}).status_code == 201
    joined = world.post(f"/api/partnerships/{world.ids['p']}/members",
                        {"organisation_id": str(world.ids["c"]), "role": "partner", "joined_on": "2021-01-04"})
    assert joined.status_code == 200, joined.get_json()
    again = world.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # settled: the same answer, known without recomputing it
    assert world.get(path).get_json() == first.get_json()
    # ... and it is the one a rebuild of the log up to that moment gives.
    rebuilt = build_graph(world.hub, until=position)
    assert first.get_json() == json.loads(json.dumps(node_link(partnership_view(rebuilt.view(as_of=position)))))
    assert world.get(f"/api/graph?view=partnerships&as_of={world.hub.log_length()}").get_json() != first.get_json()


def test_play_asked_for_the_calendars_last_months_answers_instead_of_failing(world):
    """Stepping by month past 9999-12 raised "year 10000 is out of range": a 500 for a valid question."""
    for query in ("from=9999-10-01&to=9999-12-31&step=month", "from=9990-01-01&to=9999-12-31&step=year"):
        answer = world.get(f"/api/graph/frames?{query}")
        assert answer.status_code == 200, query
        assert answer.get_json()["frames"][-1]["day"] == "9999-12-31"


def test_links_without_reasons_and_one_links_reasons_on_demand(world):
    """The graph page asks for a moment's partnership view without reasons and for the tapped link's reasons."""
    hub, ids, setup = world.hub, world.ids, Principal.operator("setup")
    p, b, c = str(ids["p"]), str(ids["b"]), str(ids["c"])
    before = hub.log_length()
    other = str(hub.sign_partnership(
        by=setup, name="Partnerstwo mediacji", regions=["18"], scope="regional", purpose="mediacje",
        signed_on="2021-03-01", signed_at="Rzeszów",
        members=[{"organisation_id": b, "role": "leader"}, {"organisation_id": c, "role": "partner"}]))
    meeting = str(hub.announce_meeting(by=setup, title="Forum mediacji", format="conference", held_on="2021-05-10",
                                       place="Rzeszów", organisers=[str(ids["a"]), c]))
    for query in ("", "&valid_at=2021-06-01", f"&as_of={hub.log_length()}", "&region=18", "&kind=co_organised"):
        whole = world.get(f"/api/graph?view=partnerships{query}").get_json()
        bare = world.get(f"/api/graph?view=partnerships&reasons=false{query}").get_json()
        assert whole["edges"] and all("reasons" not in e for e in bare["edges"]), query
        stripped = {**whole, "edges": [{k: v for k, v in e.items() if k != "reasons"} for e in whole["edges"]]}
        assert canonical_node_link(bare) == canonical_node_link(stripped)
        # the same links in columns: ends as positions in the nodes, kinds as positions in the kinds
        packed = world.get(f"/api/graph?view=partnerships&format=columns{query}").get_json()
        assert "edges" not in packed and packed["nodes"] == bare["nodes"], query
        ids, columns = [n["id"] for n in packed["nodes"]], packed["links"]
        unpacked = [{"source": ids[s], "target": ids[t], "weight": w, "kinds": packed["kinds"][k]}
                    for s, t, w, k in zip(columns["source"], columns["target"], columns["weight"], columns["kinds"],
                                              strict=True)]
        assert canonical_node_link({**bare, "edges": unpacked}) == canonical_node_link(bare), query
        # one link's reasons, either way round, as the whole view has them (in an order of their own)
        edge = dict(whole["edges"][0])
        expected = sorted(map(repr, edge.pop("reasons")))
        for ends in (f"source={p}&target={other}", f"source={other}&target={p}"):
            link = world.get(f"/api/graph/link?{ends}{query}")
            assert link.status_code == 200, link.get_json()
            found = link.get_json()
            assert sorted(map(repr, found.pop("reasons"))) == expected
            assert found == edge
    reasons = world.get(f"/api/graph/link?source={p}&target={other}").get_json()["reasons"]
    assert {(r["kind"], r["via"], r["label"]) for r in reasons} == {
        ("shared_member", b, "Kuratorium Oświaty w Rzeszowie"), ("co_organised", meeting, "Forum mediacji")}
    # no link then or there: 404; a wrong question: 422
    assert world.get(f"/api/graph/link?source={p}&target={other}&as_of={before}").status_code == 404
    assert world.get(f"/api/graph/link?source={p}&target={other}&kind=attended").status_code == 404
    assert world.get(f"/api/graph/link?source={p}&target={b}").status_code == 404
    missing = world.get(f"/api/graph/link?source={p}")
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["target"]
    full = world.get("/api/graph?reasons=false")
    assert full.status_code == 422 and list(full.get_json()["errors"]) == ["reasons"]
    for wrong in ("view=full&format=columns", "view=partnerships&reasons=true&format=columns",
                  "view=partnerships&format=rows"):
        refused = world.get(f"/api/graph?{wrong}")
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["format"], wrong
    assert world.get(f"/api/graph/link?source={p}&target={other}&as_of=yesterday").status_code == 422
    assert world.get(f"/api/graph/link?source={p}&target={other}&view=full").status_code == 400  # unknown parameter


def test_answers_asked_as_browsers_ask_stay_within_the_bound_on_answers_kept(sqlite_url, monkeypatch):
    """Answers about past moments are kept within HUB_ANSWERS_KEPT_MB, compressed ones too. Asked with zstd (as
    browsers ask), each answer kept compressed held its body besides, in an allocation as large as the body:
    twelve moments at 1,000 partnerships left 74 MB alive under a bound of 5 MB."""
    monkeypatch.setenv("HUB_ANSWERS_KEPT_MB", "1")
    flask_app = create_app({"HUB_DATABASE_URL": sqlite_url, "TESTING": True})
    hub = flask_app.extensions["hub"]
    try:
        generate(hub, partnerships=60, organisations=180, meetings=100, exchanges=200, seed=3)
        account = hub.create_account(by=Principal.operator("setup"), name="m", role="manager")
        headers = {"Authorization": f"Bearer {hub.issue_token(account, by=Principal.operator('setup')).token}",
                   "Accept-Encoding": "zstd"}
        client, length = flask_app.test_client(), hub.log_length()
        client.get("/api/graph?as_of=1", headers=headers)  # the graph caught up, the first answer's costs paid
        gc.collect()
        tracemalloc.start()
        try:
            sent = bodies = 0
            for k in range(12):
                answer = client.get(f"/api/graph?as_of={length * (k + 6) // 20}", headers=headers)
                assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "zstd"
                sent, bodies = sent + len(answer.data), bodies + len(zstandard.ZstdDecompressor().decompress(answer.data))
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        assert bodies > 4 * 2**20  # so that the bound matters
        assert kept < 2**20 + sent + 2**20, (kept, sent, bodies)  # the bound, what was sent, and room for the rest
    finally:
        flask_app.extensions["hub_live_graph"].close()
        hub.close()
