"""Every command is declared once (schema + rule), and the service method of that name obeys it."""

from __future__ import annotations

import inspect
from uuid import uuid4

import pytest

from hub import commands as cmd
from hub.application import HubApplication
from hub.authorisation import PARTNERS, Principal
from hub.errors import Forbidden, HubError
from hub.vocabulary import ACCOUNT_ROLES, AccountRole

AUDITOR = Principal.of_account(uuid4(), "Audytor", ["auditor"], None)
PARTNER = Principal.of_account(uuid4(), "Partner", ["partner"], uuid4())
# Service methods that are made of declared commands rather than being one themselves.
COMPOSED = {"open_account": ("create_account", "issue_token"), "issue_sign_in_link": ("issue_token",)}


def service_commands() -> set[str]:
    """Public methods of the service that act on someone's behalf (they take ``by``)."""
    return {name for name, method in inspect.getmembers(HubApplication, inspect.isfunction)
            if not name.startswith("_") and "by" in inspect.signature(method).parameters}


def test_each_service_command_has_exactly_one_declaration_and_each_declaration_a_method():
    assert service_commands() - set(COMPOSED) == set(cmd.COMMANDS)
    for parts in COMPOSED.values():
        assert set(parts) <= set(cmd.COMMANDS)


def call(app: HubApplication, command: cmd.Command, by: Principal) -> None:
    method = getattr(app, command.name)
    if command.creates:
        method(by=by)
    else:
        method(uuid4(), by=by)


@pytest.mark.parametrize("command", cmd.COMMANDS.values(), ids=lambda c: c.name)
def test_the_method_checks_its_own_declared_rule_before_anything_else(command):
    app = HubApplication("memory://")
    with pytest.raises(Forbidden, match="an auditor reads the record but changes nothing"):
        call(app, command, AUDITOR)
    if command.rule is PARTNERS:
        with pytest.raises(HubError) as refused:  # refused for what is missing, never for the role
            call(app, command, PARTNER)
        assert not isinstance(refused.value, Forbidden)
    elif command.name != "revoke_token":
        with pytest.raises(Forbidden, match=f"your role does not allow {command.title}$"):
            call(app, command, PARTNER)
    assert app.log_length() == 0


def test_partners_may_run_exactly_the_exchange_commands():
    allowed = {c.name for c in cmd.COMMANDS.values() if c.rule.allows(PARTNER)}
    assert allowed == {"post_exchange", "confirm_exchange", "dispute_exchange", "correct_exchange", "retract_exchange"}


def test_account_roles_have_one_home_with_both_labels():
    assert list(ACCOUNT_ROLES) == [AccountRole.MANAGER, AccountRole.AUDITOR, AccountRole.PARTNER]
    assert ACCOUNT_ROLES.label("manager", "pl") == "menedżer sieci"
    assert ACCOUNT_ROLES.label("auditor", "en") == "auditor"
    assert cmd.CreateAccount().fields["role"].metadata["enum"] == ["manager", "auditor", "partner"]


def test_a_declaration_cannot_be_made_twice():
    with pytest.raises(ValueError, match="declared twice"):
        cmd.declare("terminate_partnership", cmd.TerminatePartnership, PARTNERS)
