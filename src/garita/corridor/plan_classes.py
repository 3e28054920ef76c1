"""The aggregated model for days when every group can be carried: classes, not groups.

Groups of one hub and port with the same fitting options are interchangeable
except for their size, and total waiting is linear in the riders each option
takes (Σ persons·appointment is a constant), so the model counts riders per
(class, option) and buses per option: a handful of integers, solved to proven
optimality in milliseconds. It relaxes the real problem (groups are not
divisible), so its optimum is a valid lower bound; groups are then dealt to
options to match the counts and packed, and the packed plan is measured
against that bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from garita.corridor.greedy import Bin, budgets
from garita.corridor.options import Fit, minute
from garita.corridor.plan_model import Solved
from garita.corridor.plan_types import Group, Option, Report
from garita.corridor.progress import Tracker, Watch


def solve_classes(groups: Sequence[Group], options: Sequence[Option], fit_list: Sequence[Fit],
                  seconds: float, workers: int = 2, hint: Sequence[Bin] = (),
                  report: Report | None = None) -> Solved:
    tracker = Tracker(report)
    fits_of: dict[int, list[Fit]] = defaultdict(list)
    for f in fit_list:
        fits_of[f.group].append(f)
    classes: dict[tuple, list[int]] = defaultdict(list)
    for gi, fs in fits_of.items():
        classes[(groups[gi].port, tuple(sorted(f.option for f in fs)))].append(gi)
    m = cp_model.CpModel()
    left = budgets(options)
    z: dict[tuple, cp_model.IntVar] = {}
    load: dict[int, list] = defaultdict(list)
    for ci, ((_, opts), members) in enumerate(classes.items()):
        persons = sum(groups[g].persons for g in members)
        zs = [m.new_int_var(0, persons, f"z{ci}_{o}") for o in opts]
        m.add(sum(zs) == persons)
        for o, var in zip(opts, zs, strict=True):
            z[(ci, o)] = var
            load[o].append(var)
    n: dict[int, cp_model.IntVar] = {}
    per_dep: dict[tuple, list] = defaultdict(list)
    for oi, vars_ in load.items():
        o = options[oi]
        if o.locked is not None:
            m.add(sum(vars_) <= o.departure.seats - o.locked.load)
            continue
        key = (o.departure.hub, o.departure.at)
        n[oi] = m.new_int_var(0, left[key], f"n{oi}")
        per_dep[key].append(n[oi])
        m.add(sum(vars_) <= o.departure.seats * n[oi])
    for key, departing in per_dep.items():
        m.add(sum(departing) <= left[key])
    _floors(m, groups, options, classes, n)
    ports = [port for port, _ in classes]
    arrive = {(ci, oi): minute(options[oi].arrival(ports[ci])) for ci, oi in z}
    appointments = sum(minute(groups[g].appointment) * groups[g].persons
                       for members in classes.values() for g in members)
    spread = sum((max(arrive[(ci, o)] for o in opts) - min(arrive[(ci, o)] for o in opts))
                 * sum(groups[g].persons for g in members)
                 for ci, ((_, opts), members) in enumerate(classes.items()))
    weight = spread + sum(f.wait_minutes * groups[f.group].persons
                          for f in fit_list) + 1  # > any total wait
    late = sum(arrive[k] * v for k, v in z.items())
    _hint(m, groups, classes, z, n, hint)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    m.minimize(sum(n.values()))
    buses, status = _run(solver, m, seconds / 2, tracker.watch(
        solver, "buses", lambda o, b, arrivals: (weight * o + appointments - arrivals,
                                                 weight * b), also=late))
    bus_bound = int(round(solver.best_objective_bound))
    m.add(sum(n.values()) <= buses)
    m.maximize(late)
    fixed = weight * buses + appointments

    def plan_figures(objective: float, bound: float, _: float) -> tuple[float, float]:
        """Arrival minutes maximised under fixed buses, as the plan's objective and bound
        (as below: waiting = Σ appointment minutes − Σ arrival minutes)."""
        return fixed - objective, (fixed - bound if status == "OPTIMAL" else weight * bus_bound)

    _, wait_status = _run(solver, m, seconds / 2,
                          tracker.watch(solver, "waiting", plan_figures, maximize=True))
    target = {k: int(solver.value(v)) for k, v in z.items()}
    choice = _deal(groups, list(classes.values()), target)
    counts = {oi: int(solver.value(v)) for oi, v in n.items()}
    proven = status == "OPTIMAL"
    bound = (weight * buses + appointments - int(solver.best_objective_bound) if proven
             else weight * bus_bound)
    return Solved(choice, counts, "OPTIMAL" if proven and wait_status == "OPTIMAL" else "FEASIBLE",
                  weight * buses + appointments - sum(arrive[k] * t for k, t in target.items()),
                  bound, weight,
                  [f"aggregated model: {len(classes)} classes, {len(z)} class-options; "
                   f"buses {buses} ({status}), waiting ({wait_status})"], tracker.solutions)


def _run(solver: cp_model.CpSolver, m: cp_model.CpModel, seconds: float,
         watch: Watch | None = None) -> tuple[int, str]:
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    code = solver.solve(m, watch)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no aggregated plan ({solver.status_name(code)})")
    if watch is not None:
        watch.end(solver)
    return int(round(solver.objective_value)), solver.status_name(code)


def _hint(m: cp_model.CpModel, groups: Sequence[Group], classes: dict[tuple, list[int]],
          z: dict, n: dict, bins: Sequence[Bin]) -> None:
    """Start from the greedy plan, so the solver's answer is never worse than it."""
    riders: dict[tuple, int] = defaultdict(int)
    buses: dict[int, int] = defaultdict(int)
    klass = {g: ci for ci, members in enumerate(classes.values()) for g in members}
    for b in bins:
        buses[b.option] += 1
        for g in b.groups:
            riders[(klass[g], b.option)] += groups[g].persons
    for k, var in z.items():
        m.add_hint(var, riders.get(k, 0))
    for oi, var in n.items():
        m.add_hint(var, buses.get(oi, 0))


