"""The graph's history in columns, and the partnership view folded from them with array operations.

Why: the partnership view as of a moment (the record-time slider's every move, ``as_of`` in the API, a
past day's metrics) was folded in Python from the graph's edge versions: at 99,527 events a late
moment judged ~190,000 edge versions one by one, folded ~105,000 visible edges and updated a dict for
~280,000 pairs — 0.39–0.55 s in columns, 0.10–0.12× a full replay (the goal is 0.05×). Here every node
and edge version is also a row of a few integer columns (ids as numbers, both time axes as integers),
appended as the graph is, so a moment's visible edges are a mask over arrays and the fold is sorting and
counting over them (numpy, which rustworkx already brought in).

The rows carry what the fold needs and nothing else; the networkx graph stays the home of attributes
(labels, names, roles), read only for the few rows an answer writes out. The numbers are given as ids
are first met, so a node's number follows the graph's order of nodes.

>>> cols = Columns(("membership", "exchange_confirmed"))
>>> cols.number("org"), cols.number("partnership"), cols.number("org")
(0, 1, 0)
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from projections import shared_names

Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

OPEN = 2**62
"""The end of a version still held (record time) or of an open business interval."""
LATEST = OPEN - 1
"""``as_of`` for the network as known now: later than every position, before the end of what is still held."""

INDEX = "i"
"""The type code of the arrays of row numbers and other indexes (each node's rows, each owner's open edge versions, a
node's last version and the one before each; in the current answers a chunk's keys and where its texts end, which
chunk holds a key, a source's pairs, a pair's single exchange, the sorted pairs' numbers): 32 bits, half of 64. At
99,527 events the current answers' alone took the model 191 → 187 → 183 MB, the file 84.2 → 75.5 MB. Two thousand
million rows or pairs are beyond reach; the tables' own columns (record times up to :data:`OPEN`) stay 64-bit."""
INDEX_DTYPE = np.dtype(f"i{array(INDEX).itemsize}")  # the same numbers as numpy reads them

NODE_TYPES = ("organisation", "partnership", "meeting", "project")
ORGANISATION, PARTNERSHIP, MEETING, PROJECT = range(4)
LINK_KINDS = ("shared_member", "same_project", "co_organised", "attended", "exchange_confirmed",
              "exchange_unconfirmed")
"""The partnership view's link kinds, numbered in this order (what :attr:`Folded.kindsets` are made of)."""
SHARED_MEMBER, SAME_PROJECT, CO_ORGANISED, ATTENDED = range(4)


def _day(value: date | None, default: int) -> int:
    """A date as a day's number (``default`` for none)."""
    return default if value is None else value.toordinal()


# The columns of a node version's row and of an edge version's row. A table is one array of rows, a row's
# numbers side by side (one ``extend`` per version: nine ``append`` calls per edge version cost a replay of
# 99,527 events ~0.3 s), read by numpy as a matrix of rows.
NODE, N_FROM, N_TO, N_TYPE, N_CANCELLED, N_VALID_FROM, N_VALID_TO = range(7)
U, V, RECORD, KIND, AREA, FROM, TO, VALID_FROM, VALID_TO = range(9)


def _table(values: array[int], width: int) -> Ints:
    """A table's rows as numpy's, without a copy. Only ever a temporary within an expression that makes a
    new array from it: while a view lives the array cannot grow (``BufferError``)."""
    if not len(values):
        return np.zeros((0, width), dtype=np.int64)
    return np.frombuffer(values, dtype=np.int64).reshape(-1, width)


class Coded:
    """A column of few distinct values, by row: each row a number into a table of the values, each held once.

    Why: an edge version's dates (known to a day, a month or a year) and its detail (a role, whether disputed) were
    a list each, 8 bytes a row for a few thousand values: 53 MB at 995,974 events (1.66 million edge versions) for
    three such columns. Numbered here in an array of 1, 2 or 4 bytes a row (wider as the values grow), they take
    ~10 MB. A date's precision tells equal dates apart (2021 known to the year is not 2021-01-01 known to the day).

    >>> from hub.dates import KnownDate
    >>> column = Coded()
    >>> for value in (KnownDate.parse("2021"), KnownDate.parse("2021-01-01"), None, KnownDate.parse("2021")):
    ...     column.append(value)
    >>> [column[row] for row in range(len(column))], column.codes.typecode
    ([KnownDate('2021'), KnownDate('2021-01-01'), None, KnownDate('2021')], 'B')
    >>> len(column.values)
    3
    >>> for day in range(1, 301):
    ...     column.append(date.fromordinal(day))
    >>> column.codes.typecode, column[4], column[303]
    ('H', datetime.date(1, 1, 1), datetime.date(1, 10, 27))
    """

    WIDER = {"B": ("H", 1 << 8), "H": (INDEX, 1 << 16)}

    def __init__(self) -> None:
        self.codes = array("B")
        self.values: list[Any] = []
        self._code_of: dict[tuple[type, Any, Any], int] = {}

    @staticmethod
    def _key(value: Any) -> tuple[type, Any, Any]:
        return type(value), value, getattr(value, "precision", None)

    def append(self, value: Any) -> None:
        key = self._key(value)
        code = self._code_of.get(key)
        if code is None:
            code = self._code_of[key] = len(self.values)
            self.values.append(value)
            wider = self.WIDER.get(self.codes.typecode)
            if wider is not None and code >= wider[1]:
                self.codes = array(wider[0], self.codes)
        self.codes.append(code)

    def __getitem__(self, row: int) -> Any:
        return self.values[self.codes[row]]

    def __len__(self) -> int:
        return len(self.codes)

    def compact(self, texts: dict[str, str]) -> None:
        """Make each text among the values the one ``texts`` has (or gets)."""
        for i, value in enumerate(self.values):
            if type(value) is str:
                self.values[i] = texts.setdefault(value, value)

    def __getstate__(self) -> tuple[array[int], list[Any]]:
        return self.codes, self.values

    def __setstate__(self, state: tuple[array[int], list[Any]]) -> None:
        self.codes, self.values = state
        self._code_of = {self._key(value): code for code, value in enumerate(self.values)}


class Columns:
    """Every node and edge version of a :class:`projections.graph.PartnerGraph` as rows of integers.

    The graph calls :meth:`node_version`, :meth:`edge_version` and :meth:`close_edge` as it applies events,
    under its lock; :func:`fold` reads them under the same lock.
    """

    def __init__(self, edge_kinds: Sequence[str]) -> None:
        self.edge_kinds = tuple(edge_kinds)
        self.kind_code = {kind: i for i, kind in enumerate(self.edge_kinds)}
        self._numbers: dict[str, int] = {}
        self.ids: list[str] = []  # number → id
        self.areas: dict[str | None, int] = {None: 0}
        self.area_names: list[str | None] = [None]  # number → area
        self.nodes = array("q")  # node versions in the order recorded, rows of NODE … N_VALID_TO
        self.nv_attrs: list[dict[str, Any]] = []  # each node version's attributes (the graph's own dicts)
        # node number → the row of its last version + 1 (0: none yet); a dict of them was 0.92 million integer objects
        # of a read model at 995,974 events
        self._node_row = array(INDEX)
        self.node_before = array(INDEX)  # a node version's row → the row of the node's version before it + 1 (0: none)
        self.edges = array("q")  # edge versions in the order recorded (the graph's list), rows of U … VALID_TO
        self.edge_count = 0
        # what else an edge version's attributes hold, by row: references to the objects its attributes were made of
        # (dates keep the precision they were known to; most labels are a record's own name): with the columns, each
        # version's attributes are made when asked for (:class:`projections.graph.EdgeVersions`), not kept as a dict
        self.labels: list[str] = []
        self.details = Coded()  # a membership's role, an exchange's being disputed; None for other kinds
        self.valid_from = Coded()  # (dates of a few thousand days: coded, see :class:`Coded`)
        self.valid_to = Coded()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled, the node versions' attributes come back as dicts that share their names (:mod:`shared_names`):
        at 995,974 events they were 373,000 dicts, 162 MB."""
        state = self.__dict__.copy()
        state["nv_attrs"] = shared_names.Dicts(self.nv_attrs)
        return state

    def compact(self, texts: dict[str, str]) -> None:
        """Make each text the nodes' attributes and the links' labels and details hold the one ``texts`` has (or gets),
        and equal lists of texts in the nodes' attributes one list.

        The lists are a node version's regions and areas, made with it and never changed after (a new version has
        lists of its own): a meeting's regions (none), an organisation's one region, a partnership's areas. At
        995,974 events they were 420,000 lists, 30 MB, of a few hundred values.

        >>> cols, texts = Columns(("membership",)), {"Krosno": "Krosno"}
        >>> cols.labels.append("".join(["Kro", "sno"])); cols.labels[0] is texts["Krosno"]
        False
        >>> cols.compact(texts); cols.labels[0] is texts["Krosno"]
        True
        >>> cols.node_version("m1", {"type": "meeting", "regions": []}, 1)
        >>> cols.node_version("m2", {"type": "meeting", "regions": []}, 2)
        >>> cols.compact(texts); cols.nv_attrs[0]["regions"] is cols.nv_attrs[1]["regions"]
        True
        """
        lists: dict[tuple[str, ...], list[str]] = {}
        for attrs in self.nv_attrs:  # the graph's own dicts: values replaced, never keys (a reader may walk them)
            for name, value in attrs.items():
                if type(value) is str:
                    attrs[name] = texts.setdefault(value, value)
                elif type(value) is list and all(type(item) is str for item in value):
                    key = tuple(texts.setdefault(item, item) for item in value)
                    shared = lists.get(key)
                    if shared is None:
                        lists[key] = value
                        value[:] = key  # (equal texts: the shared ones)
                    elif shared is not value:
                        attrs[name] = shared
        for i, value in enumerate(self.labels):
            if type(value) is str:
                self.labels[i] = texts.setdefault(value, value)
        self.details.compact(texts)

    def number(self, id_: str) -> int:
        """The number of an id (a node's or a record's), given when it is first met."""
        return number_of(id_, self._numbers, self.ids)

    def _last_row(self, node: str) -> int:
        """The row of a node's last version (-1: none recorded)."""
        n = self._numbers.get(node)
        return self._node_row[n] - 1 if n is not None and n < len(self._node_row) else -1

    def last_node_attrs(self, node: str) -> dict[str, Any] | None:
        """A node's attributes as last recorded (None if none were)."""
        row = self._last_row(node)
        return self.nv_attrs[row] if row >= 0 else None

    def node_attrs_at(self, node: str, as_of: float) -> dict[str, Any] | None:
        """A node's attributes as recorded at log position ``as_of`` (None if not yet known), its versions newest first.

        >>> cols = Columns(())
        >>> cols.node_version("o", {"type": "organisation", "name": "A"}, 3)
        >>> cols.node_version("o", {"type": "organisation", "name": "B"}, 7)
        >>> [(cols.node_attrs_at("o", at) or {}).get("name") for at in (2, 3, 6, 7, float("inf"))]
        [None, 'A', 'A', 'B', 'B']
        """
        row, nodes = self._last_row(node), self.nodes
        while row >= 0:
            rec_to = nodes[7 * row + N_TO]
            if nodes[7 * row + N_FROM] <= as_of and (rec_to == OPEN or as_of < rec_to):
                return self.nv_attrs[row]
            row = self.node_before[row] - 1
        return None

    def node_version(self, node: str, attrs: dict[str, Any], position: int) -> None:
        """A node's new version from ``position`` on (its last one, if any, ends there)."""
        n = self.number(node)
        rows = holding(self._node_row, n)
        last = rows[n] - 1
        if last >= 0:
            self.nodes[7 * last + N_TO] = position
        self.node_before.append(last + 1)
        rows[n] = len(self.nv_attrs) + 1
        self.nodes.extend((n, position, OPEN, NODE_TYPES.index(attrs["type"]), attrs.get("status") == "cancelled",
                           _day(attrs.get("valid_from"), -OPEN), _day(attrs.get("valid_to"), OPEN)))
        self.nv_attrs.append(attrs)

    def edge_version(self, u: str, v: str, attrs: dict[str, Any], position: int, detail: Any = None) -> int:
        """An edge version recorded at ``position``; its row."""
        numbers, number = self._numbers, self.number  # (a number 0 is looked up twice: still 0)
        area = attrs.get("area")
        if area is None:
            code = 0
        else:
            code = self.areas.get(area, -1)
            if code < 0:
                code = self.areas[area] = len(self.area_names)
                self.area_names.append(area)
        valid_from, valid_to = attrs.get("valid_from"), attrs.get("valid_to")
        self.edges.extend((
            numbers.get(u) or number(u), numbers.get(v) or number(v), numbers.get(attrs["record"]) or
            number(attrs["record"]), self.kind_code[attrs["kind"]], code, position, OPEN,
            _day(valid_from, -OPEN), _day(valid_to, OPEN)))
        self.labels.append(attrs.get("label", ""))
        self.details.append(detail)
        self.valid_from.append(valid_from)
        self.valid_to.append(valid_to)
        self.edge_count += 1
        return self.edge_count - 1

    def close_edge(self, row: int, position: int) -> None:
        self.edges[9 * row + TO] = position

    def edge_row(self, row: int) -> array[int]:
        """An edge version's numbers: U … VALID_TO."""
        return self.edges[9 * row:9 * row + 9]

    def held(self, row: int, as_of: int) -> bool:
        """Whether an edge version was held at log position ``as_of`` (:data:`LATEST`: now)."""
        base = 9 * row
        return self.edges[base + FROM] <= as_of < self.edges[base + TO]

    def find(self, id_: str) -> int | None:
        """The number of an id met before (None if never)."""
        return self._numbers.get(id_)


