"""Corridor planner benchmark: one planning day with ≥ 2,000 riders (DESIGN §5).

Synthetic riders: group sizes 1-6 (a third with children), 80 % from
Tapachula, ports in the May-Aug 2024 shares, appointments spread so that every
group has a departure on the planning day reaching its city 12-48 h early.
Prints CP-SAT buses, gap and time beside the greedy baseline, and peak RSS.

    .venv/bin/python bench/bench_corridor.py [--riders 2000] [--seed 1] [--seconds 8]
        [--max-buses 60]

``--max-buses 20`` makes seats short (fewer buses per departure than the riders
need), so the planner must choose who rides: children first, then seats, then
earlier appointments; the figures then include riders seated per tier.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time

from garita.corridor import core
from garita.corridor.plan_types import Departure, Group, Window
from garita.corridor.travel import RoadModel, candidate_routes
from garita.policy.ports import PORTS
from garita.policy.service import shipped_history

SHARE = {"SYS": 385, "CLX": 100, "NOG": 100, "ELP": 200, "EGP": 80, "LRD": 100, "HID": 105,
         "BRO": 380}


def scenario(riders: int, seed: int, max_buses: int = 60):
    policy = next(v.policy for v in shipped_history() if str(v.effective_from) == "2024-08-30")
    c = policy.corridor
    model = RoadModel(c.bus_speed_kmh, c.detour_factor, c.stop_minutes)
    cities = {p: (PORTS[p].city_lat, PORTS[p].city_lon) for p in c.border_cities}
    day = dt.datetime(2024, 9, 16, 12, 0, tzinfo=dt.UTC)
    deps, routes = [], {}
    for h in c.hubs:
        deps.append(Departure(h.name, day + dt.timedelta(hours=len(deps)), h.seats, max_buses))
        routes[h.name] = candidate_routes(h.name, (h.lat, h.lon), cities, c.chains, c.max_stops,
                                          model)
    rng = random.Random(seed)
    groups, total = [], 0
    ports, weights = zip(*SHARE.items(), strict=True)
    while total < riders:
        hub = deps[0] if rng.random() < 0.8 else deps[1]
        port = rng.choices(ports, weights)[0]
        direct = next(r for r in routes[hub.hub] if r.stops == (port,)).hours[0]
        ahead = direct + rng.uniform(c.arrive_min_hours + 1, c.arrive_max_hours - 1)
        slot = (hub.at + dt.timedelta(hours=ahead)).replace(minute=0, second=0)
        size = rng.choice([1, 1, 1, 2, 2, 3, 3, 4, 5, 6])
        children = rng.randint(1, size - 1) if size > 1 and rng.random() < 0.5 else 0
        groups.append(Group(len(groups), hub.hub, port, size, children, slot))
        total += size
    window = Window(c.arrive_min_hours, c.arrive_max_hours)
    return groups, deps, routes, window


def _seated(groups: list[Group], plan: core.Plan) -> str:
    """Riders seated: with children, all, and Σ appointment hours of those left behind."""
    on = {g for b in plan.buses for g in b.groups}
    kids = sum(g.persons for g in groups if g.id in on and g.children)
    every = sum(g.persons for g in groups if g.id in on)
    return f"{kids} riders in families with children, {every} riders in all"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--riders", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--max-buses", type=int, default=60, help="buses per departure")
    a = ap.parse_args()
    groups, deps, routes, window = scenario(a.riders, a.seed, a.max_buses)
    riders = sum(g.persons for g in groups)
    t = time.perf_counter()
    base = core.plan(groups, deps, routes, window, solver=False)
    greedy_s = time.perf_counter() - t
    t = time.perf_counter()
    best = core.plan(groups, deps, routes, window, seconds=a.seconds, workers=2)
    wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"riders {riders} in {len(groups)} groups, {len(deps)} departures, "
          f"{sum(len(r) for r in routes.values())} candidate routes")
    print(f"greedy : {base.bus_count} buses, wait {base.wait_person_hours:.0f} person-h, "
          f"unassigned {len(base.unassigned)}, {greedy_s:.2f} s")
    print(f"cp-sat : {best.bus_count} buses, wait {best.wait_person_hours:.0f} person-h, "
          f"unassigned {len(best.unassigned)}, status {best.status}, "
          f"gap {100 * (best.gap or 0):.3f} %, "
          f"{wall:.2f} s wall ({best.solver})")
    print(f"proven lower bound on buses: {best.bus_bound}")
    for name, p in (("greedy", base), ("cp-sat", best)):
        print(f"{name} seated: {_seated(groups, p)}")
    for note in best.notes:
        print(f"  {note}")
    print(f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
