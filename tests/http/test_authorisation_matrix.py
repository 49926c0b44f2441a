"""Each role × each write endpoint: who may, who may not — including partners acting for others."""

from __future__ import annotations

import pytest

from hub.authorisation import Principal

ROLES = ["anonymous", "auditor", "partner_a", "partner_b", "manager"]


def endpoints(world):
    """name → a function making fresh target records and returning (method, path, body)."""
    hub, ids = world.hub, world.ids
    a, b, c = (str(ids[k]) for k in "abc")

    def org():
        return str(hub.register_organisation(by=Principal.operator("setup"), name="Fresh", kind="ngo", region="18", city="X"))

    def partnership(**kw):
        return str(hub.sign_partnership(by=Principal.operator("setup"), name="Fresh P", regions=["18"], scope="regional", purpose="x",
                                        signed_on="2020-01-01", signed_at="X", valid_until="2025-01-01",
                                        members=[{"organisation_id": a, "role": "leader"},
                                                 {"organisation_id": b, "role": "partner"}], **kw))

    def meeting():
        return str(hub.announce_meeting(by=Principal.operator("setup"), title="M", format="seminar", held_on="2021-01-01",
                                        place="X", organisers=[partnership()]))

    def exchange():
        return str(hub.post_exchange(by=Principal.operator("setup"), organisation_id=a, counterpart_organisations=[b],
                                     exchanged_on="2021-01-01", topic="T"))

    def initiative(status="drafted"):
        i = hub.draft_initiative(by=Principal.operator("setup"), title="Q", partnership_id=partnership(), drafted_on="2020-01-01")
        if status in ("submitted", "included"):
            hub.submit_initiative(i, by=Principal.operator("setup"), submitted_on="2020-02-01")
        if status == "included":
            hub.include_initiative(i, by=Principal.operator("setup"), included_on="2020-03-01")
        return str(i)

    def account():
        return str(hub.create_account(by=Principal.operator("setup"), name="Someone", role="auditor"))

    def account_with_token():
        acc = account()
        return acc, hub.issue_token(acc, by=Principal.operator("setup")).token_id

    sign = {"name": "P", "regions": ["18"], "scope": "regional", "purpose": "x", "signed_on": "2021-01-01",
            "signed_at": "X", "members": [{"organisation_id": a, "role": "leader"}, {"organisation_id": c, "role": "partner"}]}
    return {
        "register organisation": lambda: ("POST", "/api/organisations", {"name": "N", "kind": "ngo", "region": "18", "city": "X"}),
        "rename organisation": lambda: ("POST", f"/api/organisations/{org()}/rename", {"name": "N2"}),
        "move organisation": lambda: ("POST", f"/api/organisations/{org()}/move", {"region": "12", "city": "Kraków"}),
        "update organisation": lambda: ("POST", f"/api/organisations/{org()}/details", {"kind": "school", "website": None}),
        "sign partnership": lambda: ("POST", "/api/partnerships", sign),
        "join partnership": lambda: ("POST", f"/api/partnerships/{partnership()}/members",
                                     {"organisation_id": c, "role": "partner", "joined_on": "2021-01-01"}),
        "change role": lambda: ("POST", f"/api/partnerships/{partnership()}/members/role",
                                {"organisation_id": b, "role": "observer", "changed_on": "2021-01-01"}),
        "leave partnership": lambda: ("POST", f"/api/partnerships/{partnership()}/members/leave",
                                      {"organisation_id": b, "left_on": "2021-01-01"}),
        "declare area": lambda: ("POST", f"/api/partnerships/{partnership()}/areas", {"code": "A7", "label_pl": "sieciowanie"}),
        "withdraw area": lambda: ("POST", f"/api/partnerships/{partnership(areas=[{'code': 'A1', 'label_pl': 'x'}])}/areas/withdraw", {"code": "A1"}),
        "extend partnership": lambda: ("POST", f"/api/partnerships/{partnership()}/extend", {"valid_until": "2026-01-01"}),
        "amend partnership": lambda: ("POST", f"/api/partnerships/{partnership()}/amend", {"purpose": "nowy cel"}),
        "terminate partnership": lambda: ("POST", f"/api/partnerships/{partnership()}/terminate", {"terminated_on": "2021-01-01", "reason": "r"}),
        "announce meeting": lambda: ("POST", "/api/meetings", {"title": "M", "format": "webinar", "held_on": "2021-01-01",
                                                                "online": True, "organisers": [partnership()]}),
        "reschedule meeting": lambda: ("POST", f"/api/meetings/{meeting()}/reschedule", {"held_on": "2021-02-01"}),
        "hold meeting": lambda: ("POST", f"/api/meetings/{meeting()}/held", {"attendance": 10}),
        "cancel meeting": lambda: ("POST", f"/api/meetings/{meeting()}/cancel", {"reason": "r"}),
        "post exchange for A": lambda: ("POST", "/api/exchanges", {"organisation_id": a, "counterpart_organisations": [b],
                                                                   "exchanged_on": "2021-01-01", "topic": "T"}),
        "post exchange for B": lambda: ("POST", "/api/exchanges", {"organisation_id": b, "counterpart_organisations": [a],
                                                                   "exchanged_on": "2021-01-01", "topic": "T"}),
        "confirm A's exchange as B": lambda: ("POST", f"/api/exchanges/{exchange()}/confirm", {"organisation_id": b}),
        "dispute A's exchange as B": lambda: ("POST", f"/api/exchanges/{exchange()}/dispute",
                                              {"organisation_id": b, "reason": "nie było nas tam"}),
        "correct A's exchange": lambda: ("POST", f"/api/exchanges/{exchange()}/correct", {"topic": "T2"}),
        "retract A's exchange": lambda: ("POST", f"/api/exchanges/{exchange()}/retract", {"reason": "r"}),
        "draft initiative": lambda: ("POST", "/api/initiatives", {"title": "Q", "partnership_id": partnership(), "drafted_on": "2021-01-01"}),
        "submit initiative": lambda: ("POST", f"/api/initiatives/{initiative()}/submit", {"submitted_on": "2021-01-01"}),
        "include initiative": lambda: ("POST", f"/api/initiatives/{initiative('submitted')}/include", {"included_on": "2021-01-01"}),
        "authorise institution": lambda: ("POST", f"/api/initiatives/{initiative('included')}/certifying-institutions",
                                          {"organisation_id": c, "authorised_on": "2021-01-01"}),
        "create account": lambda: ("POST", "/api/accounts", {"name": "X", "role": "auditor"}),
        "issue token": lambda: ("POST", f"/api/accounts/{account()}/tokens", {}),
        "revoke token": lambda: ("DELETE", "/api/accounts/{}/tokens/{}".format(*account_with_token()), None),
        "grant role": lambda: ("POST", f"/api/accounts/{account()}/roles", {"role": "manager"}),
        "revoke role": lambda: ("POST", f"/api/accounts/{account()}/roles/revoke", {"role": "auditor"}),
        "disable account": lambda: ("POST", f"/api/accounts/{account()}/disable", {"reason": "r"}),
    }


