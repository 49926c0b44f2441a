"""The application service on every store: memory, a real SQLite file and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.errors import ConcurrencyConflict, InvalidCommand, NotFound, StateConflict
from hub.sample import load_sample

POLISH = "Zażółć gęślą jaźń — ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"


def reopen(app: HubApplication) -> HubApplication:
    """Another application on the same store (the same object for memory://)."""
    return app if app.database_url.startswith("memory") else HubApplication(app.database_url)


def orgs(app, *names, region="18"):
    return [app.register_organisation(by=Principal.operator("manager"), name=n, kind="ngo", region=region, city="Rzeszów") for n in names]


def sign(app, leader, *others, **overrides):
    fields = dict(
        name="Partnerstwo testowe", regions=["18"], scope="regional", purpose="ZSK",
        signed_on="2020-12-08", signed_at="Rzeszów", valid_until="2022-06-30",
        members=[{"organisation_id": str(leader), "role": "leader"}]
        + [{"organisation_id": str(o), "role": "partner"} for o in others],
    )
    fields.update(overrides)
    return app.sign_partnership(by=Principal.operator("manager"), **fields)


def scenario(app) -> dict[str, UUID]:
    """Every command kind once, so replay and round-trip tests see every event type."""
    a, b, c, d = orgs(app, "Instytut Badań Edukacyjnych", "Kuratorium Oświaty w Rzeszowie", "Podkarpackie Centrum Mediacji", "Szkoła")
    app.rename_organisation(d, by=Principal.operator("manager"), name=POLISH)
    app.move_organisation(d, by=Principal.operator("manager"), region="12", city="Kraków")
    app.update_organisation_details(d, by=Principal.operator("manager"), kind="school", website="https://szkoła.example.pl")
    p = sign(app, a, b, areas=[{"code": "A1", "label_pl": "upowszechnianie", "label_en": "promoting"}])
    q = sign(app, c, d, name="Małopolskie partnerstwo", regions=["12"])
    app.join_partnership(p, by=Principal.operator("manager"), organisation_id=str(c), role="business_partner", joined_on="2021-01-15",
                         signatory={"name": "Wiesław Pałka", "function": "Prezes"})
    app.change_member_role(p, by=Principal.operator("manager"), organisation_id=str(b), role="leader", changed_on="2021-02-01",
                           former_leader_role="leading_partner")
    app.leave_partnership(p, by=Principal.operator("manager"), organisation_id=str(c), left_on="2021-12-31")
    app.declare_area(p, by=Principal.operator("manager"), code="A7", label_pl="sieciowanie z innymi partnerstwami", label_en=None)
    app.withdraw_area(p, by=Principal.operator("manager"), code="A1")
    app.amend_partnership(p, by=Principal.operator("manager"), purpose="Uczenie się przez całe życie")
    app.extend_partnership(p, by=Principal.operator("manager"), valid_until="2023-06-30")
    app.terminate_partnership(q, by=Principal.operator("manager"), terminated_on="2021-09-01", reason="połączenie")
    m = app.announce_meeting(by=Principal.operator("manager"), title="Seminarium ZSK", format="seminar", held_on="2021-05-20",
                             place="Rzeszów", organisers=[str(p)], participating_partnerships=[str(q)])
    app.reschedule_meeting(m, by=Principal.operator("manager"), held_on="2021-05-27")
    app.record_meeting_held(m, by=Principal.operator("manager"), attendance=85)
    m2 = app.announce_meeting(by=Principal.operator("manager"), title="Webinarium", format="webinar", held_on="2021-06-01",
                              online=True, organisers=[str(q)])
    app.cancel_meeting(m2, by=Principal.operator("manager"), reason="brak zgłoszeń")
    x = app.post_exchange(by=Principal.operator("partner-a"), organisation_id=str(a), counterpart_organisations=[str(b)],
                          exchanged_on="2021-03-01", topic="Mediacje w oświacie", summary=POLISH)
    app.confirm_exchange(x, by=Principal.operator("partner-b"), organisation_id=str(b))
    app.correct_exchange(x, by=Principal.operator("partner-a"), outcomes="Wspólny opis kwalifikacji")
    y = app.post_exchange(by=Principal.operator("partner-a"), organisation_id=str(a), counterpart_partnerships=[str(q)],
                          exchanged_on="2021-04-01", topic="Wizyta studyjna")
    app.retract_exchange(y, by=Principal.operator("partner-a"), reason="pomyłka")
    i = app.draft_initiative(by=Principal.operator("manager"), title="Prowadzenie mediacji w oświacie", partnership_id=str(p), drafted_on="2020-10-01")
    app.submit_initiative(i, by=Principal.operator("manager"), submitted_on="2020-12-01", register_reference="ZRK-1")
    app.include_initiative(i, by=Principal.operator("manager"), included_on="2024-02-15")
    app.authorise_certifying_institution(i, by=Principal.operator("manager"), organisation_id=str(c), authorised_on="2024-05-01")
    return dict(a=a, b=b, c=c, d=d, p=p, q=q, m=m, m2=m2, x=x, y=y, i=i)


def test_the_sample_partnership_loads_with_its_organisations_roles_and_areas(app):
    ids = load_sample(app)
    app = reopen(app)
    p = app.get(ids["podkarpackie-lll-2020"])
    names = {m["role"]: app.get(oid).name for oid, m in p.members.items()}
    assert names == {
        "leader": "Instytut Badań Edukacyjnych",
        "leading_partner": "Kuratorium Oświaty w Rzeszowie",
        "business_partner": "Podkarpackie Centrum Mediacji",
    }
    signatories = {m["signatory"]["name"]: m["signatory"]["function"] for m in p.members.values()}
    assert signatories["Małgorzata Rauch"] == "Podkarpacka Kurator Oświaty"
    assert set(signatories) == {"Katarzyna Wielguszewska", "Małgorzata Rauch", "Wiesław Pałka"}
    assert (p.signed_on, p.valid_until, p.signed_at, p.regions) == (date(2020, 12, 8), date(2022, 6, 30), "Rzeszów", ["18"])
    assert "ZSK 4" in p.framework_project and p.programme.startswith("POWER")
    assert sorted(p.areas) == [f"A{n}" for n in range(1, 8)]
    assert p.areas["A7"]["label_pl"] == "sieciowanie z innymi partnerstwami regionalnymi i ponadregionalnymi"
    q = app.get(ids["prowadzenie-mediacji-w-oswiacie"])
    assert (q.title, q.status, q.partnership_id) == ("Prowadzenie mediacji w oświacie", "submitted", p.id)


def test_loading_the_sample_twice_adds_nothing(app):
    first = load_sample(app)
    length = app.log_length()
    assert load_sample(reopen(app)) == first
    assert app.log_length() == length == 7


def test_a_refused_command_names_its_fields_and_leaves_nothing_behind(app):
    a, b = orgs(app, "A", "B")
    before = app.log_length()
    with pytest.raises(InvalidCommand) as error:
        app.register_organisation(by=Principal.operator("manager"), name="  ", kind="bakery", region="19", city="X", colour="red")
    assert set(error.value.errors) == {"name", "kind", "region", "colour"}
    with pytest.raises(InvalidCommand) as error:
        sign(app, a, b, signed_on="2023-01-01", valid_until="2022-06-30")
    assert error.value.field == "valid_until"
    with pytest.raises(InvalidCommand) as error:
        sign(app, a, "00000000-0000-0000-0000-000000000000")
    assert error.value.field == "members.1.organisation_id"
    with pytest.raises(InvalidCommand) as error:
        sign(app, a, b, members=[{"organisation_id": str(a), "role": "leader"}, {"organisation_id": str(b), "role": "leader"}])
    assert "at most one leader" in str(error.value)
    with pytest.raises(ValueError, match="recorded by a name"):
        Principal.operator(" ")
    with pytest.raises(TypeError, match="run by a Principal, not str"):  # a bare name is not silently the operator
        app.register_organisation(by="manager", name="A", kind="ngo", region="18", city="X")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        app.rename_organisation("not-an-id", by=Principal.operator("manager"), name="X")
    assert app.log_length() == before


def test_the_same_client_key_twice_makes_one_record(app):
    fields = dict(by=Principal.operator("manager"), name="Instytut Badań Edukacyjnych", kind="research_institute", region="14", city="Warszawa")
    first = app.register_organisation(client_key="req-1", **fields)
    again = reopen(app).register_organisation(client_key="req-1", **fields)
    other = app.register_organisation(client_key="req-2", **fields)
    assert first == again != other
    assert app.log_length() == 2
    with pytest.raises(InvalidCommand) as error:
        app.register_organisation(client_key="", **fields)
    assert error.value.field == "client_key"


def test_a_stale_expected_version_is_a_conflict_and_stores_nothing(app):
    (a,) = orgs(app, "A")
    assert app.rename_organisation(a, by=Principal.operator("alice"), name="Alicja", expected_version=1) == 2
    with pytest.raises(ConcurrencyConflict) as error:
        reopen(app).rename_organisation(a, by=Principal.operator("bob"), name="Bob", expected_version=1)
    assert error.value.field == "expected_version"
    assert app.get(a).name == "Alicja" and app.log_length() == 2


def _interleave(app, monkeypatch, other_write):
    """Make ``other_write`` happen between this app's load and save, once."""
    original = app._load
    calls = []

    def load_then_race(*args, **kwargs):
        aggregate = original(*args, **kwargs)
        if not calls:
            calls.append(1)
            other_write()
        return aggregate

    monkeypatch.setattr(app, "_load", load_then_race)
    return calls


def test_a_racing_writer_never_loses_an_update(app, monkeypatch):
    a, b, c, d = orgs(app, "A", "B", "C", "D")
    p = sign(app, a, b)
    other = reopen(app)
    _interleave(app, monkeypatch, lambda: other.join_partnership(
        p, by=Principal.operator("bob"), organisation_id=str(c), role="partner", joined_on="2021-01-01"))
    app.join_partnership(p, by=Principal.operator("alice"), organisation_id=str(d), role="observer", joined_on="2021-01-02")
    members = reopen(app).get(p).members
    assert {c, d} <= set(members) and len(members) == 4


def test_a_racing_writer_has_the_rules_checked_again(app, monkeypatch):
    a, b, c = orgs(app, "A", "B", "C")
    p = sign(app, a, b)
    other = reopen(app)
    _interleave(app, monkeypatch, lambda: other.join_partnership(
        p, by=Principal.operator("bob"), organisation_id=str(c), role="partner", joined_on="2021-01-01"))
    with pytest.raises(StateConflict, match="already a member"):
        app.join_partnership(p, by=Principal.operator("alice"), organisation_id=str(c), role="observer", joined_on="2021-01-02")
    assert [e.actor for e in app.history(p)] == ["manager", "bob"]


def test_the_global_log_holds_every_fact_of_the_scenario_in_order(app):
    """Read back from the global log alone (not the library's replay), the scenario's facts are all there."""
    ids = scenario(app)
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert [n.id for n in notifications] == list(range(1, len(notifications) + 1))
    log = [app.mapper.to_domain_event(n) for n in notifications]
    by_record: dict[UUID, list[str]] = {}
    for event in log:
        by_record.setdefault(event.originator_id, []).append(type(event).__qualname__.split(".")[-1])
        assert event.originator_version == len(by_record[event.originator_id])  # versions 1, 2, 3… per record
    assert by_record == {
        ids["a"]: ["Registered"], ids["b"]: ["Registered"], ids["c"]: ["Registered"],
        ids["d"]: ["Registered", "Renamed", "Moved", "DetailsUpdated"],
        ids["p"]: ["Signed", "MemberJoined", "MemberRoleChanged", "MemberLeft", "AreaDeclared", "AreaWithdrawn",
                   "Amended", "Extended"],
        ids["q"]: ["Signed", "Terminated"],
        ids["m"]: ["Announced", "Rescheduled", "Held"], ids["m2"]: ["Announced", "Cancelled"],
        ids["x"]: ["Posted", "Confirmed", "Corrected"], ids["y"]: ["Posted", "Retracted"],
        ids["i"]: ["Drafted", "Submitted", "Included", "CertifyingInstitutionAuthorised"],
    }
    facts = {(type(e).__qualname__.split(".")[-1], e.originator_id): e for e in log}
    assert facts["Renamed", ids["d"]].name == POLISH
    assert (facts["Moved", ids["d"]].region, facts["Moved", ids["d"]].city) == ("12", "Kraków")
    role_change = facts["MemberRoleChanged", ids["p"]]
    assert (role_change.organisation_id, role_change.role, role_change.changed_on) == (ids["b"], "leader", date(2021, 2, 1))
    assert (role_change.former_leader_id, role_change.former_leader_role) == (ids["a"], "leading_partner")
    assert facts["MemberLeft", ids["p"]].left_on == date(2021, 12, 31)
    assert facts["Amended", ids["p"]].changes == {"purpose": "Uczenie się przez całe życie"}
    assert facts["Extended", ids["p"]].valid_until == date(2023, 6, 30)
    assert facts["Terminated", ids["q"]].reason == "połączenie"
    assert (facts["Rescheduled", ids["m"]].held_on, facts["Held", ids["m"]].attendance) == (date(2021, 5, 27), 85)
    assert facts["Confirmed", ids["x"]].organisation_id == ids["b"] and facts["Confirmed", ids["x"]].actor == "partner-b"
    assert facts["Corrected", ids["x"]].changes == {"outcomes": "Wspólny opis kwalifikacji"}
    assert facts["Included", ids["i"]].included_on == date(2024, 2, 15)
    # …and the stored state, read fresh from another process's view of the store, says the same.
    fresh = reopen(app)
    p = fresh.get(ids["p"])
    assert {o: m["role"] for o, m in p.members.items()} == {ids["a"]: "leading_partner", ids["b"]: "leader"}
    assert list(p.areas) == ["A7"] and p.valid_until == date(2023, 6, 30)
    assert [f["organisation_id"] for f in p.former_members] == [ids["c"]]
    assert fresh.get(ids["q"]).terminated_on == date(2021, 9, 1)
    assert fresh.get(ids["y"]).retracted and fresh.get(ids["x"]).outcomes == "Wspólny opis kwalifikacji"


def test_business_dates_and_record_times_are_kept_apart_and_text_round_trips(app):
    ids = scenario(app)
    fresh = reopen(app)
    d = fresh.get(ids["d"])
    assert d.name == POLISH and d.website == "https://szkoła.example.pl"
    x = fresh.get(ids["x"])
    assert x.summary == POLISH and x.exchanged_on == date(2021, 3, 1) and not isinstance(x.exchanged_on, datetime)
    assert x.exchanged_on.isoformat() == "2021-03-01"  # a business date, known to the day
    history = fresh.history(ids["x"])
    assert [(e.event_type, e.actor) for e in history] == [
        ("Posted", "partner-a"), ("Confirmed", "partner-b"), ("Corrected", "partner-a")]
    assert all(isinstance(e.recorded_at, datetime) and e.recorded_at.tzinfo for e in history)
    assert history[0].recorded_at <= history[1].recorded_at <= history[2].recorded_at
    assert history[0].payload["exchanged_on"] == date(2021, 3, 1)


def test_state_at_a_version_and_the_log_in_pages(app):
    ids = scenario(app)
    assert app.get(ids["d"], version=1).name == "Szkoła"
    assert app.get(ids["d"]).name == POLISH
    whole = app.read_log(after=0, limit=1000)
    pages = app.read_log(after=0, limit=10) + app.read_log(after=10, limit=1000)
    assert [e.position for e in pages] == [e.position for e in whole] == list(range(1, app.log_length() + 1))
    assert {e.actor for e in whole} == {"manager", "partner-a", "partner-b"}


def test_confirming_twice_is_harmless_and_confirming_a_retracted_record_is_a_conflict(app):
    ids = scenario(app)
    version = app.get(ids["x"]).version
    assert app.confirm_exchange(ids["x"], by=Principal.operator("partner-b"), organisation_id=str(ids["b"])) == version
    with pytest.raises(StateConflict, match="retracted"):
        app.confirm_exchange(ids["y"], by=Principal.operator("partner-d"), organisation_id=str(ids["d"]), via_partnership=str(ids["q"]))
    with pytest.raises(InvalidCommand, match="not a member"):
        app.confirm_exchange(ids["x"], by=Principal.operator("partner-d"), organisation_id=str(ids["d"]), via_partnership=str(ids["p"]))


def test_a_bulk_stores_everything_in_one_transaction_or_nothing(app):
    with app.bulk():
        a, b = orgs(app, "A", "B")
        p = sign(app, a, b)
        app.rename_organisation(a, by=Principal.operator("manager"), name="A2")
    assert app.log_length() == 4 and reopen(app).get(a).name == "A2" and reopen(app).get(p).leader_id == a
    with pytest.raises(InvalidCommand), app.bulk():
        orgs(app, "C", "D")
        app.register_organisation(by=Principal.operator("manager"), name="E", kind="ngo", region="99", city="X")
    assert app.log_length() == 4


def test_business_dates_are_kept_with_the_precision_given_and_read_by_one_rule(app):
    """A regional partnership "since 2008" until 2010, and a congress in October 2015."""
    (office,) = orgs(app, "Wojewódzki Urząd Pracy")
    p = app.sign_partnership(by=Principal.operator("manager"), name="Partnerstwo od 2008", regions=["18"],
                             scope="regional", purpose="LLL", signed_on="2008", signed_at="Rzeszów", valid_until="2010",
                             members=[{"organisation_id": str(office), "role": "coordinator"}], declared_members=100)
    m = app.announce_meeting(by=Principal.operator("manager"), title="Kongres", format="conference", held_on="2015-10",
                             place="Rzeszów", organisers=[str(office)])
    fresh = reopen(app)
    partnership, meeting = fresh.get(p), fresh.get(m)
    assert (partnership.signed_on.isoformat(), partnership.valid_until.isoformat()) == ("2008", "2010")
    assert meeting.held_on.isoformat() == "2015-10" and str(meeting.held_on) == "2015-10"
    # The rule: a start stands for the first day of its period, an end for the last.
    assert (partnership.signed_on, partnership.valid_until) == (date(2008, 1, 1), date(2010, 12, 31))
    assert partnership.is_active_on(date(2008, 1, 1)) and partnership.is_active_on(date(2010, 12, 31))
    assert not partnership.is_active_on(date(2007, 12, 31)) and not partnership.is_active_on(date(2011, 1, 1))
    signed = fresh.history(p)[0].payload
    assert signed["signed_on"].isoformat() == "2008"  # the event keeps the text as given, never 2008-01-01
    with pytest.raises(InvalidCommand) as refused:
        app.extend_partnership(p, by=Principal.operator("manager"), valid_until="2010-13")
    assert refused.value.errors == {"valid_until": ["Not a valid date."]}
    app.extend_partnership(p, by=Principal.operator("manager"), valid_until="2012-02")
    assert reopen(app).get(p).valid_until == date(2012, 2, 29)  # the last day of February 2012


def test_a_command_answers_with_what_it_saved_once_and_never_with_an_older_save():
    app = HubApplication("memory://")
    by = Principal.operator("m")
    org = app.register_organisation(by=by, name="Zapisana", kind="ngo", region="06", city="Lublin")
    saved = app.just_saved(org)
    assert saved is not None and saved.name == "Zapisana"
    assert app.just_saved(org) is None  # once: a later read goes to the store
    app.rename_organisation(org, by=by, name="Zmieniona")
    app.forget_saved()  # a new request begins
    assert app.just_saved(org) is None
    app.close()


def test_ids_and_dates_read_back_are_shared_and_stored_as_before(app):
    """A record id or a business date never changes, so one decoded object serves every event that holds it
    (a replay of 99,527 events decoded 301,884 ids and 378,605 dates for 61,693 distinct values); what is
    stored stays the library's ``uuid_hex`` and the hub's ``known_date``, so old logs read as before."""
    from uuid import uuid4

    from hub.dates import KnownDate

    transcoder = app.mapper.transcoder
    organisation, signed = uuid4(), KnownDate.parse("2008")
    stored = transcoder.encode({"organisation_id": organisation, "signed_on": signed})
    assert f'"_type_":"uuid_hex","_data_":"{organisation.hex}"' in stored.decode().replace(" ", "")
    one, two = transcoder.decode(stored), transcoder.decode(stored)
    assert one == {"organisation_id": organisation, "signed_on": signed} and one["signed_on"].precision == "year"
    assert one["organisation_id"] is two["organisation_id"] and one["signed_on"] is two["signed_on"]
