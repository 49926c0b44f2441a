"""Who is acting, and who may do what. Enforced in the service layer, so every entrypoint obeys it.

- ``manager``: every command;
- ``auditor``: reads everything, runs no command;
- ``partner``: posts experience exchanges for its own organisation, corrects or
  retracts its own organisation's records, confirms records that name its
  organisation — never anyone else's;
- everyone revokes their own tokens.

Each command declares its :class:`Rule` next to its input schema
(``hub.commands``); the service checks it before anything is loaded, and the
API, the UI and the command line read the same declaration (which buttons to
show, what the API documents). The command line, the sample loader and the
generator act as :meth:`Principal.operator`: whoever runs the machine, recorded
by the name they give, never checked against a role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from hub.errors import Forbidden, Unauthenticated
from hub.vocabulary import AccountRole

READERS_OF_EVERYTHING = frozenset({AccountRole.MANAGER, AccountRole.AUDITOR})


@dataclass(frozen=True)
class Principal:
    """Who is acting: an account with its roles, or the machine's operator.

    >>> Principal.operator("sample-loader").actor
    'sample-loader'
    >>> Principal.operator().reads_everything
    True
    """

    actor: str  # what every event it causes records as its actor
    name: str
    roles: frozenset[AccountRole]
    organisation_id: UUID | None = None  # the organisation a partner acts for
    account_id: UUID | None = None  # None only for the operator

    @classmethod
    def operator(cls, actor: str = "cli") -> Principal:
        """Whoever runs the machine (command line, sample, generator): may do everything."""
        if not actor.strip():
            raise ValueError("the operator is recorded by a name; give one")
        return cls(actor=actor.strip(), name=actor.strip(), roles=frozenset())

    @classmethod
    def of_account(cls, account_id: UUID, name: str, roles: Iterable[str],
                   organisation_id: UUID | None) -> Principal:
        """A signed-in person or a bearer token's holder; events record the account's id."""
        return cls(actor=str(account_id), name=name, roles=frozenset(AccountRole(r) for r in roles),
                   organisation_id=organisation_id, account_id=account_id)

    @property
    def is_operator(self) -> bool:
        return self.account_id is None

    def has(self, role: AccountRole) -> bool:
        return self.is_operator or role in self.roles

    @property
    def reads_everything(self) -> bool:
        """Managers and auditors read the history, the log and accounts."""
        return self.is_operator or bool(self.roles & READERS_OF_EVERYTHING)


@dataclass(frozen=True)
class Rule:
    """Who may run a command: these roles, and (``own_account``) anyone on their own account."""

    roles: frozenset[AccountRole]
    description: str
    own_account: bool = False

    def allows(self, principal: Principal, account_id: UUID | None = None) -> bool:
        """True when the principal may run a command under this rule (on ``account_id``, if any).

        >>> PARTNERS.allows(Principal.of_account(UUID(int=1), "Ala", ["partner"], UUID(int=2)))
        True
        >>> MANAGERS.allows(Principal.of_account(UUID(int=1), "Ola", ["auditor"], None))
        False
        """
        if principal.is_operator or principal.roles & self.roles:
            return True
        return self.own_account and account_id is not None and account_id == principal.account_id


MANAGERS = Rule(frozenset({AccountRole.MANAGER}), "managers")
PARTNERS = Rule(frozenset({AccountRole.MANAGER, AccountRole.PARTNER}),
                "managers, and partners for their own organisation")
MANAGERS_OR_ACCOUNT_HOLDER = Rule(frozenset({AccountRole.MANAGER}),
                                  "managers, and everyone for their own account", own_account=True)


def authorise(principal: Principal, rule: Rule, title: str, account_id: UUID | None = None) -> None:
    """Refuse ``title`` (a command, in words) unless ``rule`` allows the principal."""
    if not isinstance(principal, Principal):
        raise TypeError(f"commands are run by a Principal, not {type(principal).__name__}")
    if rule.allows(principal, account_id):
        return
    if principal.roles == {AccountRole.AUDITOR}:
        raise Forbidden("an auditor reads the record but changes nothing", "role")
    raise Forbidden(f"your role does not allow {title}", "role")


def require_own_organisation(principal: Principal, organisation_id: UUID, field: str = "organisation_id") -> None:
    """A partner acts only for the organisation its account is bound to (managers for any)."""
    if principal.has(AccountRole.MANAGER):
        return
    if principal.organisation_id != organisation_id:
        raise Forbidden("a partner acts only for its own organisation", field)


def require_reader_of_everything(principal: Principal | None) -> None:
    """History, the log and accounts are for managers and auditors (never anonymous)."""
    if principal is None:
        raise Unauthenticated("a valid bearer token is required", "Authorization")
    if not principal.reads_everything:
        raise Forbidden("only managers and auditors read the history, the log and accounts", "role")
