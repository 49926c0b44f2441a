"""Polish and English for the UI (Flask-Babel). Polish is the default for this deployment's users.

The language follows the switch in the header (kept in the session), then the
browser's Accept-Language. Message catalogues are compiled from the ``.po``
files when the app starts if the ``.mo`` is missing or older, so a checkout
needs no build step.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel

LANGUAGES = ("pl", "en")
TRANSLATIONS = Path(__file__).with_name("translations")


def compile_catalogues() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            try:
                with mo.open("wb") as target:
                    write_mo(target, catalogue)
            except OSError:  # a read-only install: the UI falls back to English
                continue


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "pl"


def init(app: Flask) -> Babel:
    compile_catalogues()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "pl")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    return Babel(app, locale_selector=select_locale)
