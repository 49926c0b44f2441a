"""Every form of the manager's workbench in chromium against a real server, as a manager uses it:
refused with the message next to its field and what was typed kept, then — for a change — a change
made by someone else meanwhile shown before anything is overwritten, then saved with a message.

One case per command declared in :data:`web.ui.manage.KINDS` (a test fails if a form has no case):
each gets records of its own, made behind the browser's back in the same store, so the cases do
not depend on each other's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from tests.browser.conftest import screenshot, sign_in
from web.ui.manage import KINDS

pytestmark = pytest.mark.browser

BY = Principal.operator("someone else")
Values = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A form: what makes its record (none for a creation form), what it refuses and where it says so,
    what it accepts, and how someone else changes the record while the form is open."""

    invalid: Values
    refused_at: str
    valid: Values
    target: Callable[[HubApplication, dict[str, Any]], UUID] | None = None
    meanwhile: Callable[[HubApplication, UUID], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def organisation(app: HubApplication, ids: dict[str, Any]) -> UUID:
    return app.register_organisation(by=BY, name=f"Fundacja nr {app.log_length()}", kind="ngo", region="18")


def partnership(app: HubApplication, ids: dict[str, Any], *, areas: bool = False) -> UUID:
    return app.sign_partnership(
        by=BY, name=f"Partnerstwo nr {app.log_length()}", regions=["18"], scope="regional", purpose="ZSK",
        signed_on="2021-01-04", signed_at="Rzeszów", valid_until="2030-12-31",
        members=[{"organisation_id": str(ids["ibe"]), "role": "leader"},
                 {"organisation_id": str(ids["pcm"]), "role": "partner"}],
        areas=[{"code": "X1", "label_pl": "Mediacje"}] if areas else [])


def meeting(app: HubApplication, ids: dict[str, Any]) -> UUID:
    return app.announce_meeting(by=BY, title=f"Seminarium nr {app.log_length()}", format="seminar",
                                held_on="2021-03-01", place="Rzeszów", organisers=[str(ids["podkarpackie-lll-2020"])])


def account(app: HubApplication, ids: dict[str, Any]) -> UUID:
    made = app.create_account(by=BY, name=f"Konto nr {app.log_length()}", role="auditor")
    app.grant_role(made, by=BY, role="manager")
    return made


def initiative(app: HubApplication, ids: dict[str, Any], *, submitted: bool = False, included: bool = False) -> UUID:
    made = app.draft_initiative(by=BY, title=f"Kwalifikacja nr {app.log_length()}",
                                partnership_id=str(ids["podkarpackie-lll-2020"]), drafted_on="2021-01-10")
    if submitted or included:
        app.submit_initiative(made, by=BY, submitted_on="2021-03-01")
    if included:
        app.include_initiative(made, by=BY, included_on="2021-06-01")
    return made


def renamed(app: HubApplication, record_id: UUID) -> None:
    app.rename_organisation(record_id, by=BY, name=f"Zmieniona nazwa {app.log_length()}")


def amended(app: HubApplication, record_id: UUID) -> None:
    app.amend_partnership(record_id, by=BY, purpose=f"Cel zmieniony {app.log_length()}")


def moved_place(app: HubApplication, record_id: UUID) -> None:
    app.reschedule_meeting(record_id, by=BY, held_on="2021-03-01", place="Krosno")


def detailed(app: HubApplication, record_id: UUID) -> None:
    app.record_initiative_details(record_id, by=BY, register_code="KOD-1")


def token_issued(app: HubApplication, record_id: UUID) -> None:
    app.issue_token(record_id, by=BY)


CASES: dict[str, Case] = {
    # -- creating
    "register_organisation": Case(
        {"name": "Fundacja Nowych Kwalifikacji", "kind": "ngo", "region": "", "city": "Krosno"}, "region",
        {"region": "18"}),
    "sign_partnership": Case(
        {"name": "Krośnieńskie partnerstwo", "regions": ["18"], "scope": "regional", "purpose": "Kwalifikacje",
         "signed_on": "2021-13-40", "signed_at": "Krosno", "members.0.organisation_id": "Instytut Badan Edukacyjnych",
         "members.0.role": "leader"}, "signed_on",
        {"signed_on": "2021-05-10"}),
    "register_project": Case({"name": "ZSK 5", "starts_on": "2022-01-01", "ends_on": "2021-01-01"}, "ends_on",
                             {"ends_on": "2023-12-31"}),
    "announce_meeting": Case(
        {"title": "Forum mediatorów", "format": "conference", "held_on": "", "place": "Rzeszów",
         "organisers.0": "Kuratorium Oswiaty w Rzeszowie"}, "held_on",
        {"held_on": "2021-10-12"}),
    "create_account": Case({"name": "Jan Kowalski", "role": "partner", "organisation_id": "Nikt taki"},
                           "organisation_id", {"organisation_id": "Podkarpackie Centrum Mediacji"}),
    "draft_initiative": Case({"title": "Mediator rówieśniczy", "partnership_id": "", "drafted_on": "2021-02-01"},
                             "partnership_id", {"partnership_id": "podkarpackie partnerstwo strategiczne na rzecz uczenia sie przez cale zycie"}),
    # -- changing an organisation
    "rename_organisation": Case({"name": " "}, "name", {"name": "Fundacja Po Zmianie"}, organisation, renamed),
    "move_organisation": Case({"region": ""}, "region", {"region": "14", "city": "Warszawa"}, organisation, renamed),
    "update_organisation_details": Case({"website": "nie adres"}, "website", {"website": "https://fundacja.example"},
                                        organisation, renamed),
    # -- changing a partnership
    "join_partnership": Case({"organisation_id": "Kuratorium Oswiaty w Rzeszowie", "role": "partner",
                              "joined_on": "2020-01-01"}, "joined_on", {"joined_on": "2021-06-01"},
                             partnership, amended),
    "change_member_role": Case({"organisation_id": "Podkarpackie Centrum Mediacji", "role": "coordinator",
                                "changed_on": ""}, "changed_on", {"changed_on": "2022-02-01"}, partnership, amended),
    "leave_partnership": Case({"organisation_id": "Kuratorium Oswiaty w Rzeszowie", "left_on": "2022-01-01"},
                              "organisation_id", {"organisation_id": "Podkarpackie Centrum Mediacji"},
                              partnership, amended),
    "declare_area": Case({"code": "X2", "label_pl": ""}, "label_pl", {"label_pl": "Doradztwo zawodowe"},
                         partnership, amended),
    "withdraw_area": Case({"code": "Y9"}, "code", {"code": "X1"},
                          lambda app, ids: partnership(app, ids, areas=True), amended),
    "extend_partnership": Case({"valid_until": "2020-01-01"}, "valid_until", {"valid_until": "2035-12-31"},
                               partnership, amended),
    "amend_partnership": Case({"declared_members": "-3"}, "declared_members", {"declared_members": "12"},
                              partnership, amended),
    "terminate_partnership": Case({"terminated_on": "2024-01-01", "reason": ""}, "reason",
                                  {"reason": "Cele osiągnięte"}, partnership, amended),
    # -- changing a project
    "amend_project": Case({"starts_on": "2026-01-01", "ends_on": "2025-01-01"}, "ends_on", {"ends_on": "2027-06-30"},
                          lambda app, ids: app.register_project(by=BY, name=f"Projekt nr {app.log_length()}"),
                          lambda app, record_id: app.amend_project(record_id, by=BY, programme="POWER")),
    # -- changing a meeting
    "reschedule_meeting": Case({"held_on": ""}, "held_on", {"held_on": "2021-04-20"}, meeting, moved_place),
    "record_meeting_held": Case({"attendance": "-5"}, "attendance", {"attendance": "42"}, meeting, moved_place),
    "cancel_meeting": Case({"reason": ""}, "reason", {"reason": "Brak sali"}, meeting, moved_place),
    # -- changing an account
    "grant_role": Case({"role": "partner", "organisation_id": ""}, "organisation_id",
                       {"organisation_id": "Kuratorium Oswiaty w Rzeszowie"}, account, token_issued),
    "revoke_role": Case({"role": "partner"}, "role", {"role": "manager"}, account, token_issued),
    "disable_account": Case({"reason": " "}, "reason", {"reason": "Odeszła z pracy"}, account, token_issued),
    # -- changing a qualification initiative
    "submit_initiative": Case({"submitted_on": "2020-12-31"}, "submitted_on", {"submitted_on": "2021-02-15"},
                              initiative, detailed),
    "include_initiative": Case({"included_on": "2021-02-01"}, "included_on", {"included_on": "2021-09-01"},
                               lambda app, ids: initiative(app, ids, submitted=True), detailed),
    "record_initiative_details": Case({"prk_level": "12"}, "prk_level", {"prk_level": "5"}, initiative, detailed),
    "correct_initiative_dates": Case({"submitted_on": "2021-02-20", "reason": ""}, "reason",
                                     {"reason": "Błąd w dacie złożenia"},
                                     lambda app, ids: initiative(app, ids, submitted=True), detailed),
    "authorise_certifying_institution": Case(
        {"organisation_id": "Instytut Badan Edukacyjnych", "authorised_on": "2021-05-01"}, "authorised_on",
        {"authorised_on": "2021-07-01"}, lambda app, ids: initiative(app, ids, included=True), detailed),
}

FORMS = [(kind, command.name) for kind, desk in KINDS.items() for command in (desk.creates, *desk.changes)]


def test_every_form_of_the_workbench_has_a_case_here():
    assert sorted(name for _, name in FORMS) == sorted(CASES)


@pytest.fixture(scope="module")
def manager(browser, site):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, "manager")
    yield page
    context.close()


