"""The lists' name search: one normalised column per registration, ``search_names``.

An NGO looks people up by part of a name (``GET /registrations?name=``, the desk's
search). Matching the people table's given and family names separately could not
find "yusmary rojas" (given + family), was accent- and script-sensitive ("perez"
missed "Pérez") and made the database join and sort every match before the page.
Instead each registration keeps its members' names in one column, normalised as
screening normalises names (:func:`garita.text.normalise_name`: transliterated,
lower-case, punctuation dropped), one member after another; the search normalises
the typed text the same way and asks for a substring. One column, one trigram
index (PostgreSQL, migration 0016), no join; the service rewrites the column
whenever a member's names change (create, correct, add, remove, erase).

Pure: no database, settings or clock.
"""

from __future__ import annotations

from collections.abc import Iterable

from garita.text import normalise_name

# Between two members: not a letter, digit or space, so no normalised query (which
# holds only those) matches across two people ("ana | rojas" is not "ana rojas").
SEPARATOR = " | "


def search_names(people: Iterable[tuple[str, str]]) -> str:
    """The column's value for members' (given names, family names), lead first.

    >>> search_names([("José María", "Pérez Gómez"), ("Ana", "O'Neil")])
    'jose maria perez gomez | ana oneil'
    """
    full = (" ".join(n for n in (normalise_name(g), normalise_name(f)) if n)
            for g, f in people)
    return SEPARATOR.join(n for n in full if n)


def like_pattern(text: str) -> str | None:
    """The LIKE pattern for typed text, or None when nothing searchable is left (only
    punctuation). Normalised text holds no ``%`` or ``_``: nothing to escape.

    >>> like_pattern("  PÉREZ  gómez "), like_pattern("--")
    ('%perez gomez%', None)
    """
    needle = normalise_name(text)
    return f"%{needle}%" if needle else None