ALLOWED = {
    "anonymous": set(),
    "auditor": set(),
    "partner_a": {"post exchange for A", "correct A's exchange", "retract A's exchange"},
    "partner_b": {"post exchange for B", "confirm A's exchange as B", "dispute A's exchange as B"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_it_is_allowed(world, role):
    outcomes = {}
    for name, make in endpoints(world).items():
        method, path, body = make()
        before = world.hub.log_length()
        headers = world.headers(None if role == "anonymous" else role)
        response = world.client.open(path, method=method, json=body, headers=headers)
        outcomes[name] = response.status_code
        if response.status_code >= 400:
            assert world.hub.log_length() == before, f"{role} {name}: a refused request stored something"
    if role == "manager":
        assert all(200 <= code < 300 for code in outcomes.values()), outcomes
        return
    refused = 401 if role == "anonymous" else 403
    expected = {name: (outcomes[name] if name in ALLOWED[role] else refused) for name in outcomes}
    assert outcomes == expected
    assert all(200 <= outcomes[name] < 300 for name in ALLOWED[role]), outcomes


def test_everyone_may_revoke_their_own_token_but_only_managers_anyone_elses(world):
    own = world.hub.issue_token(world.ids["partner_a"], by=Principal.operator("setup"))
    other = world.hub.issue_token(world.ids["partner_b"], by=Principal.operator("setup"))
    mine = world.client.delete(f"/api/accounts/{world.ids['partner_a']}/tokens/{own.token_id}", headers=world.headers("partner_a"))
    assert mine.status_code == 200
    theirs = world.client.delete(f"/api/accounts/{world.ids['partner_b']}/tokens/{other.token_id}", headers=world.headers("partner_a"))
    assert theirs.status_code == 403
    assert [e.actor for e in world.hub.history(world.ids["partner_a"])][-1] == str(world.ids["partner_a"])
