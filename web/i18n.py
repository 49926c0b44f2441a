"""Polish and English for the UI (Flask-Babel). Polish is the default for this deployment's users.

The language follows the switch in the header (kept in the session), then the
browser's Accept-Language. Message catalogues are compiled from the ``.po``
files when the package is built or installed (``setup.py``); an app whose
catalogue is missing refuses to start rather than quietly speak English, and
one whose ``.po`` changed since says so in the log (``make i18n`` recompiles).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel, format_date, get_locale

LANGUAGES = ("pl", "en")
TRANSLATIONS = Path(__file__).with_name("translations")


def catalogue_problems(translations: Path = TRANSLATIONS) -> tuple[list[str], list[str]]:
    """(missing, stale): languages without a compiled catalogue, and those compiled before their ``.po`` changed."""
    missing, stale = [], []
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        mo = po.with_suffix(".mo")
        if not mo.exists():
            missing.append(language)
        elif mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(language)
    return missing, stale


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return str(request.accept_languages.best_match(LANGUAGES) or "pl")


def known_date(value: date | None, format: str = "medium") -> str:
    """A business date shown with the precision it was recorded with: "2008", "maj 2008" or "8 grudnia 2020".

    Replaces Flask-Babel's ``dateformat`` filter, which would invent "1 stycznia 2008" for "2008".
    """
    if value is None:
        return ""
    precision = getattr(value, "precision", "day")
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return str(format_date(value, "LLLL y"))
    if str(get_locale() or "").startswith("en") and format in DAY_FIRST:
        return str(format_date(value, DAY_FIRST[format]))  # "8 Dec 2020", never the American "Dec 8, 2020"
    return str(format_date(value, format))


#: English dates day first, as Polish ones are (and as Europeans read English): CLDR's en_GB patterns.
DAY_FIRST = {"short": "dd/MM/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE, d MMMM y"}


def init(app: Flask) -> Babel:
    missing, stale = catalogue_problems(TRANSLATIONS)
    if missing:
        raise RuntimeError(f"the UI's {', '.join(missing)} catalogue is not compiled: install the package "
                           "(make run, or pip install .) so that it is")
    if stale:
        app.logger.warning("the UI's %s catalogue is older than its .po file: run make i18n", ", ".join(stale))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "pl")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel = Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["dateformat"] = known_date
    from web.ui.labels import record_time, say

    app.jinja_env.filters["record_time"] = record_time
    app.jinja_env.globals["say"] = say  # messages from the service, in the reader's language
    return babel
