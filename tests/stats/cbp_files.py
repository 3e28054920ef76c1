"""CBP-format test files, written the way CBP publishes them.

The Southwest Land Border Encounters file is not in shared/data, so tests build
one from its published column list: either small and hand-made, or from the
Southwest rows of the real nationwide AOR file (so its totals are CBP's).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from garita.stats.formats import MONTHS
from kit import SHARED_DATA

CBP = SHARED_DATA / "cbp"
AOR = CBP / "nationwide-encounters-fy20-fy24-aor.csv"
STATE = CBP / "nationwide-encounters-fy20-fy24-state.csv"

SW_HEADER = ["Fiscal Year", "Month Grouping", "Month (abbv)", "Component", "Demographic",
             "Citizenship Grouping", "Title of Authority", "Encounter Type", "Encounter Count"]
OFO, USBP = "Office of Field Operations", "U.S. Border Patrol"


def write_csv(path: Path, header: list[str], rows: list[list], *, bom: bool = True,
              crlf: bool = True) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if crlf else "\n").writerows([header, *rows])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode())
    return path


def thousands(n: int) -> str:
    return f"{n:,}"


def small_southwest(path: Path, fy: str = "2025 (FYTD)", months: tuple[str, ...] = ("OCT", "NOV"),
                    base: int = 1000, **kw: bool) -> Path:
    """A hand-made Southwest file: two components x two citizenships per month;
    OFO/Mexico counts are ``base``, with a thousands separator as CBP writes them."""
    rows = []
    for m in months:
        for component, citizenship, n in ((OFO, "Mexico", base), (OFO, "Venezuela", 20),
                                          (USBP, "Mexico", 3 * base), (USBP, "Venezuela", 7)):
            rows.append([fy, "FYTD", m, component, "Single Adults", citizenship, "Title 8",
                         "Encounter" if component == USBP else "Inadmissibles", thousands(n)])
    return write_csv(path, SW_HEADER, rows, **kw)


def southwest_from_aor(path: Path, fiscal_year: int, shift: dict[str, int] | None = None) -> Path:
    """The Southwest rows of the real AOR file for one fiscal year, summed over areas and
    written in the Southwest file's format (first six months FYTD, the rest
    Remaining, as CBP labels a past year once the new one has started). ``shift``
    adds to one month's first row, to make the sources disagree."""
    totals: dict[tuple, int] = {}
    with AOR.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["Land Border Region"] != "Southwest Land Border" or \
                    int(r["Fiscal Year"]) != fiscal_year:
                continue
            key = (r["Month (abbv)"], r["Component"], r["Demographic"], r["Citizenship"],
                   r["Title of Authority"], r["Encounter Type"])
            totals[key] = totals.get(key, 0) + int(r["Encounter Count"])
    rows, shifted = [], set()
    for (m, *rest), n in sorted(totals.items()):
        if shift and m in shift and m not in shifted:
            n += shift[m]
            shifted.add(m)
        grouping = "FYTD" if MONTHS.index(m) < 6 else "Remaining"
        rows.append([str(fiscal_year), grouping, m.title(), rest[0], rest[1], rest[2], rest[3],
                     rest[4], thousands(n)])
    return write_csv(path, SW_HEADER, rows)


def calendar_month(fy: int, abbv: str) -> dt.date:
    i = MONTHS.index(abbv)
    return dt.date(fy - 1 + (i + 9) // 12, (i + 9) % 12 + 1, 1)
