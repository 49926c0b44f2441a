"""Lists of records with filters and pages, read from the graph projection's folded records.

Name search ignores case and Polish diacritics: "lodz" finds "Łódź".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from hub.account import Account
from hub.exchange import ExperienceExchange
from hub.initiative import QualificationInitiative
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.project import FrameworkProject
from hub.text import fold, in_order
from hub.vocabulary import STANDARD_AREAS, Vocabulary
from projections.graph import PartnerGraph

__all__ = ["KINDS", "areas", "display_name", "fold", "named", "resolver", "search", "suggest"]

KINDS: dict[str, type] = {
    "organisations": Organisation,
    "partnerships": Partnership,
    "meetings": Meeting,
    "exchanges": ExperienceExchange,
    "initiatives": QualificationInitiative,
    "projects": FrameworkProject,
    "accounts": Account,
}


def display_name(record: Any) -> str:
    """What a record is called: its name, title or topic."""
    return str(getattr(record, "name", None) or getattr(record, "title", None) or getattr(record, "topic", ""))


Filter = Callable[[Any, Any], bool]

FILTERS: dict[str, dict[str, Filter]] = {
    "organisations": {
        "region": lambda r, v: r.region == v,
        "kind": lambda r, v: r.kind == v,
    },
    "partnerships": {
        "region": lambda r, v: v in r.regions,
        "scope": lambda r, v: r.scope == v,
        "active_on": lambda r, v: r.is_active_on(v),
        "member": lambda r, v: v in r.members,
        "area": lambda r, v: v in r.areas,
    },
    "meetings": {
        "organiser": lambda r, v: v in r.organisers,
        "status": lambda r, v: r.status == v,
        "held_from": lambda r, v: r.held_on >= v,
        "held_to": lambda r, v: r.held_on <= v,
    },
    "exchanges": {
        "organisation": lambda r, v: v == r.organisation_id or v in r.counterpart_organisations,
        "confirmed": lambda r, v: r.confirmed == v,
        "retracted": lambda r, v: r.retracted == v,
    },
    "initiatives": {
        "partnership": lambda r, v: r.partnership_id == v,
        "status": lambda r, v: r.status == v,
    },
    "projects": {
        "operator": lambda r, v: r.operator_id == v,
        "programme": lambda r, v: fold(v) in fold(r.programme or ""),
    },
    "accounts": {
        "role": lambda r, v: v in r.roles,
    },
}


def search(graph: PartnerGraph, kind: str, /, page: int = 1, page_size: int = 50,
           q: str | None = None, **filters: Any) -> tuple[list[Any], int]:
    """One page of records of ``kind`` matching every given filter, and how many match in all.

    ``kind`` is positional-only: "kind" is also a filter (an organisation's kind).
    """
    checks = [(FILTERS[kind][name], value) for name, value in filters.items() if value is not None]
    needle = fold(q) if q else None
    matches = [
        r for r in graph.records(KINDS[kind])
        if all(check(r, value) for check, value in checks) and (needle is None or needle in fold(display_name(r)))
    ]
    start = (page - 1) * page_size
    return matches[start:start + page_size], len(matches)




def suggest(graph: PartnerGraph, kinds: tuple[str, ...], q: str, limit: int = 10) -> list[tuple[str, Any]]:
    """Records of ``kinds`` whose name contains ``q`` (diacritics ignored), names that start with it first.

    For pickers that must work with thousands of records: ``(kind, record)`` pairs, at most ``limit``.
    """
    needle = fold(q.strip())
    if not needle:
        return []
    starts: list[tuple[str, Any]] = []
    within: list[tuple[str, Any]] = []
    for kind in kinds:
        for r in graph.records(KINDS[kind]):
            name = fold(display_name(r))
            if name.startswith(needle):
                starts.append((kind, r))
            elif needle in name:
                within.append((kind, r))
    starts.sort(key=lambda found: in_order(display_name(found[1])))  # as the lists order names
    within.sort(key=lambda found: in_order(display_name(found[1])))
    return (starts + within)[:limit]


def named(graph: PartnerGraph, kinds: tuple[str, ...], text: str) -> list[UUID]:
    """The ids of the records of ``kinds`` that ``text`` names: its id, or its whole name with case
    and diacritics ignored ("lodz university" names "Łódź University"). One id is an answer; none or
    several are for the caller to explain to the person.
    """
    return resolver(graph)(kinds, text)


def resolver(graph: PartnerGraph) -> Callable[[tuple[str, ...], str], list[UUID]]:
    """What :func:`named` answers, reusable for many lookups (a spreadsheet of thousands of references):
    each kind's names
    are folded once, on first use, instead of once per lookup.

    >>> from projections.graph import PartnerGraph
    >>> resolver(PartnerGraph())(("organisations",), "Łódź University")
    []
    """
    index: dict[str, tuple[dict[str, list[UUID]], set[UUID]]] = {}

    def kind_index(kind: str) -> tuple[dict[str, list[UUID]], set[UUID]]:
        if kind not in index:
            names: dict[str, list[UUID]] = {}
            ids: set[UUID] = set()
            for r in graph.records(KINDS[kind]):
                names.setdefault(fold(display_name(r)), []).append(r.id)
                ids.add(r.id)
            index[kind] = names, ids
        return index[kind]

    def resolve(kinds: tuple[str, ...], text: str) -> list[UUID]:
        text = text.strip()
        try:
            wanted: UUID | None = UUID(text)
        except ValueError:
            wanted = None
        found: list[UUID] = []
        for kind in kinds:
            names, ids = kind_index(kind)
            found += ([wanted] if wanted in ids else []) if wanted is not None else names.get(fold(text), [])
        return found

    return resolve


def areas(graph: PartnerGraph) -> Vocabulary:
    """The areas of activity a meeting or an exchange may name: the standard seven, then every area a
    partnership declared of its own (code → Polish and English label; a missing English label reads Polish).

    >>> list(areas(PartnerGraph()))[:2]
    ['A1', 'A2']
    """
    declared: dict[str, tuple[str, str]] = {}
    for p in graph.records(Partnership):
        for code, area in p.areas.items():
            if code not in STANDARD_AREAS and code not in declared:
                label = area.get("label_pl") or code
                declared[code] = (label, area.get("label_en") or label)
    return Vocabulary("area", {**STANDARD_AREAS, **dict(sorted(declared.items()))})