@dataclass(frozen=True)
class Cut:
    """A view's cut through the history: its moment on both time axes and its filters of edges (kinds, area)."""

    as_of: int
    valid_at: date | None
    edge_kinds: frozenset[str] | None  # None: every kind
    area: str | None


def unfiltered_nodes(cols: Columns, at: Cut) -> tuple[Mask, Ints]:
    """Which numbers the unfiltered view shows at a moment (a node known then, a meeting not cancelled, on a
    ``valid_at`` day a partnership in force and a meeting held by then), and each node's version row then
    (-1: none)."""
    known = int(np.searchsorted(_table(cols.nodes, 7)[:, N_FROM], at.as_of, side="right"))
    live = np.flatnonzero(_table(cols.nodes, 7)[:known, N_TO] > at.as_of)
    rows = _table(cols.nodes, 7)[live]
    ok = rows[:, N_CANCELLED] == 0
    if at.valid_at is not None:
        day = at.valid_at.toordinal()
        dated = (rows[:, N_TYPE] == PARTNERSHIP) | (rows[:, N_TYPE] == MEETING)
        ok &= ~dated | ((rows[:, N_VALID_FROM] <= day) & (day <= rows[:, N_VALID_TO]))
    shown = np.zeros(len(cols.ids), dtype=bool)
    shown[rows[:, NODE]] = ok
    version = np.full(len(cols.ids), -1, dtype=np.int64)
    version[rows[:, NODE]] = live
    return shown, version


