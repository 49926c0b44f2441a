"""Build step of the package: the UI's message catalogues are compiled here, not when the app starts.

Everything else about the package is in ``pyproject.toml``. ``build_py`` runs for a
wheel, a plain ``pip install`` and an editable ``pip install -e`` alike, so every
installed hub has its ``.mo`` files; ``web.i18n`` refuses to start without them.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).parent / "web" / "translations"


class BuildWithCatalogues(build_py):
    """Compile ``web/translations/*/LC_MESSAGES/messages.po`` into ``.mo`` before collecting package data."""

    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as source:
                catalogue = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalogue)
            print(f"compiled {po.relative_to(TRANSLATIONS.parent.parent)} ({len(catalogue)} messages)")
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
