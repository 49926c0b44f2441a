"""The regions a record can belong to: Poland's 16 voivodeships by TERYT code.

Regional partnerships live in one voivodeship; a supra-regional or national
body may also name the whole country (``PL``), the one named supra-regional
scope the hub knows.
"""

from __future__ import annotations

from hub.errors import InvalidCommand, Phrase

VOIVODESHIPS: dict[str, str] = {
    "02": "dolnośląskie",
    "04": "kujawsko-pomorskie",
    "06": "lubelskie",
    "08": "lubuskie",
    "10": "łódzkie",
    "12": "małopolskie",
    "14": "mazowieckie",
    "16": "opolskie",
    "18": "podkarpackie",
    "20": "podlaskie",
    "22": "pomorskie",
    "24": "śląskie",
    "26": "świętokrzyskie",
    "28": "warmińsko-mazurskie",
    "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}

SUPRA_REGIONAL: dict[str, str] = {"PL": "cała Polska"}

REGIONS: dict[str, str] = {**VOIVODESHIPS, **SUPRA_REGIONAL}



def is_region(code: object) -> bool:
    """True when ``code`` is a voivodeship TERYT code or a named supra-regional scope.

    >>> is_region("18"), is_region("19"), is_region("PL")
    (True, False, True)
    """
    return isinstance(code, str) and code in REGIONS


def region_name(code: str) -> str:
    """The Polish name of a region code, e.g. ``region_name("18") == "podkarpackie"``."""
    return REGIONS[code]


def region_refusal(code: object) -> str:
    return Phrase("unknown region %(code)s: use a voivodeship TERYT code (02, 04, … 32) or 'PL'", code=repr(code))


def require_region(code: object, field: str = "region") -> None:
    """Refuse anything but a voivodeship TERYT code or a named supra-regional scope."""
    if not is_region(code):
        raise InvalidCommand(region_refusal(code), field)
