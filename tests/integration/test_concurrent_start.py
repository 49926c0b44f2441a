"""Workers of one server start together on PostgreSQL: each makes sure the tables exist, none fails to boot."""

from __future__ import annotations

import multiprocessing

import pytest


def _start(url: str, answers: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from hub.application import HubApplication

    try:
        HubApplication(url).close()
        answers.put("started")
    except Exception as error:  # reported to the test, which names it
        answers.put(f"{type(error).__name__}: {error}")


@pytest.mark.postgres
def test_workers_starting_at_once_never_collide_creating_the_tables(postgres_url):
    """Before the schema lock, about one start in twelve failed with "tuple concurrently updated" (a worker
    that fails to boot makes gunicorn stop the whole server); eight rounds of four made it near certain."""
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    failures = []
    for _ in range(8):
        workers = [context.Process(target=_start, args=(postgres_url, answers)) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        failures += [a for a in (answers.get(timeout=10) for _ in workers) if a != "started"]
    assert failures == []
