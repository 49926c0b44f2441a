"""A manager lets a person in from the UI alone: creates the account, makes a sign-in link, changes roles."""

from __future__ import annotations

import re

from tests.http.test_ui_manage import hidden
from tests.http.test_ui_pages import sign_in


def test_a_manager_creates_an_account_and_hands_out_a_link_that_signs_the_person_in(world):
    client, csrf = sign_in(world, "manager")
    key = hidden(client.get("/accounts/new").text, "_key")
    saved = client.post("/accounts/new", data={"csrf_token": csrf, "_key": key, "name": "Wiesław Pałka",
                                               "role": "partner", "organisation_id": str(world.ids["c"])})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).text
    assert "Wiesław Pałka" in page and "Podkarpackie Centrum Mediacji" in page and "partner" in page.lower()
    assert "Wiesław Pałka" in client.get("/accounts").text
    made = client.post(saved.headers["Location"] + "/sign-in-link", data={"csrf_token": csrf})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    link = re.search(r'id="link" value="([^"]+)"', made.text).group(1)
    assert "/signin#token=hub." in link and "secret_hash" not in made.text
    assert link.split("#token=")[1] not in client.get(saved.headers["Location"]).text  # shown once
    person = world.client.application.test_client()
    token = link.split("#token=")[1]
    form = re.search(r'name="csrf_token" value="([^"]+)"', person.get("/signin").text).group(1)
    assert person.post("/signin", data={"token": token, "csrf_token": form}).status_code == 302
    assert person.get("/desk").status_code == 200  # a partner of that organisation


def test_roles_change_in_the_workbench_and_only_managers_see_accounts(world):
    client, csrf = sign_in(world, "manager")
    path = f"/accounts/{world.ids['auditor']}/grant_role"
    version = hidden(client.get(path).text, "_version")
    granted = client.post(path, data={"csrf_token": csrf, "_version": version, "role": "manager",
                                      "organisation_id": ""})
    assert granted.status_code == 302
    assert "manager" in world.hub.get(world.ids["auditor"]).roles
    partner, _ = sign_in(world, "partner_a", own_client=True)
    assert partner.get("/accounts").status_code == 403
    assert partner.get(f"/accounts/{world.ids['auditor']}").status_code == 403
    assert partner.post(f"/accounts/{world.ids['auditor']}/sign-in-link").status_code in (400, 403)
