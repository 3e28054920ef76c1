"""Hypothesis properties of the draw core's ``first-fit`` rule over random requests and bins.

The strongest one replays the rule as written (a plain Python walk, one
candidate at a time) and demands the identical result; the others state the
guarantees the scheme promises in words an auditor would use.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from fractions import Fraction
from functools import partial
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.draw import core
from garita.draw.core import (
    FIRST_FIT,
    LONGEST_WAITING,
    RANDOM,
    Bin,
    DrawRequests,
    allocation_digest,
    draw_key,
)
from garita.draw.walk import LazyOrder

draw = partial(core.draw, rule=FIRST_FIT)

DAY = dt.date(2024, 7, 18)
PORTS = 3


@st.composite
def draws(draw_, max_requests: int = 60):
    """(requests, bins_by_port, share, seed) with small registration ranges, so ties happen."""
    n = draw_(st.integers(0, max_requests))
    tickets = draw_(st.lists(st.integers(0, 2**64 - 1), min_size=n, max_size=n, unique=True))
    columns = {
        "ticket": np.array(tickets, dtype=np.uint64),
        "port": np.array(draw_(st.lists(st.integers(0, PORTS - 1), min_size=n, max_size=n))),
        "size": np.array(draw_(st.lists(st.integers(1, 10), min_size=n, max_size=n))),
        "registered_at": np.array(draw_(st.lists(st.integers(0, 15), min_size=n, max_size=n))),
    }
    bins = {}
    for port in range(PORTS):
        free = draw_(st.lists(st.integers(0, 14), max_size=6))
        bins[port] = [
            Bin(DAY + dt.timedelta(days=i // 3), dt.time(8 + i % 3), f) for i, f in enumerate(free)
        ]
    share = draw_(st.sampled_from([0, 0.1, 0.3, 0.5, 0.75, 1]) | st.fractions(0, 1))
    seed = draw_(st.binary(min_size=1, max_size=16))
    return DrawRequests(**columns), bins, share, seed


def reference_draw(req: DrawRequests, bins_by_port, share, seed) -> set[tuple]:
    """The rule exactly as specified, one candidate at a time, in plain Python."""
    keys = [draw_key(seed, t) for t in req.ticket.tolist()]
    size, reg = req.size.tolist(), req.registered_at.tolist()
    exact = Fraction(repr(share)) if isinstance(share, float) else Fraction(share)
    winners = set()
    for port, bins in bins_by_port.items():
        members = [i for i, p in enumerate(req.port.tolist()) if p == port]
        free = [b.free for b in bins]
        budget = math.floor(exact * sum(free))
        tier1 = sorted(members, key=lambda i: (reg[i], keys[i]))
        chosen = _walk(tier1, size, free, budget)
        tier2 = sorted((i for i in members if i not in chosen), key=keys.__getitem__)
        for tier, picks in ((LONGEST_WAITING, chosen), (RANDOM, _walk(tier2, size, free, None))):
            for i, (rank, b) in picks.items():
                ticket = int(req.ticket[i])
                winners.add((ticket, port, tier, rank, bins[b].day, bins[b].slot, size[i]))
    return winners


def _walk(order, size, free, budget):
    picks, used = {}, 0
    for rank, i in enumerate(order, 1):
        if budget is not None and used + size[i] > budget:
            continue
        fit = next((b for b, f in enumerate(free) if f >= size[i]), None)
        if fit is not None:
            free[fit] -= size[i]
            used += size[i]
            picks[i] = (rank, fit)
    return picks


def as_rows(result) -> set[tuple]:
    return {(w.ticket, w.port, w.tier, w.rank, w.day, w.slot, w.size) for w in result.winners()}


def remaining_free(result, bins_by_port) -> dict[int, list[int]]:
    free = {p: [b.free for b in bins] for p, bins in bins_by_port.items()}
    for port, b, size in zip(result.port.tolist(), result.bin_index.tolist(),
                             result.size.tolist(), strict=True):
        free[port][b] -= size
    return free


@settings(max_examples=300, deadline=None)
@given(draws())
def test_matches_the_rule_replayed_one_candidate_at_a_time(case):
    req, bins, share, seed = case
    assert as_rows(draw(req, bins, share, seed)) == reference_draw(req, bins, share, seed)


class TinyChunks(LazyOrder):
    """Forces many prefix extensions, the path that large real draws rarely take."""

    def __init__(self, candidates, primary, secondary=None, first_chunk: int = 1) -> None:
        super().__init__(candidates, primary, secondary, first_chunk=1)


@settings(max_examples=200, deadline=None)
@given(draws())
def test_tiny_prefix_chunks_give_the_same_result(case):
    req, bins, share, seed = case
    with mock.patch.object(core, "LazyOrder", TinyChunks):
        chunked = draw(req, bins, share, seed)
    assert chunked == draw(req, bins, share, seed)
    assert as_rows(chunked) == reference_draw(req, bins, share, seed)


@settings(max_examples=200, deadline=None)
@given(draws())
def test_capacity_never_exceeded_and_groups_never_split(case):
    req, bins, share, seed = case
    result = draw(req, bins, share, seed)
    for port, free in remaining_free(result, bins).items():
        assert min(free, default=0) >= 0, f"bin over capacity at port {port}"
    for port, b, size in zip(result.port.tolist(), result.bin_index.tolist(),
                             result.size.tolist(), strict=True):
        assert size <= bins[port][b].free  # one group, one bin
    assert len(set(result.ticket.tolist())) == len(result)  # nobody selected twice
    for summary in result.ports:
        assert summary.allocated_longest_waiting <= summary.budget_longest_waiting
        assert summary.allocated <= summary.places


@settings(max_examples=200, deadline=None)
@given(draws())
def test_no_place_left_that_an_unselected_request_could_take(case):
    req, bins, share, seed = case
    result = draw(req, bins, share, seed)
    free = remaining_free(result, bins)
    selected = set(result.ticket.tolist())
    for ticket, port, size in zip(req.ticket.tolist(), req.port.tolist(), req.size.tolist(),
                                  strict=True):
        if ticket not in selected:
            assert size > max(free.get(port, []), default=0)


@settings(max_examples=150, deadline=None)
@given(draws(), st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_input_order(case, rnd):
    req, bins, share, seed = case
    first = draw(req, bins, share, seed)
    again = draw(req, bins, share, seed)
    perm = np.array(rnd.sample(range(len(req)), len(req)), dtype=np.int64)
    shuffled = DrawRequests(
        ticket=req.ticket[perm], port=req.port[perm], size=req.size[perm],
        registered_at=req.registered_at[perm],
    )
    permuted = draw(shuffled, bins, share, seed)
    assert first == again == permuted
    assert allocation_digest(first) == allocation_digest(again) == allocation_digest(permuted)


@settings(max_examples=200, deadline=None)
@given(draws())
def test_longest_waiting_tier_passes_over_someone_only_when_they_could_not_fit(case):
    """Replay tier 1 in its published order: an earlier-registered request missing from
    the tier while a later one is in it must not have fitted (budget or bins) at its turn."""
    req, bins, share, seed = case
    result = draw(req, bins, share, seed)
    lw = {
        (p, r): (t, s) for t, p, r, s, tier in zip(
            result.ticket.tolist(), result.port.tolist(), result.rank.tolist(),
            result.size.tolist(), result.tier.tolist(), strict=True,
        ) if tier == 0
    }
    index = {t: i for i, t in enumerate(req.ticket.tolist())}
    keys = {t: draw_key(seed, t) for t in index}
    for port, port_bins in bins.items():
        order = sorted((t for t in index if req.port[index[t]] == port),
                       key=lambda t: (int(req.registered_at[index[t]]), keys[t]))
        free = [b.free for b in port_bins]
        summary = result.summary(port)
        left = summary.budget_longest_waiting
        for rank, ticket in enumerate(order, 1):
            size = int(req.size[index[ticket]])
            fits = size <= left and any(f >= size for f in free)
            assert ((port, rank) in lw) == fits
            if fits:
                assert lw[(port, rank)] == (ticket, size)
                b = next(i for i, f in enumerate(free) if f >= size)
                free[b] -= size
                left -= size


@settings(max_examples=100, deadline=None)
@given(draws(max_requests=200))
def test_summaries_add_up(case):
    req, bins, share, seed = case
    result = draw(req, bins, share, seed)
    totals = defaultdict(lambda: [0, 0])
    for port, tier, size in zip(result.port.tolist(), result.tier.tolist(),
                                result.size.tolist(), strict=True):
        totals[port][tier] += size
    for s in result.ports:
        assert [s.allocated_longest_waiting, s.allocated_random] == totals.get(s.port, [0, 0])
        members = req.port == s.port
        assert s.requests == int(members.sum())
        assert s.persons_requested == int(req.size[members].sum())
        assert s.places == sum(b.free for b in bins.get(s.port, []))
