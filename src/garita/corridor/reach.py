"""Can a bus get this group to its border city in time? Pure, over the corridor's rules.

A seat request that no departure can serve is refused at once, with the reason and
what would work (issue 10, point 2), instead of being accepted and left unplanned.
A departure serves an appointment when its bus, on the fastest route from the hub
to the port's city (`travel`), arrives within the policy's window before it:
between ``arrive_max_hours`` and ``arrive_min_hours`` ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from garita.corridor.plan_types import Departure
from garita.corridor.travel import Route
from garita.policy import clocks
from garita.policy.corridor import CorridorPolicy, Hub


def departures(c: CorridorPolicy, start: dt.date, days: int) -> list[Departure]:
    """Every scheduled departure of every hub on ``days`` days from ``start``."""
    out = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        for h in c.hubs:
            if day.weekday() in h.departure_days:
                at = dt.datetime.combine(day, h.departure_time, tzinfo=ZoneInfo(h.timezone))
                out.append(Departure(h.name, at.astimezone(dt.UTC), h.seats, h.max_buses))
    return out


def problem(c: CorridorPolicy, hub: Hub, port: str, appointment: dt.datetime,
            now: dt.datetime, routes: Mapping[str, list[Route]]) -> str | None:
    """Why no departure after ``now`` can take the group to ``port`` for ``appointment``
    (and what would work), or None when one can."""
    hours = min(h for r in routes[hub.name] if (h := r.hours_to(port)) is not None)
    travel = dt.timedelta(hours=hours)
    early, late = (dt.timedelta(hours=c.arrive_max_hours), dt.timedelta(hours=c.arrive_min_hours))
    span = (appointment.date() - now.date()).days + 2
    ahead = [d for d in departures(c, now.date(), max(span, 8))
             if d.hub == hub.name and d.at > now]
    if any(appointment - early <= d.at + travel <= appointment - late for d in ahead):
        return None
    zone, city = hub.timezone, c.city(port)
    port_tz = city.timezone if city is not None else "UTC"
    first = ahead[0] if ahead else None
    can = "" if first is None else (
        f" The next bus leaves {clocks.said(first.at, zone)} and arrives "
        f"{clocks.said(first.at + travel, port_tz)}: it serves appointments from "
        f"{clocks.said(first.at + travel + late, port_tz)} on.")
    return (f"No bus from {hub.name} reaches {city.city if city else port} in time for the "
            f"appointment at {clocks.said(appointment, port_tz)}: the road takes about "
            f"{hours:.0f} h and a group must arrive {c.arrive_min_hours:g}-"
            f"{c.arrive_max_hours:g} h before its appointment.{can} Travel on your own with "
            "your notice, or, for a bus, keep a later appointment.")
