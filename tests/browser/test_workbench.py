"""The manager's workbench in chromium against a real server: a partnership built in the UI alone,
a refused form, and a change made by someone else while the form was open."""

from __future__ import annotations

import os
import subprocess
import urllib.request
from datetime import date

import pytest

from tests.browser.conftest import HUB, pick, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_manager_builds_a_partnership_in_the_ui_alone(page, site):
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Zarejestruj organizację").first.click()
    page.get_by_label("Nazwa", exact=True).fill("Fundacja Dobrej Edukacji")
    page.get_by_label("Rodzaj", exact=True).select_option("ngo")
    page.get_by_label("Województwo", exact=True).select_option("18")
    page.get_by_label("Miejscowość (opcjonalnie)").fill("Krosno")
    page.get_by_role("button", name="Zapisz w rejestrze").click()
    assert page.locator(".flash").inner_text().startswith("Zarejestrowano: Fundacja Dobrej Edukacji")

    page.goto(site.base + "/partnerships/new")
    page.get_by_label("Nazwa", exact=True).fill("Krośnieńskie partnerstwo edukacyjne")
    page.get_by_label("Podkarpackie").check()
    page.get_by_label("Zasięg", exact=True).select_option("regional")
    page.get_by_label("Cel", exact=True).fill("Wspólne kwalifikacje rynkowe")
    page.get_by_label("Data podpisania", exact=True).fill("2024-05-10")
    page.get_by_label("Miejsce podpisania", exact=True).fill("Krosno")
    pick(page, "f-members.0.organisation_id", "dobrej edu", "Fundacja Dobrej Edukacji")
    page.locator("[id='f-members.0.role']").select_option("leader")
    pick(page, "f-members.1.organisation_id", "centrum mediacji", "Podkarpackie Centrum Mediacji")
    page.locator("[id='f-members.1.role']").select_option("partner")
    page.locator("[id='f-members']").get_by_role("button", name="Dodaj kolejny").click()  # a third row, left empty
    assert page.locator("[id='f-members']").get_by_role("group", name="Członek 3").is_visible()
    assert page.evaluate("document.activeElement.id") == "f-members.2.organisation_id"
    screenshot(page, "workbench-sign-partnership")
    page.get_by_role("button", name="Zapisz w rejestrze").click()
    assert "Zarejestrowano: Krośnieńskie partnerstwo edukacyjne" in page.locator(".flash").inner_text()
    members = page.locator("table").first.inner_text()
    assert "Fundacja Dobrej Edukacji" in members and "Podkarpackie Centrum Mediacji" in members

    page.get_by_role("link", name="Dodaj członka").click()
    page.get_by_role("button", name="Zapisz", exact=True).click()  # nothing filled in
    summary = page.locator("#error-summary")
    assert summary.is_visible()  # and focus moves to it once the deferred forms.js has run:
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'", timeout=5000)
    assert page.locator("[id='f-organisation_id']").get_attribute("aria-invalid") == "true"
    screenshot(page, "workbench-refused")


def test_a_change_made_meanwhile_is_shown_before_anything_is_overwritten(browser, site):
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="pl-PL", viewport={"width": 1200, "height": 900})
        pages.append(context.new_page())
        sign_in(pages[-1], site, "manager")
    first, second = pages
    path = f"{site.base}/organisations/{site.ids['pcm']}/rename_organisation"
    first.goto(path)
    second.goto(path)
    second.get_by_label("Nazwa", exact=True).fill("Podkarpackie Centrum Mediacji Sp. z o.o.")
    second.get_by_role("button", name="Zapisz", exact=True).click()
    first.get_by_label("Nazwa", exact=True).fill("PCM Rzeszów")
    first.get_by_role("button", name="Zapisz", exact=True).click()
    conflict = first.locator("#conflict").inner_text()
    assert "Podkarpackie Centrum Mediacji Sp. z o.o." in conflict
    assert first.get_by_label("Nazwa", exact=True).input_value() == "PCM Rzeszów"  # what was typed is kept
    screenshot(first, "workbench-conflict")
    first.get_by_role("button", name="Zapisz", exact=True).click()  # knowing what changed, save again
    assert "PCM Rzeszów" in first.locator("h1").inner_text()
    for p in pages:
        p.context.close()


