"""Organisation and Partnership rules, checked on the aggregates alone (no storage)."""

from datetime import date
from uuid import uuid4

import pytest

from hub.errors import InvalidCommand, StateConflict
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.regions import VOIVODESHIPS

A, B, C = uuid4(), uuid4(), uuid4()


def org(**overrides):
    fields = dict(id=uuid4(), name="Kuratorium Oświaty w Rzeszowie", kind="education_authority",
                  region="18", city="Rzeszów", actor="tester")
    fields.update(overrides)
    return Organisation.register(**fields)


def partnership(**overrides):
    fields = dict(
        id=uuid4(), name="Partnerstwo", regions=["18"], scope="regional", purpose="ZSK",
        signed_on=date(2020, 12, 8), signed_at="Rzeszów", valid_until=date(2022, 6, 30),
        members=[{"organisation_id": A, "role": "leader"}, {"organisation_id": B, "role": "partner"}],
        actor="tester",
    )
    fields.update(overrides)
    return Partnership.sign(**fields)


def test_there_are_sixteen_voivodeships_with_even_teryt_codes():
    assert sorted(VOIVODESHIPS) == [f"{n:02d}" for n in range(2, 33, 2)]


def test_organisation_events_change_its_state_and_name_the_actor():
    o = org()
    o.rename(name="Podkarpackie Kuratorium", actor="alice")
    o.move(region="14", city="Warszawa", actor="bob")
    o.update_details(kind="other", website="https://example.pl", actor="bob")
    assert (o.name, o.region, o.city, o.kind, o.version) == ("Podkarpackie Kuratorium", "14", "Warszawa", "other", 4)
    assert [e.actor for e in o.collect_events()] == ["tester", "alice", "bob", "bob"]


@pytest.mark.parametrize("region", ["19", "00", "18 ", "podkarpackie", ""])
def test_a_region_must_be_a_teryt_code_or_a_named_scope(region):
    with pytest.raises(InvalidCommand) as error:
        org(region=region)
    assert error.value.field == "region"
    o = org(region="PL")
    with pytest.raises(InvalidCommand):
        o.move(region=region, city="X", actor="t")
    assert o.region == "PL" and o.version == 1


def test_a_partnership_has_at_most_one_leader():
    with pytest.raises(InvalidCommand, match="at most one leader, not 2"):
        partnership(members=[{"organisation_id": A, "role": "leader"}, {"organisation_id": B, "role": "leader"}])
    with pytest.raises(InvalidCommand, match="at least one known member"):
        partnership(members=[])
    p = partnership()
    with pytest.raises(InvalidCommand, match="one leader"):
        p.join(organisation_id=C, role="leader", joined_on=date(2021, 1, 1), actor="t")
    with pytest.raises(InvalidCommand, match="hand leadership over"):
        p.leave(organisation_id=A, left_on=date(2021, 1, 1), actor="t")
    with pytest.raises(InvalidCommand, match="another member takes it over"):
        p.change_role(organisation_id=A, role="partner", changed_on=date(2021, 1, 1), actor="t")
    assert p.leader_id == A and len(p.pending_events) == 1


def test_one_known_member_is_enough_and_a_leader_may_come_later():
    """A regional partnership "since 2008", hosted by a labour office, "over 100 members"."""
    p = partnership(members=[{"organisation_id": A, "role": "coordinator"}], declared_members=100)
    assert p.leader_id is None and p.declared_members == 100 and p.members[A]["role"] == "coordinator"
    p.join(organisation_id=B, role="leader", joined_on=date(2021, 1, 1), actor="t")  # no leader yet: may join as one
    with pytest.raises(InvalidCommand, match="at most one leader"):
        p.join(organisation_id=C, role="leader", joined_on=date(2021, 1, 2), actor="t")
    with pytest.raises(InvalidCommand, match="at least the 2 member"):
        p.amend(changes={"declared_members": 1}, actor="t")
    with pytest.raises(InvalidCommand, match="at least the 1 member"):
        partnership(members=[{"organisation_id": A, "role": "coordinator"}], declared_members=0)


def test_without_a_leader_a_member_becomes_leader_without_a_handover():
    p = partnership(members=[{"organisation_id": A, "role": "coordinator"}, {"organisation_id": B, "role": "partner"}])
    p.change_role(organisation_id=B, role="leader", changed_on=date(2021, 1, 1), actor="t")
    assert p.leader_id == B and p.members[A]["role"] == "coordinator" and p.role_history[-1]["role"] == "partner"


def test_leadership_is_handed_over_in_one_event():
    p = partnership()
    p.change_role(organisation_id=B, role="leader", changed_on=date(2021, 1, 1),
                  former_leader_role="leading_partner", actor="t")
    assert p.leader_id == B and p.members[A]["role"] == "leading_partner"
    assert sum(1 for m in p.members.values() if m["role"] == "leader") == 1


def test_signed_on_is_not_after_valid_until():
    with pytest.raises(InvalidCommand) as error:
        partnership(signed_on=date(2022, 7, 1), valid_until=date(2022, 6, 30))
    assert error.value.field == "valid_until"
    assert partnership(signed_on=date(2022, 6, 30), valid_until=date(2022, 6, 30)).is_active_on(date(2022, 6, 30))


