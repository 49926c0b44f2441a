"""How names are compared: without case and without Polish diacritics, so "lodz" finds "Łódź"; and
ordered with their numbers by value, so "Zespół Szkół nr 4" comes before "Zespół Szkół nr 12".

One home for the rule, used by lists and pickers (``projections.catalogue``) and by the
spreadsheet import (``hub.tables``), so a name that finds a record in one finds it in the other.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBERS = re.compile(r"(\d+)")


def fold(text: str) -> str:
    """Lower case without diacritics: ``fold("Łódź") == "lodz"``."""
    text = text.lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def in_order(text: str) -> tuple[str | int, ...]:
    """A name's place in a list: folded (:func:`fold`), each run of digits by its value.

    >>> sorted(["ZS nr 12", "ZS nr 4", "Akademia", "ZS nr 4a", "Łódzkie"], key=in_order)
    ['Akademia', 'Łódzkie', 'ZS nr 4', 'ZS nr 4a', 'ZS nr 12']
    >>> sorted(["Dolnośląskie 177: x", "Dolnośląskie 17: x", "Dolnośląskie 1: x"], key=in_order)[0]
    'Dolnośląskie 1: x'
    """
    parts = _NUMBERS.split(fold(text))  # text at even places, digits at odd ones: always compared like with like
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))
