"""HTTP figures under gunicorn on SQLite, next to GET /api/health on the same server as the baseline.

A generated network of 1,000 partnerships; p50/p99 latency and throughput of
POST /api/exchanges and GET /api/graph (plain, gzipped, revalidated by ETag) at 1, 8 and 32
concurrent clients. Every
request goes to 127.0.0.1, and every loop is bounded in count.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.synthetic import generate

CLIENTS = (1, 8, 32)
WRITE_READ_ROUNDS = 20
REQUESTS = {"GET /api/health": 400, "POST /api/exchanges": 300, "GET /api/graph": 64, "GET /api/graph gzip": 128,
            "GET /api/graph 304": 400}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> tuple[str, str, str, str, str]:
    app = HubApplication(url, env={"AGGREGATE_CACHE_MAXSIZE": "200000", "AGGREGATE_CACHE_FASTFORWARD": "n",
                                   "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"})
    generate(app, partnerships=1000, organisations=3000, meetings=1500, exchanges=3000, seed=11)
    partnership = next(r for r in (app.repository.get(n.originator_id) for n in app.recorder.select_notifications(
        start=1, limit=50_000, topics=[f"{Partnership.__module__}:{Partnership.Signed.__qualname__}"])))
    poster, counterpart = list(partnership.members)[:2]
    account = app.create_account(by=Principal.operator("bench"), name="Bench partner", role="partner", organisation_id=str(poster))
    token = app.issue_token(account, by=Principal.operator("bench")).token
    manager = app.create_account(by=Principal.operator("bench"), name="Bench manager", role="manager")
    manager_token = app.issue_token(manager, by=Principal.operator("bench")).token
    print(f"  network: {app.log_length():,} events, "
          f"{sum(1 for _ in app.recorder.select_notifications(start=1, limit=10**6, topics=[f'{Organisation.__module__}:{Organisation.Registered.__qualname__}'])):,} organisations")
    app.close()
    return token, str(poster), str(counterpart), manager_token, str(manager)


def run(port: int, method: str, path: str, body_for, token: str, clients: int, count: int,
        extra: dict[str, str] | None = None) -> tuple[list[float], float]:
    per_client = max(1, count // clients)

    def client(n: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        times = []
        for i in range(per_client):
            body = body_for(n, i)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **(extra or {})}
            if body is not None:  # one key per request: a key used again would answer the first write again
                headers["Idempotency-Key"] = f"bench-{uuid.uuid4()}"
            start = time.perf_counter()
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            response.read()
            times.append(time.perf_counter() - start)
            if response.status >= 300 and response.status != 304:
                raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        conn.close()
        return times

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [t for times in pool.map(client, range(clients)) for t in times]
    return latencies, time.perf_counter() - start


def graph_etag(port: int, token: str) -> str:
    """The ETag of the current GET /api/graph (after the writes above: the version clients hold)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/api/graph", headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag") or ""


