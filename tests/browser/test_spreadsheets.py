"""Spreadsheets in chromium against a real server: the import's preview with its bad cells, the import
itself, a second import that adds nothing; then the list those records fill, paged, sorted, filtered
and downloaded."""

from __future__ import annotations

import pytest

from hub.tables import SHEETS, write_csv, write_xlsx
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

CITIES = ("Krosno", "Jasło", "Sanok", "Przemyśl", "Mielec")


def schools(n: int) -> list[tuple[str, ...]]:
    return [(f"s{i}", f"Zespół Szkół nr {i + 1:02d}", "school", "18", CITIES[i % len(CITIES)], "") for i in range(n)]


def test_a_manager_imports_a_workbook_after_seeing_its_bad_cells_and_its_preview(page, site, tmp_path):
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Import z arkusza kalkulacyjnego").first.click()
    with page.expect_download() as template:
        page.get_by_role("link", name="Pobierz wzór (XLSX, z instrukcją)").click()
    assert template.value.suggested_filename == "partnership-hub-template.xlsx"

    bad = tmp_path / "organisations.csv"
    bad.write_bytes(write_csv(SHEETS["organisations"].columns, [*schools(2), ("z", "", "castle", "18", "", "")]))
    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Sprawdź plik").click()
    problems = page.locator("table.problems tbody tr")
    assert problems.count() == 2
    assert [problems.nth(i).locator("td").nth(1).inner_text() for i in range(2)] == ["4", "4"]
    assert {problems.nth(i).locator("td").nth(2).inner_text() for i in range(2)} == {"name", "kind"}
    assert page.get_by_role("button", name="Importuj").count() == 0

    good = tmp_path / "szkoly.xlsx"
    good.write_bytes(write_xlsx({"organisations": (SHEETS["organisations"].columns, schools(28))}))
    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Sprawdź plik").click()
    preview = page.locator(".import-preview")
    assert "Co zrobi import pliku szkoly.xlsx" in preview.inner_text()
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Importuj 28 rekordów").click()
    assert "utworzono 28" in page.locator(".flash").inner_text()

    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Sprawdź plik").click()
    page.get_by_text("import niczego by nie dodał").wait_for()  # the page the check answers with, once it is there

    # A CSV file saved by a Polish Excel (Windows-1250, semicolons): meetings whose organisers are named.
    meetings = tmp_path / "meetings.csv"
    meetings.write_bytes("key;title;format;held_on;place;organisers\r\n"
                         "m1;Forum szkół zawodowych;conference;2022-03-15;Krosno;Zespół Szkół nr 01\r\n"
                         "m2;Warsztaty mediacji;workshop;2022-04-05;Sanok;zespol szkol nr 02; Kuratorium Oswiaty w "
                         "Rzeszowie\r\n".encode("cp1250"))
    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(meetings))
    page.get_by_role("button", name="Sprawdź plik").click()
    spilled = page.locator(".error-summary li")  # the second organiser, unquoted, spilled past the columns
    assert spilled.all_inner_texts() == ["meetings, Wiersz 3: komórki poza nazwanymi kolumnami (1): nazwij kolumnę "
                                         "w pierwszym wierszu albo ujmij w cudzysłów komórkę CSV zawierającą separator"]
    meetings.write_bytes(meetings.read_bytes().replace(b"zespol szkol nr 02; Kuratorium Oswiaty w Rzeszowie",
                                                       b'"zespol szkol nr 02; Kuratorium Oswiaty w Rzeszowie"'))
    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(meetings))
    page.get_by_role("button", name="Sprawdź plik").click()
    assert page.locator("table.problems").count() == 0
    page.get_by_role("button", name="Importuj 2 rekordy").click()
    assert "utworzono 2" in page.locator(".flash").inner_text()
    page.get_by_label("Plik (.xlsx lub .csv)").set_input_files(str(meetings))
    page.get_by_role("button", name="Sprawdź plik").click()
    page.get_by_text("import niczego by nie dodał").wait_for()  # the page the check answers with, once it is there
    page.goto(site.base + "/meetings")
    page.get_by_role("link", name="Warsztaty mediacji").click()
    assert "Kuratorium Oświaty w Rzeszowie" in page.locator("main").inner_text()  # both organisers came in

    # The list those schools fill: paged, sorted by a column, filtered from the sidebar, downloaded.
    page.goto(site.base + "/organisations")
    assert page.get_by_role("status").first.inner_text() == "1–20 z 31"
    page.get_by_role("link", name="Następna").click()
    assert page.get_by_role("status").first.inner_text() == "21–31 z 31"
    page.get_by_role("link", name="Miejscowość").click()
    cities = page.locator("tbody td[data-label='Miejscowość']").all_inner_texts()
    assert cities == sorted(cities, key=lambda c: c.replace("ł", "l").replace("ś", "s")) and cities[0] == "Jasło"
    assert page.locator("th[aria-sort]").inner_text().startswith("Miejscowość")
    page.get_by_label("szkoła").check()
    page.get_by_role("button", name="Filtruj").click()
    assert page.get_by_role("status").first.inner_text() == "1–20 z 28"
    screenshot(page, "lists")
    with page.expect_download() as listed:
        page.get_by_role("link", name="CSV").click()
    rows = listed.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + 28 and rows[0].startswith("id,key,name,kind,region,city")


def test_the_list_and_import_pages_fit_a_phone(browser, site):
    page = browser.new_context(locale="pl-PL", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(page, site, "manager")
    for path in ("/organisations", "/partnerships", "/meetings", "/exchanges", "/projects", "/import"):
        page.goto(site.base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the phone"
    page.context.close()
