"""Accounts: roles, tokens stored only as hashes, authentication — on every store."""

from __future__ import annotations

import pytest

from hub.account import Account
from hub.authorisation import Principal
from hub.errors import InvalidCommand, StateConflict, Unauthenticated
from tests.integration.test_application import orgs, reopen


def test_a_token_authenticates_until_it_is_revoked_and_only_its_hash_is_stored(app):
    (org,) = orgs(app, "Podkarpackie Centrum Mediacji")
    account = app.create_account(by=Principal.operator("cli"), name="Wiesław Pałka", role="partner", organisation_id=str(org))
    issued = app.issue_token(account, by=Principal.operator("cli"), label="laptop")
    principal = reopen(app).authenticate(issued.token)
    assert (principal.account_id, principal.name, principal.roles, principal.organisation_id) == (
        account, "Wiesław Pałka", {"partner"}, org)
    assert principal.actor == str(account)
    secret = issued.token.split(".")[3]
    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=100))
    assert secret.encode() not in stored and "Wiesław Pałka".encode() not in stored  # the name is sealed too
    app.revoke_token(account, by=Principal.operator("cli"), token_id=issued.token_id)
    with pytest.raises(Unauthenticated):
        reopen(app).authenticate(issued.token)


# The last names an account no log holds (fixed, so that every test worker collects the same names).
@pytest.mark.parametrize("token", [None, "", "Bearer x", "hub.nothex.a.b", "hub.65dbab0c3c5c470eb086685d754ca6ff.a.b"])
def test_anything_but_a_live_token_is_refused(app, token):
    with pytest.raises(Unauthenticated):
        app.authenticate(token)


def test_a_wrong_secret_or_a_disabled_account_is_refused(app):
    account = app.create_account(by=Principal.operator("cli"), name="Anna", role="manager")
    issued = app.issue_token(account, by=Principal.operator("cli"))
    with pytest.raises(Unauthenticated):
        app.authenticate(issued.token[:-2] + "xx")
    app.disable_account(account, by=Principal.operator("cli"), reason="left the team")
    with pytest.raises(Unauthenticated):
        app.authenticate(issued.token)
    with pytest.raises(StateConflict):
        app.issue_token(account, by=Principal.operator("cli"))


def test_roles_are_granted_and_revoked_with_their_rules(app):
    (org,) = orgs(app, "A")
    with pytest.raises(InvalidCommand) as error:
        app.create_account(by=Principal.operator("cli"), name="P", role="partner")
    assert error.value.field == "organisation_id"
    with pytest.raises(InvalidCommand) as error:
        app.create_account(by=Principal.operator("cli"), name="M", role="manager", organisation_id=str(org))
    assert error.value.field == "organisation_id"
    with pytest.raises(InvalidCommand) as error:
        app.create_account(by=Principal.operator("cli"), name="X", role="root")
    assert error.value.field == "role"
    account = app.create_account(by=Principal.operator("cli"), name="Ewa", role="auditor")
    app.grant_role(account, by=Principal.operator("cli"), role="partner", organisation_id=str(org))
    with pytest.raises(StateConflict):
        app.grant_role(account, by=Principal.operator("cli"), role="auditor")
    app.revoke_role(account, by=Principal.operator("cli"), role="auditor")
    a = reopen(app).get(account)
    assert isinstance(a, Account) and a.roles == ["partner"] and a.organisation_id == org
    assert [x.name for x in app.accounts()] == ["Ewa"]
    assert [e.event_type for e in app.history(account)] == ["Created", "RoleGranted", "RoleRevoked"]
