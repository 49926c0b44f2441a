"""C2SP signed notes (``c2sp.org/signed-note``) with Ed25519 keys, and Ed25519 witness cosignatures.

A note is text ending in a newline, a blank line, then signature lines
``— <key name> base64(key id || signature)``. The key id is the first four
bytes of ``SHA-256(name || "\\n" || type || public key)``: type 0x01 for a
log's Ed25519 signature over the text, 0x04 for a witness cosignature
(``c2sp.org/tlog-cosignature``), which signs ``cosignature/v1``, a time line
and the text, and carries the time before the signature. Keys are passed
around as *verifier keys* (``name+hexid+base64(type || key)``), the text form
transparency-log tools read.

>>> key = Ed25519PrivateKey.generate()
>>> log = NoteKey.from_private("example.org/log", key)
>>> note = join("example.org/log\\n1\\nAAAA\\n", [sign("example.org/log\\n1\\nAAAA\\n", log.name, key)])
>>> text, signatures = split(note)
>>> log.verifies(text, signatures[0])
True
>>> NoteKey.parse(log.vkey()) == log
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time as _time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519, COSIGNATURE = 0x01, 0x04
DASH = "\u2014"
MAX_SIGNATURES = 32


class NoteError(ValueError):
    """Not a well-formed signed note, or a key that cannot be read."""


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode('ascii')}\n"


def _check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def key_id(name: str, kind: int, raw_public: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([kind]) + raw_public).digest()[:4]


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_pem(pem: str | bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise NoteError("not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise NoteError("not an Ed25519 public key")
    return key


@dataclass(frozen=True)
class NoteKey:
    """A named Ed25519 public key that checks one kind of note signature (a log's, or a witness's)."""

    name: str
    raw: bytes  # the 32-byte Ed25519 public key
    kind: int = ED25519

    @classmethod
    def from_pem(cls, name: str, pem: str | bytes, kind: int = ED25519) -> NoteKey:
        return cls(_check_name(name), raw_public_key(public_key_from_pem(pem)), kind)

    @classmethod
    def from_private(cls, name: str, key: Ed25519PrivateKey, kind: int = ED25519) -> NoteKey:
        return cls(_check_name(name), raw_public_key(key.public_key()), kind)

    @classmethod
    def parse(cls, vkey: str) -> NoteKey:
        """A verifier key ``name+hexid+base64(type || key)``."""
        try:
            name, hex_id, blob = vkey.strip().split("+", 2)
            data = base64.b64decode(blob, validate=True)
            key = cls(_check_name(name), data[1:], data[0])
            ok = len(key.raw) == 32 and key.kind in (ED25519, COSIGNATURE) and key.id.hex() == hex_id.lower()
        except (ValueError, IndexError, binascii.Error):
            ok = False
        if not ok:
            raise NoteError(f"not an Ed25519 verifier key (name+id+key): {vkey.strip()[:80]!r}")
        return key

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.raw)

    def vkey(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(bytes([self.kind]) + self.raw).decode('ascii')}"

    def pem(self) -> str:
        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    def matches(self, signature: Signature) -> bool:
        return signature.name == self.name and signature.key_id == self.id

    def verifies(self, text: str, signature: Signature) -> bool:
        """Does ``signature`` (by this key) sign ``text``? Cosignatures: over their time line and the text."""
        if not self.matches(signature):
            return False
        message, raw = text.encode("utf-8"), signature.signature
        if self.kind == COSIGNATURE:
            if len(raw) != 72:
                return False
            message = cosigned_message(text, int.from_bytes(raw[:8], "big"))
            raw = raw[8:]
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(raw, message)
            return True
        except InvalidSignature:
            return False

    def timestamp(self, signature: Signature) -> int | None:
        """When a cosignature says it was made (POSIX seconds)."""
        return int.from_bytes(signature.signature[:8], "big") if self.kind == COSIGNATURE else None


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode("utf-8")


def sign(text: str, name: str, key: Ed25519PrivateKey) -> Signature:
    """The log's own Ed25519 signature over ``text``."""
    return Signature(_check_name(name), NoteKey.from_private(name, key).id, key.sign(text.encode("utf-8")))


def cosign(text: str, name: str, key: Ed25519PrivateKey, timestamp: int | None = None) -> Signature:
    """A witness's timestamped cosignature over a checkpoint's text."""
    when = int(_time.time()) if timestamp is None else timestamp
    raw = when.to_bytes(8, "big") + key.sign(cosigned_message(text, when))
    return Signature(_check_name(name), NoteKey.from_private(name, key, COSIGNATURE).id, raw)


def split(note: str) -> tuple[str, list[Signature]]:
    """The text (with its final newline) and the signatures of a signed note."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("a note holds no control characters other than newlines")
    text, sep, block = note.rpartition("\n\n")
    if not sep or not block.endswith("\n"):
        raise NoteError("not a signed note: no blank line before the signatures")
    signatures = [parse_signature(line) for line in block.removesuffix("\n").split("\n")]
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return text + "\n", signatures


def parse_signature(line: str) -> Signature:
    parts = line.removesuffix("\n").split(" ")
    if len(parts) != 3 or parts[0] != DASH:
        raise NoteError(f"not a signature line: {line[:80]!r}")
    try:
        blob = base64.b64decode(parts[2], validate=True)
    except (ValueError, binascii.Error):
        raise NoteError(f"a signature that is not base64: {line[:80]!r}") from None
    if len(blob) < 5:
        raise NoteError(f"a signature too short to hold a key id: {line[:80]!r}")
    return Signature(_check_name(parts[1]), blob[:4], blob[4:])


def join(text: str, signatures: list[Signature]) -> str:
    return text + "\n" + "".join(s.line() for s in signatures)
