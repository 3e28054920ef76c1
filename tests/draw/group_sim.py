"""Simulated draw days at the real 2024 capacities, for the group-fairness test and bench.

Shared by ``tests/draw/test_group_fair.py`` and ``bench/bench_group_fairness.py``.
Each day, every port gets requests whose persons are `demand` × its places; group
sizes follow `SIZE_WEIGHTS` (many large groups, so their rate is measured well);
registration times are random, so both tiers take part. The places and slots are
the policy in force on 2024-07-01 as shipped (`policy/history.json`), not numbers
written here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from garita.draw import core
from garita.policy.ports import PORT_CODES
from garita.policy.service import shipped_history

#: sizes 1..10: 30 % singles, 30 % of 2-6, 40 % of 7-10
SIZE_WEIGHTS = np.array([0.30] + [0.06] * 5 + [0.10] * 4)
DAY = dt.date(2024, 7, 1)


def policy_2024():
    return next(v.policy for v in reversed(shipped_history()) if v.effective_from <= DAY)


def day_bins(policy) -> dict[int, list[core.Bin]]:
    """The appointment day's slots at each port, places spread as the service spreads them."""
    bins = {}
    n = len(policy.slots)
    for port, code in enumerate(PORT_CODES):
        cap = policy.port_capacity.get(code, 0)
        bins[port] = [core.Bin(DAY, slot, cap // n + (1 if i < cap % n else 0))
                      for i, slot in enumerate(policy.slots)]
    return bins


@dataclass
class Tally:
    """Requests and selections per (port, group size 1-10)."""

    requests: np.ndarray  # [port, size - 1]
    selected: np.ndarray

    def _counts(self, port: int | None, sizes: range) -> tuple[int, int]:
        cols = [s - 1 for s in sizes]
        req = self.requests[:, cols] if port is None else self.requests[port, cols]
        sel = self.selected[:, cols] if port is None else self.selected[port, cols]
        return int(req.sum()), int(sel.sum())

    def rate(self, port: int | None, sizes: range) -> float:
        req, sel = self._counts(port, sizes)
        return sel / req

    def ratio_and_se(self, port: int | None) -> tuple[float, float]:
        """Rate of groups of 7-10 over singles', and its standard error (delta method, log)."""
        (n1, k1), (n2, k2) = self._counts(port, SINGLES), self._counts(port, LARGE)
        r1, r2 = k1 / n1, k2 / n2
        se_log = math.sqrt((1 - r1) / (n1 * r1) + (1 - r2) / (n2 * r2))
        return r2 / r1, (r2 / r1) * se_log


SINGLES, LARGE = range(1, 2), range(7, 11)


def simulate(days: int, rule: str, demand: float = 8.0, seed: int = 2024) -> Tally:
    """Draw `days` independent days under `rule`; tally requests and winners by size."""
    policy = policy_2024()
    bins = day_bins(policy)
    ports = len(PORT_CODES)
    places = np.array([sum(b.free for b in bins[p]) for p in range(ports)])
    mean_size = float(np.dot(SIZE_WEIGHTS, np.arange(1, 11)))
    per_port = np.ceil(demand * places / mean_size).astype(int)
    rng = np.random.default_rng(seed)
    requests = np.zeros((ports, 10), np.int64)
    selected = np.zeros((ports, 10), np.int64)
    n = int(per_port.sum())
    port = np.repeat(np.arange(ports), per_port)
    for day in range(days):
        size = rng.choice(np.arange(1, 11), size=n, p=SIZE_WEIGHTS)
        req = core.DrawRequests(ticket=np.arange(day * n, (day + 1) * n), port=port, size=size,
                                registered_at=rng.integers(0, 400, size=n))
        result = core.draw(req, bins, policy.longest_waiting_share,
                           day.to_bytes(4, "big"), rule=rule)
        won = np.zeros(n, bool)
        won[(result.ticket - day * n).astype(np.int64)] = True
        cell = port * 10 + size - 1
        requests += np.bincount(cell, minlength=ports * 10).reshape(ports, 10)
        selected += np.bincount(cell[won], minlength=ports * 10).reshape(ports, 10)
    return Tally(requests, selected)
