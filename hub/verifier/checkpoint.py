"""The hub's signed tree heads as C2SP checkpoints (``c2sp.org/tlog-checkpoint``), each chained to the previous.

A checkpoint's text is the log's origin, its size, the base64 root of the
RFC 6962 tree of its first ``size`` events, and two extension lines: ``time``
(when it was signed, UTC) and ``previous`` (the SHA-256 of the previous
checkpoint's text, or ``none`` for the first). The chain is what makes heads
impossible to drop quietly: deleting one breaks the next one's ``previous``,
deleting the last ones leaves an unsigned tail the verifier reports, and the
witnesses and the signer keep the newest ones elsewhere. Transparency-log tools
read the first three lines and ignore the rest, as the specification asks.

>>> c = Checkpoint("example.org/log", 3, bytes(32), "2026-11-25T10:00:00Z", None)
>>> Checkpoint.parse(c.text()) == c
True
>>> c.text().splitlines()[3:]
['time 2026-11-25T10:00:00Z', 'previous none']
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.verifier.note import NoteError, NoteKey, Signature, join, split


class CheckpointError(ValueError):
    """A checkpoint that is malformed, or not signed by the key that should have signed it."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: str  # ISO 8601, UTC, seconds
    previous: str | None  # base64 SHA-256 of the previous checkpoint's text

    def text(self) -> str:
        root = base64.b64encode(self.root).decode("ascii")
        return (f"{self.origin}\n{self.size}\n{root}\ntime {self.time}\n"
                f"previous {self.previous or 'none'}\n")

    def digest(self) -> str:
        """What the next checkpoint's ``previous`` line names."""
        return base64.b64encode(hashlib.sha256(self.text().encode("utf-8")).digest()).decode("ascii")

    @property
    def root_hex(self) -> str:
        return self.root.hex()

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.removesuffix("\n").split("\n")
        try:
            origin, size_text, root_text, time_line, previous_line = lines
            size = int(size_text)
            root = base64.b64decode(root_text, validate=True)
        except (ValueError, binascii.Error):
            raise CheckpointError("not a hub checkpoint: origin, size, root, time and previous lines") from None
        if (not origin or str(size) != size_text or size < 0 or len(root) != 32
                or not time_line.startswith("time ") or not previous_line.startswith("previous ")):
            raise CheckpointError("not a hub checkpoint: origin, size, root, time and previous lines")
        previous = previous_line.removeprefix("previous ")
        return cls(origin, size, root, time_line.removeprefix("time "), None if previous == "none" else previous)


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint with its note: the log's signature and any witness cosignatures."""

    checkpoint: Checkpoint
    signatures: tuple[Signature, ...] = field(default=())

    @property
    def size(self) -> int:
        return self.checkpoint.size

    @property
    def root(self) -> str:
        """The root in hex, as the API and the command line show it."""
        return self.checkpoint.root_hex

    def note(self) -> str:
        return join(self.checkpoint.text(), list(self.signatures))

    def with_signatures(self, extra: list[Signature]) -> SignedCheckpoint:
        known = {s.line() for s in self.signatures}
        return SignedCheckpoint(self.checkpoint, self.signatures + tuple(s for s in extra if s.line() not in known))

    def cosigners(self, witnesses: list[NoteKey]) -> list[str]:
        """The names of the witnesses whose cosignature on this checkpoint verifies."""
        text = self.checkpoint.text()
        return sorted({w.name for w in witnesses for s in self.signatures if w.verifies(text, s)})

    def as_head(self) -> dict[str, object]:
        """The JSON the API shows: size, hex root, time and the note itself."""
        c = self.checkpoint
        return {"size": c.size, "root": c.root_hex, "signed_at": c.time, "checkpoint": self.note()}


def open_checkpoint(note: str, log_key: NoteKey) -> SignedCheckpoint:
    """Parse a signed checkpoint and check the log's signature on it; raise :class:`CheckpointError`."""
    try:
        text, signatures = split(note)
    except NoteError as error:
        raise CheckpointError(str(error)) from None
    checkpoint = Checkpoint.parse(text)
    if checkpoint.origin != log_key.name:
        raise CheckpointError(f"a checkpoint of the log {checkpoint.origin!r}, not of {log_key.name!r}")
    own = [s for s in signatures if log_key.matches(s)]
    if not own:
        ids = ", ".join(sorted({s.key_id.hex() for s in signatures})) or "none"
        raise CheckpointError(f"the checkpoint of size {checkpoint.size} is not signed by the key "
                              f"{log_key.id.hex()} (its signatures name key ids {ids})")
    if not all(log_key.verifies(text, s) for s in own):
        raise CheckpointError(f"the checkpoint of size {checkpoint.size} has a bad signature")
    return SignedCheckpoint(checkpoint, tuple(signatures))


# -- heads signed before checkpoints (JSON message, signature beside it) --------------------

LEGACY_LOG = "partnership-hub"  # the log name every head of the first format signed


def legacy_head_message(size: int, root: str, signed_at: str) -> bytes:
    """What a tree head of the first format signed (kept so old heads, exports and receipts still check)."""
    return json.dumps({"log": LEGACY_LOG, "size": size, "root": root, "signed_at": signed_at},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def legacy_head_verifies(key: NoteKey, size: int, root: str, signed_at: str, signature: str) -> bool:
    """Does ``signature`` (base64) sign this head of the first format with ``key``? Anything unreadable: no."""
    try:
        Ed25519PublicKey.from_public_bytes(key.raw).verify(base64.b64decode(signature, validate=True),
                                                           legacy_head_message(size, root, signed_at))
        return True
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
