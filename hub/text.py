"""How names are compared: without case and without Polish diacritics, so "lodz" finds "Łódź".

One home for the rule, used by lists and pickers (``projections.catalogue``) and by the
spreadsheet import (``hub.tables``), so a name that finds a record in one finds it in the other.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: ``fold("Łódź") == "lodz"``."""
    text = text.lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
