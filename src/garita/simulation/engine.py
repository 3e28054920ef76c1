"""Days of the scheme through the engines: geofence, draw, confirmation, corridor, ports.

A run holds every registration as columns (`population`) and a status per row; each
day (`day`) it (1) lets the day's new registrations in and judges where they are with
the geofence's batch function — again for everyone waiting when the eligible area
changes, and for those who move; (2) lets waiting registrations ask, the geofence
refusing the ineligible, and draws through the draw core (`draws`); (3) confirms or
lapses the offers (lapsed places go back to the free places, for any later draw the
calendar lets refill them); (4) plans the corridor's buses (`buses`); (5) runs the
ports' day: arrivals, no-shows (who may ask again) and outcomes. Rules come from the
engines; the bookkeeping around them is NumPy, never per-person Python.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from garita.policy.schemas import Policy
from garita.ports.core import OUTCOMES
from garita.simulation import day, draws
from garita.simulation.buses import Corridor
from garita.simulation.population import Population, generate
from garita.simulation.scenario import Scenario, timeline


@dataclass
class Run:
    """A finished run: the daily series and each registration's fate."""

    scenario: Scenario
    daily: dict[str, list] = field(default_factory=dict)
    population: Population | None = None
    booked_on: np.ndarray | None = None  # day index of the booking (-1: never)
    appointment: np.ndarray | None = None  # day index of the appointment (-1: none)
    ever_refused: np.ndarray | None = None
    ever_eligible: np.ndarray | None = None
    moved: np.ndarray | None = None
    status: np.ndarray | None = None
    registered: int = 0
    runtime_s: float = 0.0


class Timeline:
    """The policy in force on a day, from the scenario's versions (bisect by date)."""

    def __init__(self, scenario: Scenario) -> None:
        versions = timeline(scenario)
        self.days = [v.effective_from for v in versions]
        self.policies = [v.policy for v in versions]

    def __call__(self, when: dt.date) -> Policy:
        i = bisect.bisect_right(self.days, when) - 1
        if i < 0:
            raise ValueError(f"no policy in force on {when}; the history starts {self.days[0]}")
        return self.policies[i]


def port_weights(policies: Timeline) -> dict[str, float]:
    """Default port choice: the largest capacity split in the timeline."""
    best = max(policies.policies, key=lambda p: p.capacity_total)
    return {p: float(c) for p, c in best.port_capacity.items() if c > 0}


def simulate(scenario: Scenario, progress: Callable[[int, int], None] | None = None) -> Run:
    started = time.perf_counter()
    policies = Timeline(scenario)
    days = (scenario.end - scenario.start).days
    if days <= 0:
        raise ValueError(f"the scenario ends ({scenario.end}) on or before it starts "
                         f"({scenario.start}); give a later end")
    policies(scenario.start)  # a start before the history fails here, with the reason
    rng = np.random.default_rng(scenario.seed)
    pop = generate(scenario.demand, scenario.start, days, port_weights(policies), rng)
    st = day.State(pop, scenario, rng)
    places = draws.Places(policies, scenario.demand.capacity_used,
                          scenario.demand.confirm_step_from)
    corridor = Corridor(solver=scenario.corridor_solver)
    columns: dict[str, list] = {}
    mix = scenario.demand.outcome_mix
    outcome_p = np.array([mix.get(o, 0.0) for o in OUTCOMES])
    outcome_p = outcome_p / outcome_p.sum()
    for d in range(days):
        today = scenario.start + dt.timedelta(days=d)
        policy = policies(today)
        row: dict = {"date": today}
        day.arrive(st, d, policy, row)
        if policy.active:
            day.ask_and_draw(st, d, today, policy, places, corridor, row)
        day.port_day(st, d, outcome_p, row)
        buses = corridor.day(policy.corridor, today)
        row.update(buses=buses.buses, riders=buses.riders, bus_seats=buses.seats,
                   corridor_on_own=buses.on_own,
                   **{f"buses_hub_{hub}": n for hub, n in buses.by_hub.items()})
        day.waiting_figures(st, row)
        places.forget_before(today)
        for name in set(columns) | set(row):
            columns.setdefault(name, [None] * d).append(row.get(name))
        if progress is not None:
            progress(d + 1, days)
    return Run(scenario=scenario, daily=columns, population=pop, booked_on=st.booked_on,
               appointment=st.appointment, ever_refused=st.ever_refused,
               ever_eligible=st.ever_eligible, moved=st.moved, status=st.status,
               registered=st.n, runtime_s=time.perf_counter() - started)
