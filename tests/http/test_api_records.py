"""The resources over HTTP: create, read at any moment, list, history, commands, every error code."""

from __future__ import annotations

import json

from hub.authorisation import Principal


def org_body(**overrides):
    body = {"name": "Wojewódzki Urząd Pracy w Rzeszowie", "kind": "employer", "region": "18", "city": "Rzeszów"}
    body.update(overrides)
    return body


def test_create_read_and_list_an_organisation_with_polish_text(world):
    created = world.post("/api/organisations", org_body())
    assert created.status_code == 201
    record = created.get_json()
    assert record["name"] == "Wojewódzki Urząd Pracy w Rzeszowie" and record["version"] == 1
    assert created.headers["Location"] == f"/api/organisations/{record['id']}"
    assert "Wojewódzki Urząd Pracy w Rzeszowie".encode() in created.data  # not \u-escaped
    assert world.get(f"/api/organisations/{record['id']}", who="partner_a").get_json()["city"] == "Rzeszów"
    page = world.get("/api/organisations?region=18&q=wojewodzki urzad").get_json()
    assert [o["name"] for o in page["items"]] == ["Wojewódzki Urząd Pracy w Rzeszowie"] and page["total"] == 1
    two = world.get("/api/organisations?page=2&page_size=2").get_json()
    assert two["total"] == 4 and len(two["items"]) == 2 and two["page"] == 2


