"""UI pages through the test client: sign-in links, CSRF on every form, roles, Polish and English."""

from __future__ import annotations

from hub.authorisation import Principal
import re


def sign_in(world, who: str):
    client = world.client
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
    body = {"topic": "Bez tokenu", "exchanged_on": "2021-01-01", "counterpart_organisations": str(world.ids["b"])}
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
    assert "Members" in browser_en and "December 8, 2020" in browser_en and "leader" in browser_en
    client.get("/lang/pl")  # the switch in the header wins over the browser
    switched = client.get(f"/partnerships/{world.ids['p']}", headers={"Accept-Language": "en"}).text
    assert "Członkowie" in switched


def test_the_audit_explorer_verifies_the_log_on_request(world):
    client, _ = sign_in(world, "auditor")
    page = client.get("/audit?verify=1").text
    assert "Dziennik jest nienaruszony" in page and "Zweryfikuj teraz cały dziennik" in page
