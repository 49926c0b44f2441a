"""UI pages through the test client: sign-in links, CSRF on every form, roles, Polish and English."""

from __future__ import annotations

import re

from hub.authorisation import Principal


def sign_in(world, who: str, own_client: bool = False):
    """Sign ``who`` in on the shared test client (or on a client of their own, to act side by side)."""
    client = world.client.application.test_client() if own_client else world.client
    link = world.hub.issue_sign_in_link(world.ids[who], by=Principal.operator("test")).token
    page = client.get(f"/signin?token={link}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/signin", data={"token": link, "csrf_token": csrf})
    assert response.status_code == 302
    # Signing in starts a new session, and with it a new CSRF token.
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    return client, fresh


def test_pages_need_a_signed_in_person(world):
    response = world.client.get("/partnerships")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")


def test_every_form_needs_its_csrf_token(world):
    client, csrf = sign_in(world, "partner_a")
    before = world.hub.log_length()
    body = {"topic": "Bez tokenu", "exchanged_on": "2021-01-01", "counterpart_organisations.0": str(world.ids["b"])}
    refused = client.post("/desk/exchanges", data=body)
    assert refused.status_code == 400 and world.hub.log_length() == before
    accepted = client.post("/desk/exchanges", data={**body, "csrf_token": csrf})
    assert accepted.status_code == 302 and world.hub.log_length() == before + 1
    assert client.post("/signout").status_code == 400  # sign-out is a form too


def test_a_session_reads_the_api_but_never_writes_through_it(world):
    client, _csrf = sign_in(world, "manager")
    assert client.get("/api/graph").status_code == 200
    assert client.post("/api/organisations", json={"name": "X", "kind": "ngo", "region": "18", "city": "X"}).status_code == 401


def test_roles_open_their_pages_only(world):
    partner, _ = sign_in(world, "partner_a")
    assert partner.get("/audit").status_code == 403 and partner.get("/desk").status_code == 200
    auditor, _ = sign_in(world, "auditor")
    assert auditor.get("/audit").status_code == 200 and auditor.get("/desk").status_code == 403
    assert auditor.get(f"/audit/{world.ids['p']}").status_code == 200
    assert auditor.get("/partnerships/00000000-0000-0000-0000-000000000000").status_code == 404


