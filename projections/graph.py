"""The bitemporal partner graph: every node and edge version ever recorded, time-travelled by lazy views.

Why bitemporal instead of checkpoints: on this kind of machine building a 1M-element
MultiGraph takes ~8 s, un-pickling one ~4 s and ``G.copy()`` ~13 s, so whole-graph
checkpoints cost a large fraction of a replay and a copy can never sit on a request
path. Here nothing is ever removed. Every node keeps its attribute *versions* and every
edge is one immutable version; each carries

- a record-time interval ``[rec_from, rec_to)`` in log positions (``rec_to`` is
  ``None`` while the hub still holds that knowledge), and
- a business-time interval ``[valid_from, valid_to]`` in dates (edges) or the
  partnership's ``signed_on``…``ends_on`` (nodes).

The nodes live in a networkx graph (``G``), their versions in the columns (each version's interval in a row of
numbers, its attributes a dict; a list of versions per node beside them, a tuple each with its positions as Python's
integers, was 190,000 of the 1.21 million objects of a read model at 99,527 events). The edge versions are rows of
integer columns
(:mod:`projections.columns`: ends, record, kind, area, both intervals), in the order recorded, with references to
their labels and dates and an index of each node's rows; a moment's edges are read from them and the partnership
view is folded with array operations (at 99,527 events a late moment's view in 0.1 s instead of 0.4 s), and a
version's attributes are made when an answer writes it out (:class:`EdgeVersions`). Each version was an edge of
the graph with a dict of its attributes too: at 99,527 events (148,631 versions) the graph's adjacency took ~40 MB
of every server, the dicts, their links' texts and the index of open ones ~70 MB more; without them a load of the
saved read model took 1.11-1.38 → 0.96-1.00 → 0.88-0.90 s (two steps, each a pair in turn), and a replay
3.91-4.17 → 3.52-3.54 s without the adjacency, then 3.72-3.80 → 3.84-3.97 s making the attributes to compare.

``as_of`` / ``valid_at`` are then a ``nx.subgraph_view`` filter over the nodes (its edges are
:func:`visible_edges`): creating one costs nothing, and the bench shows its latency does not grow with the
log's length. A late-recorded fact adds versions at a later position, so it changes
``valid_at`` answers about the past but never an ``as_of`` answer about the past.

Node ids are record ids as strings; nodes are organisations, partnerships and
meetings (``type``). Edge kinds: ``membership`` (organisation — partnership, with
role), ``organised`` and ``attended`` (an organisation or partnership — a meeting),
``exchange_confirmed`` and ``exchange_unconfirmed`` (posting organisation —
counterpart). Two organisations at one meeting are thus linked through it, long
before or without any partnership. In the partnership view
(:func:`partnership_view`) organisations, meetings and projects are folded away:
partnerships are linked by ``shared_member``, ``same_project`` (a framework project
— ``project`` edges join partnerships to its node), ``co_organised`` (organisers of one meeting),
``attended`` (a participant and an organiser of one meeting) and exchanges.
"""

from __future__ import annotations

import bisect
import copy
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any
from uuid import UUID

import networkx as nx
import numpy as np
from eventsourcing.persistence import Tracking
from eventsourcing.popo import POPOTrackingRecorder

from hub.account import Account
from hub.exchange import ExperienceExchange
from hub.meeting import CANCELLED, Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.project import FrameworkProject
from projections import collector, columns
from projections.columns import Columns, Folded
from projections.current import CurrentNetwork, public, shown_as
from projections.deflated import Deflated

EDGE_KINDS = ("membership", "project", "organised", "attended", "exchange_confirmed", "exchange_unconfirmed")
PARTNERSHIP_LINK_KINDS = columns.LINK_KINDS
ALL_KINDS = tuple(dict.fromkeys(EDGE_KINDS + PARTNERSHIP_LINK_KINDS))  # what a ``kind`` filter may name
FOREVER = float("inf")
EdgeVersion = tuple[str, str, int, dict[str, Any]]
"""An edge version as :class:`EdgeVersions` hands it out: its ends, its row in :class:`projections.columns.Columns`
(its key in answers about it) and its attributes, made from the row."""
SETTLED_AFTER = timedelta(minutes=1)
"""An ``as_of`` time this long before the newest event read is settled: writers in flight commit within it."""


@dataclass(frozen=True)
class Moment:
    """A point on both axes: ``as_of`` a log position (record time), ``valid_at`` a date."""

    as_of: float = FOREVER
    valid_at: date | None = None


def _unshare(record: Any, empty: list[Any]) -> None:
    """Give ``record`` lists of its own where it holds the empty list saved records share (before an event changes it).

    >>> shared = []
    >>> class Record: pass
    >>> r = Record(); r.members = shared
    >>> _unshare(r, shared); r.members.append(1); shared
    []
    """
    fields = vars(record)
    for name, value in fields.items():
        if value is empty:
            fields[name] = []


