"""The installed ``hub`` command, run in a subprocess as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HUB = str(Path(sys.executable).with_name("hub"))


def hub(*args: str, url: str, check: bool = True, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HUB_DATABASE_URL": url, "PYTHONIOENCODING": "utf-8", **env_vars}
    result = subprocess.run([HUB, *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"hub {' '.join(args)} failed: {result.stderr}")
    return result


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def test_load_sample_then_the_log_shows_its_events_with_polish_names(url):
    first = hub("load-sample", url=url)
    assert "loaded (7 events)" in first.stdout
    assert "already loaded, nothing added" in hub("load-sample", url=url).stdout
    lines = hub("log", url=url).stdout.splitlines()
    assert len(lines) == 7
    assert re.match(r"\s+1  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z  sample-loader  Organisation [0-9a-f-]{36}  Registered  "
                    r'name="Instytut Badań Edukacyjnych"', lines[0]), lines[0]
    assert 'name="Kuratorium Oświaty w Rzeszowie"' in lines[1]
    assert 'name="Podkarpackie Centrum Mediacji"' in lines[2]
    assert "FrameworkProject" in lines[3] and 'name="ZSK 4' in lines[3] and 'programme="POWER' in lines[3]
    assert "Partnership" in lines[4] and "Signed" in lines[4] and "uczenia się przez całe życie" in lines[4]
    assert 'title="Prowadzenie mediacji w oświacie"' in lines[5]
    assert [line.split()[0] for line in hub("log", "--after", "4", "--limit", "1", url=url).stdout.splitlines()] == ["5"]


def test_history_and_show_a_record_now_and_at_a_version(url):
    hub("load-sample", url=url)
    partnership_id = re.search(r"sample partnership ([0-9a-f-]{36})", hub("load-sample", url=url).stdout).group(1)
    history = hub("history", partnership_id, url=url).stdout.splitlines()
    assert len(history) == 1 and history[0].startswith("v1") and "sample-loader" in history[0] and "Partnership.Signed" in history[0]
    shown = hub("show", partnership_id, url=url).stdout
    assert '"signed_on": "2020-12-08"' in shown and '"name": "Wiesław Pałka"' in shown
    initiative = hub("log", url=url).stdout.splitlines()[-1].split()[4]
    assert '"status": "drafted"' in hub("show", initiative, "--version", "1", url=url).stdout
    assert '"status": "submitted"' in hub("show", initiative, url=url).stdout


def test_errors_are_one_readable_line_and_a_non_zero_exit(sqlite_url, tmp_path):
    unknown = hub("show", "00000000-0000-0000-0000-000000000001", url=sqlite_url, check=False)
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.strip() == "hub: id: no record has id 00000000-0000-0000-0000-000000000001"
    bad_id = hub("history", "nonsense", url=sqlite_url, check=False)
    assert bad_id.returncode == 1 and bad_id.stderr.count("\n") == 1 and "'nonsense' is not a record id" in bad_id.stderr
    bad_url = hub("log", url="mysql://x/y", check=False)
    assert bad_url.returncode == 1 and bad_url.stderr.startswith("hub: unsupported HUB_DATABASE_URL")
    bad_limit = hub("log", "--limit", "0", url=sqlite_url, check=False)
    assert bad_limit.returncode == 2 and "must be 1 or more" in bad_limit.stderr
    down = hub("log", url="postgresql://postgres@127.0.0.1:1/none", check=False)
    assert down.returncode == 1 and down.stderr.count("\n") == 1 and "Traceback" not in down.stderr


def test_accounts_are_created_with_a_token_shown_once_and_revoked(sqlite_url):
    from hub.application import HubApplication

    hub("load-sample", url=sqlite_url)
    org = hub("log", url=sqlite_url).stdout.splitlines()[2].split()[4]
    created = hub("accounts", "create", "--name", "Wiesław Pałka", "--role", "partner", "--organisation", org, url=sqlite_url)
    account_id = created.stdout.split()[1]
    token = created.stdout.splitlines()[1].rsplit(" ", 1)[1]
    app = HubApplication(sqlite_url)
    assert app.authenticate(token).organisation_id.hex == org.replace("-", "")
    listed = hub("accounts", "list", url=sqlite_url).stdout
    assert f"{account_id}  Wiesław Pałka  partner organisation {org}  1 live token(s)" in listed
    assert "revoked 1 token(s)" in hub("accounts", "revoke", account_id, url=sqlite_url).stdout
    assert "0 live token(s)" in hub("accounts", "list", url=sqlite_url).stdout
    refused = hub("accounts", "create", "--name", "X", "--role", "partner", url=sqlite_url, check=False)
    assert refused.returncode == 1 and refused.stderr == "hub: organisation_id: a partner account is bound to an organisation\n"
    app.close()


def test_show_reads_a_record_at_a_version_as_of_a_moment_and_valid_at_a_day(sqlite_url):
    import json as json_

    from hub.application import HubApplication
    from hub.authorisation import Principal

    hub("load-sample", url=sqlite_url)
    app = HubApplication(sqlite_url)
    partnership = next(app.get(n.originator_id) for n in app.notifications() if n.topic.endswith("Partnership.Signed"))
    ko = next(oid for oid, m in partnership.members.items() if m["role"] == "leading_partner")
    app.change_member_role(partnership.id, by=Principal.operator("cli"), organisation_id=str(ko), role="partner",
                           changed_on="2021-06-01")
    app.close()
    then = json_.loads(hub("show", str(partnership.id), "--valid-at", "2021-01-01", url=sqlite_url).stdout)
    later = json_.loads(hub("show", str(partnership.id), "--valid-at", "2021-07-01", url=sqlite_url).stdout)
    role = lambda state: next(m["role"] for m in state["members"] if m["organisation_id"] == str(ko))
    assert (role(then), role(later), then["in_force"], then["valid_at"]) == ("leading_partner", "partner", True, "2021-01-01")
    known = json_.loads(hub("show", str(partnership.id), "--as-of", "5", url=sqlite_url).stdout)
    assert known["version"] == 1  # position 5 is the signing; the role change came later
    bad = hub("show", str(partnership.id), "--valid-at", "1 czerwca", url=sqlite_url, check=False)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_import_table_checks_every_row_first_then_imports_all_or_nothing_and_not_twice(url, tmp_path):
    good = tmp_path / "organisations.csv"
    good.write_text("key;name;kind;region;city\nko;Kuratorium Oświaty w Rzeszowie;education_authority;18;Rzeszów\n"
                    "pcm;Podkarpackie Centrum Mediacji;mediation_centre;18;Rzeszów\n", encoding="cp1250")
    dry = hub("import-table", str(good), "--dry-run", "-v", url=url)
    assert "2 to create" in dry.stdout and "row 3: create Podkarpackie Centrum Mediacji" in dry.stdout
    assert "nothing was stored" in dry.stdout and hub("log", url=url).stdout == ""
    assert "2 created" in hub("import-table", str(good), url=url).stdout
    assert "0 created, 0 changed, 2 already recorded" in hub("import-table", str(good), url=url).stdout
    bad = tmp_path / "people.csv"
    bad.write_text("key,name,kind,region\nx,Szkoła,school,99\ny,,castle,18\n", encoding="utf-8")
    refused = hub("import-table", str(bad), "--kind", "organisations", url=url, check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "organisations row 2 column region: unknown region '99'" in refused.stderr
    assert "organisations row 3 column kind" in refused.stderr and "organisations row 3 column name" in refused.stderr
    assert refused.stderr.strip().endswith("hub: 3 problem(s); nothing was imported")
    assert len(hub("log", url=url).stdout.splitlines()) == 2
    unnamed = hub("import-table", str(bad), url=url, check=False)
    assert unnamed.returncode == 1 and "say which kind" in unnamed.stderr
    missing = hub("import-table", str(tmp_path / "nowhere.xlsx"), url=url, check=False)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_every_command_and_option_says_what_it_is_for():
    import argparse

    from hub.cli import build_parser

    silent = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, child in action.choices.items():
                    if not helps.get(name):
                        silent.append(f"{path} {name}")
                    walk(child, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                silent.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "hub")
    assert silent == []
    assert "the same seed gives the same network" in " ".join(hub("generate", "--help", url="sqlite://").stdout.split())


def test_a_partner_account_names_its_organisation_by_name(url):
    hub("load-sample", url=url)
    made = hub("accounts", "create", "--name", "Wiesław Pałka", "--role", "partner", "--organisation",
               "podkarpackie centrum MEDIACJI", url=url)
    assert "(partner) created" in made.stdout
    assert "organisation" in hub("accounts", "list", url=url).stdout
    unknown = hub("accounts", "create", "--name", "X", "--role", "partner", "--organisation", "Nikt", url=url,
                  check=False)
    assert unknown.returncode == 1 and "no organisation is called 'Nikt'" in unknown.stderr
