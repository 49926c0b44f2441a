"""The operator's Ed25519 key that signs tree heads (``cryptography``), and signature checks.

The private key lives in a file the operator holds (``HUB_SIGNING_KEY``, by
default ``var/hub-signing-key.pem``), created on first use with mode 0600. The
public key is published so anyone can check a signed tree head or a receipt.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DEFAULT_KEY_PATH = "var/hub-signing-key.pem"


class Signer:
    def __init__(self, key: Ed25519PrivateKey):
        self._key = key

    @classmethod
    def ephemeral(cls) -> Signer:
        """A throw-away key, for the in-memory store of unit tests."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_file(cls, path: str | os.PathLike[str] | None = None) -> Signer:
        """The key in ``path`` (``HUB_SIGNING_KEY`` or the default), made on first use."""
        path = Path(path or os.environ.get("HUB_SIGNING_KEY") or DEFAULT_KEY_PATH)
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} does not hold an Ed25519 private key")
            return cls(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return cls(key)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._key.sign(message)).decode("ascii")

    @property
    def public_pem(self) -> str:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def fingerprint(public_pem: str) -> str:
    """A short, stable name for a public key: SHA-256 of its PEM text, in hex."""
    return hashlib.sha256(public_pem.strip().encode("ascii")).hexdigest()


def verify_signature(public_pem: str, message: bytes, signature_b64: str) -> bool:
    try:
        key = serialization.load_pem_public_key(public_pem.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            return False
        key.verify(base64.b64decode(signature_b64, validate=True), message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
