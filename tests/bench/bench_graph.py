"""Partner-graph figures on generated logs of growing length, as ratios to baselines of the same run.

For each size (a separate process, so peak memory is its own):
- full replay into the graph, next to merely reading and decoding the same notifications;
- ``as_of`` at random moments: making the lazy view and reading one node (nearly free), and
  materialising the whole partnership view (as a networkx graph, as the API's JSON answer, and as the graph page
  asks for it: links in columns, without reasons), each next to a full replay;
- catching up with one new event;
- peak resident memory.

Sizes come from BENCH_GRAPH_SIZES (default 10000,100000 events; ``BENCH_GRAPH_SIZES=1000000`` gives the
README's 1M figure — about 4 minutes to generate, and several GB of memory).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.synthetic import generate
from projections import collector
from projections.exports import partnership_view_json
from projections.follower import Follower
from projections.graph import partnership_view


def shape(events: int) -> dict[str, int]:
    """Generator sizes that give roughly ``events`` events."""
    n = max(16, events // 50)
    return {"partnerships": n, "organisations": 3 * n, "meetings": events * 15 // 100, "exchanges": events * 35 // 100}


def measure(events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # One writer, one thread: the repository's cache may skip re-reading what it wrote.
        app = HubApplication(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", env={
            "AGGREGATE_CACHE_MAXSIZE": "2000000", "AGGREGATE_CACHE_FASTFORWARD": "n",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"})
        t = time.perf_counter()
        generate(app, seed=1, **shape(events))
        gen_seconds = time.perf_counter() - t
        length = app.log_length()

        t = time.perf_counter()
        start = 1
        while True:
            page = app.recorder.select_notifications(start=start, limit=1000)
            if not page:
                break
            for n in page:
                app.mapper.to_domain_event(n)
            start = page[-1].id + 1
        read_seconds = time.perf_counter() - t

        follower = Follower(app)
        t = time.perf_counter()
        follower.catch_up()
        replay_seconds = time.perf_counter() - t
        graph = follower.graph

        rng = random.Random(7)
        view_times, full_times, json_times, columns_times = [], [], [], []
        sample_node = next(iter(graph.G.nodes))
        for _ in range(20):
            position = rng.randint(1, length)
            t = time.perf_counter()
            view = graph.view(as_of=position)
            _ = sample_node in view
            view_times.append(time.perf_counter() - t)
        for _ in range(3):
            position = rng.randint(1, length)
            t = time.perf_counter()
            with collector.paused():  # as the server computes every answer (PartnerGraph.memo)
                partnership_view(graph.view(as_of=position))
            full_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            with collector.paused():
                partnership_view_json(graph, position)  # what GET /api/graph?view=partnerships&as_of= computes
            json_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            with collector.paused():  # as the graph page asks at each move of the record-time slider
                partnership_view_json(graph, position, reasons=False, columns=True)
            columns_times.append(time.perf_counter() - t)

        catch_up_times = []
        for i in range(20):
            app.register_organisation(by=Principal.operator("bench"), name=f"Nowa organizacja {i}", kind="ngo", region="18", city="Rzeszów")
            t = time.perf_counter()
            follower.catch_up()
            catch_up_times.append(time.perf_counter() - t)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        app.close()

    view_ms = statistics.median(view_times) * 1000
    full_ms = statistics.median(full_times) * 1000
    json_ms = statistics.median(json_times) * 1000
    columns_ms = statistics.median(columns_times) * 1000
    print(f"\n{length:,} events ({graph.G.number_of_nodes():,} nodes, {graph.cols.edge_count:,} edge versions; generated in {gen_seconds:.1f} s)")
    print(f"  read + decode notifications (baseline)  {length / read_seconds:>12,.0f} events/s")
    print(f"  full replay into the graph              {length / replay_seconds:>12,.0f} events/s   "
          f"{read_seconds / replay_seconds:5.2f}× the baseline rate ({replay_seconds:.2f} s)")
    print(f"  as_of: lazy view + node lookup, median  {view_ms:>12.3f} ms       "
          f"{view_ms / (replay_seconds * 1000):.2e}× a full replay")
    print(f"  as_of: whole partnership view, median   {full_ms:>12.1f} ms       "
          f"{full_ms / (replay_seconds * 1000):.3f}× a full replay")
    print(f"  as_of: the same as the API's JSON answer {json_ms:>10.1f} ms       "
          f"{json_ms / (replay_seconds * 1000):.3f}× a full replay")
    print(f"  as_of: as the graph page asks (columns) {columns_ms:>10.1f} ms       "
          f"{columns_ms / (replay_seconds * 1000):.3f}× a full replay")
    print(f"  catch-up for one new event, median      {statistics.median(catch_up_times) * 1000:>12.3f} ms")
    print(f"  peak memory (RSS)                       {peak_mb:>12,.0f} MB")


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_GRAPH_SIZES", "10000,100000").split(",")]
    print("Partner graph on an SQLite log (generated synthetic network)")
    for size in sizes:
        subprocess.run([sys.executable, "-m", "tests.bench.bench_graph", str(size)], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(int(sys.argv[1]))
    else:
        main()
