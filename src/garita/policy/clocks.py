"""Times said the way a reader reads them: local time, with the zone named. Pure.

The scheme runs on one reference zone (the request window's, U.S. Eastern), each
port's appointments on the port's clock, and applicants live on theirs (Chiapas is
an hour behind Eastern in winter). A time that reaches a person therefore says its
zone, and a deadline or window says it in the reader's zone with the scheme's
beside it (issue 10, point 3).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def said(at: dt.datetime, tz: str, date: bool = True) -> str:
    """``2026-12-04 10:00 CST (America/Mexico_City)`` — local time and the zone's name."""
    here = at.astimezone(ZoneInfo(tz))
    return f"{here:%Y-%m-%d %H:%M %Z} ({tz})" if date else f"{here:%H:%M %Z} ({tz})"


def said_both(at: dt.datetime, reader_tz: str | None, scheme_tz: str, date: bool = True) -> str:
    """In the reader's zone with the scheme's beside it; the scheme's alone if the same or
    unknown: ``10:00 CST (America/Mexico_City; 11:00 EST America/New_York)``."""
    fmt = "%Y-%m-%d %H:%M %Z" if date else "%H:%M %Z"
    ref = at.astimezone(ZoneInfo(scheme_tz))
    if reader_tz is None or _same_offset(at, reader_tz, scheme_tz):
        return f"{ref:{fmt}} ({scheme_tz})"
    mine = at.astimezone(ZoneInfo(reader_tz))
    return f"{mine:{fmt}} ({reader_tz}; {ref:{fmt}} {scheme_tz})"


def _same_offset(at: dt.datetime, a: str, b: str) -> bool:
    return at.astimezone(ZoneInfo(a)).utcoffset() == at.astimezone(ZoneInfo(b)).utcoffset()


def appointment_at(day: dt.date, slot: dt.time, port_tz: str) -> dt.datetime:
    """The appointment as an aware instant on the port's clock."""
    return dt.datetime.combine(day, slot, tzinfo=ZoneInfo(port_tz))
