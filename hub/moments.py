"""Reading the two time axes from text: ``as_of`` (record time) and ``valid_at`` (business date)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from hub.dates import DAY, ISO_DAY

# What ?as_of= accepts, stated exactly so the OpenAPI document can say it: a log position, or a day with an
# optional time (hh:mm[:ss[.ffffff]]) and zone (Z or ±hh:mm).
TIME = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?"
AS_OF = rf"^(?:\d{{1,18}}|{DAY}(?:T{TIME}(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?)$"
_AS_OF = re.compile(AS_OF)


def parse_as_of(text: str) -> int | datetime:
    """A log position (``"120"``) or a record time (ISO 8601; UTC when no zone is given).

    >>> parse_as_of("12"), parse_as_of("2021-03-01T00:00:00Z").isoformat()
    (12, '2021-03-01T00:00:00+00:00')
    """
    text = text.strip()
    if "T" in text and " " in text:  # an unescaped "+01:00" in a URL arrives as " 01:00"
        text = text.replace(" ", "+")
    if not _AS_OF.match(text):
        raise ValueError(f"not a log position or an ISO time: {text!r}")
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a log position or an ISO time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_valid_at(text: str) -> date:
    """A business date, ``YYYY-MM-DD``."""
    if not re.match(ISO_DAY, text.strip()):
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None
