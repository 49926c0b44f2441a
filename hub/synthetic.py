"""A deterministic generator of realistic synthetic networks, for demos, tests and benchmarks.

Every record it writes is labelled synthetic (``synthetic=True`` and "(dane
syntetyczne)" in its name). It writes through the application's commands on the
bulk path, so everything is validated like any input. The same seed gives the
same network; running it again with the same seed adds nothing (client keys).

It covers all 16 voivodeships, a few national organisations that belong to many
partnerships (as the real leader does), multi-year business dates, late facts
(joins, role changes, departures, extensions, terminations recorded after the
fact), meetings held, rescheduled and cancelled, and exchanges confirmed,
corrected and retracted — so every edge kind and both time axes are exercised.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.errors import HubError
from hub.organisation import Organisation
from hub.regions import VOIVODESHIPS
from hub.vocabulary import MEETING_FORMATS, ORGANISATION_KINDS, STANDARD_AREAS

OPERATOR = Principal.operator("synthetic-generator")
LABEL = "(dane syntetyczne)"
CAPITALS = {
    "02": "Wrocław", "04": "Bydgoszcz", "06": "Lublin", "08": "Zielona Góra", "10": "Łódź",
    "12": "Kraków", "14": "Warszawa", "16": "Opole", "18": "Rzeszów", "20": "Białystok",
    "22": "Gdańsk", "24": "Katowice", "26": "Kielce", "28": "Olsztyn", "30": "Poznań", "32": "Szczecin",
}
TOPICS = ["Walidacja kompetencji", "Mediacje w oświacie", "Kwalifikacje rynkowe w turystyce",
          "Doradztwo zawodowe", "Uczenie się dorosłych", "Certyfikacja w branży IT",
          "Współpraca szkół z pracodawcami", "Opis kwalifikacji — dobre praktyki"]
FIRST_DAY, LAST_DAY = date(2018, 1, 1), date(2025, 12, 31)
CHUNK = 5000


@dataclass
class _Membership:
    role: str
    since: date


@dataclass
class _Partnership:
    id: UUID
    regions: list[str]
    signed_on: date
    ends_on: date | None
    members: dict[UUID, _Membership] = field(default_factory=dict)


class Generator:
    def __init__(self, app: HubApplication, seed: int, progress: Callable[[str, int, int], None] | None = None):
        self.app = app
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda phase, done, total: None)
        self.skipped = 0
        self.national: list[UUID] = []
        self.by_region: dict[str, list[UUID]] = {code: [] for code in VOIVODESHIPS}
        self.organisations: list[UUID] = []
        self.partnerships: list[_Partnership] = []

    # -- helpers -------------------------------------------------------------

    def _key(self, kind: str, i: int) -> str:
        return f"synthetic:{self.seed}:{kind}:{i}"

    def _day(self, start: date = FIRST_DAY, end: date = LAST_DAY) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days + 1)))

    def _run(self, phase: str, total: int, step: Callable[[int], Any]) -> None:
        for first in range(0, total, CHUNK):
            with self.app.bulk():
                for i in range(first, min(total, first + CHUNK)):
                    try:
                        step(i)
                    except HubError:  # a rule refused it: nothing was stored for that command
                        self.skipped += 1
            self.progress(phase, min(total, first + CHUNK), total)

    # -- phases --------------------------------------------------------------

    def organisations_phase(self, count: int) -> None:
        n_national = max(3, count // 50)
        kinds = [k for k in ORGANISATION_KINDS if k != "other"]
        regions = list(VOIVODESHIPS)

        def step(i: int) -> None:
            if i < n_national:
                region, city, kind = "PL", "Warszawa", "research_institute"
                name = f"Krajowy Instytut Kwalifikacji nr {i + 1} {LABEL}"
            else:
                region = regions[i % len(regions)]
                city, kind = CAPITALS[region], self.rng.choice(kinds)
                name = f"{ORGANISATION_KINDS[kind][0].capitalize()} — {city} nr {i + 1} {LABEL}"
            oid = self.app.register_organisation(
                by=OPERATOR, client_key=self._key("org", i), name=name, kind=kind,
                region=region, city=city, synthetic=True)
            self.organisations.append(oid)
            (self.national if region == "PL" else self.by_region[region]).append(oid)

        self._run("organisations", count, step)

    def partnerships_phase(self, count: int) -> None:
        regions = list(VOIVODESHIPS)
        roles = ["leading_partner", "business_partner", "partner", "partner", "observer"]

        def step(i: int) -> None:
            home = regions[i % len(regions)]
            homes = [home] if self.rng.random() < 0.85 else [home, self.rng.choice(regions)]
            homes = list(dict.fromkeys(homes))
            local = self.by_region[home] or self.organisations
            national_leader = self.national and self.rng.random() < 0.15
            leader = self.rng.choice(self.national) if national_leader else self.rng.choice(local)
            others: list[UUID] = []
            for _ in range(self.rng.randint(1, 5)):
                pool = local if self.rng.random() < 0.75 else self.organisations
                candidate = self.rng.choice(pool)
                if candidate != leader and candidate not in others:
                    others.append(candidate)
            if not others:
                others = [next(o for o in self.organisations if o != leader)]
            signed_on = self._day(FIRST_DAY, date(2025, 6, 30))
            valid_until = None if self.rng.random() < 0.1 else signed_on + timedelta(days=365 * self.rng.randint(1, 4))
            areas = sorted(self.rng.sample(list(STANDARD_AREAS), self.rng.randint(2, 7)))
            members = [{"organisation_id": str(leader), "role": "leader"}] + [
                {"organisation_id": str(o), "role": self.rng.choice(roles)} for o in others]
            pid = self.app.sign_partnership(
                by=OPERATOR, client_key=self._key("partnership", i),
                name=f"{VOIVODESHIPS[home].capitalize()} {i + 1}: "
                     f"partnerstwo na rzecz uczenia się przez całe życie {LABEL}",
                regions=homes, scope="regional" if len(homes) == 1 else "supra-regional",
                purpose="Upowszechnianie Zintegrowanego Systemu Kwalifikacji",
                framework_project="ZSK 4", programme="POWER", signed_on=signed_on,
                signed_at=CAPITALS[home], valid_until=valid_until, members=members, synthetic=True,
                areas=[{"code": c, "label_pl": STANDARD_AREAS[c][0], "label_en": STANDARD_AREAS[c][1]} for c in areas])
            p = _Partnership(pid, homes, signed_on, valid_until)
            for m in members:
                p.members[UUID(m["organisation_id"])] = _Membership(m["role"], signed_on)
            self.partnerships.append(p)

        self._run("partnerships", count, step)

    def changes_phase(self) -> None:
        """Facts recorded after the signing: joins, role changes, departures, extensions, terminations."""
        partnerships = list(self.partnerships)

        def step(i: int) -> None:
            p = partnerships[i]
            horizon = p.ends_on or LAST_DAY
            if horizon <= p.signed_on + timedelta(days=30):
                return
            roll = self.rng.random()
            if roll < 0.25:
                newcomer = self.rng.choice(self.organisations)
                if newcomer not in p.members:
                    day = self._day(p.signed_on + timedelta(days=1), horizon)
                    self.app.join_partnership(p.id, by=OPERATOR, organisation_id=str(newcomer), role="partner",
                                              joined_on=day)
                    p.members[newcomer] = _Membership("partner", day)
            elif roll < 0.4:
                oid, m = self.rng.choice([(o, m) for o, m in p.members.items() if m.role != "leader"])
                day = self._day(m.since + timedelta(days=1), horizon)
                new_role = "leading_partner" if m.role != "leading_partner" else "partner"
                self.app.change_member_role(p.id, by=OPERATOR, organisation_id=str(oid), role=new_role, changed_on=day)
                p.members[oid] = _Membership(new_role, day)
            elif roll < 0.5 and len(p.members) > 2:
                oid, m = self.rng.choice([(o, m) for o, m in p.members.items() if m.role != "leader"])
                self.app.leave_partnership(p.id, by=OPERATOR, organisation_id=str(oid),
                                           left_on=self._day(m.since, horizon))
                del p.members[oid]
            elif roll < 0.65 and p.ends_on is not None:
                p.ends_on = p.ends_on + timedelta(days=365)
                self.app.extend_partnership(p.id, by=OPERATOR, valid_until=p.ends_on)
            elif roll < 0.7:
                day = self._day(p.signed_on, horizon)
                self.app.terminate_partnership(p.id, by=OPERATOR, terminated_on=day,
                                               reason=f"porozumienie rozwiązane {LABEL}")
                p.ends_on = day

        self._run("changes", len(partnerships), step)

    def meetings_phase(self, count: int) -> None:
        formats = list(MEETING_FORMATS)

        def step(i: int) -> None:
            organisers = self.rng.sample(self.partnerships, min(len(self.partnerships), self.rng.choice([1, 1, 2, 3])))
            start = max(p.signed_on for p in organisers)
            held_on = self._day(start, (min(p.ends_on or LAST_DAY for p in organisers)))
            locals_ = self.organisations[len(self.national):]
            participants = self.rng.sample(locals_, min(len(locals_), self.rng.randint(0, 4)))
            guest_count = min(len(self.partnerships), self.rng.randint(0, 2))
            guests = [p.id for p in self.rng.sample(self.partnerships, guest_count)]
            online = self.rng.random() < 0.3
            mid = self.app.announce_meeting(
                by=OPERATOR, client_key=self._key("meeting", i),
                title=f"{MEETING_FORMATS[formats[i % len(formats)]][0].capitalize()} "
                      f"o kwalifikacjach nr {i + 1} {LABEL}",
                format=formats[i % len(formats)], held_on=held_on, online=online,
                place=None if online else CAPITALS[organisers[0].regions[0]],
                organisers=[str(p.id) for p in organisers],
                participating_organisations=[str(o) for o in participants],
                participating_partnerships=[str(g) for g in guests if g not in {p.id for p in organisers}],
                area=self.rng.choice(list(STANDARD_AREAS)), synthetic=True)
            roll = self.rng.random()
            if roll < 0.08:
                self.app.reschedule_meeting(mid, by=OPERATOR, held_on=held_on + timedelta(days=14))
            attendance = self.rng.randint(8, 300) if roll < 0.75 else 0  # drawn as before: the rest stays as it was
            if roll < 0.75 and held_on + timedelta(days=14 if roll < 0.08 else 0) <= date.today():
                self.app.record_meeting_held(mid, by=OPERATOR, attendance=attendance)
            elif roll < 0.85:
                self.app.cancel_meeting(mid, by=OPERATOR, reason=f"odwołane {LABEL}")

        self._run("meetings", count, step)

    def exchanges_phase(self, count: int) -> None:
        # National bodies belong to many partnerships; exchanges are mostly between local partners.
        self.national_set = set(self.national)
        def step(i: int) -> None:
            p = self.rng.choice(self.partnerships)
            local_members = [m for m in p.members if m not in self.national_set] or list(p.members)
            poster = self.rng.choice(local_members)
            other = self.rng.choice(self.partnerships)
            others = [m for m in other.members if m not in self.national_set] or list(other.members)
            counterpart_orgs = [o for o in self.rng.sample(others, 1) if o != poster]
            counterpart_parts = [str(other.id)] if self.rng.random() < 0.2 and other.id != p.id else []
            if not counterpart_orgs and not counterpart_parts:
                return
            # An exchange records what happened: never after the network's last day (nor today).
            day = self._day(p.signed_on, min(p.ends_on or LAST_DAY, LAST_DAY))
            xid = self.app.post_exchange(
                by=OPERATOR, client_key=self._key("exchange", i), organisation_id=str(poster),
                counterpart_organisations=[str(o) for o in counterpart_orgs],
                counterpart_partnerships=counterpart_parts, exchanged_on=day,
                topic=f"{self.rng.choice(TOPICS)} {LABEL}", area=self.rng.choice(list(STANDARD_AREAS)),
                summary="Wymiana doświadczeń między partnerami.", synthetic=True)
            roll = self.rng.random()
            if roll < 0.6 and counterpart_orgs:
                self.app.confirm_exchange(xid, by=OPERATOR, organisation_id=str(counterpart_orgs[0]))
            if 0.6 <= roll < 0.7:
                self.app.correct_exchange(xid, by=OPERATOR, outcomes="Uzgodniono wspólne materiały.")
            elif 0.7 <= roll < 0.75:
                self.app.retract_exchange(xid, by=OPERATOR, reason=f"wpis zdublowany {LABEL}")

        self._run("exchanges", count, step)


def generate(
    app: HubApplication, partnerships: int, organisations: int, meetings: int, exchanges: int,
    seed: int = 1, progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic network; return what was written (events added, commands skipped)."""
    if organisations < 4 or partnerships < 1:
        raise ValueError("a network needs at least 4 organisations and 1 partnership")
    before = app.log_length()
    g = Generator(app, seed, progress)
    if app.id_for_client_key(Organisation, g._key("org", 0)) in app.repository:
        return {"events": 0, "skipped": 0, "already_generated": 1}
    g.organisations_phase(organisations)
    g.partnerships_phase(partnerships)
    g.changes_phase()
    g.meetings_phase(meetings)
    g.exchanges_phase(exchanges)
    return {"events": app.log_length() - before, "skipped": g.skipped}
