"""Heads and receipts of the first format (a JSON message signed beside it) still check, in one place."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.verifier.checkpoint import legacy_head_message, legacy_head_verifies
from hub.verifier.merkle import MerkleTree, leaf_hash
from hub.verifier.note import NoteKey
from hub.verifier.receipts import ReceiptError, verify_receipt


def old_head(key: Ed25519PrivateKey, tree: MerkleTree) -> dict:
    root, signed_at = tree.root().hex(), "2026-11-24T20:53:30+00:00"
    signature = base64.b64encode(key.sign(legacy_head_message(tree.size, root, signed_at))).decode()
    return {"size": tree.size, "root": root, "signed_at": signed_at, "signature": signature}


def test_an_old_head_verifies_with_its_key_and_not_once_changed_or_with_another():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    tree = MerkleTree()
    for data in (b"a", b"b", b"c"):
        tree.append(leaf_hash(data))
    head = old_head(key, tree)
    mine, theirs = NoteKey.from_private("x.example/log", key), NoteKey.from_private("x.example/log", other)
    assert legacy_head_verifies(mine, head["size"], head["root"], head["signed_at"], head["signature"])
    assert not legacy_head_verifies(mine, head["size"] + 1, head["root"], head["signed_at"], head["signature"])
    assert not legacy_head_verifies(theirs, head["size"], head["root"], head["signed_at"], head["signature"])
    assert not legacy_head_verifies(mine, head["size"], head["root"], head["signed_at"], "not base64!")

    receipt = {"tree_head": head, "leaf_hash": leaf_hash(b"b").hex(), "index": 1, "tree_size": 3,
               "proof": [h.hex() for h in tree.inclusion_proof(1, 3)], "position": 2}
    assert verify_receipt(receipt, mine).size == 3
    try:
        verify_receipt(receipt, theirs)
    except ReceiptError as error:
        assert "does not verify with this key" in str(error)
    else:
        raise AssertionError("another key's receipt verified")
