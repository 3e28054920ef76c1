"""Values the planner works on: groups, departures, bus options, buses, the plan.

Times are aware datetimes; the planner never reads a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from garita.corridor.travel import Route

# Where the planner reports its progress: {"stage", "solutions", "objective", "bound",
# "gap"} (garita.corridor.progress); the caller decides what to do with it.
Report = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Group:
    """One registration's party: never split, travels to its port's border city."""

    id: int
    hub: str
    port: str
    persons: int
    children: int
    appointment: dt.datetime

    @property
    def priority(self) -> tuple:
        """Families with children first, then earlier appointments (then id, for replay)."""
        return (self.children == 0, self.appointment, self.id)


@dataclass(frozen=True)
class Departure:
    hub: str
    at: dt.datetime
    seats: int
    max_buses: int


@dataclass(frozen=True)
class LockedBus:
    """A bus already boarding: it keeps its route and its groups; spare seats may be filled."""

    key: str
    departure: Departure
    route: Route
    groups: tuple[int, ...]
    load: int


@dataclass(frozen=True)
class Window:
    """How long before the appointment a group must reach its border city."""

    min_hours: float = 12.0
    max_hours: float = 48.0


@dataclass(frozen=True)
class Option:
    """A way to run buses: (departure, route) pooled, or one locked bus."""

    index: int
    departure: Departure
    route: Route
    locked: LockedBus | None = None

    def arrival(self, port: str) -> dt.datetime | None:
        hours = self.route.hours_to(port)
        return None if hours is None else self.departure.at + dt.timedelta(hours=hours)


@dataclass(frozen=True)
class Bus:
    departure: Departure
    route: Route
    groups: tuple[int, ...]
    load: int
    locked_key: str | None = None

    def arrival(self, port: str) -> dt.datetime | None:
        hours = self.route.hours_to(port)
        return None if hours is None else self.departure.at + dt.timedelta(hours=hours)


@dataclass(frozen=True)
class Plan:
    """Buses, who is on them, who is not and why, and how good the plan is proven to be."""

    buses: tuple[Bus, ...]
    unassigned: dict[int, str]
    solver: str
    status: str
    wait_person_hours: float
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    bus_bound: int | None = None
    seconds: float = 0.0
    greedy_buses: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def bus_count(self) -> int:
        return sum(1 for b in self.buses if b.locked_key is None)

    def bus_of(self, group_id: int) -> Bus | None:
        return next((b for b in self.buses if group_id in b.groups), None)
