"""``make soak``: nothing acknowledged is lost, nothing is stored twice — under load and SIGKILL.

Against a real gunicorn server (two workers) on SQLite and on PostgreSQL:
concurrent partner clients post exchanges naming each other (retrying with the
same Idempotency-Key on a dropped connection, a 5xx or a 409) and confirm the
ones that name them. Midway the whole server is killed with SIGKILL and
restarted. Then every acknowledged request must be in the log exactly once,
nothing unacknowledged twice, the server's graph must equal a rebuild from the
log, and the log must verify. All traffic goes to 127.0.0.1; every loop is
bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.application import HubApplication
from hub.authorisation import Principal
from projections.follower import build_graph
from projections.graph import materialise
from tests.projections.helpers import canonical_node_link, rebuilt_node_link

HUB = str(Path(sys.executable).with_name("hub"))
ATTEMPTS = 400  # bounded; in time by START_DEADLINE
START_DEADLINE = 180.0  # seconds: a loaded two-core machine has taken over 30 s to start two workers


@dataclass
class Tally:
    sent: int = 0
    acknowledged: int = 0
    retried: int = 0
    conflicts: int = 0
    gave_up: int = 0
    confirmations: int = 0
    posted: dict[str, str] = field(default_factory=dict)  # idempotency key → record id
    unacknowledged: list[str] = field(default_factory=list)
    confirmed: list[tuple[str, str]] = field(default_factory=list)  # (exchange id, organisation id)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for key, n in counts.items():
                setattr(self, key, getattr(self, key) + n)


class Server:
    def __init__(self, url: str):
        self.url = url
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process: subprocess.Popen | None = None
        self.env = {**os.environ, "HUB_DATABASE_URL": url, "HUB_SECRET_KEY": "soak"}

    def start(self, deadline: float = START_DEADLINE) -> None:
        """Start ``hub serve`` and wait until it answers; if it never does, say what it printed."""
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 - read when the server fails, closed with it
        self.process = subprocess.Popen([HUB, "serve", "--port", str(self.port), "--workers", "2"], env=self.env,
                                        stdout=self.output, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        while time.monotonic() - started < deadline:
            if self.process.poll() is not None:
                break  # it exited: no use waiting
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        waited = time.monotonic() - started
        self.stop()
        self.output.seek(0)
        printed = self.output.read().decode("utf-8", "replace")[-4000:]
        raise RuntimeError(f"the server did not answer within {waited:.0f} s (exit code {self.process.poll()}); "
                           f"it printed:\n{printed}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # master and workers, no goodbye
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def call(port: int, method: str, path: str, token: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        conn.close()


def with_retries(tally: Tally, port: int, method: str, path: str, token: str, body: Any, key: str | None) -> Any:
    """Send until a 2xx, retrying what may succeed later, for as long as a restart may take; None if it never did.

    A client is as patient as the test is with the server's restart (``START_DEADLINE``): on a
    loaded two-core machine the killed server's restart outlasted 30 quick retries (~25 s).
    """
    deadline = time.monotonic() + START_DEADLINE
    for attempt in range(ATTEMPTS):
        if attempt and time.monotonic() > deadline:
            break
        tally.add(sent=1, retried=1 if attempt else 0)
        try:
            status, data = call(port, method, path, token, body, key)
        except (OSError, http.client.HTTPException):
            time.sleep(min(1.0, 0.1 + 0.05 * attempt))
            continue
        if 200 <= status < 300:
            tally.add(acknowledged=1)
            return data
        if status == 409:
            tally.add(conflicts=1)
        elif status < 500:
            raise AssertionError(f"{method} {path}: HTTP {status} {data}")
        time.sleep(min(1.0, 0.05 + 0.05 * attempt))
    tally.add(gave_up=1)
    return None


def client(tally: Tally, port: int, me: int, orgs: list[str], tokens: list[str], rounds: int, run: str) -> None:
    rng = random.Random(me)
    for r in range(rounds):
        key = f"{run}-c{me}-r{r}"
        other = orgs[(me + 1 + rng.randrange(len(orgs) - 1)) % len(orgs)]
        body = {"organisation_id": orgs[me], "counterpart_organisations": [other], "exchanged_on": "2022-05-01",
                "topic": f"soak {key}"}
        created = with_retries(tally, port, "POST", "/api/exchanges", tokens[me], body, key)
        with tally.lock:
            if created:
                tally.posted[key] = created["id"]
            else:
                tally.unacknowledged.append(key)
        if r % 3 == 2:  # confirm what names us
            page = with_retries(tally, port, "GET", f"/api/exchanges?organisation={orgs[me]}&confirmed=false&page_size=50",
                                tokens[me], None, None)
            for x in (page or {}).get("items", []):
                if x["organisation_id"] != orgs[me] and not x["retracted"]:
                    done = with_retries(tally, port, "POST", f"/api/exchanges/{x['id']}/confirm", tokens[me],
                                        {"organisation_id": orgs[me]}, None)
                    if done:
                        with tally.lock:
                            tally.confirmed.append((x["id"], orgs[me]))
                            tally.confirmations += 1


def prepare(url: str, clients: int) -> tuple[list[str], list[str]]:
    app = HubApplication(url)
    orgs, tokens = [], []
    for i in range(clients):
        org = app.register_organisation(by=Principal.operator("soak"), name=f"Organizacja {i} (dane syntetyczne)", kind="ngo",
                                        region=["02", "18", "12", "14"][i % 4], city="Rzeszów", synthetic=True)
        account = app.create_account(by=Principal.operator("soak"), name=f"Partner {i}", role="partner", organisation_id=str(org))
        orgs.append(str(org))
        tokens.append(app.issue_token(account, by=Principal.operator("soak")).token)
    app.close()
    return orgs, tokens


def check(url: str, tally: Tally, server: Server, any_token: str) -> dict[str, int]:
    from hub.exchange import ExperienceExchange

    time.sleep(1.5)  # the server signs a checkpoint within a second of its last write: verify after that
    app = HubApplication(url)
    posted = Counter()
    topics = Counter()
    for e in app.read_log(limit=10**7):
        if e.aggregate_type == "ExperienceExchange" and e.event_type == "Posted":
            posted[str(e.aggregate_id)] += 1
            topics[e.payload["topic"]] += 1
    lost = sum(1 for record_id in tally.posted.values() if posted[record_id] != 1)
    duplicated = sum(1 for n in topics.values() if n > 1) + sum(1 for n in posted.values() if n > 1)
    for key in tally.unacknowledged:  # may have landed (the answer was lost), never twice
        duplicated += posted[str(app.id_for_client_key(ExperienceExchange, key))] > 1
    lost += sum(1 for x, org in tally.confirmed if not app.get(x).is_confirmed_by(__import__("uuid").UUID(org)))
    served = call(server.port, "GET", "/api/graph", any_token)[1]
    rebuilt = rebuilt_node_link(materialise(build_graph(app).view()))
    canon = canonical_node_link
    report = app.verify_log()
    app.close()
    return {"lost": lost, "duplicated": duplicated, "graph_differs": int(canon(served) != canon(rebuilt)),
            "log_verifies": int(report.ok), "log_events": report.events}


def soak(url: str, clients: int = 32, rounds: int = 12, kill: bool = True) -> dict[str, Any]:
    orgs, tokens = prepare(url, clients)
    server = Server(url)
    server.start()
    tally = Tally()
    run = f"{int(time.time())}"
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(tally, server.port, i, orgs, tokens, rounds, run))
               for i in range(clients)]
    for t in threads:
        t.start()
    if kill:
        planned = clients * rounds
        for _ in range(600):  # kill once half the posts are acknowledged (bounded wait)
            if len(tally.posted) >= planned // 2:
                break
            time.sleep(0.05)
        server.kill()
        time.sleep(0.5)
        server.start()
    for t in threads:
        t.join(timeout=600)
    seconds = time.perf_counter() - started
    try:
        results = check(url, tally, server, tokens[0])
    finally:
        server.stop()
    return {"sent": tally.sent, "acknowledged": tally.acknowledged, "retried": tally.retried,
            "conflicts": tally.conflicts, "gave_up": tally.gave_up, "posts_acknowledged": len(tally.posted),
            "confirmations": tally.confirmations, "seconds": round(seconds, 1),
            "requests_per_second": round(tally.sent / seconds, 1), **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--postgres", default=os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--sqlite-only", action="store_true", help="soak SQLite alone (PostgreSQL is otherwise required)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("HUB_SIGNING_KEY", str(Path(tmp) / "key.pem"))
        stores = [("SQLite", f"sqlite:///{Path(tmp) / 'soak.sqlite3'}")]
        schema = f"hub_soak_{int(time.time())}"
        if not args.sqlite_only:
            import psycopg

            try:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f'CREATE SCHEMA "{schema}"')
            except psycopg.Error as error:
                print(f"FAILED: PostgreSQL at {args.postgres} is needed ({error}); --sqlite-only soaks SQLite alone")
                sys.exit(2)
            stores.append(("PostgreSQL", f"{args.postgres}?schema={schema}"))
        try:
            for name, url in stores:
                print(f"{name}: {args.clients} clients × {args.rounds} posts, SIGKILL midway…", flush=True)
                r = soak(url, args.clients, args.rounds)
                print("  " + ", ".join(f"{k} {v}" for k, v in r.items()))
                failed |= bool(r["lost"] or r["duplicated"] or r["graph_differs"] or not r["log_verifies"])
        finally:
            if len(stores) > 1:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print("FAILED: records lost or duplicated, or the graph or log disagree" if failed else "OK: 0 lost, 0 duplicated")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
