"""Planner invariants under hypothesis, and a small case whose optimum is known by hand."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from garita.corridor import core
from garita.corridor.plan_types import Departure, Group, Window
from garita.corridor.travel import RoadModel, Route, candidate_routes

T0 = dt.datetime(2024, 9, 16, 12, tzinfo=dt.UTC)
CITIES = {"BRO": (25.88, -97.50), "HID": (26.08, -98.28), "LRD": (27.48, -99.52)}
CHAINS = [["BRO", "HID", "LRD"]]
HUB = ("Tapachula", (14.906, -92.264))
WINDOW = Window(12, 48)


def _routes() -> dict[str, list[Route]]:
    return {HUB[0]: candidate_routes(HUB[0], HUB[1], CITIES, CHAINS, 3, RoadModel())}


groups_st = st.lists(
    st.tuples(st.sampled_from(sorted(CITIES)), st.integers(1, 10), st.booleans(),
              st.integers(0, 70)),
    min_size=1, max_size=30)


def _groups(raw: list) -> list[Group]:
    direct = {r.stops[0]: r.hours[0] for r in _routes()[HUB[0]] if len(r.stops) == 1}
    return [Group(i, HUB[0], port, size, (size - 1) if kids and size > 1 else 0,
                  T0 + dt.timedelta(hours=direct[port] + offset))
            for i, (port, size, kids, offset) in enumerate(raw)]


def _check(plan: core.Plan, groups: list[Group], seats: int) -> None:
    seen: list[int] = []
    by_id = {g.id: g for g in groups}
    for bus in plan.buses:
        assert bus.load == sum(by_id[g].persons for g in bus.groups) <= seats
        for gid in bus.groups:
            g = by_id[gid]
            wait = g.appointment - bus.arrival(g.port)
            assert dt.timedelta(hours=WINDOW.min_hours) <= wait <= dt.timedelta(
                hours=WINDOW.max_hours)
        seen.extend(bus.groups)
    assert len(seen) == len(set(seen))  # a group rides one bus, whole
    assert set(seen) | set(plan.unassigned) == set(by_id)


@settings(max_examples=40, deadline=None)
@given(groups_st, st.integers(1, 4))
def test_capacity_windows_and_whole_groups(raw, max_buses):
    groups = _groups(raw)
    deps = [Departure(HUB[0], T0, 45, max_buses)]
    for solver in (False, True):
        plan = core.plan(groups, deps, _routes(), WINDOW, seconds=2, workers=1, solver=solver)
        _check(plan, groups, 45)
        assert plan.bus_count <= max_buses


@settings(max_examples=30, deadline=None)
@given(groups_st)
def test_children_first_when_seats_are_short(raw):
    groups = _groups(raw)
    plan = core.plan(groups, [Departure(HUB[0], T0, 20, 1)], _routes(), WINDOW, seconds=2,
                     workers=1)
    _check(plan, groups, 20)
    by_id = {g.id: g for g in groups}
    for gid, reason in plan.unassigned.items():
        g = by_id[gid]
        if not g.children or "in time" not in reason:
            continue
        # an unseated family could not take the place of the childless riders it fits with
        for bus in plan.buses:
            if bus.arrival(g.port) is None:
                continue
            wait = g.appointment - bus.arrival(g.port)
            if not dt.timedelta(hours=12) <= wait <= dt.timedelta(hours=48):
                continue
            childless = sum(by_id[o].persons for o in bus.groups if not by_id[o].children)
            assert 20 - bus.load + childless < g.persons


def test_known_optimum_one_chain_bus_beats_two_direct():
    """20 to Matamoros and 20 to Reynosa: one bus on BRO → HID, where greedy runs two."""
    routes = _routes()
    bro_hid = next(r for r in routes[HUB[0]] if r.stops == ("BRO", "HID"))
    groups = []
    for i in range(8):
        port = "BRO" if i < 4 else "HID"
        arrive = T0 + dt.timedelta(hours=bro_hid.hours_to(port))
        groups.append(Group(i, HUB[0], port, 5, 0, arrive + dt.timedelta(hours=20)))
    deps = [Departure(HUB[0], T0, 45, 4)]
    greedy = core.plan(groups, deps, routes, WINDOW, solver=False)
    best = core.plan(groups, deps, routes, WINDOW, seconds=3, workers=1)
    assert greedy.bus_count == 2
    assert best.bus_count == 1 and best.buses[0].route.stops == ("BRO", "HID")
    assert best.status == "OPTIMAL" and best.gap == 0 and not best.unassigned
    assert best.wait_person_hours == 40 * 20


def test_unreachable_groups_say_why():
    g = Group(1, HUB[0], "BRO", 3, 1, T0 + dt.timedelta(hours=5))  # before the bus arrives
    plan = core.plan([g], [Departure(HUB[0], T0, 45, 2)], _routes(), WINDOW)
    assert not plan.buses and "inside the arrival window" in plan.unassigned[1]
