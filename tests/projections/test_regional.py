"""The map counts meetings held as known at its moment: a meeting's links carry no status, its node does."""

from __future__ import annotations

from datetime import date

from hub.application import HubApplication
from hub.authorisation import Principal
from projections.follower import build_graph
from projections.regional import regions_at
from tests.integration.test_application import orgs, sign

BY = Principal.operator("m")


def held_in(answer: dict, code: str) -> int:
    return next(r["meetings_held"] for r in answer["regions"] if r["code"] == code)


def test_a_meeting_counts_where_its_organisers_are_once_held_and_not_as_of_before():
    app = HubApplication("memory://")
    a, b = orgs(app, "A", "B", region="18")
    (c,) = orgs(app, "C", region="12")
    sign(app, a, b)
    meeting = app.announce_meeting(by=BY, title="Konferencja", format="conference", held_on="2021-05-20",
                                   place="Rzeszów", organisers=[str(a), str(c)])
    app.announce_meeting(by=BY, title="Tylko zapowiedziane", format="seminar", held_on="2021-06-01", place="X",
                         organisers=[str(b)])
    announced_at = app.log_length()
    app.record_meeting_held(meeting, by=BY, attendance=50)
    graph = build_graph(app)

    now = regions_at(graph)
    assert (held_in(now, "18"), held_in(now, "12"), held_in(now, "02")) == (1, 1, 0)
    before = regions_at(graph, as_of=announced_at)  # as known before it was recorded as held
    assert (held_in(before, "18"), held_in(before, "12")) == (0, 0)
    assert held_in(regions_at(graph, valid_at=date(2021, 5, 19)), "18") == 0  # not yet held on that day
    assert held_in(regions_at(graph, valid_at=date(2021, 5, 20)), "18") == 1
    app.close()


def test_a_cooperation_link_counts_once_for_each_pair_of_regions_its_partnerships_are_at_home_in():
    app = HubApplication("memory://")
    leaders = orgs(app, "P", "Q", "R", "S", "T", "U")
    homes = {"P": ["18", "12"], "Q": ["12"], "R": ["18"], "S": ["12", "18"], "T": ["02"], "U": ["14"]}
    for leader, (name, regions) in zip(leaders, homes.items(), strict=True):
        sign(app, leader, name=name, regions=regions)
    meeting = app.announce_meeting(by=BY, title="Wspólne seminarium", format="seminar", held_on="2021-05-20",
                                   place="Rzeszów", organisers=[str(o) for o in leaders[:5]])
    app.record_meeting_held(meeting, by=BY, attendance=20)
    graph = build_graph(app)

    answer = regions_at(graph)
    # P-Q, P-R, P-S, Q-R, Q-S, R-S each join 12 and 18 once (P and S are at home in both); T's five links join
    # 02 to 12 (P, Q, S) and to 18 (P, R, S); U organised nothing: no cooperation link
    assert answer["links"] == [{"from": "02", "to": "12", "links": 3}, {"from": "02", "to": "18", "links": 3},
                               {"from": "12", "to": "18", "links": 6}]
    linked = {r["code"]: r["inter_regional_links"] for r in answer["regions"] if r["inter_regional_links"]}
    assert linked == {"02": 6, "12": 9, "18": 9}
    app.close()
