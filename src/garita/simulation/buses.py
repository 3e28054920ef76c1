"""Corridor seats in the simulation: the day's plan through the corridor planner.

Each day the planner (`garita.corridor.core.plan`) re-plans every seat request not
yet on its way, over the next eight days' departures, as the corridor service does;
buses leaving that day are final (riders, seats), and a group no departure can take
in time travels on its own with its permit (DESIGN §3: many did).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from garita.corridor import core as planner
from garita.corridor import reach
from garita.corridor.plan_types import Group, Window
from garita.corridor.service import routes_for
from garita.policy.corridor import CorridorPolicy

HORIZON_DAYS = 8


@dataclass
class DayBuses:
    buses: int = 0
    riders: int = 0
    seats: int = 0
    on_own: int = 0
    by_hub: dict[str, int] = field(default_factory=dict)


@dataclass
class Corridor:
    """Seat requests waiting for a bus, and the routes for the corridor in force."""

    solver: bool = False
    pending: list[Group] = field(default_factory=list)
    _routes: dict = field(default_factory=dict)

    def ask(self, group: Group) -> None:
        self.pending.append(group)

    def day(self, c: CorridorPolicy | None, today: dt.date) -> DayBuses:
        """Plan from ``today``'s midnight (UTC); keep the buses that leave today."""
        out = DayBuses()
        if not self.pending:
            return out
        now = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
        if c is None or not c.active:
            out.on_own = sum(g.persons for g in self.pending)
            self.pending = []
            return out
        key = c.model_dump_json()
        if key not in self._routes:
            self._routes = {key: routes_for(c, {})}
        deps = [d for d in reach.departures(c, today, HORIZON_DAYS) if d.at > now]
        tomorrow = now + dt.timedelta(days=1)
        gone: set[int] = set()
        # Only today's buses are final; on a day no bus leaves, the plan would keep
        # nothing, so it is not made (the same outcome, a fraction of the planning).
        if any(d.at < tomorrow for d in deps):
            plan = planner.plan(self.pending, deps, self._routes[key],
                                Window(c.arrive_min_hours, c.arrive_max_hours),
                                solver=self.solver, seconds=2.0)
            for bus in plan.buses:
                if bus.departure.at < tomorrow:
                    out.buses += 1
                    out.riders += bus.load
                    out.seats += bus.departure.seats
                    out.by_hub[bus.departure.hub] = out.by_hub.get(bus.departure.hub, 0) + 1
                    gone.update(bus.groups)
        late = {g.id for g in self.pending
                if g.appointment - dt.timedelta(hours=c.arrive_min_hours) < tomorrow
                and g.id not in gone}
        out.on_own = sum(g.persons for g in self.pending if g.id in late)
        self.pending = [g for g in self.pending if g.id not in gone | late]
        return out
