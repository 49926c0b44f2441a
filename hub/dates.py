"""Business dates recorded as known: a day, a month, or only a year ("signed in 2008").

A :class:`KnownDate` is a ``datetime.date`` that remembers its precision. It is shown
with that precision everywhere (``isoformat()`` gives ``"2008"``, ``"2008-05"`` or
``"2008-05-14"``: the API, the UI, exports, the log) and never filled in.

**The one rule for both time axes' business side** (``valid_at``, intervals, GEXF):
a date that *starts* something (signed, joined, held, exchanged, submitted…) stands
for the first day of its period, and a date that *ends* something (valid until, left,
terminated, last day of a meeting or project) for the last day. So "signed in 2008,
valid until 2010" is in force on every day from 2008-01-01 to 2010-12-31 — the widest
reading, since the record cannot say more — and GEXF ``start``/``end`` carry those
days while the attributes carry the text as given. As a ``date`` the value *is* that
day, so every comparison and every rule of the aggregates works unchanged.

Stored events keep the text and the day (``hub.application`` registers the
transcoding), so the precision survives replay; events stored before this type
existed hold plain dates, which are day-precise.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Any

PRECISIONS = ("year", "month", "day")
_FORMS = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# Exactly the dates the hub accepts, as regexes both Python and JSON Schema (ECMA-262) read, so the OpenAPI
# document states them: years 0001–9999, months 01–12, the days each month has (29 February in leap years).
YEAR = r"(?:\d{3}[1-9]|\d{2}[1-9]\d|\d[1-9]\d{2}|[1-9]\d{3})"
MONTH = r"(?:0[1-9]|1[0-2])"
DAY = (rf"(?:{YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
       r"|02-(?:0[1-9]|1\d|2[0-8]))|(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
       r"-02-29)")
KNOWN_DATE = rf"^(?:{DAY}|{YEAR}-{MONTH}|{YEAR})$"
ISO_DAY = rf"^{DAY}$"


class KnownDate(date):
    """A date known to a day, a month or a year; as a ``date`` it is the day the rule above picks.

    >>> KnownDate.parse("2008").isoformat(), KnownDate.parse("2008", end=True)
    ('2008', KnownDate('2008', end=True))
    >>> KnownDate.parse("2021-02", end=True) == date(2021, 2, 28)
    True
    """

    __slots__ = ("precision",)  # no dict per date: hundreds of thousands are held by the read side
    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "day") -> KnownDate:
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def __reduce__(self) -> Any:  # copies and pickles keep the precision
        return (type(self), (self.year, self.month, self.day, self.precision))

    @classmethod
    def parse(cls, text: str, end: bool = False) -> KnownDate:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``end`` picks the last day of a year or month."""
        match = _FORMS.match(text.strip())
        if not match:
            raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is None:
            return cls(year, 12, 31, "year") if end else cls(year, 1, 1, "year")
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {text!r}")
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return cls(year, month, last if end else 1, "month")
        return cls(year, month, day, "day")

    @classmethod
    def of(cls, value: date | str, end: bool = False) -> KnownDate:
        """A known date from text or a ``date`` (a plain date is known to the day)."""
        if isinstance(value, KnownDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        return cls.parse(value, end)

    @property
    def is_end(self) -> bool:
        """Whether this partial date was read as the last day of its period."""
        return self.precision != "day" and self != KnownDate.parse(self.isoformat())

    def isoformat(self) -> str:
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return date.isoformat(self)

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"KnownDate({self.isoformat()!r}{', end=True' if self.is_end else ''})"

    def encode(self) -> list[str]:
        """As stored: the text as given and the day it stands for."""
        return [self.isoformat(), date.isoformat(self)]

    @classmethod
    def decode(cls, data: list[str]) -> KnownDate:
        """As :meth:`encode` stored it; one object for each stored value (see :func:`_decoded`).

        >>> KnownDate.decode(["2008", "2008-12-31"]) is KnownDate.decode(["2008", "2008-12-31"])
        True
        """
        text, day = data
        return _decoded(text, day)

    @classmethod
    def _decode(cls, text: str, day: str) -> KnownDate:
        on = date.fromisoformat(day)
        precision = "year" if len(text) == 4 else "month" if len(text) == 7 else "day"
        return cls(on.year, on.month, on.day, precision)


_decoded = lru_cache(maxsize=1 << 14)(KnownDate._decode)
"""Decoded dates, shared: a date never changes, and a replay of 99,527 events decoded 378,605 of them for a
few thousand distinct values (each its own object, with a dict for its precision until ``__slots__``)."""


def day_of(value: date) -> str:
    """The day a (known) date stands for, always ``YYYY-MM-DD`` (GEXF intervals, sorting keys)."""
    return date.isoformat(value)
