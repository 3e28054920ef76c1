"""Rule ``group-fair`` (from 2026-12): select by persons, then seat — fair to groups. Pure.

Why a second rule. The first rule (`walk`, ``first-fit``) put each group
into a time slot *while* selecting, and skipped any group bigger than the
slot's or the port's room left. A slot held places ÷ slots (ELP 24 ÷ 10 = 2),
so a family of 4 alone at a port was never selected, and at the end of every
port's walk the last places went to whoever was small enough. Requesting as a
group must not change the odds (DESIGN §3), so this rule separates the two
questions:

1. **Who is selected** — per port, capacity in persons over all the draw's
   bins, ``places = sum(free)``. Tier ``longest_waiting`` (order: registration
   time, then draw key) and then tier ``random`` (draw key) each take the
   *shortest prefix* of their order that reaches their budget: a request is
   selected exactly when the persons selected before it are fewer than the
   budget (``floor(share × places)`` for the first tier, ``places`` minus the
   first tier's persons for the second). Nobody is skipped for being large, so
   whether a request is selected does not depend on its own size; the last group
   may take the port past its places by at most (largest group − 1) persons.
   Whenever the persons who asked are ≤ the places, everyone is selected.
2. **Where they sit** — winners in selection order (first tier by rank, then
   the second), each group whole: the earliest day whose free places (over its
   slots) hold the group, else the day with the most free places; in that day
   the earliest slot with room for the group, else the slot with the most free
   places. A slot's share of the day is a guide, not a wall: it flexes by
   persons, so any group up to the policy's maximum has a time.

   The days a group may take: a request with an earliest reachable day (``earliest``
   > 0: asked from a corridor hub's states, see the policy's
   ``CorridorPolicy.earliest_appointment``) takes days on or after it, spare days
   included; every other request takes the draw's own (non-spare) days. Spare days
   are later days offered only for such groups; their places are not drawn here.
   If no allowed day is offered at all, the group takes the draw's own days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from garita.draw.values import Bin
from garita.draw.walk import LazyOrder

RULE = "group-fair"
_EPOCH = dt.date(1970, 1, 1)


@dataclass
class Prefix:
    """Winners of one tier at one port: candidate index, 1-based rank, persons."""

    index: np.ndarray
    rank: np.ndarray
    persons: int


def take_prefix(order: LazyOrder, sizes: np.ndarray, budget: int) -> Prefix:
    """The shortest prefix of `order` whose persons reach `budget` (all, if they never do)."""
    taken, persons = [], 0
    while persons < budget and not order.exhausted:
        chunk = order.next_chunk()
        before = persons + np.cumsum(sizes[chunk], dtype=np.int64) - sizes[chunk]
        count = int(np.searchsorted(before, budget, side="left"))
        taken.append(chunk[:count])
        persons += int(sizes[chunk[:count]].sum(dtype=np.int64))
        if count < chunk.size:
            break
    index = np.concatenate(taken) if taken else np.zeros(0, np.int64)
    return Prefix(index=index, rank=np.arange(1, index.size + 1, dtype=np.int64),
                  persons=persons)


def seat(sizes: Sequence[int], bins: Sequence[Bin],
         earliest: Sequence[int] | None = None) -> list[int]:
    """Bin index for each group in turn (module docstring, step 2); ``earliest`` per
    group in days since 1970-01-01, 0 for none."""
    free = [b.free for b in bins]
    days: dict = {}
    for i, b in enumerate(bins):
        days.setdefault(b.day, []).append(i)
    day_keys = list(days)
    day_lists = list(days.values())
    own = [d for d, key in enumerate(day_keys) if not all(bins[i].spare for i in days[key])]
    placed = []
    for k, size in enumerate(sizes):
        first = earliest[k] if earliest is not None else 0
        allowed = own if not first else [
            d for d, key in enumerate(day_keys) if (key - _EPOCH).days >= first] or own
        room = {d: sum(free[i] for i in day_lists[d]) for d in allowed}
        fits = [d for d in allowed if room[d] >= size]
        day = fits[0] if fits else max(allowed, key=lambda d: (room[d], -d))
        members = day_lists[day]
        slot = next((i for i in members if free[i] >= size), None)
        if slot is None:
            slot = max(members, key=lambda i: (free[i], -i))
        free[slot] -= size
        placed.append(slot)
    return placed
