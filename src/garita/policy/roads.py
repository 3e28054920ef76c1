"""The operator's road-time table (``GARITA_ROAD_TIMES_FILE``): measured hours win over
the great-circle estimate.

Policy-level so that everything timing the corridor reads the same table: the draw's
earliest reachable day (`CorridorPolicy.earliest_appointment`), the seat check
(`corridor.reach`) and the planner (`corridor.service`).

A CSV with a header ``from,to,hours``; each place is a hub name, a border city
name or its port code (case-insensitive), e.g.::

    from,to,hours
    Tapachula,Heroica Matamoros,31.5
    BRO,HID,1.5

A pair holds in both directions unless the reverse is given too. Any bad line
stops planning with a message naming the file, the line and the fix: a plan on
half a table would be silently wrong.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from garita.errors import Invalid
from garita.policy.corridor import CorridorPolicy
from garita.policy.ports import PORTS

Table = dict[tuple[str, str], float]
Rows = list[tuple[str, str, float]]


def places(c: CorridorPolicy) -> dict[str, str]:
    """Every accepted spelling (case-folded) → the key the road model uses."""
    out = {h.name.casefold(): h.name for h in c.hubs}
    for code in c.border_cities:
        for name in (PORTS[code].city, *PORTS[code].city_aliases):
            out[name.casefold()] = code
        out[code.casefold()] = code
    return out


def parse(text: str, known: dict[str, str]) -> Table:
    """Pure: CSV text → {(from, to): hours}; raises ValueError naming the line."""
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().casefold() for h in next(rows, [])]
    if header != ["from", "to", "hours"]:
        raise ValueError(f"line 1: the header must be 'from,to,hours', not {','.join(header)!r}")
    table: Table = {}
    for line, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise ValueError(f"line {line}: expected 3 fields (from,to,hours), got {len(row)}")
        a, b = (known.get(cell.strip().casefold()) for cell in row[:2])
        if a is None or b is None:
            bad = row[0] if a is None else row[1]
            raise ValueError(f"line {line}: unknown place {bad.strip()!r}; use a hub, a border "
                             f"city or a port code: {', '.join(sorted(set(known.values())))}")
        try:
            hours = float(row[2])
        except ValueError:
            raise ValueError(f"line {line}: hours {row[2].strip()!r} is not a number") from None
        if not math.isfinite(hours) or hours <= 0 or hours > 240:
            raise ValueError(f"line {line}: hours must be above 0 and at most 240, not {hours}")
        if a == b or (a, b) in table:
            raise ValueError(f"line {line}: {a} → {b} is " +
                             ("the same place" if a == b else "given twice"))
        table[(a, b)] = hours
    return table


def load(path: Path | None, c: CorridorPolicy) -> Table:
    """Read and check the table; no file configured → empty (the estimate is used)."""
    if path is None:
        return {}
    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"GARITA_ROAD_TIMES_FILE={path}: cannot be read ({exc}); fix the path "
                      "or unset the variable to use estimated road times.") from exc
    try:
        return parse(text, places(c))
    except ValueError as exc:
        raise Invalid(f"GARITA_ROAD_TIMES_FILE={path}: {exc}.") from exc


# -- what a draw records of the table it ran on (``draw.publication``) ----------------

def rows(table: Table) -> Rows:
    """The table as sorted ``(from, to, hours)`` rows: what a draw records and publishes."""
    return sorted((a, b, hours) for (a, b), hours in table.items())


def from_rows(recorded: Iterable[Sequence]) -> Table:
    """The table back from recorded rows (``rows``, as JSON gives them back)."""
    return {(str(a), str(b)): float(hours) for a, b, hours in recorded}

