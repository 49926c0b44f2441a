"""The trend quarter by quarter: a write recomputes the quarters it is about, and the answer stays exact."""

from __future__ import annotations

from datetime import date

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.partnership import Partnership
from projections import trends
from projections.follower import Follower, build_graph
from tests.integration.test_application import orgs, sign

TODAY = date(2023, 12, 31)


@pytest.fixture
def hub():
    app = HubApplication("memory://")
    yield app
    app.close()


def test_a_write_recomputes_only_the_quarters_it_changes_and_the_trend_equals_a_rebuild(hub, monkeypatch):
    a, b, c = orgs(hub, "Instytut Badań Edukacyjnych", "Kuratorium Oświaty w Rzeszowie", "Podkarpackie Centrum Mediacji")
    sign(hub, a, b, signed_on="2020-12-08", valid_until="2023-06-30")
    sign(hub, c, name="Partnerstwo małopolskie", regions=["12"], signed_on="2019-03-01", valid_until="2023-12-31")
    follower = Follower(hub)
    follower.catch_up()
    graph = follower.graph
    computed: list[date] = []
    real_point = trends.point

    def counted_point(graph_, day, *args, **kwargs):
        computed.append(day)
        return real_point(graph_, day, *args, **kwargs)

    monkeypatch.setattr(trends, "point", counted_point)
    first = trends.trend(graph, TODAY, start=date(2019, 1, 1))
    assert len(computed) == 20  # 2019-Q1 … 2023-Q4, each once

    # A confirmed exchange dated 2023-05-10: it changes what holds from that day on, so 2023-Q2 … Q4.
    computed.clear()
    posted = hub.post_exchange(by=Principal.operator("t"), organisation_id=str(a), counterpart_organisations=[str(c)],
                               exchanged_on="2023-05-10", topic="Mediacje rówieśnicze")
    hub.confirm_exchange(posted, by=Principal.operator("t"), organisation_id=str(c))
    follower.catch_up()
    after = trends.trend(graph, TODAY, start=date(2019, 1, 1))
    assert computed == [date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]
    assert after[:17] == first[:17] and after[17]["exchanges_confirmed"] == 1
    assert after == trends.trend(build_graph(hub), TODAY, start=date(2019, 1, 1))

    # A sign-in changes no quarter; nor does registering or renaming an organisation (shown on every day, but no
    # point reads its attributes: they recomputed all 20); its joining a partnership does, from the day it joins.
    computed.clear()
    account = hub.create_account(by=Principal.operator("t"), name="Anna", role="manager")
    hub.issue_token(account, by=Principal.operator("t"))
    follower.catch_up()
    assert trends.trend(graph, TODAY, start=date(2019, 1, 1)) == after and computed == []
    hub.rename_organisation(c, by=Principal.operator("t"), name="Podkarpackie Centrum Mediacji i Negocjacji")
    (d,) = orgs(hub, "Szkoła w Krośnie", region="12")
    follower.catch_up()
    renamed = trends.trend(graph, TODAY, start=date(2019, 1, 1))
    assert computed == [] and renamed == after
    assert renamed == trends.trend(build_graph(hub), TODAY, start=date(2019, 1, 1))
    computed.clear()
    hub.join_partnership(graph.records(Partnership)[1].id, by=Principal.operator("t"), organisation_id=str(d),
                         role="partner", joined_on="2021-07-01")
    follower.catch_up()
    joined = trends.trend(graph, TODAY, start=date(2019, 1, 1))
    assert computed == trends.quarter_ends(date(2021, 7, 1), TODAY)  # 2021-Q3 … 2023-Q4: from the day it joins
    assert joined == trends.trend(build_graph(hub), TODAY, start=date(2019, 1, 1))


def test_a_meeting_counts_as_held_only_as_of_when_its_holding_was_recorded(hub):
    a, b = orgs(hub, "Instytut Badań Edukacyjnych", "Kuratorium Oświaty w Rzeszowie")
    sign(hub, a, b, signed_on="2020-12-08", valid_until="2023-06-30")
    meeting = hub.announce_meeting(by=Principal.operator("t"), title="Seminarium ZSK", format="seminar",
                                   held_on="2021-03-10", place="Rzeszów", organisers=[str(a)])
    announced = hub.log_length()
    hub.record_meeting_held(meeting, by=Principal.operator("t"), attendance=40)
    graph = build_graph(hub)
    q1 = lambda rows: next(r for r in rows if r["quarter"] == "2021-Q1")
    assert q1(trends.trend(graph, TODAY, as_of=announced))["meetings_held"] == 0  # announced, not yet held
    assert q1(trends.trend(graph, TODAY))["meetings_held"] == 1
    assert q1(trends.trend(graph, TODAY, as_of=announced)) == q1(trends.trend(build_graph(hub, until=announced), TODAY))
