"""Gettext catalogues for the notice, compiled from the shipped ``.po`` files on first use.

Only ``.po`` files are kept in the repository; Babel compiles each one in
memory the first time a language is asked for, so a fresh ``pip install`` (or
a source checkout) needs no build step.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from importlib import resources

from garita.web.i18n import compile_po

LANGUAGES = ("en", "es", "ht", "pt", "ru")
DOMAIN = "garita"


def N_(message: str) -> str:
    return message


MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))


def po_path(language: str):
    return resources.files("garita.notices") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"no notice catalogue for {language!r}; use one of {LANGUAGES}")
    return compile_po(po_path(language), language, DOMAIN)


def long_date(day: dt.date, language: str) -> str:
    """A date in words, from the catalogue (CLDR has no Haitian Creole month names)."""
    _ = translations(language).gettext
    return _("{month} {day}, {year}").format(month=_(MONTHS[day.month - 1]), day=day.day,
                                             year=day.year)