def test_a_partner_keeps_a_receipt_that_verifies_and_a_counterpart_disputes(browser, site, tmp_path):
    pcm = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}, accept_downloads=True).new_page()
    ko = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900}).new_page()
    sign_in(pcm, site, "partner_pcm")
    sign_in(ko, site, "partner_ko")
    pcm.goto(site.base + "/desk")
    pcm.get_by_label("Temat", exact=True).fill("Wizyta studyjna w Krośnie")
    pcm.get_by_label("Data", exact=True).fill(f"{date.today().year + 2}-01-15")
    pick(pcm, "f-counterpart_organisations.0", "kuratorium", "Kuratorium Oświaty w Rzeszowie")
    pcm.get_by_role("button", name="Dodaj", exact=True).click()
    assert "nie może mieć daty w przyszłości" in pcm.locator("[id='f-exchanged_on-error']").inner_text()
    assert pcm.get_by_label("Temat", exact=True).input_value() == "Wizyta studyjna w Krośnie"  # kept
    pcm.get_by_label("Data", exact=True).fill("2021-05-10")
    pcm.get_by_role("button", name="Dodaj", exact=True).click()
    assert "Wizyta studyjna w Krośnie" in pcm.locator("#receipt").inner_text()
    screenshot(pcm, "desk-receipt")
    with pcm.expect_download() as download:
        pcm.locator("#receipt").get_by_role("link", name="Pobierz potwierdzenie").click()
    receipt = tmp_path / download.value.suggested_filename
    download.value.save_as(receipt)
    key = tmp_path / "hub-key.pem"
    key.write_bytes(urllib.request.urlopen(site.base + "/api/audit/key").read())
    checked = subprocess.run([HUB, "audit", "verify-receipt", str(receipt), "--key", str(key)], capture_output=True,
                             text=True, env={**os.environ, "HUB_DATABASE_URL": "sqlite:///" + str(tmp_path / "none.db")})
    assert checked.returncode == 0, checked.stderr

    ko.goto(site.base + "/")
    assert ko.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Moje biurko").locator(
        ".badge.count").inner_text().startswith("1")
    ko.goto(site.base + "/desk")
    waiting = ko.locator("article.exchange", has_text="Wizyta studyjna w Krośnie")
    waiting.get_by_label("Co się nie zgadza").fill("Nie uczestniczyliśmy w tej wizycie")
    waiting.get_by_role("button", name="Zakwestionuj").click()
    assert "Zakwestionowano" in ko.locator(".flash").inner_text()
    pcm.goto(site.base + "/desk")
    row = pcm.locator("tr.exchange", has_text="Wizyta studyjna w Krośnie")
    assert "zakwestionowana" in row.inner_text() and "Nie uczestniczyliśmy w tej wizycie" in row.inner_text()
    for p in (pcm, ko):
        p.context.close()


def test_a_manager_makes_a_sign_in_link_in_the_ui_and_it_lets_the_person_in(browser, site):
    manager = browser.new_context(locale="pl-PL", viewport={"width": 1200, "height": 900}).new_page()
    sign_in(manager, site, "manager")
    manager.goto(f"{site.base}/accounts")
    manager.get_by_role("link", name="Ewa Audytorka").click()
    manager.get_by_role("button", name="Utwórz link do logowania").click()
    link = manager.input_value("#link")
    assert "/signin#token=" in link
    screenshot(manager, "account-sign-in-link")
    manager.goto(f"{site.base}/accounts/new")
    screenshot(manager, "account-new")
    person = browser.new_context(locale="pl-PL").new_page()
    person.goto(link)
    person.get_by_role("button", name="Zaloguj").click()
    person.wait_for_url(site.base + "/")
    assert "Ewa Audytorka" in person.locator("header").inner_text()
    for p in (manager, person):
        p.context.close()
