"""Page and message catalogues in five languages, and which one a request gets.

The approach of the notice PDF (``garita.notices.i18n``): only ``.po`` files
are kept; Babel compiles each in memory on first use, so a checkout needs no
build step. Page strings are extracted from the templates and ``pages.py``
files (``_()``); API error templates from :mod:`garita.web.problems`.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "es", "ht", "pt", "ru")
DEFAULT = "en"
DOMAIN = "web"
COOKIE = "garita_lang"
# Each language named in itself, for the chooser (a person who reads no English
# must still find their own).
NAMES = {"en": "English", "es": "Español", "ht": "Kreyòl ayisyen", "pt": "Português",
         "ru": "Русский"}


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is shown."""
    return message


def po_path(language: str):
    return resources.files("garita.web") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Traversable, language: str, domain: str) -> gettext.GNUTranslations:
    """A ``.po`` catalogue compiled in memory (no ``.mo`` files to build or ship): used for
    the pages' catalogues here and for the notices' own."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translations(language: str) -> gettext.GNUTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"no page catalogue for {language!r}; use one of {LANGUAGES}")
    return compile_po(po_path(language), language, DOMAIN)


def from_header(header: str | None) -> str | None:
    """The best of our languages for an ``Accept-Language`` header (q-values honoured)."""
    if not header:
        return None
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, i, tag.strip().replace("_", "-")))
    best = Locale.negotiate([tag for _, _, tag in sorted(ranked)], LANGUAGES, sep="-")
    return str(best) if best else None


def negotiate(cookies: dict[str, str], accept_language: str | None) -> str:
    """The page language: the person's choice (a cookie) first, then the browser's."""
    chosen = cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return from_header(accept_language) or DEFAULT


def format_datetime(moment: dt.datetime, language: str, tz: str | None = None) -> str:
    """A moment as people of ``language`` write it, in the zone ``tz`` (with its name)."""
    zone = dates.get_timezone(tz) if tz else None
    local = moment.astimezone(zone) if zone else moment
    text = f"{format_date(local, language, 'medium')} {format_time(local, language)}"
    if zone is None:
        return text
    return f"{text}, {dates.get_timezone_location(zone, locale=language, return_city=True)}"


def format_slot(day: dt.date, slot: dt.time, language: str, tz: str) -> str:
    """An appointment's time of day, on the port's clock ``tz``, with the zone's name as
    `format_datetime` gives it (the date is said apart, in the same sentence)."""
    zone = dates.get_timezone(tz)
    moment = dt.datetime.combine(day, slot, tzinfo=zone)
    return (f"{format_time(moment, language)}, "
            f"{dates.get_timezone_location(zone, locale=language, return_city=True)}")


# CLDR's Haitian Creole has no month names (it prints "M09"): dates in ht are numeric,
# day first, as they are written in Haiti.
NUMERIC = {"ht": "dd/MM/y"}


def format_date(day: dt.date, language: str, width: str = "long") -> str:
    return dates.format_date(day, NUMERIC.get(language, width), locale=language)


def format_time(moment: dt.time | dt.datetime, language: str) -> str:
    return dates.format_time(moment, "short", locale=language)


def format_number(value: float, language: str) -> str:
    return numbers.format_decimal(value, locale=language)


def message_ids() -> dict[str, tuple[str, ...] | str]:
    """Every message the pages and API errors show: ``{msgid: msgid or (singular, plural)}``,
    from the templates, ``web/``, each feature's ``pages.py`` and the statistics' charts
    (what the catalogues must hold; the completeness test and ``pybabel``-style updates
    use it)."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parents[1]
    found: dict[str, tuple[str, ...] | str] = {}
    sources = [(root / "web", [("templates/**.html", "jinja2.ext:babel_extract"),
                               ("*.py", "python")])]
    sources += [(p.parent, [("pages.py", "python")]) for p in sorted(root.glob("*/pages.py"))]
    sources += [(root / "stats", [("charts.py", "python")])]  # chart titles and axes
    for folder, method_map in sources:
        for _, _, message, _, _ in extract_from_dir(str(folder), method_map=method_map,
                                                    keywords={"_": None, "N_": None,
                                                              "gettext": None,
                                                              "ngettext": (1, 2)}):
            key = message if isinstance(message, str) else message[0]
            found[key] = message
    return found
