"""The corridor planner: groups in, buses out, with the proof of how good they are.

Pure: values in, values out (the only clock read is a timer for the report).
``plan`` runs the greedy plan, then CP-SAT hinted with it, packs the counted
buses, and keeps whichever plan is better — so the greedy plan is both the
fallback (no solver, solver failure) and the baseline the solver must beat.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from garita.corridor.greedy import Bin, budgets, greedy, locked_bins
from garita.corridor.options import Fit, build_options, fits, minute, why_not
from garita.corridor.plan_types import (
    Bus,
    Departure,
    Group,
    LockedBus,
    Option,
    Plan,
    Report,
    Window,
)
from garita.corridor.travel import Route

SHORT = "seats on departures that reach the border city in time went to families with " \
        "children and earlier appointments first"


def plan(groups: Sequence[Group], departures: Sequence[Departure], routes: dict[str, list[Route]],
         window: Window, locked: Sequence[LockedBus] = (), seconds: float = 8.0,
         workers: int = 2, solver: bool = True, progress: Report | None = None) -> Plan:
    """``progress`` hears CP-SAT's solutions and bounds while it works, then the finished
    plan's figures: its last report states the plan's proven gap (None for a greedy plan)."""
    result, solutions = _plan_and_count(groups, departures, routes, window, locked, seconds,
                                        workers, solver, progress)
    if progress is not None:
        progress({"stage": "plan", "solutions": solutions, "objective": result.objective,
                  "bound": result.bound, "gap": result.gap})
    return result


def _plan_and_count(groups: Sequence[Group], departures: Sequence[Departure],
                    routes: dict[str, list[Route]], window: Window, locked: Sequence[LockedBus],
                    seconds: float, workers: int, solver: bool,
                    progress: Report | None) -> tuple[Plan, int]:
    """The plan, and how many solutions CP-SAT found on the way (0: greedy only)."""
    started = time.perf_counter()
    options = build_options(departures, routes, locked)
    fit_list = fits(groups, options, window)
    g_bins, g_left = greedy(groups, options, fit_list)
    g_count = sum(1 for b in g_bins if options[b.option].locked is None)
    fitting = {f.group for f in fit_list}
    if not solver or not fit_list:
        return _plan(groups, options, fit_list, g_bins, g_left, "greedy", "FEASIBLE",
                     started, g_count, []), 0
    serve_all = not (g_left & fitting)
    # OR-Tools costs ~110 MB of resident memory: import it where it is used, so API
    # workers that never plan (most of them) do not carry it.
    from garita.corridor.plan_classes import solve_classes
    from garita.corridor.plan_model import solve

    try:
        solved = (solve_classes(groups, options, fit_list, seconds, workers, g_bins,
                                report=progress) if serve_all
                  else solve(groups, options, fit_list, serve_all=False, hint=g_bins,
                             seconds=seconds, workers=workers, report=progress))
    except RuntimeError as exc:
        return _plan(groups, options, fit_list, g_bins, g_left, "greedy", "FEASIBLE", started,
                     g_count, [f"solver fallback: {exc}"]), 0
    bins, left, notes = pack(groups, options, solved.choice, solved.buses, fit_list)
    if _score(groups, options, fit_list, g_bins) < _score(groups, options, fit_list, bins):
        return _plan(groups, options, fit_list, g_bins, g_left, "greedy", "FEASIBLE", started,
                     g_count, [*notes, "greedy plan kept: better than the solver's packed plan"]
                     ), solved.solutions
    waits = _wait_minutes(groups, fit_list, bins)
    count = sum(1 for b in bins if options[b.option].locked is None)
    objective = solved.bus_weight * count + waits
    gap = 0.0 if objective == 0 else max(0.0, (objective - solved.bound) / objective)
    status = solved.status if objective == solved.objective else "FEASIBLE"
    w = solved.bus_weight
    bus_bound = max(0, -(-(int(solved.bound) - w + 1) // w))  # W·B + wait ≥ bound, wait < W
    return _plan(groups, options, fit_list, bins, left, "cp-sat", status, started, g_count,
                 [*solved.tiers, *notes], objective=objective, bound=solved.bound, gap=gap,
                 bus_bound=bus_bound), solved.solutions


def pack(groups: Sequence[Group], options: Sequence[Option], choice: dict[int, int],
         counts: dict[int, int], fit_list: Sequence[Fit]) -> tuple[list[Bin], set[int], list[str]]:
    """Put each option's groups into its counted buses, largest first (first-fit decreasing).

    A group that does not fit takes a seat on another bus it fits in time for;
    failing that another bus is added when the departure has one; else the
    lowest-priority groups stay behind (reported, never split).
    """
    alternatives: dict[int, list[int]] = defaultdict(list)
    for f in sorted(fit_list, key=lambda f: f.wait_minutes):
        alternatives[f.group].append(f.option)
    left = budgets(options)
    for oi, k in counts.items():
        left[(options[oi].departure.hub, options[oi].departure.at)] -= k
    bins = locked_bins(options)
    locked_at = {b.option: b for b in bins}
    on: dict[int, list[int]] = defaultdict(list)
    for gi, oi in choice.items():
        on[oi].append(gi)
    overflow: list[int] = []
    notes: list[str] = []
    for oi, members in sorted(on.items()):
        o = options[oi]
        if oi in locked_at:
            for gi in members:
                locked_at[oi].groups.append(gi)
                locked_at[oi].load += groups[gi].persons
            continue
        mine = [Bin(oi, o.departure.seats) for _ in range(counts.get(oi, 0))]
        for gi in sorted(members, key=lambda i: (-groups[i].persons, groups[i].priority)):
            b = next((b for b in mine if b.room >= groups[gi].persons), None)
            if b is None:
                overflow.append(gi)
                continue
            b.groups.append(gi)
            b.load += groups[gi].persons
        bins.extend(mine)
    dropped: set[int] = set()
    for gi in sorted(overflow, key=lambda i: groups[i].priority):
        size, theirs = groups[gi].persons, alternatives[gi]
        b = next((b for oi in theirs for b in bins if b.option == oi and b.room >= size), None)
        fresh = [oi for oi in theirs if options[oi].locked is None
                 and left[(options[oi].departure.hub, options[oi].departure.at)] > 0]
        if b is None and fresh:
            o = options[fresh[0]]
            left[(o.departure.hub, o.departure.at)] -= 1
            b = Bin(o.index, o.departure.seats)
            bins.append(b)
            notes.append(f"packing needed an extra bus on {o.route.label}")
        if b is None:
            dropped.add(gi)
            continue
        b.groups.append(gi)
        b.load += size
    return [b for b in bins if b.groups or options[b.option].locked], dropped, notes


def _wait_minutes(groups: Sequence[Group], fit_list: Sequence[Fit], bins: Sequence[Bin]) -> int:
    wait = {(f.group, f.option): f.wait_minutes for f in fit_list}
    return sum(wait[(gi, b.option)] * groups[gi].persons for b in bins for gi in b.groups)


def _score(groups: Sequence[Group], options: Sequence[Option], fit_list: Sequence[Fit],
           bins: Sequence[Bin]) -> tuple:
    """Lower is better: children's seats, seats, earliness, buses, waiting (in that order)."""
    on = [gi for b in bins for gi in b.groups]
    return (-sum(groups[g].persons for g in on if groups[g].children),
            -sum(groups[g].persons for g in on),
            sum(minute(groups[g].appointment) for g in on),
            sum(1 for b in bins if options[b.option].locked is None),
            _wait_minutes(groups, fit_list, bins))


