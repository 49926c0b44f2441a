"""What a long log adds to a server's start (to its first graph answer) and to its memory (all processes).

``hub serve --workers 2`` on SQLite, started as a user starts it, timed from the command to the first
``GET /api/graph`` answer; memory is the proportional set size (PSS) summed over the server's
processes after both workers have answered, so pages the workers share are counted once. Each
figure is next to the same server on an empty log, and the start next to a raw read of the log's
rows (``SELECT`` of every stored event, no decoding) — the floor for anything that reads the log.

Three starts per size: an empty log; the long log with no saved read model (the server replays
it and saves one); the same log again (the server loads the saved read model).

Sizes come from BENCH_START_SIZES (default 100000 events; 1000000 takes about 4 minutes to
generate and is run for the README's figure).
"""

from __future__ import annotations

import http.client
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hub.application import HubApplication
from hub.synthetic import generate
from tests.bench.bench_api import free_port
from tests.bench.bench_graph import shape


def raw_read(db: Path) -> float:
    started = time.perf_counter()
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT originator_id, originator_version, topic, state FROM stored_events "
                                  "ORDER BY rowid").fetchall()
    seconds = time.perf_counter() - started
    del rows
    return seconds


def pss_mb(pid: int) -> float:
    """PSS of a process and its children, in MB."""
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total_kb = 0
    for p in pids:
        for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("X-Hub-Worker") or ""


def serve(url: str, tmp: Path) -> tuple[float, float, str]:
    """Start a server; return (seconds to the first graph answer, PSS in MB once both workers answered, its log)."""
    port = free_port()
    env = {**os.environ, "HUB_DATABASE_URL": url, "HUB_PUBLIC_READ": "1", "HUB_SIGNING_KEY": str(tmp / "key.pem")}
    hub = str(Path(sys.executable).with_name("hub"))
    started = time.perf_counter()
    server = subprocess.Popen([hub, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while True:
            try:
                status, _ = get(port, "/api/graph")
                if status == 200:
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("the server stopped") from None
                time.sleep(0.05)
        seconds = time.perf_counter() - started
        workers: set[str] = set()
        with ThreadPoolExecutor(4) as pool:
            for _ in range(10):  # until both workers have answered a graph read
                workers |= {w for _, w in pool.map(lambda _: get(port, "/api/graph"), range(4))}
                if len(workers) >= 2:
                    break
        time.sleep(0.5)
        memory = pss_mb(server.pid)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=60)
    said = " | ".join(line for line in out.splitlines() if "read model" in line)
    return seconds, memory, said


def measure(events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        empty, full = tmp / "empty.sqlite3", tmp / "full.sqlite3"
        HubApplication(f"sqlite:///{empty}").close()
        app = HubApplication(f"sqlite:///{full}", env={
            "AGGREGATE_CACHE_MAXSIZE": "2000000", "AGGREGATE_CACHE_FASTFORWARD": "n", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"})
        started = time.perf_counter()
        generate(app, seed=1, **shape(events))
        length = app.log_length()
        app.close()
        print(f"\n{length:,} events (generated in {time.perf_counter() - started:.0f} s)")
        raw = raw_read(full)
        print(f"  raw read of the log's rows (baseline)        {raw:8.2f} s")
        base_s, base_mb, _ = serve(f"sqlite:///{empty}", tmp)
        print(f"  empty log: first graph answer after          {base_s:8.2f} s   memory {base_mb:7,.0f} MB")
        for label in ("no saved read model (replay, save)", "saved read model (load)"):
            seconds, mb, said = serve(f"sqlite:///{full}", tmp)
            added = seconds - base_s
            print(f"  {label:<36} +{added:6.2f} s = {added / raw:5.1f}× raw read; "
                  f"memory +{mb - base_mb:7,.0f} MB (all processes, PSS)")
            print(f"      {said}")


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_START_SIZES", "100000").split(",")]
    print("Server start and memory on an SQLite log (hub serve --workers 2; goal: start ≤ 3× raw read + 1 s,"
          " memory ≤ +200 MB at 100k events)")
    for size in sizes:
        subprocess.run([sys.executable, "-m", "tests.bench.bench_start", str(size)], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(int(sys.argv[1]))
    else:
        main()
