"""Attacks on the web surface: redirects, sign-in links, sessions, framing, rate limits, input that breaks
parsers or the store. Each test is named after the attack it shows refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from hub.authorisation import Principal
from tests.http.test_ui_pages import sign_in


def csrf_of(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                                    "javascript:alert(1)", "/%20/evil.example"])
def test_an_open_redirect_through_the_language_switch_goes_home_instead(world, target):
    response = world.client.get(f"/lang/en?next={target}")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_line_break_in_the_language_switchs_next_is_a_bad_request(world):
    response = world.client.get("/lang/en?next=/%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 400 and "x=1" not in response.headers.get("Set-Cookie", "")
    assert "Set-Cookie" not in response.headers  # nothing changed: not even the language


def test_an_open_redirect_through_sign_in_goes_to_the_dashboard_instead(world):
    link = world.hub.issue_sign_in_link(world.ids["auditor"], by=Principal.operator("t")).token
    response = world.client.post("/signin", data={"token": link, "csrf_token": csrf_of(world.client),
                                                  "next": "/\t/evil.example"})
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_a_line_break_in_next_is_refused_before_the_sign_in_link_is_used_up(world):
    link = world.hub.issue_sign_in_link(world.ids["auditor"], by=Principal.operator("t")).token
    refused = world.client.post("/signin", data={"token": link, "csrf_token": csrf_of(world.client),
                                                 "next": "/graph\r\nSet-Cookie: x=1"})
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    fine = world.client.post("/signin", data={"token": link, "csrf_token": csrf_of(world.client), "next": "/graph"})
    assert fine.status_code == 302 and fine.headers["Location"] == "/graph"  # the link still worked once


def test_a_sign_in_link_is_not_an_api_bearer_token(world):
    link = world.hub.issue_sign_in_link(world.ids["manager"], by=Principal.operator("t")).token
    response = world.client.get("/api/organisations", headers={"Authorization": f"Bearer {link}"})
    assert response.status_code == 401


def test_an_old_sign_in_link_has_expired(world, monkeypatch):
    link = world.hub.issue_sign_in_link(world.ids["auditor"], by=Principal.operator("t")).token
    world.client.application.config["HUB_SIGN_IN_LINK_HOURS"] = 24
    later = datetime.now(UTC) + timedelta(hours=25)

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr("hub.application.datetime", Later)
    refused = world.client.post("/signin", data={"token": link, "csrf_token": csrf_of(world.client)})
    assert refused.status_code == 401 and "wygasł" in refused.text
    monkeypatch.undo()
    again = world.client.post("/signin", data={"token": link, "csrf_token": csrf_of(world.client)})
    assert again.status_code == 401  # an expired link is used up, not kept for later


def test_sign_in_pages_are_never_cached(world):
    assert world.client.get("/signin").headers["Cache-Control"] == "no-store"


def test_the_link_printed_for_a_person_keeps_the_token_out_of_server_logs(world):
    from hub.cli import build_parser

    help_text = build_parser().format_help()
    assert "accounts" in help_text
    page = world.client.get("/signin")
    assert 'src="/static/signin.js"' in page.text  # the fragment (#token=…) is read in the browser, never sent


def test_every_response_forbids_framing_sniffing_and_inline_script(world):
    for path in ("/signin", "/api/health", "/api/openapi.json", "/nowhere"):
        headers = world.client.get(path).headers
        csp = headers["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]+)", csp).group(1)
        assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin", path
        assert headers["X-Frame-Options"] == "DENY", path


def test_no_template_holds_an_inline_script_or_handler():
    from pathlib import Path

    for template in Path("web/templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son(click|submit|change|load|input)=", text), template
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template, tag)


def test_the_session_cookie_is_secure_behind_https(world_url):
    from web import create_app

    app = create_app({"HUB_DATABASE_URL": world_url, "TESTING": True, "HUB_BEHIND_HTTPS": True})
    client = app.test_client()
    response = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")
    app.extensions["hub_live_graph"].close()
    app.extensions["hub"].close()


def test_signing_out_ends_the_session_even_for_a_copied_cookie(world):
    client, csrf = sign_in(world, "auditor")
    copied = client.get_cookie("session").value
    assert client.get("/audit").status_code == 200
    client.post("/signout", data={"csrf_token": csrf})
    thief = world.client.application.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/audit").status_code == 302  # back to sign-in


def test_revoking_a_role_ends_that_persons_session(world):
    client, _ = sign_in(world, "auditor", own_client=True)
    assert client.get("/audit").status_code == 200
    world.hub.grant_role(world.ids["auditor"], by=Principal.operator("m"), role="manager")
    world.hub.revoke_role(world.ids["auditor"], by=Principal.operator("m"), role="auditor")
    assert client.get("/audit").status_code == 302


def test_guessing_sign_in_links_is_stopped_with_429_and_retry_after(world):
    world.client.application.config["RATELIMIT_ENABLED"] = True
    statuses = []
    for i in range(12):
        guess = f"hub.{world.ids['manager'].hex}.x{i}.guess"
        statuses.append(world.client.post("/signin", data={"token": guess, "csrf_token": csrf_of(world.client)}))
    assert [r.status_code for r in statuses[:10]] == [401] * 10
    assert statuses[-1].status_code == 429 and int(statuses[-1].headers["Retry-After"]) >= 1


def test_guessing_one_accounts_token_from_many_addresses_is_stopped_too(world):
    world.client.application.config["RATELIMIT_ENABLED"] = True
    account = world.ids["manager"].hex
    answers = [world.client.get("/api/organisations", environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
                                headers={"Authorization": f"Bearer hub.{account}.x{i}.guess"}) for i in range(31)]
    assert {r.status_code for r in answers[:30]} == {401} and answers[-1].status_code == 429
    assert "account" in answers[-1].get_json()["detail"]
    good = world.client.get("/api/organisations", environ_base={"REMOTE_ADDR": "10.0.1.1"},
                            headers=world.headers("auditor"))
    assert good.status_code == 200  # another account is not locked out


def test_guessing_api_tokens_is_stopped_with_429_and_retry_after(world):
    world.client.application.config["RATELIMIT_ENABLED"] = True
    answers = [world.client.get("/api/organisations", headers={"Authorization": f"Bearer hub.x.y.{i}"})
               for i in range(31)]
    assert {r.status_code for r in answers[:30]} == {401}
    assert answers[-1].status_code == 429 and answers[-1].headers["Retry-After"]
    assert answers[-1].content_type == "application/problem+json"


BAD_JSON = {
    "nested 1,000 deep": ("[" * 1000 + "]" * 1000, 400),
    "an integer of 5,000 digits": ('{"name": ' + "9" * 5000 + "}", 400),
    "not JSON at all": ("{'name': 'x'", 400),
    "a lone surrogate": ('{"name": "Instytut \\ud800", "kind": "ngo", "region": "06", "city": "Lublin"}', 422),
    "a NUL byte": ('{"name": "Instytut\\u0000", "kind": "ngo", "region": "06", "city": "Lublin"}', 422),
}


@pytest.mark.parametrize("body, status", BAD_JSON.values(), ids=BAD_JSON.keys())
def test_json_that_would_break_the_parser_or_the_store_is_refused_not_500(world, body, status):
    before = world.hub.log_length()
    response = world.client.post("/api/organisations", data=body, content_type="application/json",
                                 headers=world.headers("manager"))
    assert response.status_code == status and response.content_type == "application/problem+json"
    if status == 422:
        assert "name" in response.get_json()["errors"]
    assert world.hub.log_length() == before


def test_a_database_that_is_briefly_away_is_a_503_with_retry_after_not_a_500(world, monkeypatch):
    from eventsourcing.persistence import OperationalError

    def away(*args, **kwargs):
        raise OperationalError("connection refused: the server is restarting")

    monkeypatch.setattr(world.hub, "register_organisation", away)
    response = world.post("/api/organisations", {"name": "X", "kind": "ngo", "region": "06", "city": "Lublin"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.content_type == "application/problem+json" and "Traceback" not in response.text


def test_the_openapi_document_says_what_is_open_and_what_the_store_refuses(world):
    spec = world.client.get("/api/openapi.json").get_json()
    assert spec["paths"]["/api/audit/key"]["get"]["security"] == [] == spec["paths"]["/api/vocabulary"]["get"]["security"]
    assert world.client.get("/api/audit/key").status_code == 200  # and indeed it needs no token
    name = spec["components"]["schemas"]["RegisterOrganisation"]["properties"]["name"]
    assert "\\u0000" in name["pattern"] and "\\s" in name["pattern"]  # no NUL, not blank
    region = spec["components"]["schemas"]["RegisterOrganisation"]["properties"]["region"]
    assert "18" in region["enum"] and "PL" in region["enum"]


def test_a_422_says_whether_the_document_or_a_business_rule_refused(world):
    schema = world.post("/api/organisations", {"name": " ", "kind": "ngo", "region": "18", "city": "Rzeszów"})
    assert schema.status_code == 422 and schema.get_json()["refused_by"] == "schema"
    rule = world.post("/api/accounts", {"name": "Ewa", "role": "partner"})  # a partner needs an organisation
    assert rule.status_code == 422 and rule.get_json()["refused_by"] == "rule"
    assert "organisation_id" in rule.get_json()["errors"]


@pytest.mark.postgres
def test_connections_cut_under_a_running_server_never_answer_500_and_the_log_still_verifies(postgres_url):
    import psycopg

    from web import create_app

    app = create_app({"HUB_DATABASE_URL": postgres_url, "TESTING": True, "RATELIMIT_ENABLED": False,
                      "HUB_HEAD_EVERY_SECONDS": 0.1})
    schema = postgres_url.split("schema=")[1]
    hub = app.extensions["hub"]
    manager = hub.create_account(by=Principal.operator("t"), name="M", role="manager")
    headers = {"Authorization": f"Bearer {hub.issue_token(manager, by=Principal.operator('t')).token}"}
    client = app.test_client()
    statuses = []
    for round_ in range(3):
        with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as killer:  # as if the database restarted
            killed = killer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                                    "pg_backend_pid() AND query LIKE %s", (f"%{schema}%",)).fetchall()
            assert killed  # only this server's connections, and at least one
        for i in range(3):
            response = client.post("/api/organisations", headers={**headers, "Idempotency-Key": f"cut-{round_}-{i}"},
                                   json={"name": f"Po przerwie {round_}-{i}", "kind": "ngo", "region": "06",
                                         "city": "Lublin"})
            statuses.append(response.status_code)
            if response.status_code == 503:  # a retry with the same key stores it once
                assert response.headers["Retry-After"]
                response = client.post("/api/organisations", json={
                    "name": f"Po przerwie {round_}-{i}", "kind": "ngo", "region": "06", "city": "Lublin"},
                    headers={**headers, "Idempotency-Key": f"cut-{round_}-{i}"})
                assert response.status_code == 201
    assert 500 not in statuses and statuses.count(201) + statuses.count(503) == 9
    names = [e.payload.get("name") for e in hub.read_log(limit=1000) if e.event_type == "Registered"]
    assert sorted(n for n in names if n and n.startswith("Po przerwie")) == sorted(
        f"Po przerwie {r}-{i}" for r in range(3) for i in range(3))  # each stored once
    assert hub.verify_log(sign_pending=True).ok
    app.extensions["hub_live_graph"].close()
    hub.close()
