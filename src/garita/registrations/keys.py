"""Person keys: who is the same person, for "one entry per person per day's draw".

Two members of any registrations are one person when they share an identity
document (type, issuing country, number) or the same name, date of birth and
nationality, with names normalised as integrity screening normalises them
(:func:`garita.text.normalise_name`). Each member gets one key per criterion,
computed once at registration and stored (``person_key``), so the daily request
and the draw compare short indexed strings and never a name.

A key is the first 128 bits of a SHA-256, in hex: no name or number is readable
from it in a listing, and a collision among even a billion keys is ~1e-21.
Pure: no database, settings or clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

from garita.text import normalise_name


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _document_number(number: str) -> str:
    """Letters and digits only, upper-case: 'G 123-456' and 'g123456' are one passport."""
    return "".join(c for c in number.upper() if c.isalnum())


def person_keys(given_names: str, family_names: str, date_of_birth: dt.date,
                nationality: str, documents: Iterable[Mapping[str, str]]) -> list[str]:
    """The member's keys: one for name + date of birth + nationality, one per document.

    >>> a = person_keys("José María", "Pérez", dt.date(1990, 1, 2), "ven", [])
    >>> a == person_keys("JOSE  MARIA", "PEREZ", dt.date(1990, 1, 2), "VEN", [])
    True
    """
    name = f"{normalise_name(given_names)} {normalise_name(family_names)}"
    keys = {_digest("n", name, date_of_birth.isoformat(), nationality.upper())}
    for doc in documents:
        number = _document_number(str(doc.get("number", "")))
        if number:
            keys.add(_digest("d", str(doc.get("type", "")), str(doc.get("country", "")).upper(),
                             number))
    return sorted(keys)
