"""A witness (``c2sp.org/tlog-witness``): an independent process that cosigns the hub's checkpoints.

Meant to run on another organisation's machine, with its own Ed25519 key and
its own small SQLite store. For each log it trusts (an origin and that log's
public key) it keeps the newest checkpoint it cosigned, and cosigns a new one
only with a consistency proof from that one (RFC 6962) — so a history that was
rewritten or cut short is refused (422 or 409), and a second, different
checkpoint of a size it already cosigned is a split view, refused (409) and
kept as evidence. ``GET /checkpoint/<origin>`` gives the newest cosigned
checkpoint, which ``hub audit verify`` fetches to check the log still extends it.

Run it with ``hub witness serve``; ``hub witness key`` prints the verifier key
the hub lists in its ``HUB_WITNESSES`` file.
"""

from __future__ import annotations

import base64
import binascii
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask, Response, request

from hub.verifier.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from hub.verifier.merkle import verify_consistency
from hub.verifier.note import COSIGNATURE, NoteError, NoteKey, cosign, split

SIZE_TYPE = "text/x.tlog.size"
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class Witness:
    """The witness's rules and state; the HTTP app around it is :func:`create_witness_app`."""

    def __init__(self, name: str, key: Ed25519PrivateKey, store: str | Path, logs: dict[str, NoteKey]):
        self.name = name
        self._key = key
        self.logs = {origin: NoteKey(origin, log_key.raw) for origin, log_key in logs.items()}
        self._db = sqlite3.connect(str(store), check_same_thread=False, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS latest (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                         "note TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS evidence (received_at TEXT NOT NULL, origin TEXT NOT NULL, "
                         "reason TEXT NOT NULL, body TEXT NOT NULL)")
        self._lock = threading.Lock()  # check the old size and store the new checkpoint atomically

    @property
    def key(self) -> NoteKey:
        return NoteKey.from_private(self.name, self._key, COSIGNATURE)

    def latest(self, origin: str) -> str | None:
        row = self._db.execute("SELECT note FROM latest WHERE origin = ?", (origin,)).fetchone()
        return None if row is None else str(row[0])

    def evidence(self) -> list[tuple[str, str]]:
        return [(str(o), str(r)) for o, r in self._db.execute("SELECT origin, reason FROM evidence ORDER BY rowid")]

    def add_checkpoint(self, body: str) -> Reply:
        head, sep, note = body.partition("\n\n")
        lines = head.split("\n")
        if not sep or not lines[0].startswith("old ") or not lines[0][4:].isdigit() or len(lines) > 64:
            return Reply(400, "the body is: old SIZE, proof lines, a blank line, then the checkpoint\n")
        old = int(lines[0][4:])
        try:
            proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
            text, _ = split(note)
            origin = text.split("\n", 1)[0]
        except (NoteError, binascii.Error, ValueError):
            return Reply(400, "not a signed checkpoint\n")
        log_key = self.logs.get(origin)
        if log_key is None:
            return Reply(404, f"this witness does not follow the log {origin}\n")
        try:
            checkpoint = open_checkpoint(note, log_key).checkpoint
        except CheckpointError as error:
            return Reply(403, f"{error}\n")
        if old > checkpoint.size:
            return Reply(400, "the old size is larger than the checkpoint's\n")
        with self._lock:
            stored = self.latest(origin)
            known = Checkpoint.parse(split(stored)[0]) if stored else None
            known_size = known.size if known else 0
            if old != known_size:
                return Reply(409, f"{known_size}\n", SIZE_TYPE)
            if known is not None and known.size == checkpoint.size:
                if known.root != checkpoint.root:
                    self._keep(origin, "split view: a second checkpoint of one size with another root", body)
                    return Reply(409, f"{known_size}\n", SIZE_TYPE)
            elif known is not None and not verify_consistency(known.size, checkpoint.size, known.root,
                                                              checkpoint.root, proof):
                self._keep(origin, f"no consistency from size {known.size} to {checkpoint.size}", body)
                return Reply(422, "the consistency proof does not verify: the log was rewritten or cut\n")
            elif known is None and proof:
                return Reply(400, "a proof from size 0 must be empty\n")
            signature = cosign(checkpoint.text(), self.name, self._key)
            cosigned = note + signature.line()
            self._db.execute("INSERT INTO latest (origin, size, note) VALUES (?, ?, ?) ON CONFLICT (origin) "
                             "DO UPDATE SET size = excluded.size, note = excluded.note",
                             (origin, checkpoint.size, cosigned))
        return Reply(200, signature.line())

    def _keep(self, origin: str, reason: str, body: str) -> None:
        self._db.execute("INSERT INTO evidence VALUES (?, ?, ?, ?)",
                         (datetime.now(UTC).isoformat(timespec="seconds"), origin, reason, body))

    def close(self) -> None:
        self._db.close()


def create_witness_app(witness: Witness) -> Flask:
    """``POST /add-checkpoint`` (the C2SP protocol) and ``GET /checkpoint/<origin>`` (the newest cosigned)."""
    app = Flask("hub.witness")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    @app.post("/add-checkpoint")
    def add_checkpoint() -> Response:
        try:
            body = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            return Response("not UTF-8\n", 400, content_type="text/plain; charset=utf-8")
        reply = witness.add_checkpoint(body)
        return Response(reply.body, reply.status, content_type=reply.content_type)

    @app.get("/checkpoint/<path:origin>")
    def latest(origin: str) -> Response:
        note = witness.latest(origin)
        if note is None:
            return Response(f"no checkpoint of {origin} cosigned yet\n", 404, content_type="text/plain; charset=utf-8")
        return Response(note, 200, content_type="text/plain; charset=utf-8")

    return app