def test_the_ui_speaks_polish_by_default_follows_the_browser_and_the_switch(world):
    client, _ = sign_in(world, "manager")
    page = client.get(f"/partnerships/{world.ids['p']}").text
    assert "Członkowie" in page and "8 grudnia 2020" in page and "Lider Partnerstwa" in page
    browser_en = client.get(f"/partnerships/{world.ids['p']}", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert "Members" in browser_en and "8 December 2020" in browser_en and "leader" in browser_en
    client.get("/lang/pl")  # the switch in the header wins over the browser
    switched = client.get(f"/partnerships/{world.ids['p']}", headers={"Accept-Language": "en"}).text
    assert "Członkowie" in switched


def test_the_audit_explorer_verifies_the_log_on_request(world):
    client, _ = sign_in(world, "auditor")
    page = client.get("/audit?verify=1").text
    assert "Dziennik jest nienaruszony" in page and "Zweryfikuj teraz cały dziennik" in page


def test_the_audit_reads_as_sentences_newest_first_with_security_events_apart_and_no_secret_hashes(world):
    world.hub.rename_organisation(world.ids["c"], by=world.hub.principal(world.ids["manager"]), name="PCM Rzeszów")
    client, _ = sign_in(world, "auditor")
    page = client.get("/audit").text
    rows = re.findall(r'<tr id="p(\d+)"', page)
    assert [int(r) for r in rows] == sorted((int(r) for r in rows), reverse=True)  # newest first
    newest = page[page.index(f'<tr id="p{rows[0]}"'):]
    newest = newest[:newest.index("</tr>")]
    assert "zmieniono nazwę organizacji" in newest and "manager" in newest and "PCM Rzeszów" in newest
    rows_shown = page[page.index("<tbody>"):]
    assert "wydano token" not in rows_shown and "secret_hash" not in page  # sign-ins and tokens: their own tab
    security = client.get("/audit?tab=security").text
    assert security.count('<tr id="p') >= 4 and "secret_hash" not in security and "wydano token" in security
    third = world.hub.read_log(after=2, limit=1)[0]  # jump to a date: nothing recorded after it is shown
    jumped = client.get(f"/audit?until={third.recorded_at.strftime('%Y-%m-%dT%H:%M:%S.%f')}").text
    shown = {int(r) for r in re.findall(r'<tr id="p(\d+)"', jumped)}
    assert third.position in shown and shown <= set(range(1, third.position + 1))
    by_name = client.get("/audit?actor=MANAGER").text  # part of a person's name, any case
    assert by_name.count('<tr id="p') == 1
    history = client.get(f"/audit/{world.ids['p']}").text
    assert "Instytut Badań Edukacyjnych (Lider Partnerstwa)" in history and "podpisano partnerstwo" in history
    account = client.get(f"/api/accounts/{world.ids['manager']}/history",
                         headers={"Authorization": f"Bearer {world.tokens['auditor']}"})
    assert account.status_code == 200 and "secret_hash" not in account.get_data(as_text=True)


def test_a_malformed_audit_filter_is_shown_as_an_error_never_as_an_unfiltered_log(world):
    client, _ = sign_in(world, "auditor")
    whole = client.get("/audit")
    security = sum(1 for e in world.hub.read_log(limit=1000) if e.event_type.startswith("Token"))  # their own tab
    assert security >= 4 and whole.status_code == 200
    assert whole.text.count('<tr id="p') == world.hub.log_length() - security
    for query, field in (("since=wczoraj", "since"), ("record=abc", "record"), ("before=-3", "before"),
                         ("until=2021-13-01T10:00", "until")):
        page = client.get(f"/audit?{query}")
        assert page.status_code == 422, query
        assert '<tr id="p' not in page.text, query  # no rows pretending to be the filtered log
        assert "Some filters could not be read" in page.text or "Nie udało się odczytać" in page.text
        if field != "before":
            assert f'id="{field}-error"' in page.text and f'aria-invalid="true" aria-describedby="{field}-error"' in page.text
    ok = client.get(f"/audit?record={world.ids['p']}&since=2000-01-01T00:00")
    assert ok.status_code == 200 and ok.text.count('<tr id="p') == 1  # the partnership's one event


def test_the_desk_answers_each_refusal_with_its_own_status(world):
    x = world.hub.post_exchange(by=Principal.operator("setup"), organisation_id=str(world.ids["a"]),
                                counterpart_organisations=[str(world.ids["b"])], exchanged_on="2021-03-01", topic="T")
    b, csrf_b = sign_in(world, "partner_b", own_client=True)
    assert b.post(f"/desk/exchanges/{x}/confirm", data={"csrf_token": csrf_b}).status_code == 302
    a, csrf_a = sign_in(world, "partner_a", own_client=True)
    before = world.hub.log_length()
    own = a.post(f"/desk/exchanges/{x}/confirm", data={"csrf_token": csrf_a})
    assert own.status_code == 422  # the poster cannot confirm its own record: a rule, not a conflict
    blank = a.post(f"/desk/exchanges/{x}/retract", data={"csrf_token": csrf_a, "reason": " "})
    assert blank.status_code == 422 and "Pole nie może być puste." in blank.text
    assert a.post(f"/desk/exchanges/{x}/retract", data={"csrf_token": csrf_a, "reason": "pomyłka"}).status_code == 302
    gone = b.post(f"/desk/exchanges/{x}/correct", data={"csrf_token": csrf_b, "_version": "1", "topic": "Zmiana",
                                                     "exchanged_on": "2021-03-02"})
    assert gone.status_code == 403  # not b's record
    retracted = a.post(f"/desk/exchanges/{x}/retract", data={"csrf_token": csrf_a, "reason": "znowu"})
    assert retracted.status_code == 409 and "wpis został wycofany" in retracted.text  # the record's state
    assert world.hub.log_length() == before + 1


def test_a_list_filter_it_cannot_use_is_an_error_not_the_whole_list(world):
    client, _ = sign_in(world, "manager")
    wrong = client.get("/partnerships?region=19")
    assert wrong.status_code == 422 and 'id="region-error"' in wrong.text and "unknown region &#39;19&#39;" in wrong.text
    assert "Podkarpackie partnerstwo" not in wrong.text
    right = client.get("/partnerships?region=18")
    assert right.status_code == 200 and "Podkarpackie partnerstwo" in right.text
    assert client.get("/organisations?region=PL").status_code == 200  # a region organisations may name
    assert client.get("/partnerships?region=PL").status_code == 422  # …but not a partnership's home


def test_a_partnerships_page_lists_its_members_exchanges_from_the_day_each_joined(world):
    hub, ids, setup = world.hub, world.ids, Principal.operator("setup")
    hub.join_partnership(ids["p"], by=setup, organisation_id=str(ids["c"]), role="partner", joined_on="2021-06-01")
    for topic, day in (("Mediacje przed przystąpieniem", "2021-03-01"), ("Mediacje po przystąpieniu", "2021-09-01")):
        hub.post_exchange(by=setup, organisation_id=str(ids["c"]), topic=topic, exchanged_on=day,
                          counterpart_organisations=[str(ids["a"])])
    client, _ = sign_in(world, "manager")
    page = client.get(f"/partnerships/{ids['p']}").text
    assert "Mediacje po przystąpieniu" in page and "Mediacje przed przystąpieniem" not in page


def test_the_ui_shows_a_date_known_to_a_year_or_month_as_given(world):
    signed = world.hub.sign_partnership(by=Principal.operator("setup"), name="Partnerstwo od 2008", regions=["18"],
                                        scope="regional", purpose="LLL", signed_on="2008", valid_until="2010-06",
                                        signed_at="Rzeszów", members=[{"organisation_id": str(world.ids["c"]),
                                                                       "role": "coordinator"}])
    client, _ = sign_in(world, "manager")
    page = client.get(f"/partnerships/{signed}").text
    assert "2008" in page and "stycznia 2008" not in page and "czerwiec 2010" in page and "30 czerwca 2010" not in page


def test_english_pages_write_dates_day_first(world):
    client, _ = sign_in(world, "manager")
    client.get("/lang/en?next=/")
    listed = client.get("/partnerships").text
    assert "8 Dec 2020" in listed and "30 Jun 2022" in listed and "Dec 8, 2020" not in listed


def test_an_organisations_page_lists_the_meetings_it_organised_before_any_partnership(world):
    world.hub.announce_meeting(by=Principal.operator("setup"), title="Konferencja kuratorium 2015", format="conference",
                               held_on="2015-05", place="Rzeszów", organisers=[str(world.ids["b"])])
    client, _ = sign_in(world, "manager")
    page = client.get(f"/organisations/{world.ids['b']}").text
    assert "Konferencja kuratorium 2015" in page and "maj 2015" in page


def test_statuses_on_a_partnership_page_read_in_the_users_language(world):
    m = world.hub.announce_meeting(by=Principal.operator("setup"), title="Seminarium", format="seminar",
                                   held_on="2021-05-20", place="Rzeszów", organisers=[str(world.ids["p"])])
    world.hub.record_meeting_held(m, by=Principal.operator("setup"), attendance=200, attendance_online=450,
                                  attendance_estimated=True)
    client, _ = sign_in(world, "manager")
    page = client.get(f"/partnerships/{world.ids['p']}").text
    assert "Seminarium</a> (odbyło się, 200 + 450 online ~)" in page  # the title links to the meeting's page
    attended = world.hub.announce_meeting(by=Principal.operator("setup"), title="Warsztaty", format="workshop",
                                          held_on="2021-06-20", place="Rzeszów", organisers=[str(world.ids["a"])])
    world.hub.cancel_meeting(attended, by=Principal.operator("setup"), reason="pandemia")
    organisation_page = client.get(f"/organisations/{world.ids['a']}").text
    assert "Warsztaty</a> (odwołane)" in organisation_page  # an organisation's meetings say their status too
    # its scope and the timeline of its changes in words, not the keys and event names the log stores
    assert "podkarpackie (regionalne)" in page and "(regional)" not in page
    timeline = page.split('class="log"')[1].split("</ol>")[0]
    assert " · podpisano partnerstwo · " in timeline and " · Signed · " not in timeline
    organisation = client.get(f"/organisations/{world.ids['a']}").text.split('class="log"')[1].split("</ol>")[0]
    assert " · zarejestrowano organizację · " in organisation


def test_a_partnerships_page_says_whether_it_is_in_force_today(world):
    """It gave its dates only: a partnership that expired years ago read like one in force (the list said "expired")."""
    client, _ = sign_in(world, "manager")
    expired = client.get(f"/partnerships/{world.ids['p']}", headers={"Accept-Language": "pl"}).text  # until 2022-06-30
    assert '<dt>Status</dt><dd><span class="badge">wygasło</span> (dziś)</dd>' in expired
    extended = world.hub.sign_partnership(
        by=Principal.operator("setup"), name="Partnerstwo bieżące", regions=["18"], scope="regional", purpose="ZSK",
        signed_on="2024-01-10", signed_at="Rzeszów", valid_until="2099-12-31",
        members=[{"organisation_id": str(world.ids["a"]), "role": "leader"}])
    active = client.get(f"/partnerships/{extended}", headers={"Accept-Language": "en"}).text
    assert '<dt>Status</dt><dd><span class="badge ok">active</span> (today)</dd>' in active
    # A member's page and the list say it the same way.
    member = client.get(f"/organisations/{world.ids['a']}", headers={"Accept-Language": "pl"}).text
    assert re.search(r'Podkarpackie partnerstwo[^<]*</a>\s*— Lider[^<]*<span class="badge">wygasło</span>', member)
    assert re.search(r'Partnerstwo bieżące</a>\s*— Lider[^<]*<span class="badge ok">aktywne</span>', member)
    listed = client.get("/partnerships", headers={"Accept-Language": "pl"}).text
    assert '<span class="badge">wygasło</span>' in listed and '<span class="badge ok">aktywne</span>' in listed


def test_the_dashboard_shows_the_latest_network_in_force_when_nothing_is_today(world):
    """A first run: the only partnership expired in 2022, yet the dashboard shows it with its members."""
    client, _ = sign_in(world, "manager")
    english = {"Accept-Language": "en"}
    client.get("/lang/en")
    first = client.get("/", headers=english)
    assert first.status_code == 200
    assert "Nothing is in force today" in first.text and "30 June 2022" in first.text
    active = first.text.split('class="active-partnerships"')[1].split("</ul></li>")[0]
    assert "Podkarpackie partnerstwo" in active
    assert "Instytut Badań Edukacyjnych" in active and "Kuratorium Oświaty w Rzeszowie" in active
    assert "Podkarpackie Centrum Mediacji" not in active  # registered, never a member
    on_a_day = client.get("/?on=2021-06-01", headers=english)
    assert "1 June 2021" in on_a_day.text and "Nothing is in force" not in on_a_day.text
    before = client.get("/?on=2019-01-01", headers=english)
    assert "Nothing is in force on 1 January 2019" in before.text and "/?on=2020-12-08" in before.text
    assert "Podkarpackie partnerstwo" not in before.text.split('class="active-partnerships"')[1].split("</ul>")[0]
    bad = client.get("/?on=2021-13-45", headers=english)
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text and 'aria-invalid="true"' in bad.text
    client.get("/lang/pl")
    polish = client.get("/").text
    assert "nie obowiązuje żadne partnerstwo" in polish and "30 czerwca 2022" in polish


def test_the_dashboard_counts_meetings_and_exchanges_per_region_as_the_map_does_on_its_day(world):
    """The dashboard counted every exchange ever recorded, for the poster's region only; the map, those up to its day,
    for the regions of both parties: two numbers under one name for the same region and day."""
    a, b = world.ids["a"], world.ids["b"]  # in regions 14 and 18
    setup = Principal.operator("setup")
    for day in ("2021-03-01", "2023-05-01"):
        world.hub.post_exchange(by=setup, organisation_id=str(a), counterpart_organisations=[str(b)],
                                exchanged_on=day, topic=f"Wymiana {day}")
    client, _ = sign_in(world, "manager")
    page = client.get("/?on=2021-06-01", headers={"Accept-Language": "pl"}).text
    rows = re.findall(r'region=(\d\d)">[^<]+</a> <span class="muted">\d\d</span></td>\s*<td>\d+</td><td>\d+</td>'
                      r'\s*<td>(\d+)</td><td>(\d+)</td>', page)
    assert len(rows) == 16
    shown = {code: (int(meetings), int(exchanges)) for code, meetings, exchanges in rows}
    mapped = {r["code"]: (r["meetings_held"], r["exchanges"])
              for r in world.get("/api/map?valid_at=2021-06-01").get_json()["regions"]}
    assert shown == mapped and shown["14"][1] == shown["18"][1] == 1
    assert "wymiana liczy się dla województw wszystkich jej stron" in page


def test_the_map_shows_sixteen_regions_with_the_apis_counts_on_both_time_axes(world):
    c = str(world.ids["c"])
    second = world.post("/api/partnerships", {
        "name": "Partnerstwo mazowieckie", "regions": ["14"], "scope": "regional", "purpose": "ZSK",
        "signed_on": "2021-03-01", "signed_at": "Warszawa", "valid_until": "2023-03-01",
        "members": [{"organisation_id": c, "role": "leader"}]})
    assert second.status_code == 201
    meeting = world.post("/api/meetings", {"title": "Wspólne seminarium", "format": "seminar", "held_on": "2021-09-01",
                                           "place": "Rzeszów", "organisers": [str(world.ids["p"]), second.get_json()["id"]]})
    assert meeting.status_code == 201, meeting.get_json()
    announced = world.hub.log_length()  # a record-time moment: announced, not yet recorded as held
    assert world.post(f"/api/meetings/{meeting.get_json()['id']}/held", {"attendance": 30}).status_code == 200
    client, _ = sign_in(world, "manager")
    for query in ("valid_at=2021-10-01", "valid_at=2021-06-01", f"valid_at=2021-10-01&as_of={announced}"):
        api = world.get(f"/api/map?{query}").get_json()
        page = client.get(f"/map?{query}")
        assert page.status_code == 200
        tiles = dict(re.findall(r'<g class="tile" data-region="(\d\d)" data-partnerships="(\d+)"', page.text))
        assert len(tiles) == 16 and tiles == {r["code"]: str(r["partnerships"]) for r in api["regions"]}
    api = world.get("/api/map?valid_at=2021-10-01").get_json()
    by_code = {r["code"]: r for r in api["regions"]}
    assert (by_code["18"]["partnerships"], by_code["14"]["partnerships"], by_code["12"]["partnerships"]) == (1, 1, 0)
    assert by_code["18"]["meetings_held"] == 1 and by_code["12"]["uncovered"]
    assert api["links"] == [{"from": "14", "to": "18", "links": 1}]  # the joint meeting links the two regions
    assert world.get("/api/map?valid_at=2021-06-01").get_json()["links"] == []  # not held yet
    recorded_before_holding = world.get(f"/api/map?valid_at=2021-10-01&as_of={announced}").get_json()
    assert {r["code"]: r["meetings_held"] for r in recorded_before_holding["regions"]}["18"] == 0
    bad = client.get("/map?as_of=yesterday")
    assert bad.status_code == 422 and 'id="as_of-error"' in bad.text and 'class="tile"' not in bad.text
    assert client.get("/map?sort=colour").status_code == 422
    sorted_by = client.get("/map?sort=meetings_held", headers={"Accept-Language": "pl"}).text
    assert "<caption>Sortowanie według: Odbyte wydarzenia</caption>" in sorted_by  # the column's name, not its key
    assert world.get("/api/map?valid_at=someday").status_code == 422


def test_the_audit_tells_each_change_in_one_sentence_with_names_and_the_role_before(world):
    world.hub.change_member_role(world.ids["p"], by=Principal.operator("setup"), organisation_id=str(world.ids["b"]),
                                 role="leading_partner", changed_on="2021-03-01")
    world.hub.rename_organisation(world.ids["c"], by=Principal.operator("setup"), name="Centrum Mediacji w Rzeszowie")
    client, _ = sign_in(world, "manager")
    page = client.get("/audit").text
    assert ("rola Kuratorium Oświaty w Rzeszowie zmieniona z Partner na Partner Wiodący, obowiązuje od 2021-03-01"
            in page)
    assert "zmieniono nazwę na Centrum Mediacji w Rzeszowie" in page
    history = client.get(f"/audit/{world.ids['p']}?lang=en").text
    assert '<p class="sentence">rola Kuratorium Oświaty w Rzeszowie zmieniona z Partner na Partner Wiodący' in history
    client.get("/lang/en?next=/")
    english = client.get("/audit").text
    assert ("role of Kuratorium Oświaty w Rzeszowie changed from partner to leading partner, valid from 2021-03-01"
            in english)


def test_the_desk_pages_the_records_we_posted_and_says_where_it_stands(world):
    for i in range(25):
        world.hub.post_exchange(by=Principal.operator("t"), organisation_id=str(world.ids["a"]),
                                counterpart_organisations=[str(world.ids["b"])], exchanged_on=f"2021-01-{i + 1:02d}",
                                topic=f"Wymiana {i + 1:02d}")
    client, _ = sign_in(world, "partner_a")
    first = client.get("/desk").text
    assert "1–20 z 25" in first and "Strona 1 z 2" in first
    assert "Wymiana 25" in first and "Wymiana 05" not in first  # newest first
    second = client.get("/desk?posted_page=2").text
    assert "21–25 z 25" in second and "Wymiana 05" in second and "Wymiana 25" not in second
    assert "21–25 z 25" in client.get("/desk?posted_page=99").text  # past the end: the last page
    assert "1–20 z 25" in client.get("/desk?posted_page=abc").text


def test_the_desk_names_an_exchanges_area_in_words_not_as_its_bare_code(world):
    world.hub.post_exchange(by=Principal.operator("t"), organisation_id=str(world.ids["a"]),
                            counterpart_organisations=[str(world.ids["b"])], exchanged_on="2021-02-01",
                            topic="Sieciowanie szkół", area="A4")
    client, _ = sign_in(world, "partner_b")  # it waits for the counterpart's word
    desk = client.get("/desk", headers={"Accept-Language": "pl"}).text
    assert "<dd>A4 — " in desk and "<dd>A4</dd>" not in desk
    client.get("/lang/en?next=/")
    assert "<dd>A4 — networking and exchanging experience" in client.get("/desk").text


def test_a_record_page_lists_an_exchange_with_whom_and_its_state_in_the_lists_words(world):
    """An organisation's and a partnership's page name who posted an exchange and with whom (linked), and its state
    as the list of exchanges says it: a disputed exchange read "niepotwierdzony" there (and "zakwestionowana" in
    the list), with no counterpart named."""
    a, b, p = world.ids["a"], world.ids["b"], world.ids["p"]
    setup = Principal.operator("setup")
    exchange = world.hub.post_exchange(by=setup, organisation_id=str(a), counterpart_organisations=[str(b)],
                                       exchanged_on="2021-03-01", topic="Mediacje w oświacie")
    world.hub.dispute_exchange(exchange, by=setup, organisation_id=str(b), reason="Nie uczestniczyliśmy")
    client, _ = sign_in(world, "manager")
    for page in (f"/organisations/{a}", f"/organisations/{b}", f"/partnerships/{p}"):
        text = client.get(page, headers={"Accept-Language": "pl"}).text
        item = re.search(r"<li>[^<]*Mediacje w oświacie.*?</li>", text, re.S)
        assert item is not None, page
        line = item.group(0)
        assert f'href="/organisations/{a}">Instytut Badań Edukacyjnych</a>' in line, page
        assert f'href="/organisations/{b}">Kuratorium Oświaty w Rzeszowie</a>' in line, page
        assert "zakwestionowana" in line and "niepotwierdzon" not in line, page
    # The list of exchanges draws it as the record pages do: the same badge, its state in words, and the counterparts
    # linked to their pages as the one who posted it is (they were plain text there).
    listed = client.get("/exchanges", headers={"Accept-Language": "pl"}).text
    assert '<span class="badge disputed">zakwestionowana</span>' in listed
    assert f'<td data-label="Partnerzy wymiany"><a href="/organisations/{b}">Kuratorium Oświaty w Rzeszowie</a></td>' \
        in listed
    world.hub.post_exchange(by=setup, organisation_id=str(a), counterpart_organisations=[str(b)],
                            counterpart_partnerships=[str(p)], exchanged_on="2021-04-01", topic="Z partnerstwem")
    listed = client.get("/exchanges", headers={"Accept-Language": "pl"}).text
    assert (f'<a href="/organisations/{b}">Kuratorium Oświaty w Rzeszowie</a>; '
            f'<a href="/partnerships/{p}">Podkarpackie partnerstwo</a></td>') in listed


def test_the_dashboards_recent_activity_says_what_changed_in_the_network_in_words(world):
    """It listed codes ("Partnership Signed") and every sign-in's account events, so that a few people signing in
    hid what changed in the network."""
    world.hub.register_organisation(by=Principal.operator("setup"), name="Fundacja Bieszczadzka", kind="ngo",
                                    region="18", city="Sanok")
    client, _ = sign_in(world, "manager")
    for _ in range(6):  # more sign-ins than the list has lines
        sign_in(world, "auditor", own_client=True)
    page = client.get("/", headers={"Accept-Language": "pl"}).text
    recent = page.split("<ol class=\"log\">")[1].split("</ol>")[0]
    lines = re.findall(r"<li>.*?</li>", recent, re.S)
    assert len(lines) == 5  # three organisations, a partnership, one more organisation: every change of the network
    assert "zarejestrowano organizację" in lines[0] and "«Fundacja Bieszczadzka»" in lines[0]
    assert "podpisano partnerstwo" in lines[1]
    assert "Organisation" not in recent and "Token" not in recent and 'href="/audit/' in recent
    partner, _ = sign_in(world, "partner_a", own_client=True)  # reads no audit log: the positions are not links
    assert "href" not in partner.get("/").text.split("<ol class=\"log\">")[1].split("</ol>")[0]


def test_the_dashboards_areas_read_in_the_pages_language(world):
    """An area declared with English words showed its Polish ones on the English dashboard."""
    world.hub.declare_area(world.ids["p"], by=Principal.operator("setup"), code="X-MED",
                           label_pl="Mediacje rówieśnicze", label_en="Peer mediation")
    client, _ = sign_in(world, "manager")
    english = client.get("/?on=2021-06-01", headers={"Accept-Language": "en"}).text
    polish = client.get("/?on=2021-06-01", headers={"Accept-Language": "pl"}).text
    assert "<strong>X-MED</strong> — Peer mediation: 1" in english and "Mediacje rówieśnicze" not in english
    assert "<strong>X-MED</strong> — Mediacje rówieśnicze: 1" in polish


def test_the_whole_country_as_a_region_reads_in_the_pages_language(world):
    """A national partnership's region, "PL", read "cała Polska" on English pages too (a voivodeship's name is a name
    in either language; this is a phrase)."""
    national = world.hub.sign_partnership(
        by=Principal.operator("setup"), name="Partnerstwo krajowe", regions=["PL"], scope="national", purpose="ZSK",
        signed_on="2021-01-10", signed_at="Warszawa", valid_until="2099-12-31",
        members=[{"organisation_id": str(world.ids["a"]), "role": "leader"}])
    client, _ = sign_in(world, "manager")
    english, polish = ({"Accept-Language": "en"}, {"Accept-Language": "pl"})
    assert "<dd>all of Poland (national)</dd>" in client.get(f"/partnerships/{national}", headers=english).text
    assert "<dd>cała Polska (krajowe)</dd>" in client.get(f"/partnerships/{national}", headers=polish).text
    listed = client.get("/partnerships", headers=english).text
    assert "all of Poland" in listed and "cała Polska" not in listed
    graph = client.get("/graph", headers=english).text
    assert '"wholeCountry": "all of Poland"' in graph and "cała Polska" not in graph
