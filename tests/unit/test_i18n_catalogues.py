"""Catalogues are compiled when the package is installed; an app without one refuses to start."""

from __future__ import annotations

import os

import pytest

from web import i18n


def catalogue(root, language: str, mo: bool, mo_older: bool = False):
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    if mo:
        (folder / "messages.mo").write_bytes(b"")
        if mo_older:
            os.utime(folder / "messages.mo", (1, 1))


def test_missing_and_stale_catalogues_are_named(tmp_path):
    catalogue(tmp_path, "pl", mo=False)
    catalogue(tmp_path, "de", mo=True, mo_older=True)
    catalogue(tmp_path, "uk", mo=True)
    assert i18n.catalogue_problems(tmp_path) == (["pl"], ["de"])


def test_the_installed_package_has_its_polish_catalogue_compiled():
    assert i18n.catalogue_problems() == ([], [])


def test_an_app_without_its_catalogue_refuses_to_start(tmp_path, monkeypatch):
    from web import create_app

    catalogue(tmp_path, "pl", mo=False)
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    with pytest.raises(RuntimeError, match="pl catalogue is not compiled: install the package"):
        create_app({"HUB_DATABASE_URL": "memory://"})


def test_the_polish_catalogue_keeps_its_header_and_so_its_three_plural_forms():
    """A catalogue marked fuzzy loses its header when compiled, and Polish plurals fall back to English ones."""
    import gettext

    with (i18n.TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.info()["plural-forms"].startswith("nplurals=3;")
    assert catalogue.gettext("Not a valid datetime.") == "Nieprawidłowa data i godzina."


def test_a_meeting_has_one_name_on_polish_pages():
    """The lists, headings and pages call a meeting "wydarzenie" (a congress or a webinar as much as a meeting);
    the dashboard's button, the timelines and the map said "spotkanie" — two names for one thing."""
    from babel.messages.pofile import read_po

    with open(i18n.TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po", "rb") as po:
        messages = list(read_po(po))
    named = [(message.id, message.string) for message in messages
             if "meeting" in str(message.id).lower() and "spotka" in str(message.string).lower()]
    assert named == []
    assert sum("meeting" in str(message.id).lower() for message in messages) > 20  # the check reads the catalogue
