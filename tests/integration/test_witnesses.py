"""Two witnesses on their own servers cosign the hub's checkpoints — and refuse what a rewritten, truncated or
forked history asks them to sign.

The attacks here are by an operator who holds the database *and* the hub's key
(so signing alone proves nothing): only the witnesses, which keep the newest
checkpoint they cosigned elsewhere, can tell.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from hub.application import HubApplication
from hub.archive import export_log, import_log
from hub.authorisation import Principal
from hub.ledger import DEFAULT_ORIGIN
from hub.sample import load_sample
from hub.signing import Signer, SigningKeyError
from hub.witness import Witness, create_witness_app
from tests.integration.test_tamper_evidence import Tamperer

M = Principal.operator("m")


class Running:
    def __init__(self, witness: Witness):
        self.witness = witness
        self.server = make_server("127.0.0.1", 0, create_witness_app(witness), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.witness.close()


@pytest.fixture
def witnesses(tmp_path, monkeypatch) -> Iterator[list[Running]]:
    origin = DEFAULT_ORIGIN
    try:
        hub_public = Signer.load().note_key(origin)  # the tests' hub key (HUB_SIGNING_KEY)
    except SigningKeyError:
        hub_public = Signer.create().note_key(origin)
    running = []
    for name in ("witness.example.org/w1", "witness.example.net/w2"):
        signer = Signer.create(tmp_path / f"{name.split('/')[-1]}.pem")
        running.append(Running(Witness(name, signer.key, tmp_path / f"{name.split('/')[-1]}.sqlite3",
                                       {origin: hub_public})))
    listing = tmp_path / "witnesses.txt"
    listing.write_text("".join(f"{r.witness.key.vkey()} {r.url}\n" for r in running), encoding="utf-8")
    monkeypatch.setenv("HUB_WITNESSES", str(listing))
    monkeypatch.setenv("HUB_WITNESS_QUORUM", "2")
    yield running
    for r in running:
        r.stop()


def _grow(app: HubApplication, n: int, prefix: str = "Organizacja") -> None:
    for i in range(n):
        app.register_organisation(by=M, name=f"{prefix} {i}", kind="ngo", region="06", city="Lublin")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def test_each_checkpoint_is_cosigned_by_both_witnesses_and_verify_requires_the_quorum(witnesses, url):
    app = HubApplication(url)
    load_sample(app)
    first = app.ledger.sign_head()
    _grow(app, 5)
    second = app.ledger.sign_head()
    assert len(second.cosigners([w.witness.key for w in witnesses])) == 2
    assert [w.witness.latest(app.ledger.origin).split("\n")[1] for w in witnesses] == [str(second.size)] * 2
    report = app.verify_log(ask_witnesses=True)
    assert report.ok, report.problems
    assert any("witness witness.example.org/w1" in n for n in report.notes)
    receipt = app.ledger.receipt(3)
    assert receipt["tree_head"]["checkpoint"].count("\u2014 witness.example") == 2  # a receipt carries them
    assert first.size < second.size
    app.close()


def test_a_witness_that_is_down_leaves_the_newest_checkpoint_short_of_the_quorum(witnesses, url):
    app = HubApplication(url)
    load_sample(app)
    app.ledger.sign_head()
    witnesses[1].stop()
    _grow(app, 2)
    app.ledger.sign_head()
    report = app.verify_log()
    assert not report.ok and "has 1 of the 2 witness cosignatures required" in str(report.first)
    app.close()


def test_a_history_rewritten_by_the_key_holder_is_refused_a_cosignature(witnesses, url):
    app = HubApplication(url)
    load_sample(app)
    _grow(app, 5)
    app.ledger.sign_head()
    t = Tamperer(url)
    t.rewrite(8, b"Organizacja 0", b"Organizacja X")
    t.sql("DELETE FROM {heads}")
    t.sql("DELETE FROM hub_cosignatures" if t.sqlite else t.heads.replace("hub_checkpoints", "hub_cosignatures")
          .join(["DELETE FROM ", ""]))
    forger = HubApplication(url)
    forger.ledger.signer.forget(forger.ledger.store)  # the key holder wipes what the signer remembered
    _grow(forger, 1, "Po fałszerstwie")
    forged = forger.ledger.sign_head()  # signed with the hub's own key: the store alone now looks whole
    assert forged.cosigners([w.witness.key for w in witnesses]) == []
    assert all("no consistency" in reason for w in witnesses for _, reason in w.witness.evidence())
    report = forger.verify_log(ask_witnesses=True)
    assert not report.ok
    assert any("has 0 of the 2 witness cosignatures" in p.what for p in report.problems)
    assert any("no longer add up" in p.what and "held outside the store" in p.what for p in report.problems)
    t.close()
    forger.close()
    app.close()


def test_a_tail_cut_with_its_checkpoints_is_refused_and_the_witnesses_name_the_cut(witnesses, url):
    app = HubApplication(url)
    load_sample(app)
    app.ledger.sign_head()
    _grow(app, 10)
    app.ledger.sign_head()
    t = Tamperer(url)
    t.cut(7, heads_too=True)
    t.sql("DELETE FROM hub_cosignatures WHERE size > 7" if t.sqlite else
          f"DELETE FROM {t.heads.replace('hub_checkpoints', 'hub_cosignatures')} WHERE size > 7")
    cutter = HubApplication(url)
    cutter.ledger.signer.forget(cutter.ledger.store)
    _grow(cutter, 2, "Po cięciu")
    cut = cutter.ledger.sign_head()
    assert cut.cosigners([w.witness.key for w in witnesses]) == []
    report = cutter.verify_log(ask_witnesses=True)
    assert not report.ok and any("covers 17 events but the log holds 9" in p.what for p in report.problems)
    t.close()
    cutter.close()
    app.close()


def test_a_split_view_two_checkpoints_of_one_size_is_refused_and_detected(witnesses, url, tmp_path):
    app = HubApplication(url)
    load_sample(app)
    app.ledger.sign_head()
    backup = io.StringIO()
    export_log(app, backup)
    fork = HubApplication(f"sqlite:///{tmp_path / 'fork.sqlite3'}")  # the same log and key, restored elsewhere
    import_log(fork, iter(backup.getvalue().splitlines()))
    _grow(app, 1, "Wersja A")
    _grow(fork, 1, "Wersja B")
    a, b = app.ledger.sign_head(), fork.ledger.sign_head()
    assert a.size == b.size and a.root != b.root
    keys = [w.witness.key for w in witnesses]
    assert len(a.cosigners(keys)) == 2 and b.cosigners(keys) == []
    assert all(reason.startswith("split view") for w in witnesses for _, reason in w.witness.evidence())
    report = fork.verify_log(ask_witnesses=True)
    assert any("a split view" in p.what for p in report.problems)
    fork.close()
    app.close()


def test_the_witness_protocol_answers_as_the_specification_says(witnesses):
    w = witnesses[0].witness
    assert w.add_checkpoint("nonsense").status == 400
    app = HubApplication("memory://")
    load_sample(app)
    note = app.ledger.sign_head().note()  # another key (the memory store's own): not trusted by the witness
    assert w.add_checkpoint("old 0\n\n" + note).status == 403
    unknown = note.replace(app.ledger.origin, "other.example/log", 1)
    assert w.add_checkpoint("old 0\n\n" + unknown).status == 404
    assert Path(witnesses[0].url).name  # served over real HTTP (the other tests post to it)