def _plan(groups: Sequence[Group], options: Sequence[Option], fit_list: Sequence[Fit],
          bins: Sequence[Bin], left: set[int], solver: str, status: str, started: float,
          greedy_count: int, notes: list[str], objective: float | None = None,
          bound: float | None = None, gap: float | None = None,
          bus_bound: int | None = None) -> Plan:
    fitting = {f.group for f in fit_list}
    served = {gi for b in bins for gi in b.groups}
    unassigned = {g.id: (SHORT if gi in fitting else why_not(g, options))
                  for gi, g in enumerate(groups) if gi not in served}
    buses = tuple(
        _bus(options[b.option], b, groups)
        for b in sorted(bins, key=lambda b: (options[b.option].departure.at,
                                             options[b.option].departure.hub, b.option)))
    wait = _wait_minutes(groups, fit_list, bins) / 60
    return Plan(buses=buses, unassigned=unassigned, solver=solver, status=status,
                wait_person_hours=round(wait, 2), seconds=round(time.perf_counter() - started, 3),
                greedy_buses=greedy_count, notes=notes, objective=objective, bound=bound,
                gap=gap, bus_bound=bus_bound)


def _bus(o: Option, b: Bin, groups: Sequence[Group]) -> Bus:
    """A packed bin as a bus; a locked bus keeps the groups it already carried."""
    locked = o.locked
    return Bus(departure=o.departure, route=o.route,
               groups=(*(locked.groups if locked else ()), *(groups[gi].id for gi in b.groups)),
               load=b.load, locked_key=locked.key if locked else None)
