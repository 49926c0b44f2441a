"""Personal data: names are sealed outside the hashed log; erasing a person keeps the log verifiable."""

from __future__ import annotations

import io

from hub.application import HubApplication
from hub.archive import export_log, import_log
from hub.authorisation import Principal
from hub.privacy import ERASED
from hub.sample import load_sample
from tests.cli.test_hub_command import hub as run_hub
from tests.integration.test_application import reopen

NAMES = ("Katarzyna Wielguszewska", "Małgorzata Rauch", "Wiesław Pałka")


def signatories(app: HubApplication, partnership_id) -> dict[str, str]:
    p = app.get(partnership_id)
    return {m["signatory"]["function"]: m["signatory"]["name"] for m in p.members.values()}


def test_names_of_people_are_not_in_the_stored_events(app):
    ids = load_sample(app)
    app.create_account(by=Principal.operator("m"), name="Ewa Kowalska", role="auditor")
    stored = b"".join(bytes(n.state) for n in app.notifications())
    for name in (*NAMES, "Ewa Kowalska"):
        assert name.encode() not in stored
    assert "Instytut Badań Edukacyjnych".encode() in stored  # organisations are not people
    assert set(signatories(reopen(app), ids["podkarpackie-lll-2020"]).values()) == set(NAMES)


def test_erasing_a_person_hides_the_name_everywhere_and_the_log_still_verifies(app):
    ids = load_sample(app)
    app.ledger.sign_head()
    before = [bytes(n.state) for n in app.notifications()]
    assert app.erase_person("wiesław  pałka") is not None  # case and spacing do not matter
    fresh = reopen(app)
    fresh.vault.forget_cache()
    names = signatories(fresh, ids["podkarpackie-lll-2020"])
    assert names["Prezes Podkarpackiego Centrum Mediacji"] == ERASED
    assert names["Podkarpacka Kurator Oświaty"] == "Małgorzata Rauch"
    signed = fresh.history(ids["podkarpackie-lll-2020"])[0].payload["members"]
    assert ERASED in str(signed) and "Wiesław Pałka" not in str(signed)
    assert [bytes(n.state) for n in fresh.notifications()] == before
    assert fresh.verify_log().ok
    assert app.erase_person("Nikt Taki") is None


def test_a_person_named_again_gets_a_new_key_and_the_old_record_stays_erased(app):
    ids = load_sample(app)
    app.erase_person("Wiesław Pałka")
    org = app.register_organisation(by=Principal.operator("m"), name="Nowa", kind="ngo", region="18", city="X")
    app.join_partnership(ids["podkarpackie-lll-2020"], by=Principal.operator("m"), organisation_id=str(org), role="partner",
                         joined_on="2021-01-01", signatory={"name": "Wiesław Pałka", "function": "Prezes Nowej"})
    names = signatories(reopen(app), ids["podkarpackie-lll-2020"])
    assert names["Prezes Nowej"] == "Wiesław Pałka" and names["Prezes Podkarpackiego Centrum Mediacji"] == ERASED


def test_a_backup_keeps_names_but_not_erased_ones(sqlite_url, tmp_path):
    app = HubApplication(sqlite_url)
    ids = load_sample(app)
    app.erase_person("Małgorzata Rauch")
    out = io.StringIO()
    export_log(app, out)
    target = HubApplication(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    import_log(target, iter(out.getvalue().splitlines()))
    names = signatories(target, ids["podkarpackie-lll-2020"])
    assert names["Podkarpacka Kurator Oświaty"] == ERASED
    assert names["Prezes Podkarpackiego Centrum Mediacji"] == "Wiesław Pałka"
    assert target.verify_log().ok
    app.close()
    target.close()


def test_hub_privacy_erase_on_the_command_line(sqlite_url):
    partnership = run_hub("load-sample", url=sqlite_url).stdout.split()[2].rstrip(":")
    assert "Katarzyna Wielguszewska" in run_hub("show", partnership, url=sqlite_url).stdout
    done = run_hub("privacy", "erase", "Katarzyna Wielguszewska", url=sqlite_url)
    assert "is now unreadable" in done.stdout
    shown = run_hub("show", partnership, url=sqlite_url).stdout
    assert ERASED in shown and "Katarzyna Wielguszewska" not in shown
    assert "the log verifies" in run_hub("audit", "verify", url=sqlite_url).stdout
    unknown = run_hub("privacy", "erase", "Nikt Taki", url=sqlite_url, check=False)
    assert unknown.returncode == 1 and unknown.stderr == "hub: person: no personal data is recorded for 'Nikt Taki'\n"
