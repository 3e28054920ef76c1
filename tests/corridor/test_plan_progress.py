"""The planner reports CP-SAT's progress while it works: each stage's gap only shrinks, the
plan's gap shrinks from the first bus plan on, and the last report is the finished plan's
proven gap (what the coordinator's page shows while it waits, then as the result)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from test_planner_properties import HUB, T0, WINDOW, _groups, _routes

from garita.corridor import core
from garita.corridor.plan_types import Departure

PLAN_STAGES = ("buses", "waiting", "plan")  # reported in the plan's own objective


def _raw(n: int, offsets: tuple[int, int], seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    return [(rng.choice(["BRO", "HID", "LRD"]), rng.randint(1, 8), rng.random() < 0.4,
             rng.randint(*offsets)) for _ in range(n)]


CASES = {
    # seats short (4 buses for ~270 riders who fit): the priority tiers run first
    "seats short": (_raw(60, (0, 70)), [Departure(HUB[0], T0, 45, 4)]),
    # everyone fits: the aggregated model (classes of interchangeable groups)
    "everyone fits": (_raw(120, (13, 47)), [Departure(HUB[0], T0, 45, 20),
                                            Departure(HUB[0], T0 + dt.timedelta(hours=6), 45,
                                                      20)]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_progress_gap_shrinks_and_ends_at_the_plans_gap(case):
    raw, departures = CASES[case]
    reports: list[dict] = []
    plan = core.plan(_groups(raw), departures, _routes(), WINDOW, seconds=5, workers=1,
                     progress=reports.append)
    assert plan.solver == "cp-sat" and plan.gap is not None
    final = reports[-1]
    assert final["stage"] == "plan" and final["gap"] == plan.gap
    assert final["objective"] == plan.objective and final["bound"] == plan.bound
    solutions = [r["solutions"] for r in reports]
    assert solutions == sorted(solutions) and final["solutions"] >= 2
    for stage in {r["stage"] for r in reports}:  # within a stage: never worse
        gaps = [r["gap"] for r in reports if r["stage"] == stage]
        assert gaps == sorted(gaps, reverse=True), (stage, gaps)
    plan_gaps = [r["gap"] for r in reports if r["stage"] in PLAN_STAGES]
    assert plan_gaps == sorted(plan_gaps, reverse=True)
    assert plan_gaps[0] > plan_gaps[-1]  # the first bus plan was not yet proven
    assert {r["stage"] for r in reports} >= {"buses", "waiting"}
    if case == "seats short":
        assert {"children's seats", "seats", "earlier appointments"} <= {
            r["stage"] for r in reports}


def test_a_greedy_plan_reports_no_gap():
    raw, departures = CASES["everyone fits"]
    reports: list[dict] = []
    plan = core.plan(_groups(raw), departures, _routes(), WINDOW, solver=False,
                     progress=reports.append)
    assert plan.gap is None
    assert reports == [{"stage": "plan", "solutions": 0, "objective": None, "bound": None,
                        "gap": None}]
