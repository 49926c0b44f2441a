"""Partnership: an agreement between organisations, with members, roles and areas.

"Expired" is not an event: it is read from ``valid_until`` in business time
(see :meth:`Partnership.is_active_on`). Nothing changes a terminated partnership.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hub.errors import InvalidCommand, StateConflict
from hub.evolution import evolve
from hub.privacy import Personal
from hub.regions import require_region
from hub.rules import require_changes
from hub.vocabulary import LEADER, MEMBER_ROLES, SCOPES


def _require_declared_size(declared: int | None, known: int) -> None:
    """A declared approximate size ("over 100 members") is at least the number of members known."""
    if declared is not None and declared < known:
        raise InvalidCommand(f"must be at least the {known} member(s) recorded", "declared_members")


def _sealed(signatory: dict[str, Any] | None) -> dict[str, Any] | None:
    """The signatory as an event carries it: the name is personal data, sealed when stored."""
    return {"name": Personal(str(signatory["name"])), "function": signatory["function"]} if signatory else None


def _copy_member(member: dict[str, Any]) -> dict[str, Any]:
    signatory = member.get("signatory")
    return {
        "organisation_id": member["organisation_id"],
        "role": member["role"],
        "signatory": {"name": str(signatory["name"]), "function": signatory["function"]} if signatory else None,
        "joined_on": member["joined_on"],
        "role_since": member.get("role_since", member["joined_on"]),
    }


class Partnership(Aggregate):
    """A regional or supra-regional partnership and its membership over time."""

    @classmethod
    def sign(
        cls,
        id: UUID,
        name: str,
        regions: list[str],
        scope: str,
        purpose: str,
        signed_on: date,
        signed_at: str,
        members: list[dict[str, Any]],
        actor: str,
        valid_until: date | None = None,
        framework_project: str | None = None,
        programme: str | None = None,
        areas: list[dict[str, str]] | None = None,
        synthetic: bool = False,
        declared_members: int | None = None,
        project_id: UUID | None = None,
    ) -> Partnership:
        if not regions:
            raise InvalidCommand("name at least one home region", "regions")
        for i, code in enumerate(regions):
            require_region(code, f"regions.{i}")
        SCOPES.require(scope, "scope")
        if valid_until is not None and valid_until < signed_on:
            raise InvalidCommand("must not be before signed_on", "valid_until")
        if not members:
            raise InvalidCommand("name at least one known member (e.g. the coordinating host)", "members")
        seen: set[UUID] = set()
        for i, member in enumerate(members):
            MEMBER_ROLES.require(member["role"], f"members.{i}.role")
            if member["organisation_id"] in seen:
                raise InvalidCommand("an organisation is a member only once", f"members.{i}.organisation_id")
            seen.add(member["organisation_id"])
        leaders = sum(1 for m in members if m["role"] == LEADER)
        if leaders > 1:
            raise InvalidCommand(f"a partnership has at most one leader, not {leaders}", "members")
        _require_declared_size(declared_members, len(members))
        codes = [a["code"] for a in areas or []]
        if len(codes) != len(set(codes)):
            raise InvalidCommand("each area is declared once", "areas")
        founding = [{**_copy_member({**m, "joined_on": signed_on}), "signatory": _sealed(m.get("signatory"))}
                    for m in members]
        return cls(
            id=id, name=name, regions=list(regions), scope=scope, purpose=purpose,
            framework_project=framework_project, programme=programme,
            signed_on=signed_on, signed_at=signed_at, valid_until=valid_until,
            areas=[dict(a) for a in areas or []], members=founding,
            synthetic=synthetic, declared_members=declared_members, project_id=project_id, actor=actor,
        )

    @event("Signed")
    def __init__(
        self, id: UUID, name: str, regions: list[str], scope: str, purpose: str,
        framework_project: str | None, programme: str | None, signed_on: date,
        signed_at: str, valid_until: date | None, areas: list[dict[str, str]],
        members: list[dict[str, Any]], synthetic: bool, declared_members: int | None, project_id: UUID | None,
        actor: str,
    ):
        self.name = name
        self.regions = list(regions)
        self.scope = scope
        self.purpose = purpose
        self.framework_project = framework_project
        self.programme = programme
        self.signed_on = signed_on
        self.signed_at = signed_at
        self.valid_until = valid_until
        self.areas: dict[str, dict[str, str | None]] = {a["code"]: dict(a) for a in areas}
        self.members = {m["organisation_id"]: _copy_member(m) for m in members}
        self.former_members: list[dict[str, Any]] = []
        # Earlier roles of members, each with the business dates it held.
        self.role_history: list[dict[str, Any]] = []
        self.terminated_on: date | None = None
        self.termination_reason: str | None = None
        self.synthetic = synthetic
        self.declared_members = declared_members
        self.project_id = project_id

    # -- reading -----------------------------------------------------------

    @property
    def leader_id(self) -> UUID | None:
        """The leading member, if the partnership has one (a coordinated one may have none)."""
        return next((oid for oid, m in self.members.items() if m["role"] == LEADER), None)

    @property
    def ends_on(self) -> date | None:
        """The last business day the agreement holds: termination or validity, whichever first."""
        ends = [d for d in (self.valid_until, self.terminated_on) if d is not None]
        return min(ends) if ends else None

    def is_active_on(self, day: date) -> bool:
        """Signed on or before ``day`` and neither expired nor terminated by then."""
        return self.signed_on <= day and (self.ends_on is None or day <= self.ends_on)

    def status_on(self, day: date) -> str:
        """``active``, ``not_yet`` (signed for a later date), ``expired`` or ``terminated`` on ``day``."""
        if self.terminated_on is not None and self.terminated_on <= day:
            return "terminated"
        if self.is_active_on(day):
            return "active"
        return "not_yet" if self.signed_on > day else "expired"

    @property
    def memberships(self) -> list[dict[str, Any]]:
        """Every membership it has had: its members now, then the former ones (each with its ``left_on``)."""
        return [*self.members.values(), *self.former_members]

    def members_on(self, day: date) -> dict[UUID, dict[str, Any]]:
        """The members on a business date, each with the role it held that day (business time).

        A member who joined later is not there yet, one who left is still there up to its last
        day, and a role changed later reads as the role it had then.
        """
        found: dict[UUID, dict[str, Any]] = {}
        for member in self.memberships:
            left_on = member.get("left_on")
            if member["joined_on"] > day or (left_on is not None and left_on < day):
                continue
            oid = member["organisation_id"]
            role, since = member["role"], member["role_since"]
            if since > day:  # the role it holds now began later: find the one it had that day
                earlier = [h for h in self.role_history
                           if h["organisation_id"] == oid and h["valid_from"] <= day <= h["valid_to"]]
                if earlier:
                    role, since = earlier[-1]["role"], earlier[-1]["valid_from"]
            found[oid] = {**_copy_member(member), "role": role, "role_since": since}
        return found

    # -- commands ----------------------------------------------------------

    def may_change(self) -> bool:
        """Whether a change would be taken: nothing changes a terminated partnership (for offering only what
        would not be refused).

        >>> p = Partnership.sign(id=__import__("uuid").uuid4(), name="P", regions=["18"], scope="regional",
        ...                      purpose="p", signed_on=date(2020, 1, 1), signed_at="Rzeszów",
        ...                      members=[{"organisation_id": __import__("uuid").uuid4(), "role": "leader"}], actor="t")
        >>> p.may_change(), (p.terminate(date(2021, 1, 1), "koniec", actor="t"), p.may_change())[1]
        (True, False)
        """
        return self.terminated_on is None

    def _require_open(self) -> None:
        if not self.may_change():
            raise StateConflict(f"the partnership was terminated on {self.terminated_on}", "status")

    def _require_member(self, organisation_id: UUID) -> dict[str, Any]:
        try:
            return self.members[organisation_id]
        except KeyError:
            raise InvalidCommand("not a member of this partnership", "organisation_id") from None

    def _require_after_signing(self, day: date, field: str) -> None:
        if day < self.signed_on:
            raise InvalidCommand(f"must not be before the signing date {self.signed_on}", field)

    def join(
        self, organisation_id: UUID, role: str, joined_on: date, actor: str,
        signatory: dict[str, str] | None = None,
    ) -> None:
        self._require_open()
        MEMBER_ROLES.require(role, "role")
        if organisation_id in self.members:
            raise StateConflict("the organisation is already a member", "organisation_id")
        if role == LEADER and self.leader_id is not None:
            raise InvalidCommand(
                "a partnership has at most one leader; join with another role, then take over", "role"
            )
        self._require_after_signing(joined_on, "joined_on")
        self._member_joined(
            organisation_id=organisation_id, role=role, joined_on=joined_on,
            signatory=_sealed(signatory), actor=actor,
        )

    def change_role(
        self, organisation_id: UUID, role: str, changed_on: date, actor: str,
        former_leader_role: str | None = None,
    ) -> None:
        """Change a member's role; making someone leader hands leadership over in one event."""
        self._require_open()
        MEMBER_ROLES.require(role, "role")
        member = self._require_member(organisation_id)
        self._require_after_signing(changed_on, "changed_on")
        if member["role"] == role:
            raise StateConflict(f"the member's role is already {role!r}", "role")
        if member["role"] == LEADER:
            raise InvalidCommand(
                "the leader keeps the role until another member takes it over", "role"
            )
        if changed_on <= member["role_since"]:
            raise InvalidCommand(f"must be after the current role began on {member['role_since']}", "changed_on")
        former_leader_id = None
        if role == LEADER and self.leader_id is not None:
            if former_leader_role is None or former_leader_role == LEADER:
                raise InvalidCommand(
                    "name the role the current leader takes when handing over", "former_leader_role"
                )
            MEMBER_ROLES.require(former_leader_role, "former_leader_role")
            former_leader_id = self.leader_id
            if changed_on <= self.members[former_leader_id]["role_since"]:
                raise InvalidCommand("must be after the current leader took the role", "changed_on")
        self._member_role_changed(
            organisation_id=organisation_id, role=role, changed_on=changed_on,
            former_leader_id=former_leader_id,
            former_leader_role=former_leader_role if former_leader_id is not None else None, actor=actor,
        )

    def leave(self, organisation_id: UUID, left_on: date, actor: str) -> None:
        self._require_open()
        member = self._require_member(organisation_id)
        if member["role"] == LEADER:
            raise InvalidCommand("the leader cannot leave; hand leadership over first", "organisation_id")
        if left_on < member["role_since"]:
            began = member["role_since"]
            raise InvalidCommand(f"must not be before the member's current role began on {began}", "left_on")
        self._member_left(organisation_id=organisation_id, left_on=left_on, actor=actor)

    def declare_area(self, code: str, label_pl: str, label_en: str | None, actor: str) -> None:
        self._require_open()
        if code in self.areas:
            raise StateConflict(f"area {code!r} is already declared", "code")
        self._area_declared(code=code, label_pl=label_pl, label_en=label_en, actor=actor)

    def withdraw_area(self, code: str, actor: str) -> None:
        self._require_open()
        if code not in self.areas:
            raise InvalidCommand(f"area {code!r} is not declared", "code")
        self._area_withdrawn(code=code, actor=actor)

    def extend(self, valid_until: date, actor: str) -> None:
        self._require_open()
        if self.valid_until is not None and valid_until <= self.valid_until:
            raise InvalidCommand(f"must be after the current end {self.valid_until}", "valid_until")
        self._require_after_signing(valid_until, "valid_until")
        self._extended(valid_until=valid_until, actor=actor)

    AMENDABLE = ("name", "purpose", "framework_project", "programme", "regions", "scope", "declared_members",
                 "project_id")

    def amend(self, changes: dict[str, Any], actor: str) -> None:
        self._require_open()
        require_changes(changes, self.AMENDABLE, "amended")
        for i, code in enumerate(changes.get("regions", [])):
            require_region(code, f"regions.{i}")
        if "regions" in changes and not changes["regions"]:
            raise InvalidCommand("name at least one home region", "regions")
        if "scope" in changes:
            SCOPES.require(changes["scope"], "scope")
        if "declared_members" in changes:
            _require_declared_size(changes["declared_members"], len(self.members))
        self._amended(changes=dict(changes), actor=actor)

    def terminate(self, terminated_on: date, reason: str, actor: str) -> None:
        self._require_open()
        self._require_after_signing(terminated_on, "terminated_on")
        self._terminated(terminated_on=terminated_on, reason=reason, actor=actor)

    # -- events ------------------------------------------------------------

    @event("MemberJoined")
    def _member_joined(
        self, organisation_id: UUID, role: str, joined_on: date,
        signatory: dict[str, str] | None, actor: str,
    ) -> None:
        self.members[organisation_id] = _copy_member(
            {"organisation_id": organisation_id, "role": role,
             "signatory": signatory, "joined_on": joined_on}
        )

    @event("MemberRoleChanged")
    def _member_role_changed(
        self, organisation_id: UUID, role: str, changed_on: date,
        former_leader_id: UUID | None, former_leader_role: str | None, actor: str,
    ) -> None:
        changes: list[tuple[UUID, str | None]] = [(organisation_id, role)]
        if former_leader_id is not None:
            changes.append((former_leader_id, former_leader_role))
        for member_id, new_role in changes:
            member = self.members[member_id]
            self.role_history.append({
                "organisation_id": member_id, "role": member["role"],
                "valid_from": member["role_since"], "valid_to": changed_on - timedelta(days=1),
            })
            member["role"] = new_role
            member["role_since"] = changed_on

    @event("MemberLeft")
    def _member_left(self, organisation_id: UUID, left_on: date, actor: str) -> None:
        member = self.members.pop(organisation_id)
        self.former_members.append({**member, "left_on": left_on})

    @event("AreaDeclared")
    def _area_declared(self, code: str, label_pl: str, label_en: str | None, actor: str) -> None:
        self.areas[code] = {"code": code, "label_pl": label_pl, "label_en": label_en}

    @event("AreaWithdrawn")
    def _area_withdrawn(self, code: str, actor: str) -> None:
        del self.areas[code]

    @event("Extended")
    def _extended(self, valid_until: date, actor: str) -> None:
        self.valid_until = valid_until

    @event("Amended")
    def _amended(self, changes: dict[str, Any], actor: str) -> None:
        for key, value in changes.items():
            setattr(self, key, list(value) if isinstance(value, list) else value)

    @event("Terminated")
    def _terminated(self, terminated_on: date, reason: str, actor: str) -> None:
        self.terminated_on = terminated_on
        self.termination_reason = reason


def _signed_v2(state: dict[str, Any]) -> None:
    """2026-11: ``declared_members``, the approximate total when only some members are known."""
    state["declared_members"] = None


def _signed_v3(state: dict[str, Any]) -> None:
    """2026-11: ``project_id``, the framework project as a record (``framework_project`` stays as the text)."""
    state["project_id"] = None


evolve(Partnership, "Signed", _signed_v2, _signed_v3)
