"""Export and import: the same records, projections and root come back; bad files store nothing."""

from __future__ import annotations

import base64
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.application import HubApplication
from hub.archive import ArchiveError, export_log, import_log
from hub.authorisation import Principal
from hub.log import record_state
from hub.sample import load_sample
from hub.synthetic import generate
from projections.follower import build_graph
from tests.integration.test_application import scenario
from tests.projections.helpers import canonical


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'imported.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def exported(app: HubApplication) -> str:
    out = io.StringIO()
    export_log(app, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    app = HubApplication(f"sqlite:///{tmp_path_factory.mktemp('src') / 'hub.sqlite3'}")
    load_sample(app)
    scenario(app)
    generate(app, partnerships=10, organisations=30, meetings=10, exchanges=20, seed=4)
    yield app, exported(app)
    app.close()


def test_an_import_reproduces_records_projections_and_root(source, target_url):
    app, text = source
    target = HubApplication(target_url)
    trailer = import_log(target, iter(text.splitlines()))
    assert trailer["events"] == app.log_length() == target.log_length()
    assert target.ledger.sign_head().root == app.ledger.sign_head().root == trailer["root"]
    assert trailer["checkpoints"] == len(app.ledger.rows.checkpoints()) >= 1  # the chain travels with the log
    assert target.verify_log().ok
    for n in app.notifications():
        assert record_state(target.get(n.originator_id)) == record_state(app.get(n.originator_id))
    assert canonical(build_graph(target).snapshot()) == canonical(build_graph(app).snapshot())
    lines = text.splitlines()
    first = json.loads(lines[1])  # the stored bytes travel as base64: exact, whatever they hold
    assert "Instytut Badań Edukacyjnych" in base64.b64decode(first["state"]).decode("utf-8")
    assert target.get(first["originator_id"]).name == "Instytut Badań Edukacyjnych"
    target.register_organisation(by=Principal.operator("m"), name="Nowa po imporcie", kind="ngo", region="02", city="Wrocław")
    target.ledger.sign_head()
    assert target.log_length() == app.log_length() + 1 and target.verify_log().ok  # the log goes on
    target.close()


def test_an_import_into_a_store_that_is_not_empty_is_refused(source, target_url):
    _, text = source
    target = HubApplication(target_url)
    load_sample(target)
    with pytest.raises(ArchiveError, match="not empty"):
        import_log(target, iter(text.splitlines()))
    assert target.log_length() == 7
    target.close()


@pytest.mark.parametrize("damage, message", [
    (lambda lines: lines[:-5], "truncated"),
    (lambda lines: lines[:40] + [lines[40][:-30]], "not JSON"),
    (lambda lines: [lines[0]] + [lines[1].replace('"version": 1', '"version": 2')] + lines[2:], "does not match its leaf"),
    (lambda lines: [lines[0], lines[2], lines[1]] + lines[3:], "out of order"),
    (lambda lines: [lines[0]] + lines[2:], "events but holds"),
    (lambda lines: ["{}"] + lines[1:], "not a partnership-hub-log/2 export"),
], ids=["truncated", "cut line", "edited event", "reordered", "missing event", "no header"])
def test_a_damaged_file_is_refused_and_nothing_is_stored(source, target_url, damage, message):
    _, text = source
    target = HubApplication(target_url)
    with pytest.raises(ArchiveError, match=message):
        import_log(target, iter(damage(text.splitlines())))
    assert nothing_stored(target)
    target.close()


def nothing_stored(app: HubApplication) -> bool:
    """No event, no leaf, no checkpoint, no person key: a refused import leaves no row behind."""
    return (app.log_length() == 0 and not app.ledger.rows.leaves_after(0) and not app.ledger.rows.checkpoints()
            and not app.vault.person_keys())


def _rewrite_with_hashes_recomputed(lines: list[str]) -> list[str]:
    """Change one event, recompute its leaf and the trailer's root: only a signature can tell."""
    from types import SimpleNamespace

    from hub.ledger import event_leaf
    from hub.verifier.merkle import MerkleTree

    out, tree = [lines[0]], MerkleTree()
    for text in lines[1:]:
        line = json.loads(text)
        if "position" in line:
            if line["position"] == 2:
                state = base64.b64decode(line["state"]).replace(b"\"actor\":\"", b"\"actor\":\"X", 1)
                assert state != base64.b64decode(line["state"])
                line["state"] = base64.b64encode(state).decode("ascii")
                row = SimpleNamespace(originator_id=line["originator_id"], originator_version=line["version"],
                                      topic=line["topic"], state=state)
                line["leaf_hash"] = event_leaf(2, row).hex()
            tree.append(bytes.fromhex(line["leaf_hash"]))
        if line.get("end"):
            line["root"] = tree.root().hex()
        out.append(json.dumps(line, ensure_ascii=False))
    return out


def _drop_last_events(lines: list[str], n: int) -> list[str]:
    """Drop the newest ``n`` events and restate the count and root, keeping the rest as exported."""
    from hub.verifier.merkle import MerkleTree

    events = [i for i, text in enumerate(lines) if '"position"' in text]
    dropped = set(events[-n:])
    kept = [text for i, text in enumerate(lines) if i not in dropped]
    tree = MerkleTree()
    for text in kept:
        if '"position"' in text:
            tree.append(bytes.fromhex(json.loads(text)["leaf_hash"]))
    trailer = {"end": True, "events": tree.size, "root": tree.root().hex()}
    return kept[:-1] + [json.dumps(trailer)]


def _forged_header(lines: list[str]) -> list[str]:
    """Sign the file's own checkpoint with the forger's key and put it in the header."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from hub.verifier.checkpoint import Checkpoint, SignedCheckpoint
    from hub.verifier.merkle import MerkleTree
    from hub.verifier.note import sign

    forged = _drop_last_events(lines, 50)
    header = json.loads(forged[0])
    tree = MerkleTree()
    for text in forged:
        if '"position"' in text:
            tree.append(bytes.fromhex(json.loads(text)["leaf_hash"]))
    checkpoint = Checkpoint(header["origin"], tree.size, tree.root(), "2026-11-25T00:00:00Z", None)
    header["checkpoint"] = SignedCheckpoint(checkpoint, (sign(checkpoint.text(), header["origin"],
                                                               Ed25519PrivateKey.generate()),)).note()
    return [json.dumps(header)] + forged[1:]


def _resigned(lines: list[str], app: HubApplication) -> list[str]:
    """The file signed again with the hub's own key: what an insider holding the key could export."""
    from hub.verifier.checkpoint import Checkpoint, SignedCheckpoint
    from hub.verifier.merkle import MerkleTree

    tree = MerkleTree()
    for text in lines:
        if '"position"' in text:
            tree.append(bytes.fromhex(json.loads(text)["leaf_hash"]))
    checkpoint = Checkpoint(app.ledger.origin, tree.size, tree.root(), "2026-11-25T00:00:00Z", None)
    note = SignedCheckpoint(checkpoint, (app.ledger.signer.sign(checkpoint.text(), app.ledger.origin),)).note()
    header = {**json.loads(lines[0]), "checkpoint": note}
    body = [text for text in lines[1:] if not text.startswith('{"checkpoint"')]
    return [json.dumps(header)] + body[:-1] + [json.dumps({"checkpoint": note}), body[-1]]


def _poison_topic(lines: list[str], app: HubApplication) -> list[str]:
    """An event whose topic names code outside the hub (it would be imported and run when read), signed."""
    return _resigned(_retopic(lines, "os:system"), app)


def _retopic(lines: list[str], topic: str) -> list[str]:
    from types import SimpleNamespace

    from hub.ledger import event_leaf
    from hub.verifier.merkle import MerkleTree

    out, tree = [], MerkleTree()
    for text in lines:
        line = json.loads(text)
        if line.get("position") == 3:
            line["topic"] = topic
            row = SimpleNamespace(originator_id=line["originator_id"], originator_version=line["version"],
                                  topic=topic, state=base64.b64decode(line["state"]))
            line["leaf_hash"] = event_leaf(3, row).hex()
        if "position" in line:
            tree.append(bytes.fromhex(line["leaf_hash"]))
        if line.get("end"):
            line["root"] = tree.root().hex()
        out.append(json.dumps(line, ensure_ascii=False))
    return out


@pytest.mark.parametrize("forge, message", [
    (lambda lines, app: _rewrite_with_hashes_recomputed(lines), "do not add up to its signed checkpoint"),
    (lambda lines, app: _drop_last_events(lines, 50), "do not add up to its signed checkpoint"),
    (lambda lines, app: _forged_header(lines), "does not verify with the key"),
    (_poison_topic, "not one of the hub's events"),
    (lambda lines, app: _resigned(_retopic(lines, "hub.organisation:Nothing"), app), "not one of the hub's events"),
], ids=["event rewritten with its leaf and root recomputed", "last 50 events dropped", "forged header checkpoint",
        "poison topic", "unknown hub topic"])
def test_a_forged_backup_is_refused_and_nothing_is_stored(source, target_url, forge, message):
    app, text = source
    target = HubApplication(target_url)
    with pytest.raises(ArchiveError, match=message):
        import_log(target, iter(forge(text.splitlines(), app)))
    assert nothing_stored(target)
    target.close()


def test_an_export_with_a_byte_order_mark_imports(source, target_url):
    app, text = source
    target = HubApplication(target_url)
    trailer = import_log(target, iter(("\ufeff" + text).splitlines()))
    assert trailer["events"] == app.log_length() and target.verify_log().ok
    target.close()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_mangled_export_is_either_refused_whole_or_imported_exactly(source, tmp_path_factory, data):
    _, text = source
    lines = text.splitlines()
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    j = data.draw(st.integers(min_value=0, max_value=max(0, len(lines[i]) - 1)))
    mangled = lines[:i] + [lines[i][:j] + data.draw(st.sampled_from(["", "x", "0", '"', "}", " "])) + lines[i][j + 1:]] + lines[i + 1:]
    target = HubApplication(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}")
    try:
        trailer = import_log(target, iter(mangled))
    except ArchiveError:
        assert nothing_stored(target)
    else:
        assert target.ledger.sign_head().root == trailer["root"] and target.verify_log().ok
    target.close()
