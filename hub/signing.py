"""The hub's Ed25519 key that signs checkpoints, and what it remembers of the checkpoints it signed.

The private key lives in a file the operator holds (``HUB_SIGNING_KEY``, by
default ``var/hub-signing-key.pem``, mode 0600). It is made only for a new log:
when the file is missing but the store already holds checkpoints, the hub stops
with an error naming the file — a new key would make every checkpoint look
forged. Checking needs only the public key (``hub audit key`` prints it).

Beside the key the signer keeps the newest checkpoint it signed for each store
(``<key>.signed/<store id>``). A checkpoint spec rule is that a log never signs
a tree inconsistent with one it signed before; this record is how the signer
keeps it, and how ``hub audit verify`` notices heads deleted from the database
together with the events they covered — the one edit the database alone cannot
reveal. The record is written with the key's owner, away from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.errors import HubError
from hub.verifier.note import NoteError, NoteKey, Signature, public_key_from_pem, sign

DEFAULT_KEY_PATH = "var/hub-signing-key.pem"


class SigningKeyError(HubError):
    """The signing key is missing or unreadable (never replaced by a new one silently)."""


def key_path(path: str | os.PathLike[str] | None = None) -> Path:
    return Path(path or os.environ.get("HUB_SIGNING_KEY") or DEFAULT_KEY_PATH)


class Signer:
    def __init__(self, key: Ed25519PrivateKey, path: Path | None = None):
        self._key = key
        self.path = path
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def ephemeral(cls) -> Signer:
        """A throw-away key, for the in-memory store of unit tests."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Signer:
        """The key in ``path`` (``HUB_SIGNING_KEY`` or the default); an error if there is none."""
        path = key_path(path)
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except FileNotFoundError:
            raise SigningKeyError(f"the signing key {path} does not exist") from None
        except (OSError, ValueError, TypeError) as error:
            raise SigningKeyError(f"cannot read the signing key {path}: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f"{path} does not hold an Ed25519 private key")
        return cls(key, path)

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None) -> Signer:
        """A new key written to ``path`` (mode 0600); never overwrites one."""
        path = key_path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return cls(key, path)

    def derived_key(self, purpose: str) -> bytes:
        """A secret for ``purpose`` (a MAC's key), derived from the private key: only who holds the key can make it.

        >>> signer = Signer.ephemeral()
        >>> signer.derived_key("a") == signer.derived_key("a") != signer.derived_key("b")
        True
        """
        raw = self._key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
        return hmac.new(raw, purpose.encode(), hashlib.sha256).digest()

    @property
    def key(self) -> Ed25519PrivateKey:
        """The private key itself (for a witness's cosignatures)."""
        return self._key

    def note_key(self, origin: str) -> NoteKey:
        return NoteKey.from_private(origin, self._key)

    def sign(self, text: str, origin: str) -> Signature:
        return sign(text, origin, self._key)

    @property
    def public_pem(self) -> str:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    # -- the newest checkpoint signed for each store --------------------------------------

    def record_path(self, store: str) -> Path | None:
        """Where the newest checkpoint signed for ``store`` is kept (None for a throw-away key)."""
        return self._record(store)

    def _record(self, store: str) -> Path | None:
        if self.path is None:
            return None
        return self.path.with_name(self.path.name + ".signed") / hashlib.sha256(store.encode()).hexdigest()[:24]

    def remembered(self, store: str) -> str | None:
        """The newest checkpoint note this key signed for ``store`` (a database URL), if it kept one."""
        record = self._record(store)
        if record is None:
            return self._memory.get(store)
        try:
            return record.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def remember(self, store: str, note: str) -> None:
        record = self._record(store)
        with self._lock:
            if record is None:
                self._memory[store] = note
                return
            record.parent.mkdir(mode=0o700, exist_ok=True)
            temporary = record.with_name(f"{record.name}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_text(note, encoding="utf-8")
            os.replace(temporary, record)

    def forget(self, store: str) -> None:
        """Drop the record for ``store`` (a store emptied and imported again starts a new history)."""
        record = self._record(store)
        self._memory.pop(store, None)
        if record is not None:
            record.unlink(missing_ok=True)


def read_public_key(path: str | os.PathLike[str], origin: str) -> NoteKey:
    """The hub's public key from a PEM file (or a verifier key line), for checking only."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except OSError as error:
        raise SigningKeyError(f"cannot read the public key {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SigningKeyError(f"{path} is not a PEM public key") from None
    try:
        if "-----BEGIN" in text:
            if "PRIVATE KEY" in text:
                raise SigningKeyError(f"{path} holds a private key: give the public one (`hub audit key`)")
            public_key_from_pem(text)
            return NoteKey.from_pem(origin, text)
        return NoteKey.parse(text)
    except NoteError as error:
        raise SigningKeyError(f"{path}: {error}") from None
