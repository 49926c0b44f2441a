"""Checking a receipt offline: a signed tree head and an inclusion proof, with nothing but the public key.

A receipt says: the event whose leaf hash is ``leaf_hash`` sits at ``index`` in
the log whose first ``tree_head.size`` events have root ``tree_head.root``, as
signed by the key ``public_key_sha256`` names. Anyone holding the operator's
public key can check that with this module alone — no database, no server.
"""

from __future__ import annotations

from typing import Any

from hub.ledger import TreeHead
from hub.merkle import verify_inclusion
from hub.signing import fingerprint


class ReceiptError(ValueError):
    """The receipt does not prove what it claims."""


def verify_receipt(receipt: dict[str, Any], public_pem: str) -> TreeHead:
    """Check the head's signature and the inclusion proof; return the head, or raise :class:`ReceiptError`."""
    try:
        head = TreeHead(**receipt["tree_head"])
        leaf = bytes.fromhex(receipt["leaf_hash"])
        proof = [bytes.fromhex(h) for h in receipt["proof"]]
        index, size = int(receipt["index"]), int(receipt["tree_size"])
    except (KeyError, TypeError, ValueError) as error:
        raise ReceiptError(f"not a receipt: {error}") from None
    if receipt.get("public_key_sha256") not in (None, fingerprint(public_pem)):
        raise ReceiptError("the receipt was signed with another key")
    if not head.verify(public_pem):
        raise ReceiptError("the tree head's signature does not verify with this key")
    if size != head.size:
        raise ReceiptError("the proof is for another tree size than the signed head")
    if not verify_inclusion(leaf, index, size, proof, bytes.fromhex(head.root)):
        raise ReceiptError(f"the inclusion proof does not place the event at index {index} under the signed root")
    return head
