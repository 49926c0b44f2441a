"""The network over its history, quarter by quarter: does it grow together or apart?

Each point is the network *valid at* the quarter's last day (business time), as the hub knew it
at one record time (``as_of``; now by default), so a fact recorded late moves the points it is
about, and a chosen ``as_of`` shows the trend as it was reported then. Measured on a generated
network of 1,000 partnerships (20,962 events): one quarter costs about 0.1 s (the partnership
view of what is in force that day); a trend since 2018 about 3 s, computed once per version of
the network and question (``PartnerGraph.memo``), each quarter again only when a write changed
something on its last day.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import numpy as np

from projections import analytics, columns
from projections.graph import PartnerGraph, shown_nodes, visible_edge_rows

COLUMNS = ("quarter", "day", "active_partnerships", "inter_regional_links", "meetings_held", "exchanges_confirmed",
           "isolated_partnerships", "regions_covered")
FIRST_QUARTER = date(2018, 1, 1)  # the hub's records start then; earlier quarters are empty


def quarter_ends(first: date, last: date) -> list[date]:
    """The last day of every quarter from the one holding ``first`` to the one holding ``last``.

    >>> quarter_ends(date(2021, 2, 10), date(2021, 8, 1))
    [datetime.date(2021, 3, 31), datetime.date(2021, 6, 30), datetime.date(2021, 9, 30)]
    """
    ends = []
    year, quarter = first.year, (first.month - 1) // 3
    while date(year, quarter * 3 + 1, 1) <= last:
        following = date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
        ends.append(following - timedelta(days=1))
        year, quarter = following.year, (following.month - 1) // 3
    return ends


def steps(first: date, last: date, step: str) -> list[date]:
    """Business days from ``first`` to ``last`` by ``month``, ``quarter`` or ``year`` (both ends included).

    >>> steps(date(2021, 1, 31), date(2021, 4, 15), "month")
    [datetime.date(2021, 1, 31), datetime.date(2021, 2, 28), datetime.date(2021, 3, 31), datetime.date(2021, 4, 15)]
    >>> steps(date(2020, 12, 8), date(2022, 6, 30), "year")
    [datetime.date(2020, 12, 8), datetime.date(2021, 12, 8), datetime.date(2022, 6, 30)]
    >>> steps(date(9999, 11, 30), date(9999, 12, 31), "month")  # no step beyond the calendar's end
    [datetime.date(9999, 11, 30), datetime.date(9999, 12, 30), datetime.date(9999, 12, 31)]
    """
    months = {"month": 1, "quarter": 3, "year": 12}[step]
    days: list[date] = []
    n = 0
    while True:
        total = first.month - 1 + n * months
        year, month = first.year + total // 12, total % 12 + 1
        if year > date.max.year:  # a span that ends in the calendar's last months
            return [*days, last]
        day = min(first.day, calendar.monthrange(year, month)[1])
        if date(year, month, day) >= last:
            return [*days, last]
        days.append(date(year, month, day))
        n += 1


def quarter_name(day: date) -> str:
    """``2021-Q1`` for any day of that quarter.

    >>> quarter_name(date(2021, 3, 31))
    '2021-Q1'
    """
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def inter_regional_links(links: analytics.Links) -> int:
    """Links between partnerships of different home regions (``region``).

    >>> import networkx as nx
    >>> P = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(P, {"a": "18", "b": "18", "c": "14"}, "region")
    >>> inter_regional_links(analytics.Links.from_graph(P))
    1
    """
    codes: dict[Any, int] = {}
    home = np.array([codes.setdefault(attrs.get("region"), len(codes)) for attrs in links.attrs], dtype=np.int64)
    return int(np.count_nonzero(home[links.first] != home[links.second]))


def activity(graph: PartnerGraph, until: date, as_of: int | datetime | None = None) -> dict[str, tuple[int, int]]:
    """Meetings held and exchanges confirmed per quarter, dated on or before ``until``, as known
    ``as_of``: one pass over the graph for every quarter at once.

    A meeting or an exchange is valid from its day on, so the ones of a quarter are all valid at
    its end (or at ``until`` within its quarter): counting them by quarter gives what each
    quarter's view would show.
    """
    V = graph.view(as_of)
    cols = V.columns[0]
    meetings: dict[str, int] = {}
    exchanges: dict[str, set[int]] = {}  # records by number
    shown, version = shown_nodes(V)  # each meeting as recorded then (held, or not yet), not as it is now
    for n in np.flatnonzero(shown & (columns.node_types(cols, version) == columns.MEETING)).tolist():
        d = cols.nv_attrs[version[n]]
        if d["status"] == "held" and d["held_on"] <= until:
            meetings[quarter_name(d["held_on"])] = meetings.get(quarter_name(d["held_on"]), 0) + 1
    # the versions recorded by then, not every one the graph holds; their numbers, not their attributes: at 99,527
    # events 0.045-0.059 s (0.066-0.069 s reading each version's attributes when they were kept, 0.20 s making them)
    rows = visible_edge_rows(V)
    edges = columns.edge_table(cols, rows)
    first = edges[:, columns.VALID_FROM]
    confirmed = (edges[:, columns.KIND] == cols.kind_code["exchange_confirmed"]) & (first != -columns.OPEN) & (
        first <= until.toordinal())
    for row, record in zip(rows[confirmed].tolist(), edges[confirmed, columns.RECORD].tolist(), strict=True):
        exchanges.setdefault(quarter_name(cols.valid_from[row]), set()).add(record)
    return {q: (meetings.get(q, 0), len(exchanges.get(q, ()))) for q in {*meetings, *exchanges}}


def point(graph: PartnerGraph, day: date, as_of: int | datetime | None = None,
          counted: dict[str, tuple[int, int]] | None = None) -> dict[str, Any]:
    """The network's headline figures valid at ``day`` (meetings and exchanges: those of its quarter
    up to ``day``). ``counted``, when already made, is :func:`activity` until ``day`` — or until any
    later day when ``day`` ends its quarter."""
    links = analytics.Links.of_view(graph.view(as_of, valid_at=day))
    meetings, exchanges = (activity(graph, day, as_of) if counted is None else counted).get(quarter_name(day), (0, 0))
    return {
        "quarter": quarter_name(day), "day": day,
        "active_partnerships": len(links.nodes),
        "inter_regional_links": inter_regional_links(links),
        "meetings_held": meetings,
        "exchanges_confirmed": exchanges,
        "isolated_partnerships": len(analytics.isolated_of(links)),
        "regions_covered": 16 - len(analytics.uncovered_of(links)),
    }


def trend(graph: PartnerGraph, today: date, as_of: int | datetime | None = None,
          start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    """One :func:`point` per quarter, from ``start`` (2018 by default) to ``end`` (today); the last
    point of a quarter not over yet is valid at ``end``, not at the quarter's end.

    >>> [row["quarter"] for row in trend(PartnerGraph(), date(2018, 5, 1))]
    ['2018-Q1', '2018-Q2']
    """
    end = min(end or today, today)
    days = [min(d, end) for d in quarter_ends(start or FIRST_QUARTER, end)]
    # Pinned to one version of the network, the quarters agree with each other while events keep
    # arriving; the lock is taken per quarter (0.1–0.3 s), never for the whole trend, so the writer is
    # not held up. Each quarter is kept until a write changes something on its last day
    # (``PartnerGraph.memo``): recording today's exchange recomputes this quarter, not the other 35; registering or
    # renaming an organisation recomputes none (a point reads no organisation's attributes).
    version = graph.changed_at if as_of is None else None  # read once: each quarter is about this network
    at = as_of if version is None else version
    counted: dict[str, tuple[int, int]] = graph.memo(
        ("trend-activity", end, as_of), lambda: graph.locked(lambda: activity(graph, end, at)),
        as_of=as_of, days=(date.min, end), version=version, measures=True)
    return [graph.memo(("trend-point", day, as_of), partial(graph.locked, partial(point, graph, day, at, counted)),
                       as_of=as_of, days=(day, day), version=version, measures=True)
            for day in days]
