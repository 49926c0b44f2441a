"""``hub audit`` and ``hub export|import`` as an auditor uses them: with the public key alone, against saved
checkpoints, and never making a key where one is missing."""

from __future__ import annotations

import json
import sqlite3

from hub.ledger import CHECKPOINTS, LEAVES
from tests.cli.test_hub_command import hub


def setup_hub(url: str, key: str, tmp_path) -> str:
    """A hub with the sample and 30 more events, signed; returns the public key file."""
    hub("load-sample", url=url, HUB_SIGNING_KEY=key)
    hub("generate", "--partnerships", "3", "--organisations", "8", "--meetings", "4", "--exchanges", "6",
        url=url, HUB_SIGNING_KEY=key)
    public = tmp_path / "hub-key.pem"
    public.write_text(hub("audit", "key", url=url, HUB_SIGNING_KEY=key).stdout, encoding="ascii")
    return str(public)


def test_a_missing_private_key_is_a_clear_error_and_never_a_new_key(sqlite_url, tmp_path):
    key = str(tmp_path / "hub-signing-key.pem")
    public = setup_hub(sqlite_url, key, tmp_path)
    missing = tmp_path / "elsewhere" / "key.pem"
    refused = hub("audit", "verify", url=sqlite_url, check=False, HUB_SIGNING_KEY=str(missing))
    assert refused.returncode == 1 and not missing.exists()
    assert refused.stderr.startswith(f"hub: the signing key {missing} does not exist")
    assert "hub audit verify --key" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    head = hub("audit", "head", url=sqlite_url, check=False, HUB_SIGNING_KEY=str(missing))
    assert head.returncode == 1 and not missing.exists()
    checked = hub("audit", "verify", "--key", public, url=sqlite_url, HUB_SIGNING_KEY=str(missing))
    assert checked.stdout.startswith("the log verifies: ") and not missing.exists()


def test_audit_head_prints_the_newest_checkpoint_and_a_receipt_of_nothing_signs_nothing(sqlite_url, tmp_path):
    key = str(tmp_path / "k.pem")
    setup_hub(sqlite_url, key, tmp_path)
    head = json.loads(hub("audit", "head", url=sqlite_url, HUB_SIGNING_KEY=key).stdout)
    note = hub("audit", "head", "--note", url=sqlite_url, HUB_SIGNING_KEY=key).stdout
    assert note.startswith(f"partnership-hub.local/log\n{head['size']}\n") and "\n\n\u2014 partnership-hub" in note
    before = sqlite3.connect(sqlite_url.removeprefix("sqlite:///")).execute(
        f"SELECT count(*) FROM {CHECKPOINTS}").fetchone()[0]
    missing = hub("audit", "receipt", "99999", url=sqlite_url, check=False, HUB_SIGNING_KEY=key)
    assert missing.returncode == 1 and missing.stderr.strip() == "hub: position: no event at position 99999"
    after = sqlite3.connect(sqlite_url.removeprefix("sqlite:///")).execute(
        f"SELECT count(*) FROM {CHECKPOINTS}").fetchone()[0]
    assert after == before


def test_verify_against_a_saved_receipt_catches_a_tail_cut_with_its_checkpoints_using_the_public_key(
        sqlite_url, tmp_path):
    key = str(tmp_path / "k.pem")
    public = setup_hub(sqlite_url, key, tmp_path)
    last = int(hub("log", url=sqlite_url, HUB_SIGNING_KEY=key).stdout.splitlines()[-1].split()[0])
    receipt = tmp_path / "receipt.json"
    receipt.write_text(hub("audit", "receipt", str(last), url=sqlite_url, HUB_SIGNING_KEY=key).stdout)
    db = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    for table, column in (("stored_events", "rowid"), (LEAVES, "position"), (CHECKPOINTS, "size")):
        db.execute(f"DELETE FROM {table} WHERE {column} > ?", (last - 10,))
    # A machine without the private key (so without the signer's record): the store alone looks whole…
    alone = hub("audit", "verify", "--key", public, url=sqlite_url, check=False, HUB_SIGNING_KEY=str(tmp_path / "no"))
    # …the receipt a partner kept says otherwise.
    kept = hub("audit", "verify", "--key", public, "--against", str(receipt), url=sqlite_url, check=False,
               HUB_SIGNING_KEY=str(tmp_path / "no"))
    assert kept.returncode == 3 and f"the events from position {last - 9} on were removed" in kept.stdout
    # Alone, the store shows only an unsigned stretch (the load's checkpoint survives, the generator's is gone);
    # the receipt names the cut.
    assert alone.returncode == 3 and "were removed" not in alone.stdout


