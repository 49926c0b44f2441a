"""A history with every kind of event, run through the service with client keys (so ids repeat).

``tests/fixtures/log-2026-11-24.ndjson`` is this history exported by the hub as it was on
2026-11-24, before events changed shape (issue 11: meetings of organisations, dates as
known, projects…). ``test_old_logs.py`` imports that file with today's code and checks
that it gives the records and the graph that today's code makes from the same commands:
stored events are forever. Exports from 2026-11-25 on are signed checkpoints: the public key that
checks one sits beside it (``log-….pub.pem``). Regenerate only to add a format, never to replace one:

    python -m tests.integration.legacy tests/fixtures/log-YYYY-MM-DD.ndjson
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from uuid import UUID

from hub.application import HubApplication
from hub.authorisation import Principal

MANAGER = Principal.operator("manager")
POSTER = Principal.operator("partner-ibe")
CONFIRMER = Principal.operator("partner-ko")


def history(app: HubApplication) -> dict[str, UUID]:
    """Every command kind at least once (accounts too), in a fixed order with fixed keys."""
    ids: dict[str, UUID] = {}
    for key, name, kind, region, city in (
            ("ibe", "Instytut Badań Edukacyjnych", "research_institute", "14", "Warszawa"),
            ("ko", "Kuratorium Oświaty w Rzeszowie", "education_authority", "18", "Rzeszów"),
            ("pcm", "Podkarpackie Centrum Mediacji", "mediation_centre", "18", "Rzeszów"),
            ("wup", "Wojewódzki Urząd Pracy w Krakowie", "other", "12", "Kraków")):
        ids[key] = app.register_organisation(by=MANAGER, client_key=f"legacy:{key}", name=name, kind=kind,
                                             region=region, city=city)
    app.rename_organisation(ids["wup"], by=MANAGER, name="Wojewódzki Urząd Pracy w Krakowie — Zażółć gęślą jaźń")
    app.move_organisation(ids["wup"], by=MANAGER, region="12", city="Tarnów")
    app.update_organisation_details(ids["wup"], by=MANAGER, kind="other", website="https://wup.example.pl")
    ids["p"] = app.sign_partnership(
        by=MANAGER, client_key="legacy:p", name="Podkarpackie partnerstwo na rzecz LLL", regions=["18"],
        scope="regional", purpose="Upowszechnianie ZSK", framework_project="ZSK 4", programme="POWER",
        signed_on="2020-12-08", signed_at="Rzeszów", valid_until="2022-06-30",
        areas=[{"code": "A1", "label_pl": "upowszechnianie LLL", "label_en": "promoting LLL"}],
        members=[{"organisation_id": str(ids["ibe"]), "role": "leader",
                  "signatory": {"name": "Anna Nowak", "function": "Dyrektor"}},
                 {"organisation_id": str(ids["ko"]), "role": "leading_partner",
                  "signatory": {"name": "Małgorzata Rauch", "function": "Podkarpacka Kurator Oświaty"}}])
    ids["q"] = app.sign_partnership(
        by=MANAGER, client_key="legacy:q", name="Małopolskie partnerstwo", regions=["12"], scope="regional",
        purpose="ZSK", signed_on="2021-03-01", signed_at="Kraków",
        members=[{"organisation_id": str(ids["wup"]), "role": "leader"},
                 {"organisation_id": str(ids["pcm"]), "role": "partner"}])
    app.join_partnership(ids["p"], by=MANAGER, organisation_id=str(ids["pcm"]), role="business_partner",
                         joined_on="2021-01-15", signatory={"name": "Wiesław Pałka", "function": "Prezes"})
    app.change_member_role(ids["p"], by=MANAGER, organisation_id=str(ids["ko"]), role="leader",
                           changed_on="2021-02-01", former_leader_role="leading_partner")
    app.leave_partnership(ids["p"], by=MANAGER, organisation_id=str(ids["pcm"]), left_on="2021-12-31")
    app.declare_area(ids["p"], by=MANAGER, code="A7", label_pl="sieciowanie", label_en=None)
    app.withdraw_area(ids["p"], by=MANAGER, code="A1")
    app.amend_partnership(ids["p"], by=MANAGER, purpose="Uczenie się przez całe życie")
    app.extend_partnership(ids["p"], by=MANAGER, valid_until="2023-06-30")
    app.terminate_partnership(ids["q"], by=MANAGER, terminated_on="2022-09-01", reason="połączenie")
    ids["m"] = app.announce_meeting(by=MANAGER, client_key="legacy:m", title="Seminarium ZSK", format="seminar",
                                    held_on="2021-05-20", place="Rzeszów", organisers=[str(ids["p"])],
                                    participating_organisations=[str(ids["wup"])],
                                    participating_partnerships=[str(ids["q"])], area="A1")
    app.reschedule_meeting(ids["m"], by=MANAGER, held_on="2021-05-27", place="Rzeszów, WSIiZ")
    app.record_meeting_held(ids["m"], by=MANAGER, attendance=85)
    ids["m2"] = app.announce_meeting(by=MANAGER, client_key="legacy:m2", title="Webinarium", format="webinar",
                                     held_on="2021-06-01", online=True, organisers=[str(ids["q"])])
    app.cancel_meeting(ids["m2"], by=MANAGER, reason="brak zgłoszeń")
    ids["x"] = app.post_exchange(by=POSTER, client_key="legacy:x", organisation_id=str(ids["ibe"]),
                                 counterpart_organisations=[str(ids["ko"])], exchanged_on="2021-03-01",
                                 topic="Mediacje w oświacie", area="A4", summary="Wymiana doświadczeń")
    app.confirm_exchange(ids["x"], by=CONFIRMER, organisation_id=str(ids["ko"]))
    app.correct_exchange(ids["x"], by=POSTER, outcomes="Wspólny opis kwalifikacji")
    ids["y"] = app.post_exchange(by=POSTER, client_key="legacy:y", organisation_id=str(ids["ibe"]),
                                 counterpart_partnerships=[str(ids["q"])], exchanged_on="2021-04-01",
                                 topic="Wizyta studyjna")
    app.retract_exchange(ids["y"], by=POSTER, reason="pomyłka")
    ids["i"] = app.draft_initiative(by=MANAGER, client_key="legacy:i", title="Prowadzenie mediacji w oświacie",
                                    partnership_id=str(ids["p"]), drafted_on="2020-12-08", description="Kwalifikacja")
    app.submit_initiative(ids["i"], by=MANAGER, submitted_on="2020-12-08", register_reference="ZRK-1")
    app.include_initiative(ids["i"], by=MANAGER, included_on="2023-11-20")
    app.authorise_certifying_institution(ids["i"], by=MANAGER, organisation_id=str(ids["pcm"]),
                                         authorised_on="2024-05-01")
    ids["acc"] = app.create_account(by=MANAGER, client_key="legacy:acc", name="Jan Kowalski", role="auditor")
    app.grant_role(ids["acc"], by=MANAGER, role="manager")
    app.revoke_role(ids["acc"], by=MANAGER, role="auditor")
    issued = app.issue_token(ids["acc"], by=MANAGER, label="laptop")
    app.revoke_token(ids["acc"], by=MANAGER, token_id=issued.token_id)
    app.disable_account(ids["acc"], by=MANAGER, reason="odszedł z pracy")
    return ids


def main(out: str) -> None:
    from hub.archive import export_log

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HUB_SIGNING_KEY"] = str(Path(tmp) / "key.pem")  # a throw-away key; its public half is kept
        app = HubApplication(f"sqlite:///{Path(tmp) / 'legacy.sqlite3'}")
        history(app)
        with open(out, "w", encoding="utf-8") as target:
            trailer = export_log(app, target)
        Path(out).with_suffix(".pub.pem").write_text(app.ledger.public_pem, encoding="ascii")
        app.close()
    print(f"{out}: {trailer['events']} events, root {trailer['root']}")


if __name__ == "__main__":
    main(sys.argv[1])