@pytest.fixture(scope="module")
def store(site):
    app = HubApplication(site.url)
    yield app
    app.close()


def fill(page, values: Values) -> None:
    """Type ``values`` into the form's fields as a person would: pick options, tick boxes, type text."""
    for name, value in values.items():
        if name == "regions":
            for box in page.locator("input[name='regions']").all():
                box.set_checked(box.get_attribute("value") in value)
            continue
        box = page.locator(f"[id='f-{name}']")
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)


def kept(page, values: Values) -> list[str]:
    """The typed values the page no longer shows (blanks aside)."""
    lost = [name for name, value in values.items() if name != "regions" and value.strip()
            and page.locator(f"[id='f-{name}']").input_value() != value]
    ticked = {box.get_attribute("value") for box in page.locator("input[name='regions']:checked").all()}
    return lost + (["regions"] if "regions" in values and ticked != set(values["regions"]) else [])


@pytest.mark.parametrize("kind, command", FORMS, ids=[name for _, name in FORMS])
def test_each_form_refuses_by_the_field_notices_a_change_meanwhile_and_saves(manager, site, store, kind, command):
    case = CASES[command]
    page = manager
    target = case.target(store, site.ids) if case.target else None
    page.goto(f"{site.base}/{kind}/new" if target is None else f"{site.base}/{kind}/{target}/{command}")
    title = page.locator("h1").inner_text()

    fill(page, case.invalid)
    page.locator("form.record-form button[type=submit]").last.click()
    summary = page.locator("#error-summary")
    assert summary.is_visible(), f"{command}: no error summary after {case.invalid}"
    # announced: focus moves to it (forms.js is deferred: it may run just after the summary shows)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'", timeout=5000)
    refused = page.locator(f"[id='f-{case.refused_at}']")
    assert refused.get_attribute("aria-invalid") == "true", page.locator("#error-summary").inner_text()
    message = page.locator(f"[id='f-{case.refused_at}-error']")
    assert message.inner_text().strip() and message.get_attribute("id") in (refused.get_attribute("aria-describedby") or "")
    assert kept(page, case.invalid) == []  # what was typed is kept
    if command == "register_organisation":
        screenshot(page, "workbench-every-form-refused")

    before = store.get(target).version if target else None
    if case.meanwhile:
        case.meanwhile(store, target)
    fill(page, case.valid)
    page.locator("form.record-form button[type=submit]").last.click()
    if case.meanwhile:
        conflict = page.locator("#conflict")
        assert conflict.is_visible(), f"{command}: a change made meanwhile was not shown"
        assert store.get(target).version == before + 1  # nothing of the form was saved
        assert kept(page, case.valid) == []  # what was typed is kept
        page.locator("form.record-form button[type=submit]").last.click()  # knowing what changed, save again
    flash = page.locator(".flash")
    if not flash.is_visible():
        screenshot(page, "failed-" + command)
    assert flash.is_visible(), f"{command}: {page.locator('main').inner_text()[:500]}"
    assert flash.inner_text().startswith("Zapisano" if target else "Zarejestrowano"), flash.inner_text()
    assert page.locator("h1").inner_text() != title  # the record's page, not the form
    if target is not None:
        assert store.get(target).version > before + 1

