"""Account: a person using the hub, with roles and API tokens kept only as hashes.

Roles are :class:`hub.vocabulary.AccountRole`; what each may do is
``hub.authorisation``. A partner account is bound to one organisation. A token is shown once, when issued;
the log keeps only its SHA-256 hash (tokens are 256-bit random secrets, so a
fast hash is enough; slow hashing is for human-chosen passwords).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict
from hub.privacy import Personal
from hub.vocabulary import ACCOUNT_ROLES, AccountRole

SIGN_IN_LABEL = "sign-in link"  # a token of this label signs a person in once, in the web UI


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Account(Aggregate):
    @classmethod
    def create(cls, id: UUID, name: str, role: str, actor: str, organisation_id: UUID | None = None) -> Account:
        _check_role(role, organisation_id)
        return cls(id=id, name=Personal(name), role=role, organisation_id=organisation_id, actor=actor)

    @event("Created")
    def __init__(self, id: UUID, name: Any, role: str, organisation_id: UUID | None, actor: str):
        self.name = str(name)  # personal data: sealed in the stored event (hub.privacy)
        self.roles = [role]
        self.organisation_id = organisation_id
        self.tokens: dict[str, dict[str, str]] = {}
        self.disabled_reason: str | None = None
        # Web sessions started under another epoch are over: signing out, revoking a token, removing a role or
        # disabling the account each begin a new one (a session cookie copied elsewhere stops working with them).
        self.session_epoch = 0

    @property
    def disabled(self) -> bool:
        return self.disabled_reason is not None

    def _require_enabled(self) -> None:
        if self.disabled:
            raise StateConflict("the account is disabled", "status")

    def grant_role(self, role: str, actor: str, organisation_id: UUID | None = None) -> None:
        self._require_enabled()
        _check_role(role, organisation_id)
        if role in self.roles:
            raise StateConflict(f"the account already has the role {role!r}", "role")
        if role == AccountRole.PARTNER and self.organisation_id not in (None, organisation_id):
            raise InvalidCommand("a partner account is bound to one organisation", "organisation_id")
        self._role_granted(role=role, organisation_id=organisation_id, actor=actor)

    def revoke_role(self, role: str, actor: str) -> None:
        self._require_enabled()
        if role not in self.roles:
            raise InvalidCommand(f"the account does not have the role {role!r}", "role")
        self._role_revoked(role=role, actor=actor)

    def issue_token(self, token_id: str, secret_hash: str, label: str, actor: str) -> None:
        self._require_enabled()
        self._token_issued(token_id=token_id, secret_hash=secret_hash, label=label, actor=actor)

    def revoke_token(self, token_id: str, actor: str) -> None:
        if token_id not in self.tokens:
            raise InvalidCommand("the account has no such live token", "token_id")
        self._token_revoked(token_id=token_id, actor=actor)

    def disable(self, reason: str, actor: str) -> None:
        self._require_enabled()
        self._disabled(reason=reason, actor=actor)

    @property
    def api_token_labels(self) -> list[str]:
        """The labels of the live API tokens (sign-in links are not API tokens)."""
        return [t["label"] for t in self.tokens.values() if t["label"] != SIGN_IN_LABEL]

    @property
    def open_sign_in_links(self) -> int:
        """How many sign-in links were made and not used yet."""
        return sum(1 for t in self.tokens.values() if t["label"] == SIGN_IN_LABEL)

    def end_sessions(self, actor: str) -> None:
        """Sign out everywhere: every web session of this account ends."""
        self._sessions_ended(actor=actor)

    def accepts(self, token_id: str, secret: str) -> bool:
        """True when ``secret`` is the live token ``token_id`` of an enabled account."""
        token = self.tokens.get(token_id)
        return (not self.disabled and token is not None
                and hmac.compare_digest(token["secret_hash"], token_hash(secret)))

    @event("RoleGranted")
    def _role_granted(self, role: str, organisation_id: UUID | None, actor: str) -> None:
        self.roles.append(role)
        if role == AccountRole.PARTNER:
            self.organisation_id = organisation_id

    @event("RoleRevoked")
    def _role_revoked(self, role: str, actor: str) -> None:
        self.roles.remove(role)
        if role == AccountRole.PARTNER:
            self.organisation_id = None
        self.session_epoch += 1

    @event("TokenIssued")
    def _token_issued(self, token_id: str, secret_hash: str, label: str, actor: str) -> None:
        self.tokens[token_id] = {"secret_hash": secret_hash, "label": label}

    @event("TokenRevoked")
    def _token_revoked(self, token_id: str, actor: str) -> None:
        if self.tokens.pop(token_id)["label"] != SIGN_IN_LABEL:  # using up a sign-in link ends no session
            self.session_epoch += 1

    @event("SessionsEnded")
    def _sessions_ended(self, actor: str) -> None:
        self.session_epoch += 1

    @event("Disabled")
    def _disabled(self, reason: str, actor: str) -> None:
        self.disabled_reason = reason
        self.tokens = {}
        self.session_epoch += 1


def _check_role(role: str, organisation_id: UUID | None) -> None:
    ACCOUNT_ROLES.require(role, "role")
    if role == AccountRole.PARTNER and organisation_id is None:
        raise InvalidCommand("a partner account is bound to an organisation", "organisation_id")
    if role != AccountRole.PARTNER and organisation_id is not None:
        raise InvalidCommand("only a partner account is bound to an organisation", "organisation_id")