def node_types(cols: Columns, version: Ints) -> Ints:
    """The type of each node version row (``version`` from :func:`unfiltered_nodes`; -1 where none)."""
    return np.where(version >= 0, _table(cols.nodes, 7)[version, N_TYPE], -1)


def holding(numbers: array[int], index: int) -> array[int]:
    """``numbers``, grown with zeros (by half again at least, so that growing stays cheap) to hold ``index``.

    >>> holding(array("q", [7]), 2).tolist()
    [7, 0, 0]
    """
    if index >= len(numbers):
        numbers.frombytes(bytes(numbers.itemsize * max(index + 1 - len(numbers), len(numbers) // 2)))
    return numbers


def number_of(key: Any, numbers: dict[Any, int], keys: list[Any]) -> int:
    """``key``'s number in ``numbers``, given when it is first met: its place in ``keys``.

    >>> numbers, keys = {}, []
    >>> number_of("b", numbers, keys), number_of("a", numbers, keys), number_of("b", numbers, keys), keys
    (0, 1, 0, ['b', 'a'])
    """
    found = numbers.get(key)
    if found is None:
        found = numbers[key] = len(keys)
        keys.append(key)
    return found


def sized(mask: Mask, size: int) -> Mask:
    """``mask`` for ``size`` numbers: numbers given after it was made (a view used after the graph caught up
    with events that met new ids) are not shown.

    >>> sized(np.array([True]), 3).tolist()
    [True, False, False]
    """
    return mask if len(mask) >= size else np.concatenate((mask, np.zeros(size - len(mask), dtype=bool)))


def visible_rows(cols: Columns, at: Cut, shown: Mask) -> Ints:
    """The edge versions a view shows at a moment, in the order recorded: held then, on the ``valid_at`` day,
    of the view's kinds and area, between nodes it shows."""
    shown = sized(shown, len(cols.ids))
    known = int(np.searchsorted(_table(cols.edges, 9)[:, FROM], at.as_of, side="right"))
    rows = _table(cols.edges, 9)[:known].copy()
    mask = rows[:, TO] > at.as_of
    if at.valid_at is not None:
        day = at.valid_at.toordinal()
        mask &= (rows[:, VALID_FROM] <= day) & (day <= rows[:, VALID_TO])
    if at.edge_kinds is not None:
        wanted = np.array([kind in at.edge_kinds for kind in cols.edge_kinds], dtype=bool)
        mask &= wanted[rows[:, KIND]]
    if at.area is not None:
        mask &= (rows[:, AREA] == 0) | (rows[:, AREA] == cols.areas.get(at.area, -1))
    mask &= shown[rows[:, U]] & shown[rows[:, V]]
    return np.flatnonzero(mask)


def edge_table(cols: Columns, rows: Ints) -> Ints:
    """The numbers of the edge versions at ``rows`` (each U … VALID_TO), a copy."""
    return _table(cols.edges, 9)[rows]


@dataclass
class Folded:
    """The partnership view's links as columns, one row per linked pair, in the order the fold first linked
    them: ``source`` and ``target`` (numbers, ids in text order), ``weight`` (how many reasons) and ``kindset``
    (a position in ``kindsets``: the pair's kinds in the order first met). ``reasons`` (when asked for) are
    each pair's reasons, in the order met."""

    ids: list[str]  # number → id
    numbers: Mapping[str, int]  # id → number
    source: Ints
    target: Ints
    weight: Ints
    kindset: Ints
    kindsets: list[tuple[str, ...]]
    reasons: list[list[dict[str, Any]]] | None = None

    def number(self, id_: str) -> int:
        """The number of a partnership's id in ``source`` and ``target``."""
        return self.numbers[id_]

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each pair's ids (in order) and its ``reasons`` (if folded with them), ``kinds`` and ``weight``."""
        ids, kindsets, reasons = self.ids, self.kindsets, self.reasons
        columns = zip(self.source.tolist(), self.target.tolist(), self.weight.tolist(), self.kindset.tolist(),
                      strict=True)
        if reasons is None:
            for s, t, weight, kindset in columns:
                yield ids[s], ids[t], {"kinds": list(kindsets[kindset]), "weight": weight}
        else:
            for (s, t, weight, kindset), listed in zip(columns, reasons, strict=True):
                yield ids[s], ids[t], {"reasons": listed, "kinds": list(kindsets[kindset]), "weight": weight}

    def links(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Each pair (ids in order) → its ``reasons`` (if folded with them), ``kinds``, ``weight`` and ends."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for a, b, attrs in self.edges():
            attrs["source"], attrs["target"] = a, b
            found[a, b] = attrs
        return found


def _combinations(groups: Ints, items: Ints) -> tuple[Ints, Ints]:
    """Every pair (i, j), i before j, of ``items`` in one run of equal ``groups`` (sorted by group): the
    vectorised ``itertools.combinations`` of each group."""
    n = len(groups)
    if n == 0:
        return items[:0], items[:0]
    ends = np.searchsorted(groups, groups, side="right")
    count = ends - np.arange(n) - 1
    left = np.repeat(np.arange(n), count)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count)
    return items[left], items[left + 1 + offsets]


def _expand(x: Ints, starts: Ints, counts: Ints, items: Ints) -> tuple[Ints, Ints]:
    """For each ``x[i]``, every item of its run in ``items`` (``starts``/``counts`` by number): the positions
    ``i`` repeated and the items, in order."""
    c = counts[x]
    rep = np.repeat(np.arange(len(x)), c)
    offsets = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
    return rep, items[np.repeat(starts[x], c) + offsets]


def _runs(owner: Ints, items: Ints, size: int) -> tuple[Ints, Ints, Ints]:
    """``items`` grouped by ``owner`` (stable): their starts and counts by number, and the items."""
    order = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=size).astype(np.int64)
    return np.cumsum(counts) - counts, counts, items[order]


def _first_unique(key: Ints) -> Ints:
    """The positions of the first occurrence of each distinct ``key``, in order of occurrence."""
    return np.sort(np.unique(key, return_index=True)[1])


def _first_positions(numbers: Ints, size: int) -> Ints:
    """For each number, the position where it first occurs in ``numbers`` (by number; 0 for numbers absent).
    Not by assigning positions in reverse: numpy does not promise which of repeated indices' values is kept."""
    first_seen = np.zeros(size, dtype=np.int64)
    distinct, first = np.unique(numbers, return_index=True)
    first_seen[distinct] = first
    return first_seen


def fold(cols: Columns, at: Cut, shown: Mask, partnership: Mask, *, link_kinds: frozenset[str] | None = None,
         reasons: Callable[[Ints, Ints, Ints], list[dict[str, Any]]] | None = None,
         around: tuple[str, str] | None = None) -> Folded:
    """The partnership view's links at a moment: partnerships linked when they share a member or a framework
    project, organise one meeting, one attends what the other organised, or exchange experience; a link
    between organisations speaks for every partnership each belongs to then (a partnership speaks for itself).

    ``shown`` says which numbers the view shows, ``partnership`` which of them are partnerships. Only links of
    ``link_kinds`` (None: all). ``reasons(kind, via, row)`` makes the reasons of distinct (link kind, via
    number, edge row — -1 for a member's or a project's link) triples, when each link's reasons are asked
    for. With ``around`` (two partnerships' ids) only the edges at those two and at their members are
    folded: everything that can link the two, not other pairs' whole links.

    >>> cols = Columns(("membership", "project", "organised", "attended", "exchange_confirmed"))
    >>> for p in ("p", "q"):
    ...     _ = cols.edge_version("org", p, {"kind": "membership", "record": p}, 1)
    >>> shown = np.ones(len(cols.ids), dtype=bool)
    >>> folded = fold(cols, Cut(LATEST, None, None, None), shown, np.array([False, True, True]))
    >>> folded.links()
    {('p', 'q'): {'kinds': ['shared_member'], 'weight': 1, 'source': 'p', 'target': 'q'}}
    """
    size = len(cols.ids)
    shown, partnership = sized(shown, size), sized(partnership, size)
    rows = visible_rows(cols, at, shown)
    edges = _table(cols.edges, 9)[rows]
    u, v, kind, record = edges[:, U], edges[:, V], edges[:, KIND], edges[:, RECORD]
    code = cols.kind_code
    membership = kind == code.get("membership", -1)
    if around is not None:
        ends = np.array([n for n in map(cols.find, around) if n is not None and shown[n]], dtype=np.int64)
        reached = np.zeros(size, dtype=bool)
        reached[ends] = True
        reached[np.where(u == record, v, u)[np.isin(record, ends) & membership]] = True
        keep = reached[u] | reached[v]
        rows, u, v, kind, record, membership = (c[keep] for c in (rows, u, v, kind, record, membership))
    other = np.where(u == record, v, u)  # the end that is not the edge's record

    # an organisation's partnerships then (a partnership is a member of none)
    members = np.flatnonzero(membership & ~partnership[other])
    first = members[_first_unique(other[members] * size + record[members])]
    member_org, member_of = other[first], record[first]

    # which partnerships each end speaks for: a partnership itself, an organisation its partnerships
    selves = np.flatnonzero(partnership)
    side_starts, side_counts, side_items = _runs(np.concatenate((selves, member_org)),
                                                 np.concatenate((selves, member_of)), size)
    rank = np.full(size, -1, dtype=np.int64)  # partnerships in the text order of their ids
    rank[selves] = np.argsort(np.argsort(np.array([cols.ids[n] for n in selves.tolist()], dtype=object)))

    blocks: list[tuple[Ints, Ints, Ints, Ints, Ints]] = []  # (a, b, link kind, via, edge row), in the fold's order

    def wanted(link_kind: int) -> bool:
        return link_kinds is None or LINK_KINDS[link_kind] in link_kinds

    def groups(group: Ints, item: Ints, link_kind: int) -> None:
        """Every two partnerships of one group (an organisation's, a project's), groups in the order first met."""
        if not wanted(link_kind):
            return
        first_seen = _first_positions(group, size)
        order = np.lexsort((rank[item], first_seen[group]))
        key = first_seen[group][order]
        a, b = _combinations(key, item[order])
        via = _combinations(key, group[order])[0]
        blocks.append((a, b, np.full(len(a), link_kind, dtype=np.int64), via, np.full(len(a), -1, dtype=np.int64)))

    def across(x: Ints, y: Ints, link_kind: Ints, via: Ints, row: Ints) -> None:
        """A link between ``x`` and ``y`` for every partnership each speaks for."""
        if link_kinds is not None:
            keep = np.isin(link_kind, [i for i in range(len(LINK_KINDS)) if wanted(i)])
            x, y, link_kind, via, row = x[keep], y[keep], link_kind[keep], via[keep], row[keep]
        rep, a = _expand(x, side_starts, side_counts, side_items)
        rep2, b = _expand(y[rep], side_starts, side_counts, side_items)
        rep = rep[rep2]
        blocks.append((a[rep2], b, link_kind[rep], via[rep], row[rep]))

    groups(member_org, member_of, SHARED_MEMBER)
    projects = np.flatnonzero(kind == code.get("project", -1))
    first = projects[_first_unique(other[projects] * size + record[projects])]
    groups(other[first], record[first], SAME_PROJECT)

    exchange_kind = np.array([LINK_KINDS.index(k) if k in LINK_KINDS else -1 for k in cols.edge_kinds],
                             dtype=np.int64)
    exchanges = np.flatnonzero(exchange_kind[kind] >= 0)
    across(u[exchanges], v[exchanges], exchange_kind[kind[exchanges]], record[exchanges], rows[exchanges])

    # meetings, in the order first met: organisers pairwise, then each attendee with each organiser
    taking_part = np.flatnonzero((kind == code.get("organised", -1)) | (kind == code.get("attended", -1)))
    if len(taking_part):
        meeting, party = record[taking_part], other[taking_part]
        organised = (kind[taking_part] == code.get("organised", -1)).astype(np.int64)
        first_seen = _first_positions(meeting, size)
        label_row = np.zeros(size, dtype=np.int64)  # a meeting's label: its first edge's
        label_row[meeting] = rows[taking_part][first_seen[meeting]]
        first = _first_unique((meeting * 2 + organised) * size + party)
        meeting, party, organised = meeting[first], party[first], organised[first]
        o = np.flatnonzero(organised)
        o = o[np.lexsort((party[o], first_seen[meeting[o]]))]
        a, b = _combinations(first_seen[meeting[o]], party[o])
        co_via = _combinations(first_seen[meeting[o]], meeting[o])[0]
        starts, counts, items = _runs(meeting[o], party[o], size)
        t = np.flatnonzero(organised == 0)
        t = t[np.lexsort((party[t], first_seen[meeting[t]]))]
        rep, organiser = _expand(meeting[t], starts, counts, items)
        x, y = np.concatenate((a, party[t][rep])), np.concatenate((b, organiser))
        via = np.concatenate((co_via, meeting[t][rep]))
        link_kind = np.concatenate((np.full(len(a), CO_ORGANISED, dtype=np.int64),
                                    np.full(len(rep), ATTENDED, dtype=np.int64)))
        order = np.lexsort((link_kind, first_seen[via]))  # meeting by meeting, co-organisers first
        across(x[order], y[order], link_kind[order], via[order], label_row[via[order]])

    if blocks:
        a, b, link_kind, via, row = (np.concatenate(column) for column in zip(*blocks, strict=True))
    else:
        a = b = link_kind = via = row = np.zeros(0, dtype=np.int64)
    distinct = a != b
    a, b, link_kind, via, row = a[distinct], b[distinct], link_kind[distinct], via[distinct], row[distinct]
    a, b = np.where(rank[a] < rank[b], a, b), np.where(rank[a] < rank[b], b, a)
    _, first, pair = np.unique(rank[a] * max(1, len(selves)) + rank[b], return_index=True, return_inverse=True)
    position = np.empty(len(first), dtype=np.int64)  # pairs in the order first linked
    order_of_pair = np.argsort(first, kind="stable")
    position[order_of_pair] = np.arange(len(first))
    pair = position[pair.ravel()]
    weight = np.bincount(pair, minlength=len(first)).astype(np.int64)
    # each pair's kinds in the order first met, as one number (a digit per kind), numbered in the order first met
    firsts = _first_unique(pair * len(LINK_KINDS) + link_kind)
    by_pair = firsts[np.argsort(pair[firsts], kind="stable")]
    kind_pair, kind_of = pair[by_pair], link_kind[by_pair]
    digit = np.arange(len(by_pair)) - np.searchsorted(kind_pair, kind_pair, side="left")
    kindcode = np.bincount(kind_pair, weights=(kind_of + 1) * (len(LINK_KINDS) + 1) ** digit,
                           minlength=len(first)).astype(np.int64)
    codes, first_with, kindset = np.unique(kindcode, return_index=True, return_inverse=True)
    met = np.argsort(first_with, kind="stable")
    renumber = np.empty(len(codes), dtype=np.int64)
    renumber[met] = np.arange(len(codes))
    ends = first[order_of_pair]
    folded = Folded(cols.ids, cols._numbers, a[ends], b[ends], weight, renumber[kindset.ravel()],
                    [_kinds_of(int(c)) for c in codes[met]])
    if reasons is not None:
        _, made_from, which = np.unique((link_kind * size + via) * (cols.edge_count + 1) + row + 1,
                                        return_index=True, return_inverse=True)
        made = reasons(link_kind[made_from], via[made_from], row[made_from])
        listed: list[list[dict[str, Any]]] = [[] for _ in range(len(first))]
        for p, r in zip(pair.tolist(), which.ravel().tolist(), strict=True):
            listed[p].append(made[r])
        folded.reasons = listed
    return folded


def _kinds_of(code: int) -> tuple[str, ...]:
    kinds = []
    while code:
        code, digit = divmod(code, len(LINK_KINDS) + 1)
        kinds.append(LINK_KINDS[digit - 1])
    return tuple(kinds)
