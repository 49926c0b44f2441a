"""The dashboard's figures: counts per region and area, what is active, gaps, recent activity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from hub.application import HubApplication
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.regions import VOIVODESHIPS
from projections import analytics
from projections.graph import PartnerGraph
from projections.indicators import indicators


def latest_day_in_force(partnerships: Iterable[Partnership], day: date) -> date | None:
    """The latest business day on or before ``day`` when some partnership was in force; failing that, the
    first day after it when one comes into force; None when no partnership is recorded.

    This is what the dashboard offers when nothing is in force on the date asked for (the sample
    partnership expired in 2022: on a first run "today" shows an empty network).

    >>> from types import SimpleNamespace as P
    >>> sample = P(signed_on=date(2020, 12, 8), ends_on=date(2022, 6, 30))
    >>> latest_day_in_force([sample], date(2026, 11, 24))
    datetime.date(2022, 6, 30)
    >>> latest_day_in_force([sample], date(2019, 1, 1))
    datetime.date(2020, 12, 8)
    """
    partnerships = list(partnerships)
    before = [min(p.ends_on or day, day) for p in partnerships if p.signed_on <= day]
    after = [p.signed_on for p in partnerships if p.signed_on > day]
    found = max(before) if before else min(after) if after else None
    return None if found is None else date(found.year, found.month, found.day)


def day_to_show(partnerships: Iterable[Partnership], asked: date | None,
                today: date) -> tuple[date, dict[str, Any] | None]:
    """The business date a page shows and a notice about it.

    The date asked for (or today). When nothing is in force on it the notice says so and offers
    the latest date with activity (``kind: offer``); asked for nothing on a day when nothing is in
    force — a first run on the sample, which expired in 2022 — the page shows that date at once,
    saying why (``kind: moved``).

    >>> from types import SimpleNamespace as P
    >>> sample = P(signed_on=date(2020, 12, 8), ends_on=date(2022, 6, 30),
    ...            is_active_on=lambda d: date(2020, 12, 8) <= d <= date(2022, 6, 30))
    >>> day_to_show([sample], None, date(2026, 11, 24))[1]["kind"]
    'moved'
    >>> day_to_show([sample], date(2019, 1, 1), date(2026, 11, 24))
    (datetime.date(2019, 1, 1), {'kind': 'offer', 'from': datetime.date(2019, 1, 1), 'to': datetime.date(2020, 12, 8)})
    >>> day_to_show([sample], date(2021, 6, 1), date(2026, 11, 24))
    (datetime.date(2021, 6, 1), None)
    """
    partnerships = list(partnerships)
    day = asked or today
    if any(p.is_active_on(day) for p in partnerships):
        return day, None
    latest = latest_day_in_force(partnerships, day)
    if latest is None:
        return day, None
    if asked is None:
        return latest, {"kind": "moved", "from": day, "to": latest}
    return day, {"kind": "offer", "from": day, "to": latest}


def overview(graph: PartnerGraph, app: HubApplication, today: date, recent: int = 10) -> dict[str, Any]:
    """Everything the dashboard shows, for business date ``today``.

    Active partnerships come with their members on that day (names, roles), so the dashboard says
    who works together without a click.
    """
    partnerships = graph.records(Partnership)
    names = {o.id: o.name for o in graph.records(Organisation)}
    in_force = [p for p in partnerships if p.is_active_on(today)]
    active = [{"id": p.id, "name": p.name, "regions": p.regions, "ends_on": p.ends_on,
               "members": sorted(({"id": oid, "name": names.get(oid, str(oid)), "role": m["role"]}
                                  for oid, m in p.members_on(today).items()), key=lambda m: m["name"])}
              for p in in_force]
    per_region = Counter(code for p in partnerships for code in p.regions)
    active_per_region = Counter(code for p in in_force for code in p.regions)
    per_area = Counter(code for p in in_force for code in p.areas)
    labels = {code: a for p in partnerships for code, a in p.areas.items()}  # each area's words in both languages
    # kept until the network changes, not across writes (``PartnerGraph.memo``)
    links = graph.memo(("overview_links", today), lambda: graph.locked(lambda: analytics.Links.of_view(
        graph.view(valid_at=today))))
    attrs = dict(zip(links.nodes, links.attrs, strict=True))
    last = app.log_length()
    counts = {row["region"]: row for row in indicators(graph, end=today)}  # up to the day shown, as the map counts
    return {
        "today": today,
        "partnerships": len(partnerships),
        "active": sorted(active, key=lambda p: p["name"]),
        "regions": [{"code": code, "name": name, "partnerships": per_region[code], "active": active_per_region[code],
                     **counts[code]} for code, name in VOIVODESHIPS.items()],
        "areas": [{**labels[code], "active": n} for code, n in sorted(per_area.items())],
        "uncovered_regions": [{"code": c, "name": VOIVODESHIPS[c]} for c in analytics.uncovered_of(links)],
        "isolated": sorted(({**attrs[n], "id": n} for n in analytics.isolated_of(links)), key=lambda n: n["name"]),
        "recent": network_changes(app, last, recent),
    }


def network_changes(app: HubApplication, last: int, count: int) -> list[Any]:
    """The last ``count`` events about the network up to position ``last``, newest first, looking back at most
    20 × ``count`` events. An account's events (sign-ins, tokens, roles) are not news of the network: each sign-in
    put two lines there ("token or sign-in link issued"), so a few people signing in hid what changed. The audit
    log lists them."""
    window = 20 * count
    found = app.read_log(after=max(0, last - window), limit=window,
                         keep=lambda n: not n.topic.startswith("hub.account:"))
    return list(reversed(found[-count:]))
