"""Indicators over business time, on a small network with known counts."""

from __future__ import annotations

import doctest
from datetime import date

import projections.indicators
from hub.application import HubApplication
from hub.authorisation import Principal
from projections.follower import build_graph
from projections.indicators import indicators
from tests.integration.test_application import orgs, sign


def test_counts_per_region_and_partnership_follow_business_dates():
    app = HubApplication("memory://")
    a, b = orgs(app, "A", "B", region="18")
    (c,) = orgs(app, "C", region="12")
    p = sign(app, a, b)
    q = sign(app, c, a, regions=["12"], name="Q")
    held = app.announce_meeting(by=Principal.operator("m"), title="Konferencja", format="conference", held_on="2021-05-20", place="Rzeszów",
                                organisers=[str(p)])
    app.record_meeting_held(held, by=Principal.operator("m"), attendance=50)
    app.announce_meeting(by=Principal.operator("m"), title="Tylko zapowiedziane", format="seminar", held_on="2021-06-01", place="X",
                         organisers=[str(p)])
    x = app.post_exchange(by=Principal.operator("m"), organisation_id=str(c), counterpart_organisations=[str(a)], exchanged_on="2021-03-01",
                          topic="T")
    app.confirm_exchange(x, by=Principal.operator("m"), organisation_id=str(a))
    gone = app.post_exchange(by=Principal.operator("m"), organisation_id=str(c), counterpart_organisations=[str(b)],
                             exchanged_on="2021-03-02", topic="T2")
    app.retract_exchange(gone, by=Principal.operator("m"), reason="pomyłka")
    i = app.draft_initiative(by=Principal.operator("m"), title="Kwalifikacja", partnership_id=str(q), drafted_on="2020-01-01")
    app.submit_initiative(i, by=Principal.operator("m"), submitted_on="2021-01-10")
    app.include_initiative(i, by=Principal.operator("m"), included_on="2024-02-15")
    app.authorise_certifying_institution(i, by=Principal.operator("m"), organisation_id=str(b), authorised_on="2024-05-01")
    g = build_graph(app)

    regions = {r["region"]: r for r in indicators(g)}
    assert (regions["18"]["meetings_held"], regions["18"]["attendance"]) == (1, 50)
    assert (regions["12"]["exchanges"], regions["12"]["exchanges_confirmed"]) == (1, 1)
    # ... and for its counterpart's region too: C (12) posted it, A (18) took part (the retracted one counts nowhere)
    assert (regions["18"]["exchanges"], regions["18"]["exchanges_confirmed"]) == (1, 1)
    assert (regions["12"]["qualifications_submitted"], regions["12"]["qualifications_included"],
            regions["12"]["certifying_institutions"]) == (1, 1, 1)
    assert regions["02"] == {"region": "02", "name": "dolnośląskie", **dict.fromkeys(projections.indicators.COUNTS, 0)}

    in_2021 = {r["region"]: r for r in indicators(g, date(2021, 1, 1), date(2021, 12, 31))}
    assert in_2021["12"]["qualifications_included"] == 0 and in_2021["12"]["qualifications_submitted"] == 1
    # the exchange C posted with A: Q's (C and A are its members) and Partnerstwo testowe's (A is its member)
    assert {r["name"]: r["exchanges"] for r in indicators(g, by="partnership")} == {"Partnerstwo testowe": 1, "Q": 1}
    assert doctest.testmod(projections.indicators).failed == 0


def test_nothing_dated_before_a_partnership_was_signed_counts_for_it():
    """An education office's conference years before any partnership: the office's, not the partnership's."""
    app = HubApplication("memory://")
    office, ngo = orgs(app, "Kuratorium Oświaty", "Fundacja", region="18")
    (far,) = orgs(app, "Urząd Pracy", region="12")
    m = Principal.operator("m")
    early = app.announce_meeting(by=m, title="Konferencja 2015", format="conference", held_on="2015-05-20",
                                 ends_on="2015-05-21", place="Rzeszów", organisers=[str(office)])
    app.record_meeting_held(early, by=m, attendance=200, attendance_online=450, attendance_estimated=True)
    p = sign(app, office, ngo, signed_on="2020-12-08")
    before = app.post_exchange(by=m, organisation_id=str(office), counterpart_organisations=[str(far)],
                               exchanged_on="2019-03-01", topic="Przed partnerstwem")
    after = app.post_exchange(by=m, organisation_id=str(office), counterpart_organisations=[str(far)],
                              exchanged_on="2021-03-01", topic="W partnerstwie")
    assert before != after
    late = app.announce_meeting(by=m, title="Seminarium 2021", format="seminar", held_on="2021-05-20",
                                place="Rzeszów", organisers=[str(p)])
    app.record_meeting_held(late, by=m)  # held, attendance not known
    i = app.draft_initiative(by=m, title="Kwalifikacja", partnership_id=str(p), drafted_on="2019-01-01")
    app.submit_initiative(i, by=m, submitted_on="2019-06-01")  # before the signing: not the partnership's
    app.include_initiative(i, by=m, included_on="2023-11-20")  # after it ended: the partnership's
    g = build_graph(app)
    (row,) = indicators(g, by="partnership")
    assert row["name"] == "Partnerstwo testowe"
    assert (row["meetings_held"], row["exchanges"], row["qualifications_submitted"], row["qualifications_included"]) \
        == (1, 1, 0, 1)
    regions = {r["region"]: r for r in indicators(g)}
    assert (regions["18"]["meetings_held"], regions["18"]["attendance"]) == (2, 650)  # the office's own counts too
    assert regions["18"]["exchanges"] == 2 and regions["18"]["qualifications_submitted"] == 1
