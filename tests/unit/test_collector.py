"""The collector paused beside a read model still frees the garbage cycles of finished work."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from projections import collector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_overlapping_pauses_still_free_the_cycles_of_finished_work(monkeypatch):
    monkeypatch.setattr(collector, "YOUNG_EVERY", 0.05)
    holding, release = threading.Event(), threading.Event()

    def long_answer() -> None:
        with collector.paused():
            holding.set()
            release.wait(10)

    other = threading.Thread(target=long_answer)
    other.start()
    holding.wait(10)
    try:
        with collector.paused():
            garbage = Cycle()
            alive = weakref.ref(garbage)
            del garbage
        assert alive() is not None and not gc.isenabled()  # paused elsewhere: nothing collected yet
        time.sleep(0.1)
        with collector.paused():  # a later request ends while the long one goes on
            pass
        assert alive() is None, "a cycle of finished work waited for every pause to end"
        assert not gc.isenabled()
    finally:
        release.set()
        other.join()
    assert gc.isenabled()


def test_a_lone_pause_leaves_the_collector_as_it_was():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
