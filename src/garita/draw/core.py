"""Pure core of the daily draw: (requests, places, share, seed, rule) -> winners.

No database, settings, clock or I/O: a draw is a function of its inputs, so a
rerun after a crash, or anyone holding the published seed and input list,
gets the same winners (DESIGN §7). Two rules exist, and a publication names
the one it was drawn with so it verifies under it for ever:

* ``group-fair`` (`prefix`, the default from 2026-12): select by persons per
  port, then seat the winners in days and slots — a group's size does not
  change its odds. Its exact statement is in `prefix`.
* ``first-fit`` (`walk`, every draw before): per port, independently:

1. Tier ``longest_waiting``: budget = floor(share × places at the port).
   Candidates (every request at the port) ordered by (registered_at, draw key).
   Each in turn goes into the first bin with room, if the tier's persons so far
   plus its size stay within the budget; otherwise it is skipped and stays in
   the pool for tier 2.
2. Tier ``random``: the port's remaining requests ordered by draw key, first-fit
   into what is left of the bins; groups that fit nowhere are skipped.

   Groups are never split; bins fill in the order given (earliest day, then slot).

In both, a winner's rank is its 1-based position in its tier's ordering at its
port, so an auditor can replay the walk. See `keys` for the key and `walk`
for how the walk is made fast without changing its result.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np

from garita.draw import prefix
from garita.draw.keys import KEY_DOMAIN, draw_key, draw_keys, seed_key
from garita.draw.values import (
    LONGEST_WAITING,
    RANDOM,
    TIER_NAMES,
    Bin,
    DrawRequests,
    DrawResult,
    PortSummary,
    Winner,
)
from garita.draw.walk import LazyOrder, TierFill, fill_tier

FIRST_FIT = "first-fit"
GROUP_FAIR = prefix.RULE
RULES = (FIRST_FIT, GROUP_FAIR)

__all__ = [
    "FIRST_FIT", "GROUP_FAIR", "KEY_DOMAIN", "LONGEST_WAITING", "RANDOM", "RULES", "TIER_NAMES",
    "Bin", "DrawRequests",
    "DrawResult", "PortSummary", "Winner", "allocation_digest", "draw", "draw_key",
    "draw_keys", "longest_waiting_budget", "seed_key",
]


def longest_waiting_budget(share: float | Fraction | Decimal, places: int) -> int:
    """floor(share × places), exact: a float share is read as its shortest decimal.

    So 0.3 means exactly 3/10 and floor(0.3 × 10) is 3 here and in any other
    language that reads the published share "0.3" as a decimal.
    """
    if isinstance(share, bool) or not isinstance(share, int | float | Fraction | Decimal):
        raise ValueError(f"share must be a number, got {type(share).__name__}")
    exact = Fraction(repr(share)) if isinstance(share, float) else Fraction(share)
    if not 0 <= exact <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    return math.floor(exact * places)


def draw(
    requests: DrawRequests,
    bins_by_port: Mapping[int, Sequence[Bin]],
    share: float | Fraction | Decimal,
    seed: bytes,
    rule: str = GROUP_FAIR,
) -> DrawResult:
    """Run the daily draw. A port missing from `bins_by_port` has no places."""
    longest_waiting_budget(share, 0)  # validate early, before any work
    if rule not in RULES:
        raise ValueError(f"unknown draw rule {rule!r}; use one of {list(RULES)}")
    draw_port = _draw_port if rule == FIRST_FIT else _draw_port_group_fair
    bins = _check_bins(bins_by_port)
    keys = draw_keys(seed, requests.ticket)
    by_port = _group_by_port(requests.port)
    empty = np.zeros(0, np.int64)
    parts = [
        draw_port(port, by_port.get(port, empty), bins.get(port, ()), requests, keys, share)
        for port in sorted(set(bins) | set(by_port))
    ]
    return _assemble(parts, requests, bins)


def _check_bins(bins_by_port: Mapping[int, Sequence[Bin]]) -> dict[int, tuple[Bin, ...]]:
    checked = {}
    for port, bins in bins_by_port.items():
        if isinstance(port, bool) or not isinstance(port, int | np.integer) or port < 0:
            raise ValueError(f"bins_by_port keys must be port indices >= 0, got {port!r}")
        bins = tuple(bins)
        if not all(isinstance(b, Bin) for b in bins):
            raise ValueError(f"bins for port {port} must be Bin instances")
        checked[int(port)] = bins
    return checked


def _group_by_port(port: np.ndarray) -> dict[int, np.ndarray]:
    """Request indices per port, each in input order (the draw never depends on it)."""
    order = np.argsort(port, kind="stable").astype(np.int64)
    counts = np.bincount(port) if port.size else np.zeros(0, np.int64)
    bounds = np.r_[0, np.cumsum(counts)]
    return {
        p: order[bounds[p] : bounds[p + 1]] for p in np.flatnonzero(counts).tolist()
    }


def _draw_port(port, members, bins, requests, keys, share):
    """Both tiers at one port; returns (summary, winners' request indices, tier, rank, bin)."""
    sizes = requests.size[members]
    free = [b.free for b in bins]
    places = sum(free)
    budget = longest_waiting_budget(share, places)
    local = np.arange(members.size)
    port_keys = keys[members]

    waiting = LazyOrder(local, requests.registered_at[members], port_keys, 2 * budget + 256)
    first = fill_tier(waiting, sizes, free, budget)
    rest = np.ones(members.size, bool)
    rest[first.index] = False
    lottery = LazyOrder(np.flatnonzero(rest), port_keys, None, 2 * places + 256)
    second = fill_tier(lottery, sizes, free, places)

    summary = PortSummary(
        port=port, places=places, budget_longest_waiting=budget, requests=int(members.size),
        persons_requested=int(sizes.sum(dtype=np.int64)),
        allocated_longest_waiting=first.persons, allocated_random=second.persons,
        selected_longest_waiting=int(first.index.size), selected_random=int(second.index.size),
    )
    return summary, _winner_columns(port, members, first, second)


def _draw_port_group_fair(port, members, bins, requests, keys, share):
    """Rule ``group-fair`` at one port (see `prefix`): select by persons, then seat."""
    sizes = requests.size[members]
    places = sum(b.free for b in bins if not b.spare)
    budget = longest_waiting_budget(share, places)
    local = np.arange(members.size)
    port_keys = keys[members]
    # a prefix reaching `budget` persons is at most `budget` requests long: one chunk
    first = prefix.take_prefix(
        LazyOrder(local, requests.registered_at[members], port_keys, budget + 1), sizes, budget)
    rest = np.ones(members.size, bool)
    rest[first.index] = False
    left = places - first.persons
    second = prefix.take_prefix(
        LazyOrder(np.flatnonzero(rest), port_keys, None, max(left, 0) + 1), sizes, left)
    chosen = np.r_[first.index, second.index]
    seated = prefix.seat(sizes[chosen].tolist(), bins, requests.earliest[members][chosen].tolist())
    fills = (TierFill(first.index, first.rank, np.asarray(seated[: first.index.size], np.int32),
                      first.persons),
             TierFill(second.index, second.rank,
                      np.asarray(seated[first.index.size :], np.int32), second.persons))
    summary = PortSummary(
        port=port, places=places, budget_longest_waiting=budget, requests=int(members.size),
        persons_requested=int(sizes.sum(dtype=np.int64)),
        allocated_longest_waiting=first.persons, allocated_random=second.persons,
        selected_longest_waiting=int(first.index.size), selected_random=int(second.index.size),
    )
    return summary, _winner_columns(port, members, *fills)


def _winner_columns(port: int, members: np.ndarray, first: TierFill, second: TierFill):
    tiers = (first, second)
    return {
        "request": np.concatenate([members[t.index] for t in tiers]),
        "tier": np.repeat(np.arange(2, dtype=np.int8), [t.index.size for t in tiers]),
        "rank": np.concatenate([t.rank for t in tiers]),
        "bin_index": np.concatenate([t.bin_index for t in tiers]),
        "port": np.full(first.index.size + second.index.size, port, np.int16),
    }


def _assemble(parts, requests: DrawRequests, bins: dict[int, tuple[Bin, ...]]) -> DrawResult:
    names = ("request", "tier", "rank", "bin_index", "port")
    dtypes = (np.int64, np.int8, np.int64, np.int32, np.int16)
    cols = {
        n: np.concatenate([c[n] for _, c in parts]).astype(d) if parts else np.zeros(0, d)
        for n, d in zip(names, dtypes, strict=True)
    }
    chosen = [bins[p][b] for p, b in zip(cols["port"].tolist(), cols["bin_index"].tolist(),
                                         strict=True)]
    return DrawResult(
        ticket=requests.ticket[cols["request"]], port=cols["port"], tier=cols["tier"],
        rank=cols["rank"], bin_index=cols["bin_index"], size=requests.size[cols["request"]],
        day=tuple(b.day for b in chosen), slot=tuple(b.slot for b in chosen),
        ports=tuple(summary for summary, _ in parts), bins_by_port=bins,
    )


def allocation_digest(result: DrawResult) -> str:
    """SHA-256 hex of the winners, canonically serialised, for reproducibility checks.

    Winners sorted by ticket ascending, one UTF-8 line each, fields joined by ","
    and the line ended by "\\n": ticket (decimal), port (decimal), tier name,
    rank (decimal), day (YYYY-MM-DD), slot (``time.isoformat()``: HH:MM:SS),
    size (decimal). No header; an empty draw hashes the empty string.
    """
    digest = hashlib.sha256()
    for w in sorted(result.winners(), key=lambda w: w.ticket):
        fields = (w.ticket, w.port, w.tier, w.rank, w.day.isoformat(), w.slot.isoformat(), w.size)
        digest.update((",".join(map(str, fields)) + "\n").encode())
    return digest.hexdigest()
