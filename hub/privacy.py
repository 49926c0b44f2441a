"""Personal data in an immutable log: names are sealed with a per-person key kept outside the log.

Signatories' and account holders' names enter events as :class:`Personal`
values. The transcoder stores them as ``{"person": id, "sealed": token}``: the
name encrypted (Fernet, from ``cryptography``) with a key that belongs to that
person alone and lives in the ``hub_people`` table — not in the events, so not
in the Merkle leaves. ``hub privacy erase PERSON`` deletes the key: the name
becomes unreadable in every event that holds it, in every copy and backup of
the log, while the log's bytes — and so ``hub audit verify`` — stay exactly as
they were. Person ids are an HMAC of the normalised name under a per-store
salt, so the same person gets one key and the id reveals nothing by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from eventsourcing.persistence import Transcoding

ERASED = "[usunięto — erased]"


@dataclass(frozen=True)
class Personal:
    """A person's name inside an event; never stored in clear."""

    value: str

    def __str__(self) -> str:
        return self.value


def _normal(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


class Vault:
    """Per-person keys, on the application's own store (or in memory for memory://)."""

    def __init__(self, datastore: Any = None):
        self.datastore = datastore
        self.kind = type(datastore).__module__.rsplit(".", 1)[-1] if datastore is not None else "memory"
        self._memory: dict[str, str | None] = {}
        self._keys: dict[str, bytes | None] = {}
        self._salt: bytes | None = None
        self._ready = False
        self.lock = threading.RLock()

    # -- storage ---------------------------------------------------------------------

    def _sql(self, statement: str, params: tuple[Any, ...] = (), write: bool = False) -> list[tuple[Any, ...]]:
        if self.kind == "sqlite":
            with self.datastore.transaction(commit=write) as c:
                c.execute(statement, params)
                return [tuple(r) for r in c.fetchall()] if statement.lstrip().startswith("SELECT") else []
        from psycopg.sql import SQL, Identifier

        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL(statement.replace("?", "%s")).format(schema=Identifier(self.datastore.schema)), params)
            rows = [tuple(r.values()) for r in curs.fetchall()] if curs.description else []
            if write:
                conn.commit()
            return rows

    def _table(self) -> str:
        return "hub_people" if self.kind == "sqlite" else "{schema}.hub_people"

    def prepare(self) -> None:
        """Make the vault's table (schema only, no row)."""
        self._setup()

    def _setup(self) -> None:
        if self._ready or self.kind == "memory":
            self._ready = True
            return
        text = "TEXT" if self.kind == "sqlite" else "text"
        self._sql(f"CREATE TABLE IF NOT EXISTS {self._table()} (person_id {text} PRIMARY KEY, key {text}, "
                  f"erased_at {text})", write=True)
        self._ready = True

    def _read(self, person_id: str) -> tuple[bool, str | None]:
        """(known, key) for one person."""
        if self.kind == "memory":
            return (person_id in self._memory, self._memory.get(person_id))
        rows = self._sql(f"SELECT key FROM {self._table()} WHERE person_id = ?", (person_id,))
        return (bool(rows), rows[0][0] if rows else None)

    def _write(self, person_id: str, key: str | None, erased_at: str | None) -> None:
        if self.kind == "memory":
            self._memory[person_id] = key
            return
        if self.kind == "sqlite":
            self._sql(f"INSERT OR REPLACE INTO {self._table()} VALUES (?, ?, ?)", (person_id, key, erased_at),
                      write=True)
        else:
            self._sql(f"INSERT INTO {self._table()} VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE "
                      "SET key = EXCLUDED.key, erased_at = EXCLUDED.erased_at", (person_id, key, erased_at), write=True)

    # -- people ----------------------------------------------------------------------

    def salt(self) -> bytes:
        with self.lock:
            if self._salt is None:
                self._setup()
                known, value = self._read("#salt")
                if not known:
                    value = secrets.token_hex(32)
                    self._write("#salt", value, None)
                    value = self._read("#salt")[1] or value  # another process may have won
                assert value is not None
                self._salt = bytes.fromhex(value)
            return self._salt

    def person_id(self, name: str) -> str:
        return hmac.new(self.salt(), _normal(name).encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def key_for(self, person_id: str, create: bool) -> bytes | None:
        with self.lock:
            if person_id in self._keys:
                return self._keys[person_id]
            self._setup()
            known, key = self._read(person_id)
            if not known and create:
                key = Fernet.generate_key().decode("ascii")
                self._write(person_id, key, None)
                key = self._read(person_id)[1]
            self._keys[person_id] = key.encode("ascii") if key else None
            return self._keys[person_id]

    def erase(self, person: str) -> str | None:
        """Delete the key of a person (by name, or by person id); return the id, or None if unknown."""
        with self.lock:
            self._setup()
            for person_id in (person, self.person_id(person)):
                known, _ = self._read(person_id)
                if known and person_id != "#salt":
                    self._write(person_id, None, datetime.now(UTC).isoformat(timespec="seconds"))
                    self._keys[person_id] = None
                    return person_id
            return None

    def erasures(self) -> int:
        """How many people have been erased (a changed count means cached names must be dropped)."""
        self._setup()
        if self.kind == "memory":
            return sum(1 for k, v in self._memory.items() if v is None and k != "#salt")
        return int(self._sql(f"SELECT COUNT(*) FROM {self._table()} WHERE key IS NULL")[0][0])

    def forget_cache(self) -> None:
        with self.lock:
            self._keys.clear()
            self._salt = None

    def person_keys(self) -> list[tuple[str, str]]:
        """Every live person key (for a full backup); erased people have none."""
        self._setup()
        if self.kind == "memory":
            return [(p, k) for p, k in self._memory.items() if k]
        return [(p, k) for p, k in self._sql(f"SELECT person_id, key FROM {self._table()} WHERE key IS NOT NULL")]

    def rekey(self, person_id: str) -> bytes:
        """A new key for a person named again after erasure; what was erased stays unreadable."""
        with self.lock:
            key = Fernet.generate_key()
            self._write(person_id, key.decode("ascii"), None)
            self._keys[person_id] = key
            return key

    def restore(self, person_id: str, key: str) -> None:
        self._setup()
        self._write(person_id, key, None)
        self._keys.pop(person_id, None)


class PersonalAsSealed(Transcoding):
    """Seal a :class:`Personal` value with its person's key; open it if the key still exists."""

    type = Personal
    name = "personal"

    def __init__(self, vault: Vault):
        self.vault = vault

    def encode(self, obj: Personal) -> dict[str, str]:
        person_id = self.vault.person_id(obj.value)
        key = self.vault.key_for(person_id, create=True) or self.vault.rekey(person_id)
        return {"person": person_id, "sealed": Fernet(key).encrypt(obj.value.encode("utf-8")).decode("ascii")}

    def decode(self, data: dict[str, str]) -> str:
        key = self.vault.key_for(data["person"], create=False)
        if key is None:
            return ERASED
        try:
            return Fernet(key).decrypt(data["sealed"].encode("ascii")).decode("utf-8")
        except InvalidToken:
            return ERASED
