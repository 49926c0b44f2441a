"""Write-path figures for the default SQLite store, as ratios to baselines from the same run.

- raw sqlite3: one-row transactions, WAL with synchronous=FULL (what the library's recorder does);
- bare eventsourcing: one aggregate event per save through a plain Application;
- the hub's application service: one validated command per transaction;
- the bulk path: many commands in one transaction (imports, the generator).

The three single-transaction rates are measured in turn, round after round (each round a fresh file per
path), and the ratio to the bare saves is the median of each round's ratio: run one after the other,
1,000 commands each, the bare saves' rate varied 2,750-3,158/s over five runs on one day while the
hub's stayed 2,163-2,273/s, so a run's ratio said more about when the bare saves ran than about the hub.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from hub.application import HubApplication
from hub.authorisation import Principal

N = 400  # commands per round and path
ROUNDS = 5
BULK = 10_000


class Note(Aggregate):
    @event("Written")
    def __init__(self, id, text: str, actor: str):
        self.text = text


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def raw_sqlite(path: Path, count: int = N) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, version INTEGER, topic TEXT, state BLOB)")
    payload = b'{"name":"Instytut Bada\xc5\x84 Edukacyjnych","kind":"ngo","region":"18"}'
    start = time.perf_counter()
    for _ in range(count):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, 1, 'x', ?)", (uuid4().hex, payload))
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return rate(count, seconds)


def bare_eventsourcing(path: Path, count: int = N) -> float:
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    start = time.perf_counter()
    for _ in range(count):
        app.save(Note(id=uuid4(), text="Instytut Badań Edukacyjnych", actor="bench"))
    seconds = time.perf_counter() - start
    app.close()
    return rate(count, seconds)


def register(app: HubApplication, count: int) -> None:
    for i in range(count):
        app.register_organisation(by=Principal.operator("bench"), name=f"Instytut Badań Edukacyjnych {i}", kind="ngo",
                                  region="18", city="Rzeszów", synthetic=True)


def hub_commands(path: Path, count: int = N) -> float:
    app = HubApplication(f"sqlite:///{path}")
    start = time.perf_counter()
    register(app, count)
    seconds = time.perf_counter() - start
    app.close()
    return rate(count, seconds)


def hub_bulk(path: Path) -> float:
    app = HubApplication(f"sqlite:///{path}")
    start = time.perf_counter()
    with app.bulk():
        register(app, BULK)
    seconds = time.perf_counter() - start
    assert app.log_length() == BULK
    app.close()
    return rate(BULK, seconds)


def authentication(path: Path, sign_ins: int = 500, reads: int = 200) -> tuple[float, float]:
    """Milliseconds to authenticate a token when its account is new, and after ``sign_ins`` sign-ins."""
    app = HubApplication(f"sqlite:///{path}")
    operator = Principal.operator("bench")
    account = app.create_account(by=operator, name="Anna Nowak", role="manager")
    token = app.issue_token(account, by=operator).token

    def per_read() -> float:
        start = time.perf_counter()
        for _ in range(reads):
            app.authenticate(token)
        return (time.perf_counter() - start) / reads * 1000

    fresh = per_read()
    for _ in range(sign_ins):
        app.redeem_sign_in_link(app.issue_sign_in_link(account, by=operator).token)
    later = per_read()
    app.close()
    return fresh, later


def main() -> None:
    print(f"Write path on an SQLite file (one event per command; {ROUNDS} rounds of {N} single transactions "
          f"per path, in turn; {BULK} in bulk)")
    paths = {"raw sqlite3, one-row transactions (baseline)": raw_sqlite, "bare eventsourcing saves": bare_eventsourcing,
             "hub commands (validated, one per transaction)": hub_commands}
    rates: dict[str, list[float]] = {label: [] for label in paths}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for round_ in range(ROUNDS):
            for i, (label, measure) in enumerate(paths.items()):
                rates[label].append(measure(tmp_path / f"{round_}-{i}.sqlite3"))
        bulk = hub_bulk(tmp_path / "bulk.sqlite3")
        fresh, later = authentication(tmp_path / "auth.sqlite3")
    raw, bare, hub = rates.values()
    baseline = statistics.median(raw)
    for label, values in rates.items():
        value = statistics.median(values)
        print(f"  {label:<48} {value:>10,.0f} /s   {value / baseline:6.2f}× baseline "
              f"(rounds {min(values):,.0f}-{max(values):,.0f})")
    print(f"  {'hub bulk path (one transaction)':<48} {bulk:>10,.0f} /s   {bulk / baseline:6.2f}× baseline")
    ratios = [h / b for h, b in zip(hub, bare, strict=True)]
    print(f"  hub commands vs bare saves, round by round: median {statistics.median(ratios):.2f}× "
          f"({min(ratios):.2f}-{max(ratios):.2f}×; goal ≥ 0.8×)")
    print(f"  authenticating a token: new account {fresh:.3f} ms; after 500 sign-ins {later:.3f} ms "
          f"({later / fresh:.2f}× — flat: records come from the cache, fast-forwarded)")


if __name__ == "__main__":
    main()
