"""What CP-SAT has found so far, reported while it searches: solutions, objective, bound, gap.

A plan is solved in stages (the priority tiers when seats are short, then buses,
then waiting; see :mod:`garita.corridor.plan_model`). From the bus stage on, each
report is in the plan's own objective (``bus_weight``·buses + waiting): the bus
stage's solutions are measured with the waiting they carry, so the gap shrinks
from the first bus plan to the proven one and ends where the finished plan
states it. The priority tiers report their own objective (seats, earliness). The
report is a plain function — the coordinator's job writes it to the database;
nothing here does I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

from garita.corridor.plan_types import Report

# (stage objective, stage bound, value of the watched expression) → plan objective, bound
ToPlan = Callable[[float, float, float], tuple[float, float]]


def gap(objective: float, bound: float) -> float:
    """Relative distance between the best plan found and the best possible one."""
    return 0.0 if objective == 0 else max(0.0, abs(objective - bound) / abs(objective))


def same(objective: float, bound: float, _also: float) -> tuple[float, float]:
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
        self._also = 0.0
        self._bound: float | None = None

    def watch(self, solver: cp_model.CpSolver, stage: str, to_plan: ToPlan = same,
              maximize: bool = False, also: cp_model.LinearExprT | None = None) -> Watch | None:
        """``also``: an expression of the model whose value in each solution ``to_plan``
        needs (the waiting a bus plan carries)."""
        if self._report is None:
            return None
        with self._lock:
            self._stage, self._to_plan, self._maximize = stage, to_plan, maximize
            self._objective = self._bound = None
            self._also = 0.0
        solver.best_bound_callback = self.bound
        return Watch(self, also)

    def solution(self, objective: float, bound: float, also: float) -> None:
        with self._lock:
            self.solutions += 1
            self._objective, self._also = objective, also
            self._send(bound)

    def end(self, objective: float, bound: float, also: float) -> None:
        """The stage's last figures (CP-SAT does not call back with the bound that
        proves optimality): a proven stage ends at its own gap 0."""
        with self._lock:
            if self._objective is not None:
                self._objective, self._also = objective, also
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
        plan_objective, plan_bound = self._to_plan(self._objective, bound, self._also)
        self._report({"stage": self._stage, "solutions": self.solutions,
                      "objective": plan_objective, "bound": plan_bound,
                      "gap": gap(plan_objective, plan_bound)})


class Watch(cp_model.CpSolverSolutionCallback):
    """One stage's solutions, passed to ``CpSolver.solve``; ``end`` after it returns."""

    def __init__(self, tracker: Tracker, also: cp_model.LinearExprT | None) -> None:
        super().__init__()
        self._tracker = tracker
        self._also = also

    def on_solution_callback(self) -> None:
        also = 0.0 if self._also is None else float(self.value(self._also))
        self._tracker.solution(self.objective_value, self.best_objective_bound, also)

    def end(self, solver: cp_model.CpSolver) -> None:
        also = 0.0 if self._also is None else float(solver.value(self._also))
        self._tracker.end(solver.objective_value, solver.best_objective_bound, also)