def _floors(m: cp_model.CpModel, groups: Sequence[Group], options: Sequence[Option],
            classes: dict[tuple, list[int]], n: dict) -> None:
    """Bus floors the LP rounds away: riders tied to one departure need ⌈riders / seats⌉
    buses there, and as many on the routes reaching each of their ports."""
    need: dict[tuple, int] = defaultdict(int)
    for (port, opts), members in classes.items():
        deps = {(options[o].departure.hub, options[o].departure.at) for o in opts}
        if len(deps) == 1 and all(options[o].locked is None for o in opts):
            persons = sum(groups[g].persons for g in members)
            need[(*next(iter(deps)), None)] += persons
            need[(*next(iter(deps)), port)] += persons
    for (hub, at, port), persons in need.items():
        here = [oi for oi in n if (options[oi].departure.hub, options[oi].departure.at)
                == (hub, at) and (port is None or port in options[oi].route.stops)]
        if here:
            seats = options[here[0]].departure.seats
            m.add(sum(n[oi] for oi in here) >= -(-persons // seats))


def _deal(groups: Sequence[Group], classes: list[list[int]],
          target: dict[tuple, int]) -> dict[int, int]:
    """Give each class's groups to its options, largest first, to meet the rider counts."""
    choice: dict[int, int] = {}
    for ci, members in enumerate(classes):
        want = {o: t for (c, o), t in target.items() if c == ci}
        for gi in sorted(members, key=lambda g: (-groups[g].persons, groups[g].id)):
            size = groups[gi].persons
            fitting = [o for o, t in want.items() if t >= size]
            o = (min(fitting, key=lambda o: (want[o], o)) if fitting
                 else max(want, key=lambda o: (want[o], -o)))
            want[o] -= size
            choice[gi] = o
    return choice
