"""How names are compared: without case and without Polish diacritics, so "lodz" finds "Łódź"; and
ordered with their numbers by value, so "Zespół Szkół nr 4" comes before "Zespół Szkół nr 12".

One home for the rule, used by lists and pickers (``projections.catalogue``) and by the
spreadsheet import (``hub.tables``), so a name that finds a record in one finds it in the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBERS = re.compile(r"(\d+)")


KEPT = 1 << 15
"""Names whose folded text and place are remembered (each function): a list sorts every record of its kind when the
network has changed, and at 99,527 events folding 35,000 exchange topics again was half of the exchanges list's
0.36 s. Its 57,989 names are 23,008 different ones, which took 13 MB in both; full, about 19 MB."""


@lru_cache(maxsize=KEPT)
def fold(text: str) -> str:
    """Lower case without diacritics: ``fold("Łódź") == "lodz"``."""
    text = text.lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=KEPT)
def in_order(text: str) -> tuple[str | int, ...]:
    """A name's place in a list: folded (:func:`fold`), each run of digits by its value.

    >>> sorted(["ZS nr 12", "ZS nr 4", "Akademia", "ZS nr 4a", "Łódzkie"], key=in_order)
    ['Akademia', 'Łódzkie', 'ZS nr 4', 'ZS nr 4a', 'ZS nr 12']
    >>> sorted(["Dolnośląskie 177: x", "Dolnośląskie 17: x", "Dolnośląskie 1: x"], key=in_order)[0]
    'Dolnośląskie 1: x'
    """
    parts = _NUMBERS.split(fold(text))  # text at even places, digits at odd ones: always compared like with like
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))
