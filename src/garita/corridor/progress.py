"""What CP-SAT has found so far, reported while it searches: solutions, objective, bound, gap.

A plan is solved in stages (the priority tiers, then buses, then waiting, see
:mod:`garita.corridor.plan_model`); each stage's figures are turned into the plan's
own objective (``bus_weight``·buses + waiting) where the stage measures it, so the
gap reported is the one the finished plan states. The report is a plain function
(the coordinator's job writes it to the database); nothing here does I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

from garita.corridor.plan_types import Report

ToPlan = Callable[[float, float], tuple[float, float]]


def gap(objective: float, bound: float) -> float:
    """Relative distance between the best plan found and the best possible one."""
    return 0.0 if objective == 0 else max(0.0, abs(objective - bound) / abs(objective))


def same(objective: float, bound: float) -> tuple[float, float]:
    return objective, bound


class Tracker:
    """Counts solutions across the stages of one plan and reports each improvement.

    ``watch`` arms a solver for one stage: a callback for each solution found and
    one for each better bound proven (the gap also shrinks while CP-SAT proves)."""

    def __init__(self, report: Report | None) -> None:
        self._report = report
        self.solutions = 0
        self._lock = threading.Lock()  # CP-SAT calls back from its own threads
        self._stage = ""
        self._to_plan: ToPlan = same
        self._maximize = False
        self._objective: float | None = None
        self._bound: float | None = None

    def watch(self, solver: cp_model.CpSolver, stage: str, to_plan: ToPlan = same,
              maximize: bool = False) -> cp_model.CpSolverSolutionCallback | None:
        if self._report is None:
            return None
        with self._lock:
            self._stage, self._to_plan, self._maximize = stage, to_plan, maximize
            self._objective = self._bound = None
        solver.best_bound_callback = self.bound
        return _Solutions(self)

    def solution(self, objective: float, bound: float) -> None:
        with self._lock:
            self.solutions += 1
            self._objective = objective
            self._send(bound)

    def bound(self, bound: float) -> None:
        with self._lock:
            if self._objective is not None:  # no gap before the stage's first solution
                self._send(bound)

    def _send(self, bound: float) -> None:
        """Report with the tightest bound either callback has seen: they come from
        different threads, and a solution may carry a bound older than one sent."""
        if self._bound is not None:
            bound = min(bound, self._bound) if self._maximize else max(bound, self._bound)
        self._bound = bound
        assert self._objective is not None and self._report is not None
        plan_objective, plan_bound = self._to_plan(self._objective, bound)
        self._report({"stage": self._stage, "solutions": self.solutions,
                      "objective": plan_objective, "bound": plan_bound,
                      "gap": gap(plan_objective, plan_bound)})


class _Solutions(cp_model.CpSolverSolutionCallback):
    def __init__(self, tracker: Tracker) -> None:
        super().__init__()
        self._tracker = tracker

    def on_solution_callback(self) -> None:
        self._tracker.solution(self.objective_value, self.best_objective_bound)
