"""Hand-checked cases for the pure draw core (garita.draw.core) under the ``first-fit`` rule.

That rule drew every day before ``group-fair``; its publications must verify for ever,
so it keeps its own tests. The default rule is tested in ``test_group_fair``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction
from functools import partial

import numpy as np
import pytest

from garita.draw import core
from garita.draw.core import (
    FIRST_FIT,
    LONGEST_WAITING,
    RANDOM,
    Bin,
    DrawRequests,
    allocation_digest,
    draw_key,
    draw_keys,
    longest_waiting_budget,
    seed_key,
)
from garita.draw.walk import LazyOrder, fill_tier

draw = partial(core.draw, rule=FIRST_FIT)

DAY = dt.date(2024, 7, 18)
SEED = b"unit-test-seed"


def requests(sizes, registered_at=None, port=None, ticket=None) -> DrawRequests:
    n = len(sizes)
    return DrawRequests(
        ticket=np.arange(1, n + 1) if ticket is None else ticket,
        port=np.zeros(n, int) if port is None else port,
        size=sizes,
        registered_at=np.arange(n) if registered_at is None else registered_at,
    )


def bins(*free: int, day: dt.date = DAY) -> list[Bin]:
    return [Bin(day, dt.time(8 + i), f) for i, f in enumerate(free)]


def by_tier(result, tier: str) -> list[int]:
    return [w.ticket for w in result.winners() if w.tier == tier]


# --- draw keys ------------------------------------------------------------------------


def test_draw_keys_match_scalar_reference_and_pinned_vector():
    tickets = np.array([0, 1, 2, 2**63, 2**64 - 1], dtype=np.uint64)
    keys = draw_keys(b"seed", tickets)
    assert keys.dtype == np.uint64
    assert keys.tolist() == [draw_key(b"seed", int(t)) for t in tickets.tolist()]
    # Pinned so an accidental change of the published algorithm fails loudly.
    assert seed_key(b"seed") == int.from_bytes(
        hashlib.sha256(b"garita-draw-key-v1\x00seed").digest()[:8], "big"
    )
    assert draw_key(b"s", 1) == 1000060722655032726


def test_draw_keys_are_elementwise_and_not_the_commitment():
    tickets = np.arange(1000, dtype=np.uint64)
    keys = draw_keys(SEED, tickets)
    perm = np.random.default_rng(0).permutation(1000)
    assert np.array_equal(draw_keys(SEED, tickets[perm]), keys[perm])
    assert np.unique(keys).size == 1000  # a bijection: no ties
    commitment = hashlib.sha256(SEED).digest()
    assert seed_key(SEED) != int.from_bytes(commitment[:8], "big")


def test_seed_must_be_bytes():
    with pytest.raises(ValueError, match="seed must be bytes"):
        draw_keys("text", np.arange(3, dtype=np.uint64))


# --- validation -----------------------------------------------------------------------


def test_requests_reject_unequal_lengths():
    with pytest.raises(ValueError, match="equal lengths"):
        DrawRequests(ticket=[1, 2], port=[0], size=[1, 1], registered_at=[0, 0])


def test_requests_reject_size_zero():
    with pytest.raises(ValueError, match=r"size must lie in \[1"):
        requests([1, 0, 2])


def test_requests_reject_duplicate_tickets():
    with pytest.raises(ValueError, match="tickets must be unique.*7"):
        requests([1, 1, 1], ticket=[7, 8, 7])


def test_requests_reject_negative_ticket_and_float_sizes():
    with pytest.raises(ValueError, match="non-negative"):
        requests([1, 1], ticket=np.array([-1, 2]))
    with pytest.raises(ValueError, match="integers"):
        requests([1.5, 2.0])


def test_requests_are_private_read_only_copies():
    sizes = np.array([1, 2, 3])
    req = requests(sizes)
    sizes[0] = 9
    assert req.size.tolist() == [1, 2, 3]
    with pytest.raises(ValueError):
        req.size[0] = 5


def test_bin_and_share_validation():
    with pytest.raises(ValueError, match="negative"):
        Bin(DAY, dt.time(8), -1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        draw(requests([1]), {0: bins(1)}, 1.5, SEED)
    with pytest.raises(ValueError, match="Bin instances"):
        draw(requests([1]), {0: [(DAY, dt.time(8), 1)]}, 0.5, SEED)


def test_budget_is_exact_decimal():
    assert longest_waiting_budget(0.3, 10) == 3
    assert longest_waiting_budget(0.29, 100) == 29  # float 0.29 * 100 == 28.999...
    assert longest_waiting_budget(0.3, 1450) == 435
    assert longest_waiting_budget(Fraction(1, 3), 10) == 3
    assert longest_waiting_budget(1, 7) == 7


# --- the rule -------------------------------------------------------------------------


def test_budget_overflowing_group_is_skipped_and_next_fits():
    # budget floor(0.5 * 10) = 5: ticket 1 (size 3) fits, ticket 2 (size 4) would make 7,
    # skipped; ticket 3 (size 2) makes 5. Ticket 2 then competes in the random tier.
    result = draw(requests([3, 4, 2, 1]), {0: bins(10)}, 0.5, SEED)
    assert by_tier(result, LONGEST_WAITING) == [1, 3]
    assert sorted(by_tier(result, RANDOM)) == [2, 4]
    summary = result.summary(0)
    assert (summary.budget_longest_waiting, summary.allocated_longest_waiting) == (5, 5)
    assert [w.rank for w in result.winners() if w.tier == LONGEST_WAITING] == [1, 3]


def test_group_of_six_is_never_split_over_two_bins_of_three():
    result = draw(requests([6]), {0: bins(3, 3)}, 1, SEED)
    assert len(result) == 0
    assert result.summary(0).places_left == 6


def test_group_goes_to_first_bin_with_room_in_given_order():
    later = bins(4, day=DAY + dt.timedelta(days=1))
    result = draw(requests([2, 3, 2]), {0: bins(2, 3) + later}, 1, SEED)
    placed = {w.ticket: (w.day, w.slot) for w in result.winners()}
    assert placed == {
        1: (DAY, dt.time(8)),
        2: (DAY, dt.time(9)),
        3: (DAY + dt.timedelta(days=1), dt.time(8)),
    }
    assert result.bin_index.tolist() == [0, 1, 2]


def test_share_zero_is_all_random():
    result = draw(requests([1] * 20), {0: bins(5)}, 0, SEED)
    assert by_tier(result, LONGEST_WAITING) == []
    assert len(by_tier(result, RANDOM)) == 5
    keys = {t: draw_key(SEED, t) for t in range(1, 21)}
    assert by_tier(result, RANDOM) == sorted(keys, key=keys.get)[:5]
    assert result.rank.tolist() == [1, 2, 3, 4, 5]


def test_share_one_is_all_longest_waiting_by_registration():
    registered = [50, 10, 30, 20, 40]
    result = draw(requests([1] * 5, registered_at=registered), {0: bins(3)}, 1, SEED)
    assert by_tier(result, LONGEST_WAITING) == [2, 4, 3]
    assert by_tier(result, RANDOM) == []


def test_registration_ties_are_broken_by_key():
    result = draw(requests([1] * 6, registered_at=[0] * 6), {0: bins(2)}, 1, SEED)
    keys = {t: draw_key(SEED, t) for t in range(1, 7)}
    assert by_tier(result, LONGEST_WAITING) == sorted(keys, key=keys.get)[:2]


def test_ports_are_independent_and_port_without_places_gets_none():
    req = requests([1, 1, 1, 1], port=[0, 1, 2, 2])
    result = draw(req, {0: bins(5), 1: bins(5)}, 0.5, SEED)
    assert sorted(result.ticket.tolist()) == [1, 2]
    summary = result.summary(2)
    assert (summary.places, summary.requests, summary.allocated) == (0, 2, 0)
    assert [s.port for s in result.ports] == [0, 1, 2]


def test_no_requests_gives_empty_result_with_summaries():
    result = draw(requests([]), {0: bins(5)}, 0.3, SEED)
    assert len(result) == 0
    assert result.summary(0).places == 5
    assert allocation_digest(result) == hashlib.sha256(b"").hexdigest()


def test_different_seed_gives_different_winners():
    req = requests(list(np.random.default_rng(1).integers(1, 4, 500)))
    a = draw(req, {0: bins(10, 10)}, 0.3, b"seed-a")
    b = draw(req, {0: bins(10, 10)}, 0.3, b"seed-b")
    assert by_tier(a, LONGEST_WAITING) == by_tier(b, LONGEST_WAITING)  # no ties to break
    assert by_tier(a, RANDOM) != by_tier(b, RANDOM)
    assert allocation_digest(a) != allocation_digest(b)


def test_digest_is_pinned_for_a_small_draw():
    # Budget floor(0.5 * 3) = 1: ticket 1 (size 2) is skipped, ticket 2 (size 1) wins rank 2.
    # Random tier: key(1) < key(3); ticket 1 fills the 2 places left, ticket 3 fits nowhere.
    # The digest is pinned: change the serialisation only together with the verifier.
    result = draw(requests([2, 1, 3]), {0: bins(3)}, 0.5, b"seed")
    assert draw_key(b"seed", 1) < draw_key(b"seed", 3)
    canonical = (
        "1,0,random,1,2024-07-18,08:00:00,2\n"
        "2,0,longest_waiting,2,2024-07-18,08:00:00,1\n"
    )
    expected = hashlib.sha256(canonical.encode()).hexdigest()
    assert allocation_digest(result) == expected
    assert expected == "29d4a2d5fa4a30ae1e87e873a30de36720a8d026be71f55ad6c5530a68b9d8e7"


def test_winners_records_and_columns_agree():
    result = draw(requests([1, 2, 1]), {0: bins(4)}, 0.5, SEED)
    records = result.winners()
    assert [w.ticket for w in records] == result.ticket.tolist()
    assert [w.tier for w in records] == result.tier_names
    assert result == draw(requests([1, 2, 1]), {0: bins(4)}, 0.5, SEED)


# --- the fast walk equals the plain walk, across chunk boundaries -----------------------


@pytest.mark.parametrize("first_chunk", [1, 2, 3, 5, 1000])
def test_lazy_order_chunks_do_not_change_the_walk(first_chunk):
    rng = np.random.default_rng(7)
    sizes = rng.integers(1, 11, 300).astype(np.int16)
    primary = rng.integers(0, 40, 300)  # many ties
    secondary = rng.permutation(300).astype(np.uint64)
    full = np.lexsort((secondary, primary))
    order = LazyOrder(np.arange(300), primary, secondary, first_chunk)
    chunks = []
    while not order.exhausted:
        chunks.append(order.next_chunk())
    assert np.array_equal(np.concatenate(chunks), full)

    free = [7, 1, 9, 4]
    got = fill_tier(LazyOrder(np.arange(300), primary, secondary, first_chunk), sizes, free, 15)
    ref_free, ref = [7, 1, 9, 4], []
    left = 15
    for rank, i in enumerate(full.tolist(), 1):
        s = int(sizes[i])
        fit = next((b for b, f in enumerate(ref_free) if f >= s), None)
        if s <= left and fit is not None:
            ref_free[fit] -= s
            left -= s
            ref.append((i, rank, fit))
    assert list(zip(got.index.tolist(), got.rank.tolist(), got.bin_index.tolist(),
                    strict=True)) == ref
    assert free == ref_free
