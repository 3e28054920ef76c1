"""CP-SAT model: which option each group rides and how many buses each option runs.

Buses on one (departure, route) are identical, so the model counts them
(``n[o]``) instead of naming them — the symmetry between identical buses is
gone by construction; groups are packed into the counted buses afterwards.
Priorities are lexicographic, one solve per tier, each fixing the tier before:
children's seats, all seats, earlier appointments (only when seats are short),
then fewest buses and least waiting (buses weighted above any total wait).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from garita.corridor.greedy import Bin, budgets
from garita.corridor.options import Fit
from garita.corridor.plan_types import Group, Option, Report
from garita.corridor.progress import ToPlan, Tracker, Watch


@dataclass(frozen=True)
class Solved:
    """Chosen option per group index, bus count per option, and the proof figures."""

    choice: dict[int, int]
    buses: dict[int, int]
    status: str
    objective: float
    bound: float
    bus_weight: int
    tiers: list[str]
    solutions: int = 0  # found by CP-SAT over every stage


def solve(groups: Sequence[Group], options: Sequence[Option], fit_list: Sequence[Fit],
          serve_all: bool, hint: Sequence[Bin], seconds: float, workers: int = 2,
          report: Report | None = None) -> Solved:
    """``report`` receives each stage's progress (:mod:`garita.corridor.progress`)."""
    tracker = Tracker(report)
    m = cp_model.CpModel()
    x = {(f.group, f.option): m.new_bool_var(f"x{f.group}_{f.option}") for f in fit_list}
    per_group: dict[int, list] = defaultdict(list)
    per_option: dict[int, list] = defaultdict(list)
    for (gi, oi), var in x.items():
        per_group[gi].append(var)
        per_option[oi].append((groups[gi].persons, var))
    left = budgets(options)
    n: dict[int, cp_model.IntVar] = {}
    per_dep: dict[tuple, list] = defaultdict(list)
    for o in options:
        if o.index not in per_option:
            continue
        load = sum(p * v for p, v in per_option[o.index])
        if o.locked is not None:
            m.add(load <= o.departure.seats - o.locked.load)
            continue
        key = (o.departure.hub, o.departure.at)
        n[o.index] = m.new_int_var(0, left[key], f"n{o.index}")
        per_dep[key].append(n[o.index])
        m.add(load <= o.departure.seats * n[o.index])
    for key, departing in per_dep.items():
        m.add(sum(departing) <= left[key])
    for vars_ in per_group.values():
        if serve_all:
            m.add(sum(vars_) == 1)
        else:
            m.add(sum(vars_) <= 1)
    _hint(m, x, n, hint)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    tiers: list[str] = []
    if not serve_all:
        late = sorted(range(len(groups)), key=lambda i: groups[i].appointment, reverse=True)
        rank = {gi: r for r, gi in enumerate(late)}  # later appointment, lower rank
        for name, weight in (("children's seats", lambda g, gi: g.persons * (g.children > 0)),
                             ("seats", lambda g, gi: g.persons),
                             ("earlier appointments", lambda g, gi: rank[gi] + 1)):
            expr = sum(weight(groups[gi], gi) * v for (gi, _), v in x.items())
            m.maximize(expr)
            value = _run(solver, m, seconds / 5, tracker.watch(solver, name, maximize=True))[0]
            m.add(expr >= int(round(value)))
            tiers.append(f"{name}: {int(round(value))}")
            _keep(m, solver, x, n)
    if serve_all:
        _cuts(m, groups, options, fit_list, n)
    waits = {(f.group, f.option): f.wait_minutes * groups[f.group].persons for f in fit_list}
    worst: dict[int, int] = defaultdict(int)
    for (gi, _), w in waits.items():
        worst[gi] = max(worst[gi], w)
    bus_weight = sum(worst.values()) + 1
    share = 0.5 if tiers else 1.0
    buses = sum(n.values())
    m.minimize(buses)
    wait = sum(waits[k] * v for k, v in x.items())
    value, status = _run(solver, m, seconds * share * 0.5, tracker.watch(
        solver, "buses", lambda o, b, waiting: (bus_weight * o + waiting, bus_weight * b),
        also=wait))
    bus_bound = solver.best_objective_bound
    proven = status == "OPTIMAL"
    m.add(buses <= int(round(value)))
    tiers.append(f"buses: {int(round(value))} (bound {bus_bound:.0f}, {status})")
    _keep(m, solver, x, n)
    m.minimize(wait)
    wait_value, wait_status = _run(solver, m, seconds * share * 0.5, tracker.watch(
        solver, "waiting", _waiting_as_plan(bus_weight, value, bus_bound, proven)))
    tiers.append(f"waiting: {wait_value / 60:.0f} person-hours ({wait_status})")
    bound = (bus_weight * value + solver.best_objective_bound if proven
             else bus_weight * bus_bound)
    choice = {gi: oi for (gi, oi), v in x.items() if solver.boolean_value(v)}
    counts = {oi: int(solver.value(v)) for oi, v in n.items()}
    both = "OPTIMAL" if proven and wait_status == "OPTIMAL" else "FEASIBLE"
    return Solved(choice, counts, both, bus_weight * value + wait_value, bound, bus_weight, tiers,
                  tracker.solutions)


