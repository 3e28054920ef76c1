"""Parse watchlists: the U.S. sanctions-list CSV trio and a plain CSV for other lists.

Pure: takes file text, returns entries. OFAC's files have no header, ``-0-``
for empty and a trailing Ctrl-Z; dates of birth and nationalities live in the
free-text remarks ("DOB 10 Dec 1948; nationality Colombia"), so they are
pulled out here, once, at load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from garita.integrity.names import normalise

_DOB = re.compile(r"\bDOB ([^;]+)", re.I)
_DAY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NAT = re.compile(r"\b(?:nationality|citizen) ([^;.]+)", re.I)
_POB = re.compile(r"\bPOB ([^;]+)", re.I)
_AKA = re.compile(r"\b(?:f\.)?a\.k\.a\.,? ([^;]+)", re.I)
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
PLAIN_COLUMNS = ("id", "name", "type", "aliases", "dates_of_birth", "countries", "program",
                 "remarks")


@dataclass
class Entry:
    ref: str
    entry_type: str
    name: str
    program: str | None = None
    remarks: str | None = None
    aliases: list[tuple[str, bool]] = field(default_factory=list)  # (name, weak)
    dates_of_birth: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def names(self) -> list[tuple[str, str, bool, bool]]:
        """(name, normalised, is_alias, weak) for the primary name and every alias."""
        out = [(self.name, normalise(self.name), False, False)]
        out += [(a, normalise(a), True, weak) for a, weak in self.aliases]
        return [n for n in out if n[1]]


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO-3 code for a country name or code as lists write them ("Korea, North"), else None."""
    text = text.strip().strip(".")
    if not text:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    if ", " in text:  # "Korea, North" -> "North Korea"
        a, b = text.rsplit(", ", 1)
        try:
            return pycountry.countries.search_fuzzy(f"{b} {a}")[0].alpha_3
        except LookupError:
            return None
    return None


def dates_of_birth(remarks: str) -> list[str]:
    """'DOB 10 Dec 1948' -> '1948-12-10'; 'DOB circa 1960' / '1960 to 1962' -> years."""
    found: list[str] = []
    for chunk in _DOB.findall(remarks or ""):
        day = _DAY.search(chunk)
        if day and day.group(2) in _MONTHS:
            d = dt.date(int(day.group(3)), _MONTHS[day.group(2)], int(day.group(1)))
            found.append(d.isoformat())
        else:
            found += _YEAR.findall(chunk)
    return list(dict.fromkeys(found))


def countries(remarks: str, extra: Sequence[str] = ()) -> list[str]:
    texts = [m.strip() for m in _NAT.findall(remarks or "")]
    texts += [m.rsplit(",", 1)[-1] for m in _POB.findall(remarks or "")]
    codes = [country_code(t) for t in [*texts, *extra]]
    return list(dict.fromkeys(c for c in codes if c))


def _rows(text: str) -> list[list[str | None]]:
    text = text.replace("\x1a", "")
    rows = csv.reader(io.StringIO(text))
    return [[None if v.strip() == "-0-" else v.strip() for v in row] for row in rows if row]


def parse_ofac(sdn: str, alt: str = "", add: str = "") -> list[Entry]:
    """The sdn.csv / alt.csv / add.csv trio as published (no header, '-0-', Ctrl-Z)."""
    entries: dict[str, Entry] = {}
    for row in _rows(sdn):
        if len(row) < 12:
            raise ValueError(f"sdn.csv row for {row[:1]} has {len(row)} columns, expected 12")
        ent, name, kind, program, remarks = row[0], row[1], row[2], row[3], row[11]
        if not ent:  # the entry's key: without it the entry could not be told apart or stored
            raise ValueError(f"sdn.csv row for {name!r} has no entity number in its first column")
        entries[ent] = Entry(ref=ent, entry_type=kind or "entity", name=name or "",
                             program=program, remarks=remarks,
                             dates_of_birth=dates_of_birth(remarks or ""))
    for row in _rows(alt):
        if row[0] in entries and row[3]:
            weak = "weak" in (row[4] or "").lower()
            entries[row[0]].aliases.append((row[3], weak))
    address_countries: dict[str, list[str]] = {}
    for row in _rows(add):
        if len(row) > 4 and row[0] and row[4]:
            address_countries.setdefault(row[0], []).append(row[4])
    for ent, e in entries.items():
        e.countries = countries(e.remarks or "", address_countries.get(ent, []))
        known = {normalise(e.name), *(normalise(a) for a, _ in e.aliases)}
        for alias, weak in remark_aliases(e.remarks or ""):
            if normalise(alias) not in known:
                known.add(normalise(alias))
                e.aliases.append((alias, weak))
    return list(entries.values())


def remark_aliases(remarks: str) -> list[tuple[str, bool]]:
    """The "a.k.a." names in a remarks field: ``"a.k.a. 'PACHO'; a.k.a. DOE, Jon"``.

    sdn.csv carries them even when alt.csv is not at hand; a quoted name is
    what OFAC calls a weak alias (a nickname), kept but marked weak.
    """
    out = []
    for raw in _AKA.findall(remarks):
        name = raw.strip().rstrip(".").strip()
        weak = name.startswith(("'", '"'))
        name = name.strip("'\"").strip()
        if name and normalise(name):
            out.append((name, weak))
    return out


def parse_plain(text: str) -> list[Entry]:
    """A CSV with a header: id,name[,type,aliases,dates_of_birth,countries,program,remarks].

    Multi-valued cells are separated by ';'. Dates are ISO (YYYY-MM-DD or YYYY).
    """
    reader = csv.DictReader(io.StringIO(text.replace("\x1a", "")))
    missing = {"id", "name"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"the plain list needs the columns {sorted(missing)} in its header row")
    out = []
    for row in reader:
        def cell(key: str, row: dict = row) -> list[str]:
            return [v.strip() for v in (row.get(key) or "").split(";") if v.strip()]

        out.append(Entry(
            ref=row["id"], entry_type=(row.get("type") or "individual").strip(),
            name=row["name"].strip(), program=row.get("program") or None,
            remarks=row.get("remarks") or None, aliases=[(a, False) for a in cell("aliases")],
            dates_of_birth=cell("dates_of_birth"),
            countries=[c for c in (country_code(x) for x in cell("countries")) if c]))
    return out