def main() -> None:
    print("HTTP API under gunicorn (2 workers × 4 threads) on SQLite")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        token, poster, counterpart, manager_token, manager = prepare(url)
        port = free_port()
        env = {**os.environ, "HUB_DATABASE_URL": url}
        hub = str(Path(sys.executable).with_name("hub"))
        server = subprocess.Popen([hub, "serve", "--port", str(port), "--workers", "2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/health")
                    break
                except OSError:
                    time.sleep(0.1)
            cold, _ = run(port, "GET", "/api/graph", lambda n, i: None, token, 2, 4)  # each worker's first answer
            print(f"  cold start: first GET /api/graph per worker {max(cold) * 1000:,.0f} ms "
                  f"(the read model was built before the workers started; each writes and packs its first answer)")

            def exchange(n: int, i: int) -> dict:
                return {"organisation_id": poster, "counterpart_organisations": [counterpart],
                        "exchanged_on": "2022-05-01", "topic": f"Wymiana doświadczeń {n}-{i}"}

            after_write, repeated = [], []
            for i in range(WRITE_READ_ROUNDS):  # both workers serve reads: each read after a write, then again
                run(port, "POST", "/api/exchanges", lambda n, i_=i: exchange(900, i_), token, 1, 1)
                for view in ("", "?view=partnerships"):
                    after_write += run(port, "GET", "/api/graph" + view, lambda n, i: None, token, 2, 1)[0]
                    repeated += run(port, "GET", "/api/graph" + view, lambda n, i: None, token, 2, 1)[0]
            p95 = lambda xs: statistics.quantiles(xs, n=20)[18] * 1000
            print(f"  GET /api/graph right after a write, p95 {p95(after_write):8.1f} ms; the same read repeated "
                  f"{p95(repeated):8.1f} ms: {p95(after_write) / p95(repeated):.1f}× (goal ≤ 2×)")
            after_other_writes(port, manager_token, manager, token, exchange)

            cases = [("GET /api/health", "GET", "/api/health", lambda n, i: None, dict),
                     ("POST /api/exchanges", "POST", "/api/exchanges", exchange, dict),
                     ("GET /api/graph", "GET", "/api/graph", lambda n, i: None, dict),
                     ("GET /api/graph gzip", "GET", "/api/graph", lambda n, i: None, lambda: {"Accept-Encoding": "gzip"}),
                     ("GET /api/graph 304", "GET", "/api/graph", lambda n, i: None,
                      lambda: {"If-None-Match": graph_etag(port, token)})]
            baseline: dict[int, tuple[float, float]] = {}
            print("  (gzip: a client accepting it, as browsers do; 304: a client revalidating the version it has)")
            print(f"  {'request':<22} {'clients':>7} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>8} "
                  f"{'p50 / health':>13} {'req/s / health':>15}")
            for label, method, path, body, extra in cases:
                for clients in CLIENTS:
                    latencies, seconds = run(port, method, path, body, token, clients, REQUESTS[label], extra())
                    p50 = statistics.median(latencies) * 1000
                    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else p50
                    throughput = len(latencies) / seconds
                    baseline.setdefault(clients, (p50, throughput))
                    print(f"  {label:<22} {clients:>7} {p50:>9.1f} {p99:>9.1f} {throughput:>8.1f} "
                          f"{p50 / baseline[clients][0]:>12.1f}× {throughput / baseline[clients][1]:>14.2f}×")
            receipts(port, token, url, exchange)
        finally:
            server.terminate()
            server.wait(timeout=30)


def after_other_writes(port: int, manager_token: str, manager: str, token: str, exchange) -> None:
    """The answers the dashboard and the graph page ask for, and the dashboard and two lists themselves, first after
    a sign-in (an account's event, no change to the network) and after an exchange dated this month, next to the
    same read repeated. All on one connection, so one worker answers them all (each worker keeps its own answers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def once(method: str, path: str, who: str, body: dict | None = None) -> float:
        headers = {"Authorization": f"Bearer {who}", "Content-Type": "application/json"}
        if body is not None:
            headers["Idempotency-Key"] = f"bench-{uuid.uuid4()}"
        start = time.perf_counter()
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        return time.perf_counter() - start

    position = 2000  # a settled moment of record time: what the record-time slider asks for
    paths = ["/api/graph/metrics", "/api/trends", "/api/map", "/api/graph?view=partnerships&valid_at=2021-06-01",
             f"/api/graph?view=partnerships&as_of={position}", "/api/graph/frames?from=2019-01-01&to=2020-12-31&step=month",
             "/api/indicators", "/", "/exchanges", "/organisations?q=szkola"]  # and the dashboard and two lists
    print(f"  {'first read after …':<62} {'a sign-in':>10} {'a write':>10} {'repeated':>10} (ms; the write: an "
          "exchange dated this month)")
    body = {**exchange(901, 0), "exchanged_on": time.strftime("%Y-%m-%d")}
    for path in paths:
        once("GET", path, token)  # answered once since the last write
        once("POST", f"/api/accounts/{manager}/tokens", manager_token, {"label": "bench sign-in"})
        signed_in = once("GET", path, token)
        once("POST", "/api/exchanges", token, {**body, "topic": f"Wymiana {path}"})
        written, repeated = once("GET", path, token), once("GET", path, token)
        print(f"  {'GET ' + path:<62} {signed_in * 1000:>10.0f} {written * 1000:>10.0f} {repeated * 1000:>10.1f}")
    conn.close()


def receipts(port: int, token: str, url: str, exchange) -> None:
    """Receipts at scale: checkpoints stored per post, and how soon a post's receipt is ready."""
    import sqlite3

    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    posts = db.execute("SELECT count(*) FROM stored_events WHERE topic LIKE '%ExperienceExchange.Posted'").fetchone()[0]
    checkpoints = db.execute("SELECT count(*) FROM hub_checkpoints").fetchone()[0]
    db.close()
    waits = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for i in range(10):
        conn.request("POST", "/api/exchanges", body=json.dumps(exchange(901, i)),
                     headers={**headers, "Idempotency-Key": f"receipt-{i}"})
        answer = json.loads(conn.getresponse().read())
        start = time.perf_counter()
        conn.request("GET", answer["receipt_url"], headers=headers)
        response = conn.getresponse()
        response.read()
        waits.append(time.perf_counter() - start)
        assert response.status == 200, response.status
    conn.close()
    print(f"  checkpoints stored: {checkpoints:,} for {posts:,} exchanges posted ({checkpoints / max(posts, 1):.3f} "
          f"per post; they were one per post); a post's receipt ready after at most {max(waits) * 1000:,.0f} ms "
          f"(goal ≤ 1 s)")


if __name__ == "__main__":
    main()
