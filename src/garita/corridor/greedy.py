"""The greedy plan: what a careful coordinator does by hand; fallback and baseline.

Groups in priority order (children first, earlier appointments) take the open
bus with room that wastes least waiting; otherwise a new bus on the direct
route that arrives latest inside the window, if the departure has one left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from garita.corridor.options import Fit
from garita.corridor.plan_types import Group, Option


@dataclass
class Bin:
    """One bus being filled: its option, the group indexes on it and its load."""

    option: int
    capacity: int
    groups: list[int] = field(default_factory=list)
    load: int = 0

    @property
    def room(self) -> int:
        return self.capacity - self.load


def budgets(options: Sequence[Option]) -> dict[tuple, int]:
    """Buses still free per departure: its maximum less the locked buses leaving then."""
    left: dict[tuple, int] = {}
    for o in options:
        key = (o.departure.hub, o.departure.at)
        left.setdefault(key, o.departure.max_buses)
        if o.locked is not None:
            left[key] -= 1
    return {k: max(0, v) for k, v in left.items()}


def locked_bins(options: Sequence[Option]) -> list[Bin]:
    return [Bin(o.index, o.departure.seats, [], o.locked.load)
            for o in options if o.locked is not None]


def greedy(groups: Sequence[Group], options: Sequence[Option],
           fit_list: Sequence[Fit]) -> tuple[list[Bin], set[int]]:
    """Returns (bins, unassigned group indexes)."""
    by_group: dict[int, list[Fit]] = defaultdict(list)
    for f in fit_list:
        by_group[f.group].append(f)
    left = budgets(options)
    bins = locked_bins(options)
    open_by_option: dict[int, list[Bin]] = defaultdict(list)
    for b in bins:
        open_by_option[b.option].append(b)
    unassigned: set[int] = set()
    for gi in sorted(range(len(groups)), key=lambda i: groups[i].priority):
        g, mine = groups[gi], by_group.get(gi, [])
        best = min(((f.wait_minutes, -b.load, b.option, b) for f in mine
                    for b in open_by_option[f.option] if b.room >= g.persons),
                   default=None, key=lambda t: t[:3])
        if best is None:
            direct = [f for f in mine if options[f.option].locked is None
                      and len(options[f.option].route.stops) == 1
                      and left[(options[f.option].departure.hub,
                                options[f.option].departure.at)] > 0
                      and options[f.option].departure.seats >= g.persons]
            if not direct:
                unassigned.add(gi)
                continue
            f = min(direct, key=lambda f: (f.wait_minutes, f.option))
            o = options[f.option]
            left[(o.departure.hub, o.departure.at)] -= 1
            b = Bin(o.index, o.departure.seats)
            bins.append(b)
            open_by_option[o.index].append(b)
        else:
            b = best[3]
        b.groups.append(gi)
        b.load += g.persons
    return bins, unassigned