def test_an_organisation_is_a_member_once():
    with pytest.raises(InvalidCommand, match="only once"):
        partnership(members=[{"organisation_id": A, "role": "leader"}, {"organisation_id": A, "role": "partner"}])
    p = partnership()
    with pytest.raises(StateConflict, match="already a member"):
        p.join(organisation_id=B, role="observer", joined_on=date(2021, 1, 1), actor="t")


def test_members_join_change_role_and_leave_with_business_dates():
    p = partnership()
    p.join(organisation_id=C, role="observer", joined_on=date(2021, 3, 1),
           signatory={"name": "Wiesław Pałka", "function": "Prezes"}, actor="t")
    p.change_role(organisation_id=C, role="business_partner", changed_on=date(2021, 4, 1), actor="t")
    p.leave(organisation_id=C, left_on=date(2021, 9, 30), actor="t")
    assert C not in p.members
    assert p.former_members == [{
        "organisation_id": C, "role": "business_partner", "joined_on": date(2021, 3, 1),
        "signatory": {"name": "Wiesław Pałka", "function": "Prezes"}, "left_on": date(2021, 9, 30),
        "role_since": date(2021, 4, 1),
    }]
    assert p.role_history == [{"organisation_id": C, "role": "observer",
                               "valid_from": date(2021, 3, 1), "valid_to": date(2021, 3, 31)}]
    with pytest.raises(InvalidCommand, match="before the signing date"):
        p.join(organisation_id=C, role="partner", joined_on=date(2019, 1, 1), actor="t")


def test_nothing_changes_a_terminated_partnership():
    p = partnership()
    p.terminate(terminated_on=date(2021, 6, 1), reason="cel osiągnięty", actor="t")
    attempts = [
        lambda: p.join(organisation_id=C, role="partner", joined_on=date(2021, 7, 1), actor="t"),
        lambda: p.change_role(organisation_id=B, role="observer", changed_on=date(2021, 7, 1), actor="t"),
        lambda: p.leave(organisation_id=B, left_on=date(2021, 7, 1), actor="t"),
        lambda: p.declare_area(code="X1", label_pl="nowy", label_en=None, actor="t"),
        lambda: p.withdraw_area(code="A1", actor="t"),
        lambda: p.extend(valid_until=date(2030, 1, 1), actor="t"),
        lambda: p.amend(changes={"name": "Nowa nazwa"}, actor="t"),
        lambda: p.terminate(terminated_on=date(2021, 7, 1), reason="again", actor="t"),
    ]
    for attempt in attempts:
        with pytest.raises(StateConflict, match="terminated"):
            attempt()
    assert p.version == 2 and p.name == "Partnerstwo"


def test_expiry_is_derived_from_business_dates_not_an_event():
    p = partnership()
    assert not p.is_active_on(date(2020, 12, 7))
    assert p.is_active_on(date(2020, 12, 8)) and p.is_active_on(date(2022, 6, 30))
    assert not p.is_active_on(date(2022, 7, 1))
    p.extend(valid_until=date(2023, 12, 31), actor="t")
    assert p.is_active_on(date(2023, 1, 1))
    with pytest.raises(InvalidCommand, match="after the current end"):
        p.extend(valid_until=date(2023, 1, 1), actor="t")
    p.terminate(terminated_on=date(2023, 3, 31), reason="r", actor="t")
    assert p.ends_on == date(2023, 3, 31) and not p.is_active_on(date(2023, 4, 1))


def test_areas_are_declared_and_withdrawn_and_amendments_touch_only_named_fields():
    p = partnership(areas=[{"code": "A1", "label_pl": "upowszechnianie", "label_en": "promoting"}])
    p.declare_area(code="X-mediacje", label_pl="mediacje rówieśnicze", label_en=None, actor="t")
    with pytest.raises(StateConflict):
        p.declare_area(code="A1", label_pl="again", label_en=None, actor="t")
    p.withdraw_area(code="A1", actor="t")
    assert list(p.areas) == ["X-mediacje"]
    p.amend(changes={"regions": ["18", "12"], "scope": "supra-regional"}, actor="t")
    assert p.regions == ["18", "12"] and p.scope == "supra-regional" and p.name == "Partnerstwo"
    with pytest.raises(InvalidCommand):
        p.amend(changes={"signed_on": date(2020, 1, 1)}, actor="t")
    with pytest.raises(InvalidCommand) as error:
        p.amend(changes={"regions": ["99"]}, actor="t")
    assert error.value.field == "regions.0"


def test_a_partnerships_status_on_a_day_reads_business_time():
    from datetime import date
    from uuid import uuid4

    from hub.partnership import Partnership

    p = Partnership.sign(id=uuid4(), name="P", regions=["18"], scope="regional", purpose="x",
                         signed_on=date(2020, 12, 8), signed_at="Rzeszów", valid_until=date(2022, 6, 30),
                         members=[{"organisation_id": uuid4(), "role": "leader", "joined_on": date(2020, 12, 8)}],
                         actor="t")
    assert [p.status_on(date(*d)) for d in ((2020, 1, 1), (2021, 1, 1), (2023, 1, 1))] == [
        "not_yet", "active", "expired"]
