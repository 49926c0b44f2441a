"""Checking the hub's log offline: Merkle proofs, signed checkpoints, witness cosignatures, receipts.

This package stands alone on purpose. It imports only the standard library and
``cryptography`` — no eventsourcing, no database driver, nothing else of the
hub — so an auditor, a partner or a witness operator can check a receipt or a
checkpoint on a machine that holds nothing but the hub's published public key
(a test imports it in a process where eventsourcing and psycopg cannot load).

- :mod:`hub.verifier.merkle` — RFC 6962 / 9162 trees, inclusion and consistency proofs;
- :mod:`hub.verifier.note` — C2SP signed notes with Ed25519 keys and witness cosignatures;
- :mod:`hub.verifier.checkpoint` — C2SP tlog-checkpoints, chained one to the previous;
- :mod:`hub.verifier.receipts` — a receipt: a checkpoint and the path that places one event under it.
"""
