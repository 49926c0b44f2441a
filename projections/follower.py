"""Follow the application's notification log from the last applied position.

:class:`Follower` reads ``select_notifications`` from the projection's tracked position and
hands each event to the projection with the library's ``Tracking`` record; the projection (an
``eventsourcing.projection.Projection``) refuses a position it has already applied, so nothing
is applied twice — which lets a request and a subscription thread feed the same graph.

:class:`LiveGraph` follows by the library's LISTEN/NOTIFY subscription on PostgreSQL and by
polling on SQLite, whose recorder has no ``subscribe()``. The library's ``ProjectionRunner`` is
not used: it builds its own view from the environment, while a server must swap in a graph
rebuilt to the side after an erasure and let requests catch up themselves for read-your-writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import singledispatchmethod
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from hub.application import HubApplication
from projections import collector
from projections.graph import PartnerGraph

PAGE = 1000
PAUSE_COLLECTOR_FROM = 5000  # events: a catch-up this long runs without the cyclic garbage collector

class PartnerGraphProjection(Projection[PartnerGraph]):
    """Routes every stored event of the hub into the partner graph."""

    name = "partner_graph"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply(domain_event, tracking)


class Follower:
    """Keeps one projection up to date with one application's log, by polling."""

    def __init__(self, app: HubApplication, projection: Projection[Any] | None = None,
                 graph: PartnerGraph | None = None):
        self.app = app
        self.projection = projection or PartnerGraphProjection(graph or PartnerGraph(app.name))

    @property
    def graph(self) -> PartnerGraph:
        return self.projection.view

    def catch_up(self, until: int | None = None, progress: Callable[[int, int], None] | None = None) -> int:
        """Apply every event after the tracked position (up to ``until``); return how many were applied."""
        view = self.projection.view
        if until is None and self.app.log_length() <= view.position:
            return 0  # up to date: no need to wait for the lock (a long computation may hold it)
        with view.lock:
            start = view.position + 1
            last = self.app.log_length() if until is None else until
            long = last - start + 1 >= PAUSE_COLLECTOR_FROM
            if not long:
                return self._apply(start, last, progress)
            with collector.paused(freeze=True), view.unnoted():
                return self._apply(start, last, progress)

    def _apply(self, start: int, last: int, progress: Callable[[int, int], None] | None) -> int:
        process = self.projection.process_event  # bound once: singledispatchmethod wraps on every access
        decode = self.app.mapper.to_domain_event
        name = self.app.name
        applied = 0
        while start <= last:
            limit = min(PAGE, last - start + 1)
            notifications = self.app.recorder.select_notifications(start=start, limit=limit, stop=last)
            if not notifications:
                break
            for n in notifications:
                process(decode(n), Tracking(name, n.id))
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


SAFETY_POLL = 1.0
"""Seconds between two looks at the log's length beside a subscription (:class:`LiveGraph`)."""