def test_a_backup_is_checked_and_restored_on_a_machine_with_only_the_public_key(sqlite_url, tmp_path):
    key = str(tmp_path / "k.pem")
    public = setup_hub(sqlite_url, key, tmp_path)
    backup = tmp_path / "backup.ndjson"
    hub("export", "-o", str(backup), url=sqlite_url, HUB_SIGNING_KEY=key)
    elsewhere = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    no_key = str(tmp_path / "none" / "k.pem")
    unsigned = hub("import", str(backup), url=elsewhere, check=False, HUB_SIGNING_KEY=no_key)
    assert unsigned.returncode == 1 and "give the hub's public key (--key hub-key.pem)" in unsigned.stderr
    restored = hub("import", str(backup), "--key", public, url=elsewhere, HUB_SIGNING_KEY=no_key)
    assert "the same root as the export's" in restored.stdout
    assert hub("audit", "verify", "--key", public, url=elsewhere, HUB_SIGNING_KEY=no_key).returncode == 0
    # A BOM added by an editor does not make a genuine backup unimportable.
    bom = tmp_path / "bom.ndjson"
    bom.write_text("\ufeff" + backup.read_text(encoding="utf-8"), encoding="utf-8")
    again = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    assert "the same root" in hub("import", str(bom), "--key", public, url=again, HUB_SIGNING_KEY=no_key).stdout
    # Another key's backup is one line of refusal, and nothing is stored.
    other = tmp_path / "other.pem"
    hub("audit", "key", url=f"sqlite:///{tmp_path / 'other.sqlite3'}", HUB_SIGNING_KEY=str(tmp_path / "o.pem"))
    other.write_text(hub("audit", "key", url=f"sqlite:///{tmp_path / 'other.sqlite3'}",
                         HUB_SIGNING_KEY=str(tmp_path / "o.pem")).stdout)
    third = f"sqlite:///{tmp_path / 'third.sqlite3'}"
    refused = hub("import", str(backup), "--key", str(other), url=third, check=False, HUB_SIGNING_KEY=no_key)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "does not verify with the key" in refused.stderr
    assert hub("log", url=third, HUB_SIGNING_KEY=no_key).stdout == ""


def test_a_store_emptied_behind_the_signers_back_is_not_signed_and_the_way_to_start_afresh_is_named(tmp_path):
    import os
    from pathlib import Path

    key = str(tmp_path / "k.pem")
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub("load-sample", url=url, HUB_SIGNING_KEY=key)
    hub("generate", "--partnerships", "2", "--organisations", "4", "--meetings", "1", "--exchanges", "1",
        url=url, HUB_SIGNING_KEY=key)
    os.remove(tmp_path / "hub.sqlite3")
    refused = hub("load-sample", url=url, check=False, HUB_SIGNING_KEY=key)
    assert refused.returncode == 1 and "events were removed; refusing to sign" in refused.stderr
    record = refused.stderr.strip().rsplit("remove ", 1)[1]
    assert Path(record).exists() and record.startswith(key + ".signed/")
    Path(record).unlink()  # the operator starts a new log on purpose
    assert hub("audit", "head", url=url, HUB_SIGNING_KEY=key).returncode == 0
