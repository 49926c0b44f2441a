"""The manager's workbench through the test client: every form opens, saves, refuses with messages
next to its fields (what was typed kept), and notices a change made since it was opened."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hub.authorisation import Principal
from hub.partnership import Partnership
from tests.http.test_ui_pages import sign_in
from web.ui.manage import KINDS


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_every_form_of_every_kind_opens_for_a_manager_and_for_nobody_else(world):
    manager, _ = sign_in(world, "manager")
    meeting = world.hub.announce_meeting(by=Principal.operator("t"), title="Seminarium", format="seminar",
                                         held_on="2021-03-01", place="Rzeszów", organisers=[str(world.ids["p"])])
    project = world.hub.register_project(by=Principal.operator("t"), name="ZSK 2")
    initiative = world.hub.draft_initiative(by=Principal.operator("t"), title="Mediator", partnership_id=str(world.ids["p"]),
                                            drafted_on="2021-01-10")
    records = {"organisations": world.ids["b"], "partnerships": world.ids["p"], "meetings": meeting,
               "projects": project, "initiatives": initiative, "accounts": world.ids["auditor"]}
    partner, _ = sign_in(world, "partner_a", own_client=True)
    for kind, desk in KINDS.items():
        page = manager.get(f"/{kind}/new")
        assert page.status_code == 200 and 'name="_key"' in page.text, kind
        assert partner.get(f"/{kind}/new").status_code == 403
        for command in desk.changes:
            path = f"/{kind}/{records[kind]}/{command.name}"
            page = manager.get(path)
            assert page.status_code == 200 and 'name="_version"' in page.text, path
            assert partner.get(path).status_code == 403
    assert manager.get(f"/organisations/{world.ids['b']}/terminate_partnership").status_code == 404
    assert manager.get(f"/meetings/{meeting}").status_code == 200


def test_registering_an_organisation_says_so_and_a_second_send_adds_nothing(world):
    client, csrf = sign_in(world, "manager")
    key = hidden(client.get("/organisations/new").text, "_key")
    form = {"csrf_token": csrf, "_key": key, "name": "Wojewódzki Urząd Pracy w Rzeszowie", "kind": "labour_office",
            "region": "18", "city": "Rzeszów", "website": ""}
    saved = client.post("/organisations/new", data=form)
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).text
    assert "Wojewódzki Urząd Pracy w Rzeszowie" in page and 'class="flash"' in page
    length = world.hub.log_length()
    assert client.post("/organisations/new", data=form).status_code == 302  # the same form sent twice
    assert world.hub.log_length() == length


def test_a_refused_form_keeps_what_was_typed_and_puts_each_message_by_its_field(world):
    client, csrf = sign_in(world, "manager")
    length = world.hub.log_length()
    refused = client.post("/organisations/new", data={"csrf_token": csrf, "_key": "k1", "name": "Nowa Fundacja",
                                                      "kind": "", "region": "99", "city": "Krosno"})
    assert refused.status_code == 422 and world.hub.log_length() == length
    page = refused.text
    assert 'value="Nowa Fundacja"' in page and 'value="Krosno"' in page
    assert 'id="f-kind-error"' in page and 'id="f-region-error"' in page and 'aria-invalid="true"' in page
    assert 'id="error-summary"' in page and 'href="#f-region"' in page


def test_a_partnership_is_signed_with_members_named_by_name_signatories_and_areas(world):
    client, csrf = sign_in(world, "manager")
    key = hidden(client.get("/partnerships/new").text, "_key")
    form = {"csrf_token": csrf, "_key": key, "name": "Partnerstwo na rzecz ZSK", "regions": ["18", "14"],
            "scope": "supra-regional", "purpose": "Wdrażanie ZSK", "signed_on": "2021-02-01", "signed_at": "Rzeszów",
            "valid_until": "2023", "members.0.organisation_id": "kuratorium oswiaty w rzeszowie", "members.0.role": "leader",
            "members.0.signatory.name": "Jan Nowak", "members.0.signatory.function": "Kurator",
            "members.1.organisation_id": str(world.ids["c"]), "members.1.role": "partner",
            "members.2.organisation_id": "", "members.2.role": "",
            "areas.0.code": "1", "areas.0.label_pl": "Mediacje", "areas.0.label_en": ""}
    saved = client.post("/partnerships/new", data=form)
    assert saved.status_code == 302, saved.text
    record_id = saved.headers["Location"].rsplit("/", 1)[1]
    p = world.hub.get(record_id)
    assert isinstance(p, Partnership)
    assert set(p.members) == {world.ids["b"], world.ids["c"]} and p.members[world.ids["b"]]["role"] == "leader"
    assert p.members[world.ids["b"]]["signatory"]["name"] == "Jan Nowak" and p.regions == ["18", "14"]
    assert list(p.areas) == ["1"] and p.valid_until == date(2023, 12, 31) and p.valid_until.isoformat() == "2023"


def test_a_name_that_names_nothing_or_two_records_is_refused_at_its_row(world):
    client, csrf = sign_in(world, "manager")
    world.hub.register_organisation(by=Principal.operator("t"), name="Kuratorium Oświaty w Rzeszowie", kind="other",
                                    region="18")
    form = {"csrf_token": csrf, "_key": "k2", "name": "P", "regions": ["18"], "scope": "regional", "purpose": "x",
            "signed_on": "2021-02-01", "signed_at": "Rzeszów",
            "members.0.organisation_id": "Nikt taki", "members.0.role": "leader",
            "members.1.organisation_id": "Kuratorium Oświaty w Rzeszowie", "members.1.role": "partner"}
    refused = client.post("/partnerships/new", data=form)
    assert refused.status_code == 422
    assert 'id="f-members.0.organisation_id-error"' in refused.text and "Nikt taki" in refused.text
    assert 'id="f-members.1.organisation_id-error"' in refused.text


def test_a_change_made_since_the_form_was_opened_is_shown_and_the_next_save_applies(world):
    client, csrf = sign_in(world, "manager")
    path = f"/organisations/{world.ids['c']}/rename_organisation"
    version = hidden(client.get(path).text, "_version")
    world.hub.rename_organisation(world.ids["c"], by=Principal.operator("t"), name="Centrum Mediacji Podkarpacie")
    stale = client.post(path, data={"csrf_token": csrf, "_version": version, "name": "PCM w Rzeszowie"})
    assert stale.status_code == 409
    assert "Centrum Mediacji Podkarpacie" in stale.text and 'value="PCM w Rzeszowie"' in stale.text
    assert world.hub.get(world.ids["c"]).name == "Centrum Mediacji Podkarpacie"
    again = client.post(path, data={"csrf_token": csrf, "_version": hidden(stale.text, "_version"), "name": "PCM w Rzeszowie"})
    assert again.status_code == 302 and world.hub.get(world.ids["c"]).name == "PCM w Rzeszowie"


def test_an_amendment_sends_only_what_was_changed(world):
    client, csrf = sign_in(world, "manager")
    path = f"/partnerships/{world.ids['p']}/amend_partnership"
    page = client.get(path).text
    assert 'value="Podkarpackie partnerstwo"' in page  # the form opens with the record's values
    form = {"csrf_token": csrf, "_version": hidden(page, "_version"), "name": "Podkarpackie partnerstwo",
            "purpose": "ZSK i mediacje", "regions": ["18"], "scope": "regional", "framework_project": "", "programme": ""}
    assert client.post(path, data=form).status_code == 302
    last = world.hub.history(world.ids["p"])[-1]
    assert last.event_type == "Amended" and last.payload["changes"] == {"purpose": "ZSK i mediacje"}
    assert world.hub.get(world.ids["p"]).purpose == "ZSK i mediacje"
    assert world.hub.get(world.ids["p"]).name == "Podkarpackie partnerstwo"


def test_the_picker_suggests_names_without_diacritics_and_never_accounts(world):
    client, _ = sign_in(world, "manager")
    found = client.get("/suggest?kinds=organisations,partnerships&q=oswiaty").get_json()
    assert [f["name"] for f in found] == ["Kuratorium Oświaty w Rzeszowie"] and found[0]["unique"]
    assert client.get("/suggest?kinds=accounts&q=man").status_code == 400


def test_the_area_of_a_meeting_or_an_exchange_is_picked_among_the_standard_ones_and_those_partnerships_declared(world):
    world.hub.declare_area(world.ids["p"], by=Principal.operator("t"), code="X-MED",
                           label_pl="Mediacje rówieśnicze", label_en="Peer mediation")
    manager, _ = sign_in(world, "manager")
    page = manager.get("/meetings/new").text
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page.split('id="f-area"')[1].split("</select>")[0])
    assert ("A1", options[1][1]) == options[1] and ("X-MED", "Mediacje rówieśnicze") in options
    partner, _ = sign_in(world, "partner_a", own_client=True)
    desk = partner.get("/desk").text
    assert '<option value="X-MED" >Mediacje rówieśnicze</option>' in desk.split('id="f-area"')[1].split("</select>")[0]


def test_a_meeting_to_come_is_not_recorded_as_held_and_the_form_says_why_in_polish(world):
    coming = (date.today() + timedelta(days=30)).isoformat()
    meeting = world.hub.announce_meeting(by=Principal.operator("setup"), title="Forum ZSK", format="conference",
                                         held_on=coming, place="Rzeszów", organisers=[str(world.ids["p"])])
    client, csrf = sign_in(world, "manager")
    path = f"/meetings/{meeting}/record_meeting_held"
    # its page offers no such form (an old link leads back to the meeting); a form sent anyway is refused
    assert client.get(path).headers["Location"] == f"/meetings/{meeting}"
    version = str(world.hub.get(meeting).version)
    refused = client.post(path, headers={"Accept-Language": "pl"},
                          data={"csrf_token": csrf, "_version": version, "attendance": "40"})
    assert refused.status_code == 422
    assert f"wydarzenie można oznaczyć jako odbyte od jego pierwszego dnia ({coming})" in refused.text
    assert world.hub.get(meeting).status == "announced"  # nothing recorded


def test_a_meeting_page_offers_only_the_changes_that_would_be_taken(world):
    """Held or cancelled, a meeting changes no more; one to come can be moved or cancelled, not recorded as held."""
    setup = Principal.operator("setup")
    announce = lambda day: world.hub.announce_meeting(by=setup, title="Forum ZSK", format="conference", held_on=day,
                                                      place="Rzeszów", organisers=[str(world.ids["p"])])
    past, coming, held = announce("2021-05-20"), announce((date.today() + timedelta(days=30)).isoformat()), announce("2021-06-01")
    world.hub.record_meeting_held(held, by=setup, attendance=20)
    client, _ = sign_in(world, "manager")

    def offered(meeting) -> set[str]:
        page = client.get(f"/meetings/{meeting}").text
        return {c for c in ("reschedule_meeting", "record_meeting_held", "cancel_meeting") if f"/{meeting}/{c}" in page}

    assert offered(past) == {"reschedule_meeting", "record_meeting_held", "cancel_meeting"}
    assert offered(coming) == {"reschedule_meeting", "cancel_meeting"}
    assert offered(held) == set()


def test_a_meeting_page_reads_its_codes_in_the_readers_language(world):
    setup = Principal.operator("setup")
    meeting = world.hub.announce_meeting(by=setup, title="Webinarium ZSK", format="webinar", held_on="2021-05-20",
                                         online=True, organisers=[str(world.ids["p"])])
    world.hub.cancel_meeting(meeting, by=setup, reason="brak prelegenta")
    client, _ = sign_in(world, "manager")
    page = client.get(f"/meetings/{meeting}", headers={"Accept-Language": "pl"}).text
    for shown in ("<dt>Forma</dt><dd>webinarium</dd>", "<dt>Status</dt><dd>odwołane</dd>",
                  "<dt>Powód odwołania</dt><dd>brak prelegenta</dd>"):
        assert shown in page  # not "webinar", "cancelled" or "cancellation reason"
    # its date as the other pages write one, its organisers linked to their pages
    assert "<dt>Data</dt><dd>20 maja 2021</dd>" in page  # not 2021-05-20
    assert f'<dt>Organizatorzy</dt><dd><a href="/partnerships/{world.ids["p"]}">Podkarpackie partnerstwo</a></dd>' in page


def test_a_terminated_partnership_page_offers_no_change(world):
    """Every change of a terminated partnership is refused, so its page offers none (it offered all eight)."""
    setup, partnership = Principal.operator("setup"), world.ids["p"]
    client, _ = sign_in(world, "manager")
    changes = ("join_partnership", "change_member_role", "leave_partnership", "declare_area", "withdraw_area",
               "extend_partnership", "amend_partnership", "terminate_partnership")

    def offered() -> set[str]:
        page = client.get(f"/partnerships/{partnership}").text
        return {c for c in changes if f"/{partnership}/{c}" in page}

    assert offered() == set(changes)
    world.hub.terminate_partnership(partnership, by=setup, terminated_on="2022-01-31", reason="zakończenie projektu")
    assert offered() == set()
    # a form opened from an old link leads back to the record, saying why
    opened = client.get(f"/partnerships/{partnership}/join_partnership", follow_redirects=True)
    assert opened.request.path == f"/partnerships/{partnership}"
    assert "Tej zmiany nie można teraz wprowadzić w tym rekordzie" in opened.text
