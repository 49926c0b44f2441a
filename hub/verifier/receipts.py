"""Checking a receipt offline: a signed checkpoint and an inclusion proof, with nothing but the public key.

A receipt says: the event whose leaf hash is ``leaf_hash`` sits at ``index`` in
the log whose first ``tree_size`` events have the root the checkpoint states,
as signed by the hub's key (and, when witnesses are named, cosigned by them).
Anyone holding the hub's public key can check that with this module alone — no
database, no server. Receipts issued before checkpoints (a JSON tree head with
a signature beside it) still check.
"""

from __future__ import annotations

from typing import Any

from hub.verifier.checkpoint import LEGACY_LOG, Checkpoint, CheckpointError, legacy_head_verifies, open_checkpoint
from hub.verifier.merkle import verify_inclusion
from hub.verifier.note import NoteKey


class ReceiptError(ValueError):
    """The receipt does not prove what it claims."""


def verify_receipt(receipt: dict[str, Any], log_key: NoteKey, witnesses: list[NoteKey] | None = None,
                   quorum: int = 0) -> Checkpoint:
    """Check the checkpoint's signatures and the inclusion proof; return the checkpoint, or raise ReceiptError."""
    try:
        head = receipt["tree_head"]
        leaf = bytes.fromhex(receipt["leaf_hash"])
        proof = [bytes.fromhex(h) for h in receipt["proof"]]
        index, size = int(receipt["index"]), int(receipt["tree_size"])
        note = head.get("checkpoint")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReceiptError(f"not a receipt: {error}") from None
    if note is None:
        checkpoint = _legacy(head, log_key)
    else:
        try:
            signed = open_checkpoint(str(note), log_key)
        except CheckpointError as error:
            raise ReceiptError(str(error)) from None
        checkpoint = signed.checkpoint
        if witnesses and quorum:
            named = signed.cosigners(witnesses)
            if len(named) < quorum:
                raise ReceiptError(f"the checkpoint has {len(named)} of the {quorum} witness cosignatures asked for")
    if size != checkpoint.size:
        raise ReceiptError("the proof is for another tree size than the signed checkpoint")
    if not verify_inclusion(leaf, index, size, proof, checkpoint.root):
        raise ReceiptError(f"the inclusion proof does not place the event at index {index} under the signed root")
    return checkpoint


def _legacy(head: dict[str, Any], log_key: NoteKey) -> Checkpoint:
    try:
        size, root, signed_at, signature = int(head["size"]), str(head["root"]), str(head["signed_at"]), \
            str(head["signature"])
        bytes.fromhex(root)
    except (KeyError, TypeError, ValueError):
        raise ReceiptError("not a receipt: its tree head has no checkpoint and no signature") from None
    if not legacy_head_verifies(log_key, size, root, signed_at, signature):
        raise ReceiptError("the tree head's signature does not verify with this key")
    return Checkpoint(LEGACY_LOG, size, bytes.fromhex(root), signed_at, None)
