"""Receipts, signed heads and proofs over HTTP; a receipt checked offline with the public key only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from hub.ledger import DEFAULT_ORIGIN
from hub.verifier.checkpoint import open_checkpoint
from hub.verifier.merkle import verify_consistency
from hub.verifier.note import NoteKey

HUB = str(Path(sys.executable).with_name("hub"))


def post_exchange(world, topic="Mediacje w oświacie"):
    return world.post("/api/exchanges", {"organisation_id": str(world.ids["a"]), "counterpart_organisations": [str(world.ids["b"])],
                                         "exchanged_on": "2021-03-01", "topic": topic}, who="partner_a")


def verify_offline(receipt_path: Path, key_path: Path) -> subprocess.CompletedProcess:
    # No database: the URL points nowhere, and verification must not need it.
    env = {**os.environ, "HUB_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    return subprocess.run([HUB, "audit", "verify-receipt", str(receipt_path), "--key", str(key_path)],
                          env=env, capture_output=True, text=True, timeout=60)


def test_posting_an_exchange_gives_a_receipt_within_a_second_that_verifies_offline(world, tmp_path):
    response = post_exchange(world)
    assert response.status_code == 201
    url = response.get_json()["receipt_url"]
    started = time.monotonic()
    response = world.get(url, who="partner_a")
    assert response.status_code == 200 and time.monotonic() - started < 1.0
    receipt = response.get_json()
    assert receipt["position"] == world.hub.log_length() and receipt["tree_head"]["size"] >= receipt["index"] + 1
    key = world.get("/api/audit/key", who=None)
    assert key.status_code == 200 and key.data.startswith(b"-----BEGIN PUBLIC KEY-----")
    (tmp_path / "key.pem").write_bytes(key.data)
    (tmp_path / "response.json").write_text(response.get_data(as_text=True), encoding="utf-8")
    ok = verify_offline(tmp_path / "response.json", tmp_path / "key.pem")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"the receipt verifies: event at position {receipt['position']}")

    forged = {**receipt, "leaf_hash": "00" * 32}
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    bad = verify_offline(tmp_path / "forged.json", tmp_path / "key.pem")
    assert bad.returncode == 3 and "does NOT verify: the inclusion proof" in bad.stdout
    note = receipt["tree_head"]["checkpoint"]
    other_root = note.replace(note.split("\n")[2], "E" * 43 + "=")
    other_head = {**receipt, "tree_head": {**receipt["tree_head"], "checkpoint": other_root}}
    (tmp_path / "other-head.json").write_text(json.dumps(other_head), encoding="utf-8")
    assert "has a bad signature" in verify_offline(tmp_path / "other-head.json", tmp_path / "key.pem").stdout


def test_heads_and_consistency_between_them(world):
    first = world.get("/api/audit/head", who="partner_a").get_json()
    post_exchange(world, "Druga wymiana")
    time.sleep(0.3)  # the next checkpoint is signed within HUB_HEAD_EVERY_SECONDS of the write
    second = world.get("/api/audit/head", who="partner_a").get_json()
    assert second["size"] == first["size"] + 1
    key = NoteKey.from_pem(DEFAULT_ORIGIN, world.get("/api/audit/key", who=None).get_data(as_text=True))
    assert open_checkpoint(first["checkpoint"], key).size == first["size"]
    assert open_checkpoint(second["checkpoint"], key).checkpoint.previous is not None  # chained
    proof = world.get(f"/api/audit/consistency?from={first['size']}&to={second['size']}").get_json()
    assert proof["from_head"] == first and proof["to_head"] == second
    assert verify_consistency(first["size"], second["size"], bytes.fromhex(first["root"]), bytes.fromhex(second["root"]),
                              [bytes.fromhex(h) for h in proof["proof"]])
    assert world.get(f"/api/audit/consistency?from=2&to={second['size'] + 5}").status_code == 422
    assert world.get("/api/audit/proof?position=99999").status_code == 404


def test_verification_over_http_is_for_managers_and_auditors(world):
    report = world.get("/api/audit/verify", who="auditor").get_json()
    assert report["ok"] is True and report["events"] == world.hub.log_length() and report["first_problem"] is None
    assert world.get("/api/audit/verify", who="partner_a").status_code == 403


def test_a_server_that_stops_signs_what_it_wrote_since_its_last_checkpoint(sqlite_url):
    from hub.application import HubApplication
    from hub.authorisation import Principal
    from web import create_app

    app = create_app({"HUB_DATABASE_URL": sqlite_url, "TESTING": True, "HUB_HEAD_EVERY_SECONDS": 3600})
    hub = app.extensions["hub"]
    manager = hub.create_account(by=Principal.operator("t"), name="M", role="manager")
    hub.ledger.sign_head()
    token = hub.issue_token(manager, by=Principal.operator("t")).token
    response = app.test_client().post("/api/organisations", headers={"Authorization": f"Bearer {token}"},
                                      json={"name": "Tuż przed zamknięciem", "kind": "ngo", "region": "06"})
    assert response.status_code == 201 and response.get_json()["name"] == "Tuż przed zamknięciem"
    app.extensions["hub_live_graph"].close()
    hub.close()  # as a worker does at exit: the pending checkpoint is signed, not left for the next start
    fresh = HubApplication(sqlite_url)
    report = fresh.verify_log()
    assert report.ok, report.problems
    fresh.close()
