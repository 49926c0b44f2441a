"""Stress: writers and readers share one application and one live graph, as a server's threads do.

Readers must never fail, never see a record change while they hold it, and every answer they
read (the current graph JSON, with the position it stood at) must equal a rebuild of the log
up to that position. On PostgreSQL a subscription thread applies events at the same time as the
requests catch up.
"""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.log import record_state
from hub.organisation import Organisation
from projections import catalogue
from projections.follower import LiveGraph, build_graph
from projections.graph import materialise, partnership_view
from tests.projections.helpers import canonical, canonical_node_link, rebuilt_node_link

WRITERS, READERS, ROUNDS = 3, 3, 25
SAMPLES = 12  # answers compared with a rebuild at their position
DAY = date(2021, 6, 1)  # answers kept for a business day (``PartnerGraph.memo``) are checked too


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def durable_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def test_concurrent_writers_and_readers_agree_with_a_rebuild(durable_url):
    app = HubApplication(durable_url)
    live = LiveGraph(app)
    answers: list[tuple[int, str, bytes]] = []
    kept: list[tuple[int, int, object]] = []  # (network version before, after, the answer kept for DAY)
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
                view = "full" if reads[0] % 2 else "partnerships"
                with graph.lock:  # the answer and the position it stands at, together
                    answer = (graph.position, view, graph.current_answer(view).text())
                if len(answers) < SAMPLES and (not answers or answers[-1][0] != answer[0]):
                    answers.append(answer)
                before = graph.changed_at
                day_answer = graph.memo(("valid at", DAY), lambda g=graph: canonical(g.snapshot(valid_at=DAY)),
                                        days=(DAY, DAY))
                after = graph.changed_at
                if len(kept) < SAMPLES and after - before <= 6 and (not kept or kept[-1][1] != after):
                    kept.append((before, after, day_answer))
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
    assert sum(1 for _ in app.notifications()) == 4 + WRITERS * ROUNDS * 3  # (PostgreSQL ids may have gaps)
    assert canonical(live.graph.snapshot()) == canonical(build_graph(app).snapshot())
    assert len({position for position, _, _ in answers}) >= 3  # answers read at several moments
    for position, view, body in answers:
        rebuilt = build_graph(app, until=position).view()
        expected = materialise(rebuilt) if view == "full" else partnership_view(rebuilt)
        assert canonical_node_link(json.loads(body)) == canonical_node_link(rebuilt_node_link(expected)), position
    assert len(kept) >= 3
    for before, after, day_answer in kept:  # exact at some moment while it was asked for
        assert any(canonical(build_graph(app, until=p).snapshot(valid_at=DAY)) == day_answer
                   for p in range(before, after + 1)), (before, after)
    live.close()
    app.close()