def _waiting_as_plan(bus_weight: int, buses: float, bus_bound: float,
                     proven: bool) -> ToPlan:
    """The waiting stage's figures as the plan's objective and bound (as ``solve``'s
    return computes them): buses are fixed, so both gain ``bus_weight``·buses — unless
    the bus count is unproven, when the bound stays the buses' own."""
    fixed = bus_weight * buses
    return lambda objective, bound, _: (fixed + objective,
                                        fixed + bound if proven else bus_weight * bus_bound)


def _cuts(m: cp_model.CpModel, groups: Sequence[Group], options: Sequence[Option],
          fit_list: Sequence[Fit], n: dict) -> None:
    """Bus-count floors the LP misses: riders who can only leave on one departure need
    at least ⌈riders / seats⌉ buses there, and per border city on the routes serving it."""
    deps: dict[int, set] = defaultdict(set)
    for f in fit_list:
        o = options[f.option]
        deps[f.group].add((o.departure.hub, o.departure.at, o.locked is None))
    need: dict[tuple, int] = defaultdict(int)
    for gi, keys in deps.items():
        if len(keys) == 1 and next(iter(keys))[2]:
            hub, at, _ = next(iter(keys))
            need[(hub, at, None)] += groups[gi].persons
            need[(hub, at, groups[gi].port)] += groups[gi].persons
    for (hub, at, port), persons in need.items():
        covering = [v for oi, v in n.items() if (options[oi].departure.hub,
                                                 options[oi].departure.at) == (hub, at)
                    and (port is None or port in options[oi].route.stops)]
        seats = next(o.departure.seats for o in options if (o.departure.hub,
                                                              o.departure.at) == (hub, at))
        if covering:
            m.add(sum(covering) >= -(-persons // seats))


def _run(solver: cp_model.CpSolver, m: cp_model.CpModel, seconds: float,
         watch: Watch | None = None) -> tuple[float, str]:
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    code = solver.solve(m, watch)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no plan ({solver.status_name(code)})")
    if watch is not None:
        watch.end(solver)
    return solver.objective_value, solver.status_name(code)


def _hint(m: cp_model.CpModel, x: dict, n: dict, bins: Sequence[Bin]) -> None:
    on = {(gi, b.option) for b in bins for gi in b.groups}
    count: dict[int, int] = defaultdict(int)
    for b in bins:
        count[b.option] += 1
    for key, var in x.items():
        m.add_hint(var, key in on)
    for oi, var in n.items():
        m.add_hint(var, count.get(oi, 0))


def _keep(m: cp_model.CpModel, solver: cp_model.CpSolver, x: dict, n: dict) -> None:
    """Start the next tier from this tier's solution."""
    m.clear_hints()
    for var in x.values():
        m.add_hint(var, solver.boolean_value(var))
    for var in n.values():
        m.add_hint(var, solver.value(var))
