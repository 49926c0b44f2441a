"""Stress: writers and readers share one application and one live graph, as a server's threads do.

Readers must never fail, never see a record change while they hold it, and the graph they
follow must end equal to a rebuild from the log.
"""

from __future__ import annotations

import threading

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.log import record_state
from hub.organisation import Organisation
from projections import catalogue
from projections.follower import LiveGraph, build_graph
from tests.projections.helpers import canonical

WRITERS, READERS, ROUNDS = 3, 3, 25


def test_concurrent_writers_and_readers_agree_with_a_rebuild(sqlite_url):
    app = HubApplication(sqlite_url)
    live = LiveGraph(app)
    seed = [app.register_organisation(by=Principal.operator("seed"), name=f"Organizacja {i}", kind="ngo", region="18")
            for i in range(4)]
    done = threading.Event()
    failures: list[BaseException] = []
    reads = [0]

    def writer(n: int) -> None:
        by = Principal.operator(f"writer-{n}")
        try:
            for i in range(ROUNDS):
                org = app.register_organisation(by=by, name=f"Nowa {n}-{i}", kind="ngo", region="12")
                app.rename_organisation(seed[i % len(seed)], by=by, name=f"Organizacja {n}-{i}")
                app.post_exchange(by=by, organisation_id=str(org), counterpart_organisations=[str(seed[n % 4])],
                                  exchanged_on="2021-03-01", topic=f"Wymiana {n}-{i}")
        except BaseException as error:
            failures.append(error)

    def reader() -> None:
        try:
            while not done.is_set():
                graph = live.refresh()
                held = graph.records(Organisation)
                frozen = [record_state(r) for r in held]
                catalogue.search(graph, "exchanges", page_size=50)
                graph.snapshot()
                assert [record_state(r) for r in held] == frozen  # nothing changed under the reader
                reads[0] += 1
        except BaseException as error:
            failures.append(error)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    readers = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    for t in readers:
        t.join()
    assert failures == []
    assert reads[0] > READERS  # the readers really read while the writers wrote
    live.refresh()
    assert app.log_length() == 4 + WRITERS * ROUNDS * 3
    assert canonical(live.graph.snapshot()) == canonical(build_graph(app).snapshot())
    app.close()