class _Nothing(dict[Any, Any]):
    """An empty dict that cannot be written: what every node of a saved graph holds as its attributes and as its
    neighbours (the attributes live in the columns, the links in the edge versions). Saved, it is named, not copied:
    each node's two empty dicts of their own were 2 × 64 bytes a node (29 MB at 995,974 events).

    >>> NOTHING.update()
    >>> NOTHING["name"] = "x"
    Traceback (most recent call last):
    TypeError: a node of the graph holds nothing: its attributes are in the columns
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a node of the graph holds nothing: its attributes are in the columns")

    __setitem__ = __delitem__ = setdefault = pop = popitem = clear = __ior__ = _refuse

    def update(self, *args: Any, **kwargs: Any) -> None:
        if any(args) or kwargs:  # (networkx updates a node it is given again with no attributes: nothing to do)
            self._refuse()

    def __reduce__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


def _nodes_only(G: nx.MultiGraph) -> nx.MultiGraph:
    """``G`` to be saved: its nodes in order, each holding :data:`NOTHING` (the graph's nodes hold no attributes and
    no links; a node that would is kept as it is)."""
    saved = nx.MultiGraph()
    saved.graph = G.graph
    saved._node = {n: attrs or NOTHING for n, attrs in G._node.items()}
    saved._adj = {n: nbrs or NOTHING for n, nbrs in G._adj.items()}
    return saved


def _shared(value: Any, texts: dict[str, str], ids: dict[UUID, UUID]) -> Any:
    """``value`` with each text and id in it, at any depth of lists and dicts, the one ``texts`` or ``ids`` holds
    (which gets it if it holds none equal). A list is changed in place; a dict is changed in place unless one of its
    keys is replaced, when an equal new dict is returned (a reader walking the old one meets no change).

    >>> a, b = UUID(int=1), UUID(int=1)
    >>> ids, texts = {a: a}, {}
    >>> members = {b: {"role": "".join(["lea", "der"])}}
    >>> shared = _shared(members, texts, ids)
    >>> shared == members, next(iter(shared)) is a, shared[a]["role"] is texts["leader"]
    (True, True, True)
    >>> listed = [UUID(int=1)]; _shared(listed, texts, ids) is listed and listed[0] is a
    True
    """
    kind = type(value)
    if kind is str:
        return texts.setdefault(value, value)
    if kind is UUID:
        return ids.setdefault(value, value)
    if kind is list:
        for i, item in enumerate(value):
            shared = _shared(item, texts, ids)
            if shared is not item:
                value[i] = shared
    elif kind is dict:
        keys = []
        for key, item in value.items():
            shared = _shared(item, texts, ids)
            if shared is not item:
                value[key] = shared
            keys.append(_shared(key, texts, ids))
        if any(new is not key for new, key in zip(keys, value, strict=True)):
            return dict(zip(keys, value.values(), strict=True))
    return value


class PartnerGraph(POPOTrackingRecorder):
    """The materialised view: the live bitemporal graph plus its tracking position.

    It is the library's in-memory tracking recorder, so "never apply an event
    twice" is enforced by the library's own position check.
    """

    def __init__(self, application_name: str = "hub") -> None:
        super().__init__()
        self.application_name = application_name
        self.G = nx.MultiGraph()
        self.lock = threading.RLock()
        self._records: dict[UUID, Any] = {}  # aggregate states, folded from the events
        self._handed_out: set[UUID] = set()  # records a reader may still hold: copied before they change
        self._empty: list[Any] | None = None  # the one empty list saved records share (:meth:`_compact_records`)
        # each type's record ids, first seen first; and each type's records as :meth:`records` last listed them, with
        # the position they are of: a page asks for several types, often one twice (the dashboard at 99,527 events
        # scanned all 64,000 records 8 times a view)
        self._of_type: dict[type, dict[UUID, None]] = {}
        self._of_class: dict[type, tuple[int, list[Any]]] = {}
        # record id → the row of its open edge version, or the rows of its open versions (a link's text each, as keys,
        # took 18 MB at 99,527 events; an array of one row was ~40 bytes more than the row: 270,000 at 995,974 events)
        self._open_edges: dict[str, array[int] | int] = {}
        # every node and edge version in columns, edges in the order recorded, so by ``rec_from`` (see visible_edges);
        # each edge version by its row, its attributes made when asked for; and each node's rows, at either end (the
        # graph holds nodes only: see the module's docstring)
        self.cols = Columns(EDGE_KINDS)
        self._edge_versions = EdgeVersions(self.cols)
        self._rows_of: dict[str, array[int]] = {}
        # each event's position and when it was recorded (microseconds since the epoch): numbers in arrays, not an
        # object each (a saved read model unpickled 99,527 positions and as many times one by one)
        self._positions = array("q")
        self._timestamps = array("q")
        self._memo: dict[Any, _Slot] = {}
        self._memo_version = 0
        self._lasting: OrderedDict[Any, _Slot] = OrderedDict()  # answers about settled moments (:meth:`memo`)
        self._memo_lock = threading.Lock()
        self.kept_bytes = kept_bytes()  # what answers kept may take in all (:meth:`memo`)
        self._asks = 0
        self.changed_at = 0  # the last position whose event changed the network (see :attr:`version`)
        # per event that changed the network: (position, first day, last day) of what it changed (:meth:`untouched`)
        # (and whether it changed what the partnership view's measures read: see :meth:`_touch`)
        self._touches: list[tuple[int, date, date, bool]] = []
        self._touches_from = 0  # every touch after this position is kept
        self._days: tuple[date, date] | None = None
        self._measured = False
        self.noting = True  # False during a long catch-up: nothing is kept from before it (see :meth:`unnoted`)
        self._dated: OrderedDict[Any, tuple[int, tuple[date, date], _Slot]] = OrderedDict()
        # the current answers, brought up to date by the change
        self.now = CurrentNetwork(self.cols, self._edge_versions, self._rows_of)
        self.epoch = 0  # the erasures whose names this graph no longer holds (set by LiveGraph)

    @property
    def version(self) -> str:
        """Names what every answer about the network depends on: equal versions, equal answers
        (in any process following the same log). For validators such as HTTP ETags.

        Events of accounts (sign-ins, tokens, roles) change no answer about the network, so they do
        not change the version: a manager signing in does not cost every reader a recomputation.
        """
        return f"{self.changed_at}.{self.epoch}"

    def settled(self, as_of: int | datetime | None) -> int | None:
        """The log position an answer ``as_of`` a moment depends on, if no event to come can change it.

        A late fact changes ``valid_at`` answers about the past, never ``as_of`` answers about the
        past: an answer as of a position already applied is fixed (until an erasure, which makes a new
        graph). A time counts when it lies :data:`SETTLED_AFTER` before the newest event read.

        >>> g = PartnerGraph()
        >>> g.settled(None), g.settled(0), g.settled(1)
        (None, 0, None)
        """
        if as_of is None:
            return None
        with self.lock:
            if isinstance(as_of, datetime):
                if not self._timestamps or as_of >= _time(self._timestamps[-1]) - SETTLED_AFTER:
                    return None
                return self.position_at(as_of)
            return as_of if as_of <= self.position else None

    def answer_version(self, as_of: int | datetime | None) -> str:
        """:attr:`version` for an answer ``as_of`` a moment: a settled moment's answers never change."""
        settled = self.settled(as_of)
        return self.version if settled is None else f"at{settled}.{self.epoch}"

    # -- following the log ---------------------------------------------------

    @property
    def position(self) -> int:
        """The last log position applied (0 before any)."""
        return self.max_tracking_id(self.application_name) or 0

    def apply(self, event: Any, tracking: Tracking) -> bool:
        """Apply one stored event at its log position; a position already applied is skipped."""
        with self.lock:
            if tracking.notification_id <= self.position:
                return False
            self.insert_tracking(tracking)
            position = tracking.notification_id
            self._positions.append(position)
            self._timestamps.append(_microseconds(event.timestamp))
            previous = self._records.get(event.originator_id)
            if previous is not None and event.originator_id in self._handed_out:
                # A reader may be serialising this record outside the lock: change a copy instead.
                # Replays hand nothing out, so they copy nothing (a copy per event doubled replay time).
                # (the shared empty list stays itself in the copy: copied, it would be one list for all its fields)
                previous = copy.deepcopy(previous, None if self._empty is None else {id(self._empty): self._empty})
                self._handed_out.discard(event.originator_id)
            if previous is not None and self._empty is not None:
                _unshare(previous, self._empty)
            record = event.mutate(previous)
            self._records[event.originator_id] = record
            if previous is None:
                self._of_type.setdefault(type(record), {})[event.originator_id] = None
            self._days = None  # the business days this event's changes are about (widened by _touch)
            self._measured = False  # whether they change what the partnership view's measures read
            if isinstance(record, Organisation):
                self._sync_node(text(record.id), _organisation_attrs(record), position)
            elif isinstance(record, Partnership):
                self._sync_node(text(record.id), _partnership_attrs(record), position)
                self._sync_edges(text(record.id), {**_membership_edges(record), **_project_edges(record)}, position)
            elif isinstance(record, FrameworkProject):
                self._sync_node(text(record.id), _project_attrs(record), position)
            elif isinstance(record, Meeting):
                self._sync_node(text(record.id), _meeting_attrs(record), position)
                self._sync_edges(text(record.id), _meeting_edges(record), position)
            elif isinstance(record, ExperienceExchange):
                self._sync_edges(text(record.id), _exchange_edges(record), position)
            if self._days is not None:
                self._touches.append((position, *self._days, self._measured))
                if len(self._touches) > 2 * self.TOUCHES_KEPT:
                    self._touches_from = self._touches[-self.TOUCHES_KEPT - 1][0]
                    del self._touches[:-self.TOUCHES_KEPT]
            if not isinstance(record, Account):
                self.changed_at = position  # last: a reader who sees it finds this event's touches too
            return True

    def _touch(self, attrs: dict[str, Any], measured: bool = True) -> None:
        """Widen the days the event being applied is about by those a node or link version is shown on; ``measured``
        False for a change the partnership view's measures do not read (the attributes of an organisation or a
        project already shown: its name, region, city — which every day shows, so they touch every day)."""
        if not self.noting:
            return
        self._measured = self._measured or measured
        days = _days(attrs)
        if self._days is None:
            self._days = days
        else:
            self._days = min(self._days[0], days[0]), max(self._days[1], days[1])

    @contextmanager
    def unnoted(self) -> Iterator[None]:
        """Apply a long run of events without noting the days each changes (a replay: 0.4 of 5.7 s at
        99,527 events); afterwards no answer kept from before it is trusted (:meth:`untouched`)."""
        self.noting = False
        try:
            yield
        finally:
            self.noting = True
            self._touches.clear()
            self._touches_from = self.position

    def untouched(self, first: date, last: date, since: int, until: int, measures: bool = False) -> bool:
        """True if no event between positions ``since`` and ``until`` changed what the network holds on any
        day from ``first`` to ``last`` (business time): an answer valid on those days is still exact. With
        ``measures``, for an answer that reads only what the partnership view's measures read (the trend's points):
        the attributes of organisations and projects already shown do not count.

        >>> PartnerGraph().untouched(date(2021, 1, 1), date(2021, 12, 31), since=0, until=0)
        True
        """
        since, until = sorted((since, until))
        with self.lock:
            if since < self._touches_from:
                return False  # older than the touches kept: cannot tell
            start = bisect.bisect_right(self._touches, since, key=lambda touch: touch[0])
            for position, lo, hi, measured in islice(self._touches, start, None):
                if position > until:
                    break
                if lo <= last and first <= hi and (measured or not measures):
                    return False
            return True

    def _meet(self, node: str) -> None:
        """A node seen for the first time (its record's first event, or a record referred to before it was seen):
        in the graph, and numbered in the columns (numbers follow the graph's order of nodes)."""
        if node not in self.G:
            self.G.add_node(node)
            self.cols.number(node)

    def _sync_node(self, node: str, attrs: dict[str, Any], position: int) -> None:
        self._meet(node)
        old = self.cols.last_node_attrs(node)
        if old == attrs:
            return
        # an organisation's or a project's attributes are read by no measure; its first version shows it, and with
        # it any link recorded to it before (a record referred to before it was seen: it has rows already)
        measured = attrs["type"] not in ("organisation", "project") or (old is None and node in self._rows_of)
        if old is not None:
            self._touch(old, measured)
        self.cols.node_version(node, attrs, position)  # (its versions: in the columns only, see the module's docstring)
        self._touch(attrs, measured)
        self.now.touch_node(node)

    def _sync_edges(self, owner: str, desired: dict[str, tuple[str, str, dict[str, Any]]], position: int) -> None:
        """Close the edge versions of ``owner`` that changed and open the new ones."""
        G, touch, cols, rows_of, versions = self.G, self.now.touch_edge, self.cols, self._rows_of, self._edge_versions
        current = array(columns.INDEX)
        held = self._open_edges.get(owner, ())
        for row in (held,) if isinstance(held, int) else held:
            u, v, _, data = versions[row]
            wanted = desired.get(data["link"])
            if wanted is not None and u == wanted[0] and v == wanted[1] and _derived_as(data, wanted[2]):
                del desired[data["link"]]
                current.append(row)
                continue
            cols.close_edge(row, position)
            touch(u, v, row)
            self._touch(data)
        for u, v, attrs in desired.values():
            for node in (u, v):
                if node not in G:  # (checked here: a replay meets 300,000 ends at 99,527 events, most known)
                    self._meet(node)
            # its row in the columns is its key: a text "link@position" for each of 200,420 versions took
            # 28 MB at 99,527 events
            row = cols.edge_version(u, v, attrs, position, attrs.get("role", attrs.get("disputed")))
            for end in (u,) if u == v else (u, v):
                rows = rows_of.get(end)
                if rows is None:
                    rows = rows_of[end] = array(columns.INDEX)
                rows.append(row)
            current.append(row)
            touch(u, v, row)
            self._touch(attrs)
        if len(current) > 1:
            self._open_edges[owner] = current
        elif current:  # most owners (an exchange, a meeting with one party, …) hold one: its row, not an array of one
            self._open_edges[owner] = current[0]
        else:
            self._open_edges.pop(owner, None)

    # -- saving and restoring (projections.checkpoint) --------------------------

    def state(self) -> dict[str, Any]:
        """What a saved read model holds: the live graph, the records, the record-time index and the
        current answers brought up to date (so a server started from it answers at once)."""
        with self.lock:
            self.now.bring_up_to_date()
            self._compact_records()
            return {"position": self.position, "changed_at": self.changed_at, "G": _nodes_only(self.G),
                    "records": self._records, "open_edges": self._open_edges, "edge_versions": self._edge_versions,
                    "rows_of": self._rows_of, "positions": self._positions, "timestamps": self._timestamps,
                    "now": self.now, "cols": self.cols, "empty": self._empty}

    def _compact_records(self) -> None:
        """Make equal texts one object, equal ids one object, and the records' empty lists one list, before the model
        is saved.

        Each event's values are decoded anew, so 250,048 texts in the records at 99,527 events were 23,084 different
        ones (an area's code, a meeting's format, a city, and — in generated data — repeated topics: 16.8 MB), and
        146,692 of their lists were empty (8.2 MB; every record's pending events, most exchanges' disputes). A saved
        model keeps each once — the texts the graph took from the records too (its nodes' attributes, the links'
        labels), which would otherwise keep the copies the records no longer hold. The empty list is shared, so a
        record holding it gets lists of its own before an event changes it (:func:`_unshare`: its other fields are
        not looked at by a replay, which shares nothing). Texts and ids inside the records' lists and dicts (who
        took part in a meeting, who confirmed an exchange, a partnership's members and areas) are shared too
        (:func:`_shared`): at 995,974 events they were ~600,000 copies of records' ids and ~620,000 of texts.
        """
        texts: dict[str, str] = {}
        ids: dict[UUID, UUID] = {record_id: record_id for record_id in self._records}
        empty = self._empty if self._empty is not None else []
        for record in self._records.values():
            fields = vars(record)
            for name, value in fields.items():  # values replaced, never keys: the dict may be walked meanwhile
                shared = empty if type(value) is list and not value else _shared(value, texts, ids)
                if shared is not value:
                    fields[name] = shared
        self._empty = empty
        self.cols.compact(texts)

    @classmethod
    def restore(cls, state: dict[str, Any], application_name: str = "hub") -> PartnerGraph:
        """A graph from :meth:`state`, tracking the position it was saved at."""
        graph = cls(application_name)
        graph.G, graph._records, graph._open_edges = state["G"], state["records"], state["open_edges"]
        graph._edge_versions, graph._rows_of, graph.cols = state["edge_versions"], state["rows_of"], state["cols"]
        graph._positions, graph._timestamps, graph.now = state["positions"], state["timestamps"], state["now"]
        graph._empty = state["empty"]
        for record_id, record in graph._records.items():
            graph._of_type.setdefault(type(record), {})[record_id] = None
        graph.changed_at = graph._touches_from = state["changed_at"]
        if state["position"]:
            graph.insert_tracking(Tracking(application_name, state["position"]))
        return graph

    MEMO_SIZE = 32
    LASTING_SIZE = 16
    DATED_SIZE = 64  # answers about business days (a trend's 36 quarters and some more) kept across writes
    TOUCHES_KEPT = 20_000

    def memo(self, key: Any, compute: Callable[[], Any], as_of: int | datetime | None = None,
             days: tuple[date, date] | None = None, version: int | None = None, measures: bool = False) -> Any:
        """``compute()``'s result, kept until the next event changes the network (read-mostly workloads).

        Materialising a large view costs hundreds of milliseconds; between two writes every
        reader of the same query gets the same answer, so it is computed once — by the first
        thread to ask, while the others asking the same wait for it. It is computed *outside*
        the graph's lock, so the writer and other readers never wait behind it: ``compute``
        takes the lock itself for the part that reads the live graph (see :meth:`locked`).

        Answers kept across writes should be the final ones (JSON, figures), not the graphs they are
        made of, which take tens of megabytes each. An answer ``as_of`` a :meth:`settled` moment is
        kept across writes (the :data:`LASTING_SIZE` most recently asked): moving the record-time
        slider back to a moment seen before, or reading the past while others write, costs nothing.
        Account events keep every answer (see :attr:`version`).

        An answer about the network as known now that is valid on some business ``days`` only (from
        the first to the last: ``valid_at``, a trend's quarter, the steps of play) is kept while the
        writes that follow change nothing on those days (:meth:`untouched`): recording this month's
        exchange does not recompute the quarters of 2019. ``version`` says which network ``compute``
        answers about when the caller pinned one (a :attr:`changed_at` it read); the newest by default. With
        ``measures`` such an answer reads only what the partnership view's measures read, and is kept across a change
        to an organisation's or a project's attributes (:meth:`untouched`): registering an organisation recomputed
        every quarter of the trend (0.77 s at 99,527 events).
        """
        if as_of is None and days is not None:
            return self._dated_memo(key, compute, days, self.changed_at if version is None else version, measures)
        if self.settled(as_of) is not None:
            with self._memo_lock:
                slot = self._lasting.get(key)
                if slot is None:
                    slot = self._lasting[key] = _Slot()
                    while len(self._lasting) > self.LASTING_SIZE:
                        self._lasting.popitem(last=False)
                else:
                    self._lasting.move_to_end(key)
            return self._kept(slot, compute)
        version = self.changed_at
        with self._memo_lock:
            if self._memo_version != version:
                self._memo.clear()
                self._memo_version = version
            slot = self._memo.get(key)
            if slot is None:
                if len(self._memo) >= self.MEMO_SIZE:
                    self._memo.pop(next(iter(self._memo)))
                slot = self._memo[key] = _Slot()
        return self._kept(slot, compute)

    def _dated_memo(self, key: Any, compute: Callable[[], Any], days: tuple[date, date], version: int,
                    measures: bool) -> Any:
        # version is read before computing: the answer may be newer than its tag, never older
        with self._memo_lock:
            kept = self._dated.get(key)
        if kept is not None and kept[1] == days and self.untouched(*days, since=kept[0], until=version,
                                                                   measures=measures):
            with self._memo_lock:
                if key in self._dated:
                    self._dated.move_to_end(key)
            return self._kept(kept[2], compute)
        slot = _Slot()
        with self._memo_lock:
            self._dated[key] = (version, days, slot)
            while len(self._dated) > self.DATED_SIZE:
                self._dated.popitem(last=False)
        return self._kept(slot, compute)

    def _kept(self, slot: _Slot, compute: Callable[[], Any]) -> Any:
        """``slot``'s answer; then the answers kept are trimmed to :attr:`kept_bytes`, the least recently asked
        first (never this one). Bounded by number only, 16 answers about settled moments of the partnership view
        at 99,527 events (~40–80 MB of text each) took a worker's memory up by a gigabyte."""
        with self._memo_lock:
            self._asks += 1
            slot.used = self._asks
        answer = slot.get(compute)
        with self._memo_lock:
            kept: list[tuple[dict[Any, Any], Any, _Slot]] = [(self._memo, key, s) for key, s in self._memo.items()]
            kept += [(self._lasting, key, s) for key, s in self._lasting.items()]
            kept += [(self._dated, key, entry[2]) for key, entry in self._dated.items()]
            total = sum(s.size for _, _, s in kept)
            for table, key, s in sorted(kept, key=lambda entry: entry[2].used):
                if total <= self.kept_bytes:
                    break
                if s is not slot and s.size:
                    del table[key]
                    total -= s.size
        return answer

    def locked(self, read: Callable[[], Any]) -> Any:
        """``read()`` under the graph's lock: for a computation that walks the live graph."""
        with self.lock:
            return read()

    def current_answer(self, view: str) -> Deflated:
        """The current unfiltered answer (``full`` or ``partnerships``) as node-link JSON, deflated in pieces
        (``.text()`` is the JSON; ``.gzip_parts()`` a gzip member of it made without compressing).

        Kept up to date by each change (:mod:`projections.current`), so a read after a write
        costs the change, not the network.
        """
        with self.lock:
            return self.now.full_answer() if view == "full" else self.now.partnerships_answer()

    def records(self, cls: type) -> list[Any]:
        """Every record of one type as it stands now (first seen first).

        The objects never change after they are handed out: the next event of a record applies to
        a copy, so a reader may use them outside the lock.
        """
        with self.lock:
            position = self.position
            kept = self._of_class.get(cls)
            if kept is None or kept[0] != position:
                types = [t for t in self._of_type if issubclass(t, cls)]
                if len(types) > 1:  # several types: in the order first seen across them
                    ids = {record_id: None for record_id, r in self._records.items() if isinstance(r, cls)}
                else:  # one type, or none yet (no record to look for)
                    ids = self._of_type[types[0]] if types else {}
                found = [self._records[record_id] for record_id in ids]
                self._handed_out.update(ids)
                kept = self._of_class[cls] = (position, found)
            return list(kept[1])

    def record(self, record_id: UUID) -> Any | None:
        """One record as it stands now (None if unknown), handed out like :meth:`records`'s.

        For naming what a page refers to without copying every record of a kind: at 113k events the
        audit page spent most of its 245 ms building a name for every record.
        """
        with self.lock:
            found = self._records.get(record_id)
            if found is not None:
                self._handed_out.add(record_id)
            return found

    def node(self, node: str) -> dict[str, Any] | None:
        """A node's attributes as last recorded (None if none were: unknown, or only referred to).

        >>> PartnerGraph().node("an organisation") is None
        True
        """
        with self.lock:
            return self.cols.last_node_attrs(node)

    def neighbour(self, node: str, kind: str) -> str:
        """The other end of the first edge version of ``kind`` ever recorded at ``node`` ("" if none).

        >>> PartnerGraph().neighbour("a meeting", "organised")
        ''
        """
        with self.lock:
            versions = self._edge_versions
            for row in self._rows_of.get(node, ()):
                if versions.kind(row) == kind:
                    u, v = versions.ends(row)
                    return v if u == node else u
            return ""

    # -- record time ---------------------------------------------------------

    def position_at(self, moment: datetime) -> int:
        """The last log position recorded at or before ``moment`` (0 if none)."""
        if moment.tzinfo is None:
            raise ValueError("as_of needs a time zone (e.g. 2021-03-01T00:00:00Z)")
        with self.lock:
            i = bisect.bisect_right(self._timestamps, _microseconds(moment))
            return self._positions[i - 1] if i else 0

    def recorded_at(self, position: int) -> datetime | None:
        with self.lock:
            i = bisect.bisect_right(self._positions, position)
            return _time(self._timestamps[i - 1]) if i else None

    def ticks(self, limit: int = 200) -> list[tuple[int, datetime]]:
        """Moments of record time a slider can stop at: (position, recorded at), the last of each day.

        A log written within a day or two (an import, a generated network) gets up to ``limit`` evenly
        spaced positions instead, so the slider still moves through it.

        >>> PartnerGraph().ticks()
        []
        """
        with self.lock:
            last_of_day: dict[int, tuple[int, int]] = {}  # UTC day → its last event's position and time
            for position, at in zip(self._positions, self._timestamps, strict=True):
                last_of_day[at // DAY] = (position, at)
            if len(last_of_day) > 2 or not self._positions:
                found = list(last_of_day.values())
                return [(position, _time(at)) for position, at in (found[-limit:] if len(found) > limit else found)]
            n = len(self._positions)
            return [(self._positions[i], _time(self._timestamps[i])) for i in spread(n, limit)]

    def moment(self, as_of: int | datetime | None = None, valid_at: date | None = None) -> Moment:
        if isinstance(as_of, datetime):
            as_of = self.position_at(as_of)
        return Moment(FOREVER if as_of is None else as_of, valid_at)

    # -- views -----------------------------------------------------------------

    def view(
        self,
        as_of: int | datetime | None = None,
        valid_at: date | None = None,
        *,
        region: str | None = None,
        scope: str | None = None,
        kinds: Iterable[str] | None = None,
        area: str | None = None,
        folded: bool = False,
    ) -> nx.MultiGraph:
        """A lazy read-only view of the graph as known ``as_of`` about the world ``valid_at``: its nodes; its edges
        are :func:`visible_edges` (a view of the nodes only: the graph holds no edges).

        Make a new view after catching up: a view judges each node once. A view ``folded`` into the partnership
        view shows every membership whatever ``kinds`` say: they tell which partnerships an organisation's
        meetings and exchanges speak for (:func:`partnership_links` keeps only the links of ``kinds``).

        >>> g = PartnerGraph()
        >>> g.view().number_of_nodes()
        0
        """
        at = self.moment(as_of, valid_at)
        G, cols, versions, rows_of = self.G, self.cols, self._edge_versions, self._rows_of
        cut_as_of = columns.LATEST if at.as_of == FOREVER else int(at.as_of)
        kinds = edge_kinds_for(kinds) | ({"membership"} if folded else set()) if kinds is not None else None

        shown: dict[str, bool] = {}  # a view is short-lived: each node is judged once

        def show_node(node: str) -> bool:
            try:
                return shown[node]
            except KeyError:
                shown[node] = result = judge_node(node)
                return result

        def judge_node(node: str) -> bool:
            attrs = cols.node_attrs_at(node, at.as_of)
            if attrs is None:
                return False
            if attrs["type"] == "meeting":
                return judge_meeting(node, attrs)
            if attrs["type"] == "project":  # structure of no region: where one of its partnerships is shown
                return region is None and scope is None and area is None or any(map(show_node, linked_then(node)))
            is_partnership = attrs["type"] == "partnership"
            if at.valid_at is not None and is_partnership and not _active(attrs, at.valid_at):
                return False
            if region is not None and region not in attrs["regions"]:
                return False
            if scope is not None and is_partnership and attrs["scope"] != scope:
                return False
            if area is not None and is_partnership and area not in attrs["areas"]:
                return False
            return True

        def judge_meeting(node: str, attrs: dict[str, Any]) -> bool:
            """A meeting belongs to no region: shown while not cancelled, from its first day, where someone of
            the view's region took part."""
            if attrs["status"] == CANCELLED or (at.valid_at is not None and not _active(attrs, at.valid_at)):
                return False
            if area is not None and attrs["area"] not in (None, area):
                return False
            return region is None or any(map(show_node, linked_then(node)))

        def linked_then(node: str) -> Iterator[str]:
            """The nodes linked to ``node`` by an edge held at the view's moment (not those linked before or since:
            a partnership that joined a project later made it appear in a region's past)."""
            for row in rows_of.get(node, ()):
                if cols.held(row, cut_as_of):
                    u, v = versions.ends(row)
                    yield v if u == node else u

        def held(e: dict[str, Any]) -> bool:
            """Whether an edge version was held at the view's moment (record time)."""
            return e["rec_from"] <= at.as_of and (e["rec_to"] is None or at.as_of < e["rec_to"])

        def show_edge(u: str, v: str, key: int) -> bool:
            return edge_shown(versions[key][3])

        def edge_shown(e: dict[str, Any]) -> bool:
            if not held(e):
                return False
            if at.valid_at is not None and not _active(e, at.valid_at):
                return False
            if kinds is not None and e["kind"] not in kinds:
                return False
            if area is not None and e.get("area") not in (None, area):
                return False
            return True

        view = nx.subgraph_view(G, filter_node=show_node)  # of nodes only: its edges are visible_edges(view)
        # Not view.graph: a subgraph view shares that dict with the live graph.
        view.moment = at
        view.visible = (G, show_node, show_edge)
        # what its edges are read from (visible_edges) and the partnership view folded from (partnership_fold): the
        # history in columns; the edge versions (in the order recorded, as the columns' rows); node filters' rule
        filtered = region is not None or scope is not None or area is not None
        view.columns = (cols, columns.Cut(cut_as_of, at.valid_at, kinds, area), show_node if filtered else None,
                        versions)
        return view

    def snapshot(
        self, as_of: int | datetime | None = None, valid_at: date | None = None, **filters: Any
    ) -> nx.MultiGraph:
        """A plain graph of what :meth:`view` shows, with each node's attributes as they were then.

        Edges are keyed by their link (what they stand for), so two snapshots compare directly.
        """
        with self.lock:
            view = self.view(as_of, valid_at, **filters)
            return materialise(view)

    def link(self, a: str, b: str, as_of: int | datetime | None = None, valid_at: date | None = None,
             kinds: Iterable[str] | None = None, **filters: Any) -> dict[str, Any] | None:
        """The partnership view's link between partnerships ``a`` and ``b`` at a moment (:func:`link_between`).

        >>> PartnerGraph().link("a", "b") is None
        True
        """
        with self.lock:
            return link_between(self.view(as_of, valid_at, kinds=kinds, folded=True, **filters), a, b, kinds)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = 86_400_000_000  # microseconds


def _microseconds(moment: datetime) -> int:
    """A moment (with its time zone) as microseconds since the epoch, exactly.

    >>> _time(_microseconds(datetime(2021, 3, 1, 12, 0, 0, 7, tzinfo=UTC)))
    datetime.datetime(2021, 3, 1, 12, 0, 0, 7, tzinfo=datetime.timezone.utc)
    """
    return (moment - EPOCH) // timedelta(microseconds=1)


def _time(microseconds: int) -> datetime:
    """:func:`_microseconds` back to a moment in UTC."""
    return EPOCH + timedelta(microseconds=microseconds)


def spread(n: int, limit: int) -> list[int]:
    """Up to ``limit`` indexes of ``n`` items, evenly spaced, the first and the last among them.

    >>> spread(7, 200), spread(10, 4), spread(0, 5)
    ([0, 1, 2, 3, 4, 5, 6], [0, 3, 6, 9], [])

    (A log shorter than ``limit`` once got its first few positions only: ``spread(7, 200)`` was ``[0]``.)
    """
    count = min(limit, n)
    return sorted({round(i * (n - 1) / max(1, count - 1)) for i in range(count)})


class _Slot:
    """One memoised answer: computed once, by the first thread to ask; a failure is not kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._value: Any = None
        self.size: int = 0  # what the answer is counted as against PartnerGraph.kept_bytes (answer_size)
        self.used = 0  # when it was last asked for (PartnerGraph's count of asks)

    def get(self, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if not self._done:
                with collector.paused():  # a large answer is not walked over and over while it grows
                    self._value = compute()
                self.size = answer_size(self._value)
                self._done = True
            return self._value


NODE_OR_EDGE_BYTES = 500
"""What a node or an edge of a graph kept as an answer is counted as: at 1,000 partnerships (tracemalloc) the full
view materialised took 522 bytes per node or edge, the partnership view 443."""


def answer_size(answer: Any) -> int:
    """The bytes a kept answer is counted as: a text exactly, a graph by :data:`NODE_OR_EDGE_BYTES`; figures and
    other small answers count nothing (they are bounded by number).

    >>> answer_size(b"{}"), answer_size(nx.path_graph(3)), answer_size({"nodes": 3})
    (2, 2500, 0)
    """
    if isinstance(answer, (bytes, bytearray, str)):
        return len(answer)
    if isinstance(answer, nx.Graph):
        elements: int = answer.number_of_nodes() + answer.number_of_edges()
        return NODE_OR_EDGE_BYTES * elements
    return 0


def kept_bytes(environ: Mapping[str, str] | None = None) -> int:
    """How many bytes of answers a process keeps at most: ``HUB_ANSWERS_KEPT_MB`` (default 256).

    >>> kept_bytes({}) // 2**20, kept_bytes({"HUB_ANSWERS_KEPT_MB": "0.5"})
    (256, 524288)
    """
    text = (os.environ if environ is None else environ).get("HUB_ANSWERS_KEPT_MB") or "256"
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1
    if not megabytes >= 0:
        raise ValueError(f"HUB_ANSWERS_KEPT_MB must be a number of megabytes, not {text!r}")
    return int(megabytes * 2**20)


def materialise(view: nx.MultiGraph) -> nx.MultiGraph:
    """Copy a (small, filtered) view into a plain graph: for output and comparison.

    Never per request on the whole log.
    """
    at: Moment = view.moment
    out = nx.MultiGraph(as_of=at.as_of, valid_at=at.valid_at)
    for node in view.nodes:
        out.add_node(node, **visible_attrs(view, node, at.as_of))
    for u, v, data in visible_edges(view):
        out.add_edge(u, v, key=data["link"], **public(data))
    return out


def visible_edges(view: nx.MultiGraph) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """Each edge of a :meth:`PartnerGraph.view` once, in the order recorded.

    The rows of the view's moment in the graph's history in columns (:func:`projections.columns.visible_rows`),
    not a judgement of each edge version in Python: at 99,527 events, the edges of a view as of the middle of the
    log took 0.53 s walking networkx's edge view, 0.13 s walking the list of edge versions and now 0.03 s (as of
    now 0.63 → 0.16 → 0.04 s); the map as of now 0.58 → 0.31 s.
    """
    versions = view.columns[3]
    for row in visible_edge_rows(view).tolist():
        u, v, _, data = versions[row]
        yield u, v, data


def visible_edge_rows(view: nx.MultiGraph) -> Any:
    """The rows of the edges of a :meth:`PartnerGraph.view`, in the order recorded: for a reader that needs a few
    of their numbers (:func:`projections.columns.edge_table`), not each one's attributes.

    >>> visible_edge_rows(PartnerGraph().view()).tolist()
    []
    """
    cols, at, _, _ = view.columns
    return columns.visible_rows(cols, at, shown_nodes(view)[0])


def shown_nodes(view: nx.MultiGraph) -> tuple[Any, Any]:
    """Which numbers of the graph's columns a view shows (a mask), and the row of each one's version at its moment
    (:func:`projections.columns.unfiltered_nodes`); a view that filters nodes by region, scope or area judges the nodes
    the unfiltered view shows with its own rule (a filter only hides). Judged once per view.

    >>> shown, version = shown_nodes(PartnerGraph().view())
    >>> len(shown), len(version)
    (0, 0)
    """
    found: tuple[Any, Any] | None = getattr(view, "shown", None)
    if found is None:
        cols, at, show_node, _ = view.columns
        shown, version = columns.unfiltered_nodes(cols, at)
        if show_node is not None:
            ids = cols.ids
            for n in np.flatnonzero(shown).tolist():
                shown[n] = show_node(ids[n])
        found = view.shown = (shown, version)
    return found


def visible_attrs(view: nx.Graph, node: str, as_of: float) -> dict[str, Any]:
    """The attributes of a node that a view shows (a view shows only nodes known at its moment)."""
    cols: Columns = view.columns[0]
    attrs = cols.node_attrs_at(node, as_of)
    if attrs is None:
        raise LookupError(f"the view shows {node}, which was not recorded at {as_of}")
    return attrs


def edge_kinds_for(kinds: Iterable[str]) -> frozenset[str]:
    """The full graph's edge kinds that ``kinds`` (of either view) need.

    >>> sorted(edge_kinds_for(["co_organised", "exchange_confirmed"]))
    ['exchange_confirmed', 'organised']
    >>> sorted(edge_kinds_for(["attended"]))  # an attendee is linked to the meeting's organisers
    ['attended', 'organised']
    """
    wanted = set(kinds)
    for link_kind, needs in (("co_organised", {"organised"}), ("attended", {"organised"}),
                             ("shared_member", {"membership"}), ("same_project", {"project"})):
        if link_kind in wanted:
            wanted |= needs
    return frozenset(wanted & set(EDGE_KINDS))


def link_kinds_for(kinds: Iterable[str]) -> frozenset[str]:
    """The partnership view's link kinds that ``kinds`` (of either view) ask for.

    >>> sorted(link_kinds_for(["membership", "organised"]))
    ['co_organised', 'shared_member']
    """
    named = {"membership": "shared_member", "organised": "co_organised", "project": "same_project"}
    return frozenset(named.get(kind, kind) for kind in kinds)


def partnership_view(view: nx.MultiGraph, kinds: Iterable[str] | None = None, *, reasons: bool = True) -> nx.Graph:
    """Fold organisations and meetings away: partnerships linked when they share a member, meet, or exchange.

    Each edge keeps its ``reasons`` (kind, via which record, label) unless ``reasons`` is false (for figures
    that only count links: at 99,527 events the reasons are half of a late moment's fold), ``kinds`` and
    ``weight``; ``kinds`` keeps only links of those kinds (``shared_member``, ``co_organised``, ``attended``,
    ``exchange_confirmed``, ``exchange_unconfirmed``).
    """
    at: Moment = view.moment
    partnerships, folded = partnership_fold(view, kinds, reasons=reasons)
    P = nx.Graph(as_of=at.as_of, valid_at=at.valid_at)
    P.add_nodes_from(partnerships.items())
    P.add_edges_from(folded.edges())
    return P


def partnership_links(view: nx.MultiGraph, kinds: Iterable[str] | None = None, *, reasons: bool = True,
                      around: tuple[str, str] | None = None
                      ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """:func:`partnership_view` as plain data: each partnership's attributes, and each linked pair (its ids in
    order) with its ``reasons``, ``kinds``, ``weight`` and ends (``source``, ``target``: the link as written).
    For an answer that is only written out, which needs no graph: at 1,000 partnerships, building it and
    networkx's node-link walk took ~70 of the ~160 ms of a partnership view as of a late moment (the
    record-time slider's first ask for a moment).

    Without ``reasons``, a link has its kinds and weight only (half the text at 1,000 partnerships: a page that
    asks for a link's reasons when it is tapped). With ``around`` (two partnerships), only what links those two
    is folded, from the edges of their members and their own (:func:`link_between`); other pairs it returns
    may lack reasons.

    The attribute dicts of partnerships are the graph's own: read them, never change them.

    >>> partnership_links(PartnerGraph().view())
    ({}, {})
    """
    partnerships, folded = partnership_fold(view, kinds, reasons=reasons, around=around)
    return partnerships, folded.links()


def partnership_fold(view: nx.MultiGraph, kinds: Iterable[str] | None = None, *, reasons: bool = True,
                     around: tuple[str, str] | None = None) -> tuple[dict[str, dict[str, Any]], Folded]:
    """:func:`partnership_links` with the links still in columns (:class:`projections.columns.Folded`), folded
    from the graph's history in columns (:func:`projections.columns.fold`, which says why). The nodes the view
    shows are judged in columns too, unless it filters them by region, scope or area.

    >>> partnership_fold(PartnerGraph().view())[1].links()
    {}
    """
    cols, at, _, _ = view.columns
    labels = cols.labels
    shown, live = shown_nodes(view)
    partnership = shown & (columns.node_types(cols, live) == columns.PARTNERSHIP)
    attrs = cols.nv_attrs
    partnerships = {cols.ids[n]: attrs[live[n]] for n in np.flatnonzero(partnership).tolist()}

    def made(kind: Any, via: Any, row: Any) -> list[dict[str, Any]]:
        ids = cols.ids
        return [{"kind": columns.LINK_KINDS[k], "via": ids[g],
                 "label": attrs[live[g]].get("name", ids[g]) if r < 0 else labels[r]}
                for k, g, r in zip(kind.tolist(), via.tolist(), row.tolist(), strict=True)]

    folded = columns.fold(cols, at, shown, partnership, link_kinds=link_kinds_for(kinds) if kinds is not None
                          else None, reasons=made if reasons else None, around=around)
    return partnerships, folded


def link_between(view: nx.MultiGraph, a: str, b: str, kinds: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The partnership view's link between partnerships ``a`` and ``b`` (None if the view shows none): its reasons,
    kinds, weight and ends, folded from what is around the two only (:func:`partnership_links`). Its reasons
    are the whole view's, in an order of their own.

    >>> link_between(PartnerGraph().view(), "a", "b") is None
    True
    """
    _, found = partnership_links(view, kinds, around=(a, b))
    return found.get((a, b) if a < b else (b, a))


# -- what each record contributes ------------------------------------------------

text: Callable[[UUID], str] = lru_cache(maxsize=1 << 18)(str)
"""A record id as the graph's node id. Remembered: a replay names each id many times (976,041
``UUID.__str__`` calls, 0.8 s, in a replay of 99,527 events)."""

def _derived_as(data: dict[str, Any], derived: dict[str, Any]) -> bool:
    """True if an edge version's attributes in the graph are ``derived`` and its record-time interval.

    >>> _derived_as({"kind": "x", "rec_from": 1, "rec_to": None}, {"kind": "x"})
    True
    >>> _derived_as({"kind": "x", "rec_from": 1, "rec_to": None}, {"kind": "x", "role": "member"})
    False
    """
    missing = object()
    return len(data) == len(derived) + 2 and all(data.get(k, missing) == value for k, value in derived.items())


def _days(attrs: dict[str, Any]) -> tuple[date, date]:
    """The business days a node or link version is shown on: a partnership, a meeting or a link from its first
    day to its last; an organisation or a project on every day.

    >>> _days({"type": "organisation"}) == (date.min, date.max)
    True
    """
    start = attrs.get("valid_from")
    if start is None:
        return date.min, date.max
    end = attrs.get("valid_to")
    return start, date.max if end is None else end


def _active(attrs: dict[str, Any], day: date) -> bool:
    return attrs["valid_from"] <= day and (attrs["valid_to"] is None or day <= attrs["valid_to"])


def _organisation_attrs(o: Organisation) -> dict[str, Any]:
    return {
        "type": "organisation", "name": o.name, "kind": o.kind, "region": o.region,
        "regions": [o.region], "city": o.city, "synthetic": o.synthetic,
    }


def _partnership_attrs(p: Partnership) -> dict[str, Any]:
    return {
        "type": "partnership", "name": p.name, "region": p.regions[0], "regions": list(p.regions),
        "scope": p.scope, "signed_on": p.signed_on, "valid_until": p.valid_until,
        "terminated_on": p.terminated_on, "valid_from": p.signed_on, "valid_to": p.ends_on,
        "areas": sorted(p.areas), "synthetic": p.synthetic,
    }


def _membership_edges(p: Partnership) -> dict[str, tuple[str, str, dict[str, Any]]]:
    segments = [(oid, m["role"], m["role_since"], None) for oid, m in p.members.items()]
    segments += [(h["organisation_id"], h["role"], h["valid_from"], h["valid_to"]) for h in p.role_history]
    segments += [(m["organisation_id"], m["role"], m["role_since"], m["left_on"]) for m in p.former_members]
    edges = {}
    pid = text(p.id)
    for oid, role, valid_from, valid_to in segments:
        org = text(oid)
        attrs = edge_attrs("membership", pid, org, pid, p.name, role, valid_from, valid_to, None)
        edges[attrs["link"]] = (org, pid, attrs)
    return edges


def _project_attrs(f: FrameworkProject) -> dict[str, Any]:
    """A framework project belongs to no region; partnerships of one project are linked through it."""
    return {"type": "project", "name": f.name, "programme": f.programme, "starts_on": f.starts_on,
            "ends_on": f.ends_on, "region": None, "regions": [], "synthetic": f.synthetic}


def _project_edges(p: Partnership) -> dict[str, tuple[str, str, dict[str, Any]]]:
    if p.project_id is None:
        return {}
    pid, project = text(p.id), text(p.project_id)
    attrs = edge_attrs("project", pid, pid, project, p.name, None, p.signed_on, p.ends_on, None)
    return {attrs["link"]: (pid, project, attrs)}


def _meeting_attrs(m: Meeting) -> dict[str, Any]:
    """A meeting is in the network from its first day on (what it linked stays linked)."""
    return {
        "type": "meeting", "name": m.title, "format": m.format, "status": m.status, "held_on": m.held_on,
        "ends_on": m.ends_on, "valid_from": m.held_on, "valid_to": None, "area": m.area, "region": None,
        "regions": [], "synthetic": m.synthetic,
    }


def _meeting_edges(m: Meeting) -> dict[str, tuple[str, str, dict[str, Any]]]:
    if m.status == CANCELLED:
        return {}
    mid = text(m.id)
    # Not the meeting's status or format: the meeting's node holds them (in its versions). On its links they made
    # each meeting held re-open all its links: 51,789 of 200,420 edge versions at 99,527 events.
    edges = {}
    organisers = sorted({text(o) for o in m.organisers})
    participants = sorted({text(x) for x in [*m.participating_organisations, *m.participating_partnerships]})
    for kind, parties in (("organised", organisers), ("attended", [p for p in participants if p not in organisers])):
        for party in parties:
            attrs = edge_attrs(kind, mid, party, mid, m.title, None, m.held_on, None, m.area)
            edges[attrs["link"]] = (party, mid, attrs)
    return edges


def _exchange_edges(x: ExperienceExchange) -> dict[str, tuple[str, str, dict[str, Any]]]:
    if x.retracted:
        return {}
    # A disputed record counts as confirmed nowhere (``hub.exchange``).
    confirmed_by = set() if x.disputed else {c["organisation_id"] for c in x.confirmations}
    confirmed_via = set() if x.disputed else {c["via_partnership"] for c in x.confirmations if c["via_partnership"]}
    edges = {}
    counterparts = [(c, c in confirmed_by) for c in x.counterpart_organisations]
    counterparts += [(c, c in confirmed_via) for c in x.counterpart_partnerships]
    xid, poster = text(x.id), text(x.organisation_id)
    for counterpart, confirmed in counterparts:
        other = text(counterpart)
        # its weight and whether confirmed: public()
        attrs = edge_attrs("exchange_confirmed" if confirmed else "exchange_unconfirmed", xid, poster, other, x.topic,
                           x.disputed, x.exchanged_on, None, x.area)
        edges[attrs["link"]] = (poster, other, attrs)
    return edges


def edge_attrs(kind: str, record: str, u: str, v: str, label: str, detail: Any, valid_from: date | None,
               valid_to: date | None, area: str | None) -> dict[str, Any]:
    """An edge version's attributes (without its interval in record time), the one home of their shape: each kind's
    are made here as a record's events are applied and again from the columns when asked for
    (:class:`EdgeVersions`). ``detail`` is a membership's role or an exchange's being disputed. The link names
    what the edge stands for, the same in each of its versions: its key in answers.

    >>> edge_attrs("organised", "m1", "o1", "m1", "Forum", None, date(2021, 5, 6), None, None)["link"]
    'organised:m1:o1'
    >>> edge_attrs("membership", "p1", "o1", "p1", "P", "leader", date(2021, 5, 6), None, None)["link"]
    'membership:p1:o1:2021-05-06'
    """
    if kind == "membership":
        assert valid_from is not None  # a member from a day
        return {"kind": kind, "link": f"membership:{record}:{u}:{valid_from.isoformat()}", "record": record,
                "role": detail, "valid_from": valid_from, "valid_to": valid_to, "label": label}
    if kind == "project":
        return {"kind": kind, "link": f"project:{record}:{v}", "record": record, "label": label,
                "valid_from": valid_from, "valid_to": valid_to}
    if kind in ("organised", "attended"):
        return {"kind": kind, "link": f"{kind}:{record}:{u}", "record": record, "label": label,
                "valid_from": valid_from, "valid_to": valid_to, "area": area}
    return {"kind": kind, "link": f"exchange:{record}:{v}", "record": record, "label": label, "valid_from": valid_from,
            "valid_to": valid_to, "area": area, "disputed": detail}


class EdgeVersions:
    """Every edge version as ``(u, v, row, attributes)`` by its row (its place in the order recorded), made from
    the columns when asked for (:func:`edge_attrs`), with its interval in record time (``rec_from``, ``rec_to``).

    Why not a dict each, kept: at 99,527 events the 148,631 versions' dicts, their links' texts, the tuples holding
    them and the open ones' index took ~100 MB of every server and ~800,000 of the objects a saved read model
    is unpickled into; the columns hold their numbers anyway, and references to their labels and dates take 32
    bytes a version. An answer makes the attributes of the versions it writes out only.
    """

    def __init__(self, cols: Columns) -> None:
        self.cols = cols

    def __len__(self) -> int:
        return self.cols.edge_count

    def __iter__(self) -> Iterator[EdgeVersion]:
        return map(self.__getitem__, range(self.cols.edge_count))

    def __getitem__(self, row: int) -> EdgeVersion:
        uid, vid, numbers, made = self._made(row)
        rec_to = numbers[columns.TO]
        attrs = {"rec_from": numbers[columns.FROM], "rec_to": None if rec_to == columns.OPEN else rec_to}
        attrs.update(made)
        return uid, vid, row, attrs

    def _made(self, row: int) -> tuple[str, str, array[int], dict[str, Any]]:
        """A version's ends, its numbers and its attributes without its interval in record time."""
        cols = self.cols
        numbers = cols.edge_row(row)
        ids = cols.ids
        uid, vid = ids[numbers[columns.U]], ids[numbers[columns.V]]
        return uid, vid, numbers, edge_attrs(
            cols.edge_kinds[numbers[columns.KIND]], ids[numbers[columns.RECORD]], uid, vid, cols.labels[row],
            cols.details[row], cols.valid_from[row], cols.valid_to[row], cols.area_names[numbers[columns.AREA]])

    def edge_object(self, row: int) -> dict[str, Any]:
        """The version as the full view's answers show it: its :func:`projections.current.public` attributes, its ends
        and its link as the key; made at once, with no copy.

        >>> g = PartnerGraph()
        >>> g._sync_edges("x", {"l": ("a", "b", edge_attrs("exchange_confirmed", "x", "a", "b", "T", False,
        ...                                               date(2021, 1, 1), None, None))}, 1)
        >>> u, v, _, data = g._edge_versions[0]
        >>> g._edge_versions.edge_object(0) == {**public(data), "source": u, "target": v, "key": data["link"]}
        True
        """
        uid, vid, _, made = self._made(row)
        shown = shown_as(made)
        shown["source"], shown["target"], shown["key"] = uid, vid, shown["link"]
        return shown

    def ends(self, row: int) -> tuple[str, str]:
        e, ids = self.cols.edges, self.cols.ids
        return ids[e[9 * row + columns.U]], ids[e[9 * row + columns.V]]

    def is_open(self, row: int) -> bool:
        """Whether the version is still held (its interval in record time is open)."""
        return self.cols.held(row, columns.LATEST)

    def about(self, row: int) -> tuple[str, str, str]:
        """The version's kind, record and label."""
        cols, base = self.cols, 9 * row
        return cols.edge_kinds[cols.edges[base + columns.KIND]], cols.ids[cols.edges[base + columns.RECORD]], \
            cols.labels[row]

    def kind(self, row: int) -> str:
        return self.cols.edge_kinds[self.cols.edges[9 * row + columns.KIND]]