class LiveGraph:
    """This process's partner graph, kept current for every request.

    **How it follows.** On PostgreSQL a thread holds the library's LISTEN/NOTIFY subscription
    (``recorder.subscribe``) and applies each new event as it is committed, so a request asks the
    database nothing about the log. The library's subscription reads what is recorded, then LISTENs in
    a thread of its own: a write committed in between is notified to nobody, and was not followed
    until the next one (CI saw a write wait 10 s). So a second thread also asks the log's length every
    :data:`SAFETY_POLL` seconds and catches up when the subscription has fallen behind. On SQLite (the
    library has no subscription there) each request catches up by polling: one ``max(id)`` query,
    then only what is new.

    **Read your writes.** :meth:`refresh` takes the lowest log position the reader must see —
    the writes of this process (``HubApplication.last_written``) and any position the client
    carries from a write answered by another process. If the subscription has not applied it
    yet, the request catches up to it itself, so a writer's next read shows its write whatever
    the notification's delay.

    **Erasure.** After a person was erased (here or in another process) the graph, which holds
    names already read, is rebuilt *to the side* and swapped in when complete — readers keep
    the previous graph meanwhile, never an empty one — and only one thread rebuilds while the
    others wait for it.
    """

    def __init__(self, app: HubApplication, subscribe: bool | None = None, *, graph: PartnerGraph | None = None,
                 saved: Path | None = None):
        self.app = app
        self._lock = threading.Lock()
        self._saved = saved  # a saved read model: deleted when someone is erased (it holds names)
        self._follower = Follower(app, graph=graph)
        if graph is None:
            self._follower.graph.epoch = app.vault.erasures()
        self._erasures = self._follower.graph.epoch  # a graph handed down knows the erasures it was built after
        self._subscription: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.failure: BaseException | None = None  # the last error of following (see :attr:`problem`)
        self._problems: dict[str, str] = {}  # by what failed: the subscription, the safety poll
        if subscribe is None:
            subscribe = can_subscribe(app)
        if subscribe:
            self._follower.catch_up()
            self._subscribe()

    @property
    def graph(self) -> PartnerGraph:
        return self._follower.graph

    @property
    def subscribed(self) -> bool:
        """True while a subscription thread follows the log (PostgreSQL)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def problem(self) -> str | None:
        """What went wrong following the log, in a line (None while nothing has): the health check shows it.
        Each request still reads what the log holds (:meth:`refresh`), so answers stay right, only later."""
        return "; ".join(self._problems.values()) or None

    def _failed(self, source: str, what: str, error: BaseException) -> None:
        """Keep ``error`` and say it in the server's log, once for as long as it stays the same."""
        self.failure = error
        problem = f"{what}: {type(error).__name__}: {error}".rstrip(": ")
        if self._problems.get(source) != problem:
            _log.warning("%s", problem)
        self._problems[source] = problem

    def refresh(self, at_least: int = 0) -> PartnerGraph:
        """The graph, caught up with every write of this process and at least to ``at_least``."""
        count = self.app.vault.erasures()
        if count != self._erasures:
            with self._lock:
                if count != self._erasures:  # not rebuilt by another thread while this one waited
                    if self._saved is not None:
                        self._saved.unlink(missing_ok=True)
                    self.app.forget_personal_data()
                    fresh = Follower(self.app)
                    fresh.graph.epoch = count
                    fresh.catch_up()
                    self._follower, self._erasures = fresh, count
        if not self.subscribed:
            self._follower.catch_up()  # polling (SQLite, or a subscription that failed)
        else:
            needed = max(at_least, self.app.last_written)
            if self._follower.graph.position < needed:
                self._follower.catch_up(until=needed)
        return self._follower.graph

    def close(self) -> None:
        """Stop following (the subscription's threads end within a tenth of a second)."""
        self._stopping.set()
        subscription = self._subscription
        if subscription is not None:
            subscription.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _subscribe(self) -> None:
        self._thread = threading.Thread(target=self._follow, name="hub-log-subscription", daemon=True)
        self._thread.start()
        threading.Thread(target=self._poll, name="hub-log-safety-poll", daemon=True).start()

    def _poll(self) -> None:
        """Catch up when the subscription missed a notification (see the class's docstring)."""
        while not self._stopping.wait(SAFETY_POLL):
            try:
                if self.subscribed:
                    self._follower.catch_up()  # one look at the log's length when nothing is new
            except Exception as error:  # said, and tried again a second later; requests still catch up themselves
                self._failed("poll", "the read model could not look at the log", error)
            else:
                self._problems.pop("poll", None)  # the log answers again

    def _follow(self) -> None:
        # Made in this daemon thread, the subscription's own threads are daemons too: a worker
        # that exits without calling close() is not held up by them.
        decode = self.app.mapper.to_domain_event
        try:
            self._subscription = subscription = self.app.recorder.subscribe(gt=self._follower.graph.position)
            if self._stopping.is_set():
                subscription.stop()
            with subscription:
                for notification in subscription:
                    follower = self._follower  # the current one: an erasure may have swapped it
                    view = follower.graph
                    if notification.id <= view.position:
                        continue  # a request caught up past it already
                    if notification.id > view.position + 1:
                        follower.catch_up(until=notification.id - 1)  # never skip a position
                    follower.projection.process_event(decode(notification), Tracking(self.app.name, notification.id))
        except BaseException as error:  # said; requests fall back to polling
            if not self._stopping.is_set():
                self._failed("subscription", "the subscription to the log stopped; each request reads the log instead",
                             error)


_log = logging.getLogger(__name__)


def can_subscribe(app: HubApplication) -> bool:
    """True when the application's store pushes new events (PostgreSQL's LISTEN/NOTIFY)."""
    try:
        from eventsourcing.postgres import PostgresApplicationRecorder
    except ImportError:  # psycopg not installed: then the store is not PostgreSQL either
        return False
    return isinstance(app.recorder, PostgresApplicationRecorder)
