"""Who may run which command. Enforced in the service layer, so every entrypoint obeys it.

- ``manager``: every command;
- ``auditor``: reads everything, runs no command;
- ``partner``: posts experience exchanges for its own organisation, corrects or
  retracts its own organisation's records, confirms records that name its
  organisation — never anyone else's.

Commands called with a plain actor string (the command line, the sample
loader, the generator) run as the operator of the machine and are not checked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub.errors import Forbidden

PARTNER_COMMANDS = frozenset({"post_exchange", "confirm_exchange", "correct_exchange", "retract_exchange"})


def authorise(principal: Any, command: str) -> None:
    """Refuse ``command`` unless one of the principal's roles allows it."""
    roles = set(principal.roles)
    if "manager" in roles:
        return
    if "partner" in roles and command in PARTNER_COMMANDS:
        return
    if roles == {"auditor"}:
        raise Forbidden("an auditor reads the record but changes nothing", "role")
    raise Forbidden(f"your role does not allow {command.replace('_', ' ')}", "role")


def require_own_organisation(principal: Any, organisation_id: UUID, field: str = "organisation_id") -> None:
    """A partner acts only for the organisation its account is bound to (managers for any)."""
    if principal is None or "manager" in principal.roles:
        return
    if principal.organisation_id != organisation_id:
        raise Forbidden("a partner acts only for its own organisation", field)
