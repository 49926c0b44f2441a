"""Follow the application's notification log from the last applied position.

The library's ``ProjectionRunner`` needs the recorder's ``subscribe()``, which
its SQLite recorder does not implement; so the follower polls
``select_notifications`` from the projection's tracked position — on SQLite and
PostgreSQL alike — and hands each event to the projection with the library's
``Tracking`` record. The projection (an ``eventsourcing.projection.Projection``)
refuses a position it has already applied, so nothing is applied twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from hub.application import HubApplication
from projections.graph import PartnerGraph

PAGE = 1000


class PartnerGraphProjection(Projection[PartnerGraph]):
    """Routes every stored event of the hub into the partner graph."""

    name = "partner_graph"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply(domain_event, tracking)


class Follower:
    """Keeps one projection up to date with one application's log, by polling."""

    def __init__(self, app: HubApplication, projection: Projection[Any] | None = None):
        self.app = app
        self.projection = projection or PartnerGraphProjection(PartnerGraph(app.name))

    @property
    def graph(self) -> PartnerGraph:
        return self.projection.view

    def catch_up(self, until: int | None = None, progress: Callable[[int, int], None] | None = None) -> int:
        """Apply every event after the tracked position (up to ``until``); return how many were applied."""
        view = self.projection.view
        applied = 0
        if until is None and self.app.log_length() <= view.position:
            return 0  # up to date: no need to wait for the lock (a long computation may hold it)
        process = self.projection.process_event  # bound once: singledispatchmethod wraps on every access
        decode = self.app.mapper.to_domain_event
        with view.lock:
            start = view.position + 1
            last = self.app.log_length() if until is None else until
            while start <= last:
                limit = min(PAGE, last - start + 1)
                notifications = self.app.recorder.select_notifications(start=start, limit=limit, stop=last)
                if not notifications:
                    break
                for n in notifications:
                    process(decode(n), Tracking(self.app.name, n.id))
                applied += len(notifications)
                start = notifications[-1].id + 1
                if progress:
                    progress(notifications[-1].id, last)
        return applied

    def follow(self, interval: float = 0.5, stop: Callable[[], bool] = lambda: False) -> None:
        """Poll forever (or until ``stop()``); for a long-running reader."""
        while not stop():
            self.catch_up()
            time.sleep(interval)


def build_graph(app: HubApplication, until: int | None = None) -> PartnerGraph:
    """A partner graph rebuilt from scratch from the log (up to position ``until``)."""
    follower = Follower(app)
    follower.catch_up(until=until)
    return follower.graph


class LiveGraph:
    """This process's partner graph, kept current for every request.

    Each request calls :meth:`refresh`: it catches up with what any process wrote. After a person
    was erased (here or in another process) the graph, which holds names already read, is rebuilt
    *to the side* and swapped in when complete — readers keep the previous graph meanwhile, never
    an empty one — and only one thread rebuilds while the others wait for it.
    """

    def __init__(self, app: HubApplication):
        self.app = app
        self._lock = threading.Lock()
        self._erasures = app.vault.erasures()
        self._follower = Follower(app)

    @property
    def graph(self) -> PartnerGraph:
        return self._follower.graph

    def refresh(self) -> PartnerGraph:
        count = self.app.vault.erasures()
        if count != self._erasures:
            with self._lock:
                if count != self._erasures:  # not rebuilt by another thread while this one waited
                    self.app.forget_personal_data()
                    fresh = Follower(self.app)
                    fresh.catch_up()
                    self._follower, self._erasures = fresh, count
        self._follower.catch_up()
        return self._follower.graph
