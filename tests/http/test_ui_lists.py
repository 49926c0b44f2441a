"""Lists with pages, sorting, a filter sidebar with counts and downloads; the spreadsheet import page."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook

from hub.authorisation import Principal
from hub.tables import SHEETS, write_csv, write_xlsx
from tests.http.test_ui_pages import sign_in

SETUP = Principal.operator("setup")


def many_organisations(world, n: int = 45) -> None:
    with world.hub.bulk():
        for i in range(n):
            world.hub.register_organisation(by=SETUP, name=f"Szkoła nr {i:02d}", kind="school",
                                            region="18" if i % 3 else "12", city="Krosno" if i % 2 else "Rzeszów")


def names_on(page: str) -> list[str]:
    return re.findall(r'href="/organisations/[0-9a-f-]+">([^<]+)</a>', page)


def test_a_long_list_says_which_part_it_shows_and_pages_through_the_rest(world):
    many_organisations(world)
    client, _ = sign_in(world, "manager")
    first = client.get("/organisations?lang=en").text
    assert "1–20 z 48" in first and "Strona 1 z 3" in first and len(names_on(first)) == 20
    third = client.get("/organisations?page=3").text
    assert "41–48 z 48" in third and len(names_on(third)) == 8
    assert set(names_on(first)).isdisjoint(names_on(third))
    assert len(names_on(client.get("/organisations?per=50").text)) == 48
    assert "41–48 z 48" in client.get("/organisations?page=99").text  # past the end: the last page


def test_columns_sort_both_ways_and_say_so(world):
    many_organisations(world)
    client, _ = sign_in(world, "manager")
    ascending = client.get("/organisations?q=szkoła&per=100").text
    descending = client.get("/organisations?q=szkoła&per=100&sort=-name").text
    assert names_on(ascending) == sorted(names_on(ascending)) and names_on(descending) == names_on(ascending)[::-1]
    assert 'aria-sort="descending"' in descending
    by_city = names_on(client.get("/organisations?q=szkola&sort=city&per=100").text)
    assert by_city[:22] == sorted(by_city[:22]) and all(int(n[-2:]) % 2 for n in by_city[:22])  # Krosno first
    assert not any(int(n[-2:]) % 2 for n in by_city[22:45])
    # Numbers in names by their value, as a person reads them (the character order put "nr 12" before "nr 4").
    for number in (12, 4, 1, 40):
        world.hub.register_organisation(by=SETUP, name=f"Zespół Szkół nr {number} w Krośnie", kind="school",
                                        region="18", city="Krosno")
    numbered = names_on(client.get("/organisations?q=zespol&per=100").text)
    assert numbered == [f"Zespół Szkół nr {n} w Krośnie" for n in (1, 4, 12, 40)]
    assert names_on(client.get("/organisations?q=zespol&per=100&sort=-name").text) == numbered[::-1]


def test_a_list_kept_between_writes_shows_the_next_write_at_once(world):
    """A list is made once per version of the network and cut into pages: a record added or renamed shows in the
    very next view of the same list."""
    many_organisations(world, 4)
    client, _ = sign_in(world, "manager")
    asked = "/organisations?q=szkoła&per=100"
    first = client.get(asked).text
    assert names_on(client.get(asked).text) == names_on(first) and len(names_on(first)) == 4
    added = world.hub.register_organisation(by=SETUP, name="Szkoła nr 99", kind="school", region="18", city="Krosno")
    second = client.get(asked).text
    assert names_on(second)[-1] == "Szkoła nr 99" and len(names_on(second)) == 5
    world.hub.rename_organisation(added, by=SETUP, name="Szkoła nr 00a")
    assert names_on(client.get(asked).text)[:2] == ["Szkoła nr 00", "Szkoła nr 00a"]


def test_the_sidebar_counts_what_each_choice_would_show_and_choices_combine(world):
    many_organisations(world)
    client, _ = sign_in(world, "manager")
    page = client.get("/organisations?region=12").text
    # With region 12 chosen, the region counts still say what choosing another region would give …
    assert re.search(r"podkarpackie <span class=\"count\">32</span>", page)
    assert re.search(r"małopolskie <span class=\"count\">15</span>", page)
    # … and the kind counts are within region 12.
    assert re.search(r"szkoła <span class=\"count\">15</span>", page)
    both = client.get("/organisations?region=12&region=18&kind=school").text
    assert "1–20 z 45" in both


def test_a_download_holds_every_row_the_filters_let_through_in_the_import_columns(world):
    many_organisations(world)
    client, _ = sign_in(world, "manager")
    csv = client.get("/organisations?region=12&format=csv&page=2")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == list(SHEETS["organisations"].exported) and len(lines) == 1 + 15
    xlsx = client.get("/partnerships?format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.data))["partnerships"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(SHEETS["partnerships"].exported) and rows[1][2] == "Podkarpackie partnerstwo"
    assert "Instytut Badań Edukacyjnych (leader)" in rows[1][list(rows[0]).index("members")]


def test_a_filter_the_list_cannot_use_is_reported(world):
    client, _ = sign_in(world, "manager")
    for path in ("/meetings?status=lost", "/meetings?year=21", "/exchanges?sort=colour", "/partnerships?scope=global"):
        page = client.get(path)
        assert page.status_code == 422 and 'class="error-summary"' in page.text, path


def test_every_list_opens_for_every_reader(world):
    world.hub.announce_meeting(by=SETUP, title="Seminarium", format="seminar", held_on="2021-03-01", place="Krosno",
                               organisers=[str(world.ids["p"])])
    for who in ("manager", "auditor", "partner_a"):
        client, _ = sign_in(world, who, own_client=True)
        for path in ("/organisations", "/partnerships", "/projects", "/meetings", "/exchanges"):
            assert client.get(path).status_code == 200, (who, path)
    assert "Seminarium" in client.get("/meetings").text


def upload(client, csrf: str, data: bytes, filename: str, **form: str):
    return client.post("/import", data={"csrf_token": csrf, "file": (BytesIO(data), filename), **form},
                       content_type="multipart/form-data")


def test_an_upload_is_previewed_then_imported_whole_and_a_second_import_adds_nothing(world):
    client, csrf = sign_in(world, "manager")
    rows = [("u1", "Uniwersytet Rzeszowski", "university", "18", "Rzeszów", ""),
            ("u2", "Politechnika Rzeszowska", "university", "18", "Rzeszów", "")]
    data = write_xlsx({"organisations": (SHEETS["organisations"].columns, rows)})
    length = world.hub.log_length()
    preview = upload(client, csrf, data, "uczelnie.xlsx")
    assert preview.status_code == 200 and "Uniwersytet Rzeszowski" in preview.text
    assert world.hub.log_length() == length  # a preview stores nothing
    digest = re.search(r'name="upload" value="([0-9a-f]{64})"', preview.text).group(1)
    done = client.post("/import", data={"csrf_token": csrf, "upload": digest, "filename": "uczelnie.xlsx",
                                        "action": "import"})
    assert done.status_code == 302 and world.hub.log_length() == length + 2
    assert "Zaimportowano z uczelnie.xlsx: utworzono 2, zmieniono 0" in client.get(done.headers["Location"]).text
    again = upload(client, csrf, data, "uczelnie.xlsx")
    assert "import niczego by nie dodał" in again.text and 'name="upload"' not in again.text


def test_a_file_with_bad_cells_shows_each_with_its_row_and_column_and_offers_no_import(world):
    client, csrf = sign_in(world, "manager")
    data = write_csv(SHEETS["organisations"].columns, [("x", "", "school", "99", "", "")])
    page = upload(client, csrf, data, "organisations.csv")
    assert page.status_code == 422 and 'name="upload"' not in page.text
    cells = re.findall(r'<td data-label="[^"]+">(\d+)</td>\s*<td data-label="[^"]+">(\w+)</td>', page.text)
    assert ("2", "name") in cells and ("2", "region") in cells
    assert upload(client, csrf, b"name\nx\n", "people.csv").status_code == 422


def test_only_managers_import(world):
    client, csrf = sign_in(world, "partner_a")
    assert client.get("/import").status_code == 403
    assert upload(client, csrf, b"name\n", "organisations.csv").status_code == 403
    manager, _ = sign_in(world, "manager", own_client=True)
    template = manager.get("/import/template.xlsx")
    assert template.status_code == 200 and load_workbook(BytesIO(template.data)).sheetnames[:5] == list(SHEETS)


def test_the_audit_log_downloads_with_its_filters_and_without_secrets(world):
    client, _ = sign_in(world, "manager")
    world.hub.rename_organisation(world.ids["b"], by=SETUP, name="Kuratorium Oświaty (Rzeszów)")
    everything = client.get("/audit?format=csv").data.decode("utf-8-sig").splitlines()
    assert everything[0] == "position,recorded_at,actor,who,record_kind,record_id,record,event,what,details"
    renamed = client.get("/audit?type=Organisation.Renamed&format=xlsx")
    rows = list(load_workbook(BytesIO(renamed.data)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][6] == "Kuratorium Oświaty (Rzeszów)" and rows[1][7] == "Renamed"
    security = client.get("/audit?tab=security&format=csv").data.decode("utf-8-sig")
    assert "secret_hash" not in security and "TokenIssued" in security and "TokenIssued" not in "\n".join(everything)
    assert 'href="/audit?format=csv&amp;type=Organisation.Renamed' in client.get("/audit?type=Organisation.Renamed").text
    assert client.get("/audit?since=yesterday&format=csv").status_code == 422  # a filter it cannot read


def test_indicators_download_with_their_filters(world):
    csv = world.client.get("/api/indicators.csv?by=partnership&from=2020-01-01&to=2021-12-31",
                           headers=world.headers("auditor"))
    assert csv.status_code == 200 and 'filename="indicators-by-partnership-2020-01-01-2021-12-31.csv"' in \
        csv.headers["Content-Disposition"]
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("partnership,name,meetings_held") and lines[1].split(",")[1] == "Podkarpackie partnerstwo"
    xlsx = world.client.get("/api/indicators.xlsx?by=region", headers=world.headers("auditor"))
    rows = list(load_workbook(BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("region", "name") and len(rows) == 1 + 17 and rows[1][0] == "02"  # 16 voivodeships and PL
    assert world.client.get("/api/indicators.csv?by=nothing", headers=world.headers("auditor")).status_code == 422


def test_the_import_page_takes_a_file_over_the_apps_1_mb_limit_and_the_api_still_does_not(world):
    client, csrf = sign_in(world, "manager")
    rows = [(f"k{i}", f"Organizacja {i} " + "x" * 240, "school", "18", "", "") for i in range(5000)]
    data = write_csv(SHEETS["organisations"].columns, rows)
    assert len(data) > 1024 * 1024
    preview = upload(client, csrf, data, "organisations.csv")
    assert preview.status_code == 200 and "Importuj 5000 rekordów" in preview.text
    too_big = world.client.post("/api/organisations", data=b"{" + b" " * (1024 * 1024) + b"}",
                                headers={**world.headers("manager"), "Content-Type": "application/json"})
    assert too_big.status_code == 413


def test_a_polish_import_page_words_each_problem_in_polish(world):
    client, csrf = sign_in(world, "manager")
    data = write_csv(SHEETS["organisations"].columns, [("x", "Szkoła", "kosmos", "99", "Lublin", "")])
    page = upload(client, csrf, data, "organisations.csv")
    assert page.status_code == 422
    assert "nieznany region &#39;99&#39;: podaj kod TERYT województwa" in page.text
    assert "rodzaj organizacji: nie ma kodu &#39;kosmos&#39;; dozwolone: research_institute" in page.text
    assert "unknown" not in page.text
    english = client.get("/lang/en?next=/import")
    assert english.status_code == 302
    page = upload(client, csrf, data, "organisations.csv")
    assert "unknown region &#39;99&#39;: use a voivodeship TERYT code" in page.text  # English readers read English


def test_a_file_the_import_cannot_read_is_said_in_words_with_where(world):
    client, csrf = sign_in(world, "manager")
    spilled = "key;title;format;held_on;organisers\nm1;Forum;conference;2022-03-15;IBE; KO\n".encode("cp1250")
    page = upload(client, csrf, spilled, "meetings.csv")
    assert page.status_code == 422 and 'name="upload"' not in page.text
    assert ("meetings, Wiersz 2: komórki poza nazwanymi kolumnami (1): nazwij kolumnę w pierwszym wierszu albo ujmij "
            "w cudzysłów komórkę CSV zawierającą separator") in page.text
    page = upload(client, csrf, b"name,colour\nx,red\n", "organisations.csv")
    assert "organisations, Wiersz 1, colour: nieznana kolumna; ten arkusz czyta kolumny key, name" in page.text
    assert "powiedz, jakie rekordy zawiera plik CSV" in upload(client, csrf, b"name\nx\n", "people.csv").text
    assert "Wybierz plik do przesłania." in client.post("/import", data={"csrf_token": csrf}).text
    client.get("/lang/en?next=/import")
    assert "say which kind of record the CSV file holds" in upload(client, csrf, b"name\nx\n", "people.csv").text


def test_a_row_that_changes_a_partnerships_members_is_refused_in_the_readers_language(world):
    from datetime import date

    from projections.tables import table

    graph = world.client.application.extensions["hub_live_graph"].refresh()
    columns, rows = table(graph, "partnerships", graph.records(SHEETS["partnerships"].cls), date.today())
    rows = [list(r) for r in rows]
    rows[0][list(columns).index("members")] = "Instytut Badań Edukacyjnych (leader)"
    client, csrf = sign_in(world, "manager")
    page = upload(client, csrf, write_csv(columns, rows), "partnerships.csv")
    assert page.status_code == 422
    assert "wiersz nie zmienia pól members zapisanego rekordu (partnerstwo)" in page.text


def test_the_partnerships_list_reads_statuses_on_a_chosen_day_as_the_dashboard_links_to_it(world):
    """The dashboard's "all active partnerships" on the date it shows led to those active today, another set."""
    with world.hub.bulk():  # more than the dashboard lists, active in 2021 only
        for i in range(21):
            world.hub.sign_partnership(by=SETUP, name=f"Partnerstwo nr {i:02d}", regions=["18"], scope="regional",
                                       purpose="ZSK", signed_on="2021-01-01", signed_at="Rzeszów",
                                       valid_until="2021-12-31",
                                       members=[{"organisation_id": str(world.ids["a"]), "role": "leader"}])
    client, _ = sign_in(world, "manager")
    names = lambda page: re.findall(r'href="/partnerships/[0-9a-f-]+">([^<]+)</a>', page)
    assert names(client.get("/partnerships?status=active").text) == []  # all expired by today
    on_a_day = client.get("/partnerships?status=active&on=2021-06-01&per=50").text
    assert len(names(on_a_day)) == 22 and "Podkarpackie partnerstwo" in names(on_a_day)
    assert 'id="on" name="on" type="date" value="2021-06-01"' in on_a_day  # the form keeps the day
    dashboard = client.get("/?on=2021-06-01").text
    assert "/partnerships?status=active&amp;on=2021-06-01" in dashboard
    refused = client.get("/partnerships?on=2021-13-01")
    assert refused.status_code == 422 and "Data w postaci RRRR-MM-DD" in refused.text


def test_areas_of_activity_read_as_words_in_the_filters_and_on_the_graph_page(world):
    """A standard area was its bare code ("A4") in the exchanges' filter sidebar and in the graph's area list."""
    a, b = world.ids["a"], world.ids["b"]
    world.hub.post_exchange(by=SETUP, organisation_id=str(a), counterpart_organisations=[str(b)],
                            exchanged_on="2021-03-01", topic="Sieciowanie", area="A4")
    client, _ = sign_in(world, "manager")
    polish = client.get("/exchanges", headers={"Accept-Language": "pl"}).text
    assert "A4 — sieciowanie i wymiana doświadczeń z podmiotami działającymi w sferze edukacji" in polish
    english = client.get("/exchanges", headers={"Accept-Language": "en"}).text
    assert "A4 — networking and exchanging experience with education and labour-market bodies" in english
    graph = client.get("/graph", headers={"Accept-Language": "pl"}).text
    assert '<option value="A4">A4 — sieciowanie i wymiana doświadczeń' in graph
