"""The offline verifier imports only the standard library and ``cryptography``.

An auditor checks a receipt or a checkpoint on a machine that has nothing of the
hub but this package and the hub's public key: the test runs it in a process
where eventsourcing, psycopg, flask and networkx cannot be imported at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from hub.application import HubApplication
from hub.sample import load_sample

BLOCKED = ("eventsourcing", "psycopg", "flask", "networkx", "marshmallow", "projections", "web")


def run_without_the_hub(code: str) -> subprocess.CompletedProcess[str]:
    blocker = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {BLOCKED!r}:
                    raise ImportError(f"blocked: {{name}}")
                return None
        sys.meta_path.insert(0, Block())
    """)
    return subprocess.run([sys.executable, "-c", blocker + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=60)


def test_the_blocker_really_blocks():
    result = run_without_the_hub("import eventsourcing")
    assert result.returncode != 0 and "blocked: eventsourcing" in result.stderr


def test_a_receipt_verifies_in_a_process_without_eventsourcing_or_psycopg(tmp_path):
    app = HubApplication("memory://")
    load_sample(app)
    receipt = app.ledger.receipt(3)
    (tmp_path / "receipt.json").write_text(json.dumps(receipt), encoding="utf-8")
    (tmp_path / "key.vkey").write_text(app.ledger.log_key.vkey(), encoding="ascii")
    result = run_without_the_hub(f"""
        import json, sys
        from hub.verifier.note import NoteKey
        from hub.verifier.receipts import ReceiptError, verify_receipt
        receipt = json.load(open({str(tmp_path / "receipt.json")!r}))
        key = NoteKey.parse(open({str(tmp_path / "key.vkey")!r}).read())
        checkpoint = verify_receipt(receipt, key)
        receipt["leaf_hash"] = "00" * 32
        try:
            verify_receipt(receipt, key)
        except ReceiptError as error:
            print("forged refused:", error)
        print("size", checkpoint.size, "loaded", sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r}))
    """)
    assert result.returncode == 0, result.stderr
    assert "forged refused: the inclusion proof" in result.stdout
    assert f"size {receipt['tree_size']} loaded []" in result.stdout
