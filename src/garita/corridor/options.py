"""Which (departure, route) options can carry which group inside its arrival window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from garita.corridor.plan_types import Departure, Group, LockedBus, Option, Window
from garita.corridor.travel import Route


@dataclass(frozen=True)
class Fit:
    """Group ``group`` may ride option ``option``, waiting ``wait_minutes`` at the border."""

    group: int
    option: int
    wait_minutes: int


def build_options(departures: Sequence[Departure], routes: dict[str, list[Route]],
                  locked: Sequence[LockedBus]) -> list[Option]:
    options: list[Option] = []
    for bus in locked:
        options.append(Option(len(options), bus.departure, bus.route, bus))
    for dep in departures:
        for route in routes.get(dep.hub, []):
            options.append(Option(len(options), dep, route))
    return options


def fits(groups: Sequence[Group], options: Sequence[Option], window: Window) -> list[Fit]:
    """Every (group index, option) pair whose arrival lands inside the group's window."""
    out: list[Fit] = []
    by_hub: dict[str, list[Option]] = {}
    for o in options:
        by_hub.setdefault(o.departure.hub, []).append(o)
    lo, hi = dt.timedelta(hours=window.min_hours), dt.timedelta(hours=window.max_hours)
    for gi, g in enumerate(groups):
        for o in by_hub.get(g.hub, []):
            at = o.arrival(g.port)
            if at is not None and lo <= g.appointment - at <= hi:
                out.append(Fit(gi, o.index, minute(g.appointment) - minute(at)))
    return out


def minute(at: dt.datetime) -> int:
    """Whole minutes since the epoch, rounded up: waits are then exact differences."""
    return -(-int(at.timestamp() * 1_000_000) // 60_000_000)


def why_not(group: Group, options: Sequence[Option]) -> str:
    """The reason a group with no fitting option cannot be carried, in words."""
    if not any(o.departure.hub == group.hub for o in options):
        return f"no departure from {group.hub} in the planning horizon"
    return (f"no departure from {group.hub} reaches {group.port}'s border city inside the "
            "arrival window before the appointment")