def test_commands_change_a_record_and_history_names_the_account(world):
    oid = world.post("/api/organisations", org_body()).get_json()["id"]
    renamed = world.post(f"/api/organisations/{oid}/rename", {"name": "WUP Rzeszów"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "WUP Rzeszów" and renamed.get_json()["version"] == 2
    assert world.get(f"/api/organisations/{oid}?version=1").get_json()["name"] == "Wojewódzki Urząd Pracy w Rzeszowie"
    history = world.get(f"/api/organisations/{oid}/history", who="auditor").get_json()
    assert [(e["event_type"], e["actor"]) for e in history] == [("Registered", str(world.ids["manager"])),
                                                                 ("Renamed", str(world.ids["manager"]))]
    first_time = history[0]["recorded_at"]
    assert world.get(f"/api/organisations/{oid}?as_of={first_time}").get_json()["version"] == 1
    assert world.get(f"/api/organisations/{oid}?as_of=2000-01-01T00:00:00Z").status_code == 404


def test_partnership_members_and_an_exchange_lifecycle(world):
    p = str(world.ids["p"])
    joined = world.post(f"/api/partnerships/{p}/members", {"organisation_id": str(world.ids["c"]), "role": "business_partner",
                                                            "joined_on": "2021-01-15",
                                                            "signatory": {"name": "Wiesław Pałka", "function": "Prezes"}})
    assert joined.status_code == 200
    members = {m["organisation_id"]: m for m in joined.get_json()["members"]}
    assert members[str(world.ids["c"])]["signatory"]["name"] == "Wiesław Pałka"
    x = world.post("/api/exchanges", {"organisation_id": str(world.ids["a"]), "counterpart_organisations": [str(world.ids["b"])],
                                      "exchanged_on": "2021-03-01", "topic": "Mediacje w oświacie"}, who="partner_a")
    assert x.status_code == 201 and x.get_json()["confirmed"] is False
    xid = x.get_json()["id"]
    confirmed = world.post(f"/api/exchanges/{xid}/confirm", {"organisation_id": str(world.ids["b"])}, who="partner_b")
    assert confirmed.get_json()["confirmed"] is True
    retracted = world.post(f"/api/exchanges/{xid}/retract", {"reason": "pomyłka"}, who="partner_a")
    assert retracted.get_json()["retracted"] is True
    again = world.post(f"/api/exchanges/{xid}/correct", {"topic": "x"}, who="partner_a")
    assert again.status_code == 409 and again.get_json()["errors"] == {"status": ["the record was retracted"]}


def test_a_counterpart_disputes_an_exchange_which_then_counts_as_confirmed_nowhere(world):
    a, b = str(world.ids["a"]), str(world.ids["b"])
    x = world.post("/api/exchanges", {"organisation_id": a, "counterpart_organisations": [b],
                                      "exchanged_on": "2021-03-01", "topic": "Mediacje w oświacie"}, who="partner_a")
    xid = x.get_json()["id"]
    world.post(f"/api/exchanges/{xid}/confirm", {"organisation_id": b}, who="partner_b")
    assert world.post(f"/api/exchanges/{xid}/dispute", {"organisation_id": b}, who="partner_b").status_code == 422
    disputed = world.post(f"/api/exchanges/{xid}/dispute", {"organisation_id": b, "reason": "nie było nas tam"},
                          who="partner_b")
    assert disputed.status_code == 200
    body = disputed.get_json()
    assert body["disputed"] is True and body["confirmed"] is False and body["disputes"][0]["reason"] == "nie było nas tam"
    assert world.get(f"/api/exchanges?confirmed=true&organisation={a}").get_json()["total"] == 0
    edges = [e for e in world.get("/api/graph").get_json()["edges"] if e.get("record") == xid]
    assert edges and all(e["kind"] == "exchange_unconfirmed" and e["disputed"] for e in edges)
    history = [e["event_type"] for e in world.get(f"/api/exchanges/{xid}/history").get_json()]
    assert history == ["Posted", "Confirmed", "Disputed"]


def test_an_exchange_dated_in_the_future_is_refused_and_leaves_nothing(world):
    before = world.hub.log_length()
    refused = world.post("/api/exchanges", {"organisation_id": str(world.ids["a"]), "counterpart_organisations": [
        str(world.ids["b"])], "exchanged_on": "2031", "topic": "Z przyszłości"}, who="partner_a")
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["exchanged_on"]
    assert world.hub.log_length() == before


def test_idempotency_key_makes_one_record(world):
    before = world.hub.log_length()
    first = world.post("/api/organisations", org_body(), headers={"Idempotency-Key": "req-7"})
    retry = world.post("/api/organisations", org_body(), headers={"Idempotency-Key": "req-7"})
    assert first.status_code == retry.status_code == 201
    assert first.get_json() == retry.get_json()
    assert world.hub.log_length() == before + 1


def test_if_match_with_a_stale_version_is_409_and_stores_nothing(world):
    oid = world.post("/api/organisations", org_body()).get_json()["id"]
    ok = world.post(f"/api/organisations/{oid}/rename", {"name": "A"}, headers={"If-Match": "1"})
    assert ok.status_code == 200
    before = world.hub.log_length()
    stale = world.post(f"/api/organisations/{oid}/rename", {"name": "B"}, headers={"If-Match": "1"})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert stale.get_json()["errors"] == {"expected_version": ["the organisation is at version 2, not 1"]}
    assert world.hub.log_length() == before
    bad = world.post(f"/api/organisations/{oid}/rename", {"name": "B"}, headers={"If-Match": "latest"})
    assert bad.status_code == 422 and "If-Match" in bad.get_json()["errors"]


def test_every_error_is_a_problem_with_the_right_status(world):
    before = world.hub.log_length()
    invalid = world.post("/api/organisations", org_body(region="19", colour="red", name=""))
    assert invalid.status_code == 422
    body = invalid.get_json()
    assert set(body["errors"]) == {"region", "colour", "name"} and body["status"] == 422 and body["type"] == "about:blank"
    rule = world.post("/api/partnerships", {
        "name": "P", "regions": ["18"], "scope": "regional", "purpose": "x", "signed_on": "2023-01-01",
        "signed_at": "X", "valid_until": "2022-01-01",
        "members": [{"organisation_id": str(world.ids["a"]), "role": "leader"},
                    {"organisation_id": str(world.ids["b"]), "role": "partner"}]})
    assert rule.status_code == 422 and "valid_until" in rule.get_json()["errors"]
    malformed = world.client.post("/api/organisations", data="{not json", content_type="application/json",
                                  headers=world.headers("manager"))
    assert malformed.status_code == 400 and malformed.mimetype == "application/problem+json"
    assert world.get("/api/organisations/00000000-0000-0000-0000-000000000000").status_code == 404
    assert world.get(f"/api/partnerships/{world.ids['a']}").status_code == 404  # an organisation's id
    assert world.get("/api/organisations/not-a-uuid").status_code == 404
    assert world.get("/api/nothing-here").status_code == 404
    wrong_method = world.client.delete("/api/organisations", headers=world.headers("manager"))
    assert wrong_method.status_code == 405 and set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert world.get("/api/organisations", who=None).status_code == 401
    bad_token = world.client.get("/api/organisations", headers={"Authorization": "Bearer hub.x.y.z"})
    assert bad_token.status_code == 401 and bad_token.headers["WWW-Authenticate"].startswith("Bearer")
    assert world.post("/api/organisations", org_body(), who="auditor").status_code == 403
    assert world.post(f"/api/partnerships/{world.ids['p']}/terminate",
                      {"terminated_on": "2021-01-01", "reason": "x"}).status_code == 200
    conflict = world.post(f"/api/partnerships/{world.ids['p']}/extend", {"valid_until": "2030-01-01"})
    assert conflict.status_code == 409
    assert world.hub.log_length() == before + 1  # only the termination


def test_anonymous_reads_only_health_and_the_api_description(world, world_url):
    assert world.get("/api/health", who=None).status_code == 200
    spec = world.get("/api/openapi.json", who=None)
    assert spec.status_code == 200 and spec.get_json()["info"]["title"] == "Partnership Hub API"
    docs = world.get("/api/docs", who=None)
    assert docs.status_code == 200 and b"/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.data
    assert b"cdn" not in docs.data.lower()
    assert world.get("/static/vendor/swagger-ui/swagger-ui-bundle.js", who=None).status_code == 200
    from web import create_app

    public_app = create_app({"HUB_DATABASE_URL": world_url, "HUB_PUBLIC_READ": True})
    public = public_app.test_client()
    assert public.get("/api/organisations").status_code == 200
    assert public.get("/api/log").status_code == 401
    assert public.post("/api/organisations", json=org_body()).status_code == 401
    public_app.extensions["hub_live_graph"].close()
    public_app.extensions["hub"].close()


def test_the_log_in_pages_for_auditors_only(world):
    first = world.get("/api/log?limit=3", who="auditor").get_json()
    assert [e["position"] for e in first["events"]] == [1, 2, 3] and first["next_after"] == 3
    rest = world.get(f"/api/log?after={first['next_after']}&limit=1000", who="auditor").get_json()
    assert rest["events"][0]["position"] == 4 and rest["events"][-1]["position"] == first["last_position"]
    assert first["events"][0]["payload"]["name"] == "Instytut Badań Edukacyjnych"
    assert world.get("/api/log", who="partner_a").status_code == 403
    assert world.get("/api/log?limit=0", who="auditor").status_code == 422


def test_accounts_over_http_show_the_token_once(world):
    created = world.post("/api/accounts", {"name": "Małgorzata Rauch", "role": "partner", "organisation_id": str(world.ids["b"])})
    assert created.status_code == 201
    body = created.get_json()
    token = body["token"]["token"]
    assert world.client.get("/api/organisations", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    shown = world.get(f"/api/accounts/{body['id']}").get_json()
    assert token.split(".")[3] not in json.dumps(shown) and "secret_hash" not in json.dumps(shown)
    assert shown["tokens"][0]["token_id"] == body["token"]["token_id"]
    revoked = world.client.delete(f"/api/accounts/{body['id']}/tokens/{body['token']['token_id']}", headers=world.headers("manager"))
    assert revoked.status_code == 200 and revoked.get_json()["tokens"] == []
    assert world.client.get("/api/organisations", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert world.get("/api/accounts", who="partner_a").status_code == 403
    assert world.get("/api/accounts", who="auditor").get_json()["total"] == 5


def test_every_kind_lists_reads_at_a_version_and_shows_its_history(world):
    hub, ids = world.hub, world.ids
    made = {
        "organisations": ids["c"],
        "partnerships": ids["p"],
        "meetings": hub.announce_meeting(by=Principal.operator("setup"), title="Seminarium", format="seminar", held_on="2021-05-20",
                                         place="Rzeszów", organisers=[str(ids["p"])]),
        "exchanges": hub.post_exchange(by=Principal.operator("setup"), organisation_id=str(ids["a"]), counterpart_organisations=[str(ids["b"])],
                                       exchanged_on="2021-03-01", topic="Wymiana"),
        "initiatives": hub.draft_initiative(by=Principal.operator("setup"), title="Prowadzenie mediacji w oświacie",
                                            partnership_id=str(ids["p"]), drafted_on="2020-12-08"),
        "accounts": ids["partner_a"],
    }
    for kind, record_id in made.items():
        listed = world.get(f"/api/{kind}?page_size=500", who="auditor")
        assert listed.status_code == 200 and str(record_id) in [r["id"] for r in listed.get_json()["items"]], kind
        now = world.get(f"/api/{kind}/{record_id}", who="auditor").get_json()
        # Each record was just made by one command; the account also had its first token issued.
        assert now["id"] == str(record_id) and now["version"] == (2 if kind == "accounts" else 1), kind
        if kind != "accounts":
            assert world.get(f"/api/{kind}/{record_id}?version=1").get_json()["version"] == 1, kind
            assert world.get(f"/api/{kind}/{record_id}?as_of={world.hub.log_length()}").get_json()["id"] == str(record_id)
        history = world.get(f"/api/{kind}/{record_id}/history", who="auditor").get_json()
        assert history[0]["version"] == 1 and history[0]["actor"] == "setup", kind
        assert world.get(f"/api/{kind}/{record_id}/history", who="partner_a").status_code == 403, kind
    other_kind = world.get(f"/api/meetings/{made['exchanges']}")
    assert other_kind.status_code == 404


def test_an_erased_person_disappears_from_lists_and_records_without_a_restart(world):
    from hub.application import HubApplication
    from hub.privacy import ERASED

    listed = lambda: {a["id"]: a["name"] for a in world.get("/api/accounts?page_size=50", who="auditor").get_json()["items"]}
    assert listed()[str(world.ids["partner_b"])] == "partner_b"
    other_process = HubApplication(world.hub.database_url)  # e.g. `hub privacy erase` on the server's machine
    assert other_process.erase_person("partner_b")
    other_process.close()
    assert listed()[str(world.ids["partner_b"])] == ERASED
    assert world.get(f"/api/accounts/{world.ids['partner_b']}", who="auditor").get_json()["name"] == ERASED
    assert world.get("/api/audit/verify", who="auditor").get_json()["ok"] is True


def test_every_vocabulary_is_served_with_polish_and_english_labels_to_anyone(world):
    served = world.get("/api/vocabulary", who=None)
    assert served.status_code == 200
    lists = served.get_json()
    kinds = {t["code"]: (t["pl"], t["en"]) for t in lists["organisation_kinds"]}
    for code in ("labour_office", "regional_government", "local_government", "employers_organisation", "chamber",
                 "training_provider", "sectoral_skills_centre"):
        assert code in kinds, code
    assert kinds["labour_office"] == ("urząd pracy", "labour office")
    roles = {t["code"]: t["pl"] for t in lists["member_roles"]}
    assert roles["coordinator"] == "Koordynator" and roles["leader"] == "Lider Partnerstwa"
    assert {t["code"] for t in lists["account_roles"]} == {"manager", "auditor", "partner"}
    assert [t["code"] for t in lists["meeting_statuses"]] == ["announced", "held", "cancelled"]
    assert {t["code"] for t in lists["areas"]} == {f"A{i}" for i in range(1, 8)}
    assert len(lists["regions"]) == 17 and {"code": "18", "pl": "podkarpackie", "en": "podkarpackie"} in lists["regions"]


def test_an_organisation_without_a_city_and_a_partnership_known_by_one_host(world):
    office = world.post("/api/organisations", {"name": "Wojewódzki Urząd Pracy w Rzeszowie", "kind": "labour_office",
                                               "region": "18"})
    assert office.status_code == 201 and office.get_json()["city"] is None
    signed = world.post("/api/partnerships", {
        "name": "Podkarpackie Partnerstwo na rzecz Kształcenia Ustawicznego", "regions": ["18"], "scope": "regional",
        "purpose": "LLL", "signed_on": "2008-05-01", "signed_at": "Rzeszów", "declared_members": 100,
        "members": [{"organisation_id": office.get_json()["id"], "role": "coordinator"}]})
    assert signed.status_code == 201, signed.get_json()
    body = signed.get_json()
    assert body["declared_members"] == 100 and [m["role"] for m in body["members"]] == ["coordinator"]
    too_few = world.post(f"/api/partnerships/{body['id']}/amend", {"declared_members": 0})
    assert too_few.status_code == 422 and "declared_members" in too_few.get_json()["errors"]


def test_a_partnership_read_in_business_time_shows_its_members_and_roles_then(world):
    hub, ids, setup = world.hub, world.ids, Principal.operator("setup")
    p = ids["p"]  # signed 2020-12-08 by a (leader) and b (partner), valid until 2022-06-30
    hub.join_partnership(p, by=setup, organisation_id=str(ids["c"]), role="observer", joined_on="2021-03-01")
    hub.change_member_role(p, by=setup, organisation_id=str(ids["b"]), role="leading_partner", changed_on="2021-06-01")
    hub.leave_partnership(p, by=setup, organisation_id=str(ids["c"]), left_on="2021-09-30")

    def roles(body):
        return {m["organisation_id"]: m["role"] for m in body["members"]}

    early = world.get(f"/api/partnerships/{p}?valid_at=2021-01-15").get_json()
    assert early["valid_at"] == "2021-01-15" and early["in_force"] is True
    assert roles(early) == {str(ids["a"]): "leader", str(ids["b"]): "partner"}
    summer = world.get(f"/api/partnerships/{p}?valid_at=2021-07-01").get_json()
    assert roles(summer) == {str(ids["a"]): "leader", str(ids["b"]): "leading_partner", str(ids["c"]): "observer"}
    after = world.get(f"/api/partnerships/{p}?valid_at=2022-07-01").get_json()
    assert after["in_force"] is False and str(ids["c"]) not in roles(after)
    assert [m["organisation_id"] for m in after["former_members"]] == [str(ids["c"])]
    now = world.get(f"/api/partnerships/{p}").get_json()
    assert "valid_at" not in now and "in_force" not in now and str(ids["c"]) not in roles(now)
    # Both axes: what the hub knew before c joined, about the summer of 2021.
    known_then = world.get(f"/api/partnerships/{p}?as_of=2021-01-01T00:00:00Z&valid_at=2021-07-01")
    assert known_then.status_code == 404  # the hub learned of this partnership only when the test ran
    position = hub.position_of(p, 1)
    first_known = world.get(f"/api/partnerships/{p}?as_of={position}&valid_at=2021-07-01").get_json()
    assert first_known["version"] == 1 and roles(first_known) == {str(ids["a"]): "leader", str(ids["b"]): "partner"}


def test_an_initiative_read_in_business_time_has_the_status_it_had_then(world):
    hub, setup = world.hub, Principal.operator("setup")
    i = hub.draft_initiative(by=setup, title="Prowadzenie mediacji w oświacie", partnership_id=str(world.ids["p"]),
                             drafted_on="2020-10-01")
    hub.submit_initiative(i, by=setup, submitted_on="2020-12-08")
    hub.include_initiative(i, by=setup, included_on="2023-11-20")  # after the partnership ended
    states = {day: world.get(f"/api/initiatives/{i}?valid_at={day}").get_json()
              for day in ("2020-09-30", "2020-11-01", "2022-01-01", "2024-01-01")}
    assert [s["status"] for s in states.values()] == [None, "drafted", "submitted", "included"]
    status = world.get("/api/openapi.json").get_json()["components"]["schemas"]["Initiative"]["properties"]["status"]
    assert status.get("nullable") or "null" in status.get("type", [])  # the document says what the API answers
    assert (states["2022-01-01"]["submitted_on"], states["2022-01-01"]["included_on"]) == ("2020-12-08", None)


def test_a_query_parameter_an_endpoint_does_not_know_is_refused_naming_it(world):
    p = world.ids["p"]
    for path, name in ((f"/api/partnerships/{p}?valid_on=2021-01-01", "valid_on"),
                       (f"/api/partnerships/{p}/history?valid_at=2021-01-01", "valid_at"),
                       ("/api/organisations?regoin=18", "regoin"),
                       ("/api/graph/metrics?colour=red", "colour"),
                       ("/api/health?x=1", "x")):
        refused = world.get(path, who="auditor")
        assert refused.status_code == 400, path
        assert list(refused.get_json()["errors"]) == [name] and name in refused.get_json()["detail"], path
    assert world.get(f"/api/partnerships/{p}?valid_at=2021-01-01").status_code == 200
    before = world.hub.log_length()
    assert world.post(f"/api/partnerships/{p}/extend?force=1", {"valid_until": "2030-01-01"}).status_code == 400
    assert world.hub.log_length() == before


def test_a_query_parameter_that_takes_one_value_given_twice_is_refused_naming_it(world):
    """Which of two ``q`` would the answer be for? Before, the first one silently (found by schemathesis)."""
    for path, name in (("/api/organisations?q=IBE&q=KO", "q"),
                       ("/api/organisations?page=1&page=2", "page"),
                       ("/api/graph?view=partnerships&view=organisations", "view")):
        refused = world.get(path, who="auditor")
        assert refused.status_code == 400, path
        assert list(refused.get_json()["errors"]) == [name] and "once" in refused.get_json()["detail"], path
    assert world.get("/api/graph?kind=membership&kind=exchange_confirmed", who="auditor").status_code == 200  # a list


def test_qualification_details_come_when_known_and_a_wrong_date_is_corrected_with_its_history(world):
    i = world.post("/api/initiatives", {"title": "Prowadzenie mediacji w oświacie", "partnership_id": str(world.ids["p"]),
                                        "drafted_on": "2020-12-08"}).get_json()["id"]
    assert world.post(f"/api/initiatives/{i}/submit", {"submitted_on": "2020-12-08",
                                                        "qualification_type": "partial"}).status_code == 200
    included = world.post(f"/api/initiatives/{i}/include", {"included_on": "2023-11-02", "announcement": "M.P. 2023 poz. 1283"})
    assert included.status_code == 200
    again = world.post(f"/api/initiatives/{i}/include", {"included_on": "2023-12-01"})
    assert again.status_code == 409 and again.get_json()["detail"] == "status: the qualification is already included (on 2023-11-02)"
    details = world.post(f"/api/initiatives/{i}/details", {"prk_level": 5, "register_code": "ZRK-0042"}).get_json()
    assert (details["prk_level"], details["qualification_type"], details["register_code"], details["announcement"]) == (
        5, "partial", "ZRK-0042", "M.P. 2023 poz. 1283")
    assert world.post(f"/api/initiatives/{i}/details", {"prk_level": 9}).status_code == 422
    corrected = world.post(f"/api/initiatives/{i}/dates", {"included_on": "2023-11-20", "reason": "data obwieszczenia"})
    assert corrected.status_code == 200 and corrected.get_json()["included_on"] == "2023-11-20"
    history = world.get(f"/api/initiatives/{i}/history", who="auditor").get_json()
    assert [e["event_type"] for e in history][-2:] == ["DetailsRecorded", "DatesCorrected"]
    assert [e["payload"].get("included_on") for e in history if e["event_type"] in ("Included", "DatesCorrected")] == [
        "2023-11-02", "2023-11-20"]  # both dates stay in the record
    types = {t["code"]: t["pl"] for t in world.get("/api/vocabulary", who=None).get_json()["qualification_types"]}
    assert types == {"full": "pełna", "partial": "cząstkowa"}


def test_framework_projects_are_records_and_link_their_partnerships_as_structure_not_cooperation(world):
    hub, ids = world.hub, world.ids
    zsk4 = world.post("/api/projects", {"name": "ZSK 4", "programme": "POWER", "operator_id": str(ids["a"]),
                                        "starts_on": "2019-01-01"})
    assert zsk4.status_code == 201 and zsk4.get_json()["operator_id"] == str(ids["a"])
    project = zsk4.get_json()["id"]
    assert world.post(f"/api/partnerships/{ids['p']}/amend", {"project_id": project}).get_json()["project_id"] == project
    other = world.post("/api/partnerships", {
        "name": "Małopolskie partnerstwo", "regions": ["12"], "scope": "regional", "purpose": "ZSK",
        "signed_on": "2021-02-01", "signed_at": "Kraków", "project_id": project,
        "members": [{"organisation_id": str(ids["c"]), "role": "leader"}]}).get_json()["id"]
    wrong = world.post("/api/partnerships", {
        "name": "X", "regions": ["12"], "scope": "regional", "purpose": "ZSK", "signed_on": "2021-02-01",
        "signed_at": "Kraków", "project_id": str(ids["a"]), "members": [{"organisation_id": str(ids["c"]), "role": "leader"}]})
    assert wrong.status_code == 422 and "project_id" in wrong.get_json()["errors"]
    view = world.get("/api/graph?view=partnerships").get_json()
    (link,) = [e for e in view["edges"] if {e["source"], e["target"]} == {str(ids["p"]), other}]
    assert link["kinds"] == ["same_project"] and link["reasons"][0]["label"] == "ZSK 4"
    metrics = world.get("/api/graph/metrics?valid_at=2021-06-01").get_json()
    assert metrics["isolated_partnerships"] == sorted([str(ids["p"]), other])  # a project is not cooperation
    counted = world.get("/api/graph/metrics?valid_at=2021-06-01&isolation_also=same_project").get_json()
    assert counted["isolated_partnerships"] == []
    renamed = world.post(f"/api/projects/{project}/amend", {"name": "ZSK 4 (POWER 2.15)"})
    assert renamed.status_code == 200 and renamed.get_json()["version"] == 2
    assert world.post(f"/api/projects/{project}/amend", {"ends_on": "2018-01-01"}).status_code == 422
    listed = world.get("/api/projects?q=zsk").get_json()
    assert [p["name"] for p in listed["items"]] == ["ZSK 4 (POWER 2.15)"]
    assert hub.get(project).name == "ZSK 4 (POWER 2.15)"
    assert world.post("/api/projects", {"name": "Y"}, who="partner_a").status_code == 403
