"""One service day's draw in the simulation: the service's bins, the draw core, its rule.

Nothing here decides who wins: the places per slot come from the draw service's own
rule (`slot_capacity`, and its spreading of a flexed slot's excess), the days from
the policy calendar (`appointment_dates`), a corridor group's first reachable day
from the policy (`CorridorPolicy.earliest_appointment`), and the winners from
`garita.draw.core.draw` under the ``group-fair`` rule, exactly as
`garita.draw.service.run` calls it. The simulation keeps the held places itself
(no database), as free places per (day, port, slot).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import numpy as np

from garita.draw import core
from garita.draw.service import _spread_excess as spread_excess  # the service's own bin rule
from garita.draw.service import slot_capacity
from garita.policy import calendar
from garita.policy.ports import PORT_CODES
from garita.policy.schemas import Policy

_EPOCH = dt.date(1970, 1, 1)


def day_seed(seed: int, service_date: dt.date) -> bytes:
    """The run's seed for one draw: reproducible, distinct per day."""
    return hashlib.sha256(f"garita-sim:{seed}:{service_date.isoformat()}".encode()).digest()


class Places:
    """Free places per appointment day, as a (port × slot) array; slots flex by persons."""

    def __init__(self, in_force: Callable[[dt.date], Policy], used: float = 1.0,
                 used_from: dt.date = dt.date.min) -> None:
        self._in_force, self._used, self._used_from = in_force, used, used_from
        self._free: dict[dt.date, np.ndarray] = {}
        self._scaled: dict[int, Policy] = {}

    def _offered(self, day: dt.date) -> Policy:
        """The day's policy with each port's places × ``used`` (from ``used_from`` on)."""
        policy = self._in_force(day)
        if self._used == 1.0 or day < self._used_from:
            return policy
        if id(policy) not in self._scaled:
            self._scaled[id(policy)] = policy.model_copy(update={"port_capacity": {
                p: round(c * self._used) for p, c in policy.port_capacity.items()}})
        return self._scaled[id(policy)]

    def day(self, day: dt.date, slots: int) -> np.ndarray:
        if day not in self._free:
            policy = self._offered(day)
            rows = [slot_capacity(policy, port) if policy.active else [0] * len(policy.slots)
                    for port in PORT_CODES]
            self._free[day] = np.array([r[:slots] + [0] * (slots - len(r)) for r in rows],
                                       np.int64)
        return self._free[day]

    def bins(self, days: list[dt.date], slot_times: list[dt.time],
             spare: bool = False) -> dict[int, list[core.Bin]]:
        """The draw's bins as `draw.service.build_bins` makes them, from held places."""
        out: dict[int, list[core.Bin]] = {}
        for day in days:
            free = self.day(day, len(slot_times))
            for port in range(len(PORT_CODES)):
                left = spread_excess(free[port].tolist())
                for slot, n in zip(slot_times, left, strict=True):
                    if n > 0:
                        out.setdefault(port, []).append(core.Bin(day=day, slot=slot, free=n,
                                                                 spare=spare))
        return out

    def take(self, day: dt.date, port: int, slot: int, persons: int) -> None:
        self._free[day][port, slot] -= persons

    def give_back(self, day: dt.date, port: int, slot: int, persons: int) -> None:
        self._free[day][port, slot] += persons

    def forget_before(self, day: dt.date) -> None:
        for old in [d for d in self._free if d < day]:
            del self._free[old]


def earliest(policy: Policy, service_date: dt.date, states: np.ndarray,
             ports: np.ndarray) -> np.ndarray:
    """First reachable appointment day per request (days since 1970; 0: any), by the
    policy's corridor rule, as `draw.service.earliest_days` computes it."""
    out = np.zeros(len(states), np.int32)
    c = policy.corridor
    if c is None or not c.active or not len(states):
        return out
    hub_states = {s for h in c.hubs for s in h.states}
    ready, first_slot = calendar.draw_moment(policy, service_date), policy.slots[0]
    for state in hub_states:
        mine = states == state
        for port in np.unique(ports[mine]).tolist():
            day = c.earliest_appointment(state, PORT_CODES[port], ready, first_slot)
            if day is not None:
                out[mine & (ports == port)] = (day - _EPOCH).days
    return out


def run_draw(policy: Policy, service_date: dt.date, requests: core.DrawRequests,
             places: Places, seed: bytes) -> core.DrawResult:
    """The day's draw over the free places, seating the winners (places taken)."""
    slots = list(policy.slots)
    days = calendar.appointment_dates(policy, service_date)
    bins = places.bins(days, slots)
    furthest = int(requests.earliest.max(initial=0)) if requests.earliest is not None else 0
    if days and furthest > (days[-1] - _EPOCH).days:
        later = [days[-1] + dt.timedelta(days=k)
                 for k in range(1, furthest - (days[-1] - _EPOCH).days + 1)]
        for port, extra in places.bins(later, slots, spare=True).items():
            bins[port] = bins.get(port, []) + extra
    result = core.draw(requests, bins, policy.longest_waiting_share, seed, rule=core.GROUP_FAIR)
    slot_index = {t: i for i, t in enumerate(slots)}
    for port, day, slot, size in zip(result.port.tolist(), result.day, result.slot,
                                     result.size.tolist(), strict=True):
        places.take(day, port, slot_index[slot], size)
    return result
