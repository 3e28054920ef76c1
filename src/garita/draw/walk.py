"""Rule ``first-fit``: ordered groups into ordered bins — fast, yet identical to the plain walk.

Every draw before the ``group-fair`` rule (`prefix`) ran under this one, and its
publications verify under it for ever; new draws no longer use it.

The rule (DESIGN §2-3, one tier at one port) is a sequential walk: take the
candidates in their order; put each group in the first bin with enough free
places if the tier's budget allows it, otherwise skip it. Walking a million
candidates in Python is too slow, so this module computes the same result
from two observations:

* ``limit = min(largest free bin, budget left)`` never grows. A candidate with
  ``size <= limit`` at its turn is always placed (some bin fits it and the
  budget allows it); a candidate with ``size > limit`` is skipped, and would
  be skipped at any later turn too. So the walk is "repeatedly take the next
  candidate whose size is <= limit", and there is one step per *winner*.
* Only a prefix of the order is ever reached, so the order is produced in
  complete prefixes (`LazyOrder`): partition, sort the small part, extend
  only when the walk runs out of candidates.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

_NONE = 1 << 62  # "no candidate left" sentinel, larger than any position


class LazyOrder:
    """Candidate indices sorted by (primary, secondary), handed out in growing prefixes.

    Each chunk holds every remaining candidate whose primary value is <= a
    threshold, sorted, so the concatenated chunks are exactly the full sort.
    ``secondary=None`` means primary values are unique (draw keys).
    """

    def __init__(self, candidates, primary, secondary=None, first_chunk: int = 1024) -> None:
        self.remaining = np.asarray(candidates, dtype=np.int64)
        self._primary = primary
        self._secondary = secondary
        self._chunk = max(int(first_chunk), 1)

    @property
    def exhausted(self) -> bool:
        return self.remaining.size == 0

    def next_chunk(self) -> np.ndarray:
        """The next complete prefix of the order (empty once exhausted)."""
        rest = self.remaining
        values = self._primary[rest]
        if self._chunk < rest.size:
            threshold = np.partition(values, self._chunk - 1)[self._chunk - 1]
            take = values <= threshold
            chunk, self.remaining = rest[take], rest[~take]
        else:
            chunk, self.remaining = rest, rest[:0]
        self._chunk *= 4
        return chunk[self._sort(chunk)]

    def _sort(self, chunk: np.ndarray) -> np.ndarray:
        if self._secondary is None:
            return np.argsort(self._primary[chunk])
        return np.lexsort((self._secondary[chunk], self._primary[chunk]))


@dataclass
class TierFill:
    """Winners of one tier at one port: candidate index, 1-based rank, bin index, persons."""

    index: np.ndarray
    rank: np.ndarray
    bin_index: np.ndarray
    persons: int


def fill_tier(order: LazyOrder, sizes: np.ndarray, free: list[int], budget: int) -> TierFill:
    """Walk `order` first-fit into `free` (mutated) spending at most `budget` persons."""
    index, rank, bins = [], [], []
    offset, left = 0, budget
    while _limit(free, left) >= 1 and not order.exhausted:
        chunk = order.next_chunk()
        positions, chunk_bins, left = walk_segment(sizes[chunk], free, left)
        index.append(chunk[positions])
        rank.append(np.asarray(positions, dtype=np.int64) + offset + 1)
        bins.extend(chunk_bins)
        offset += chunk.size
        if order.exhausted or sizes[order.remaining].min() > _limit(free, left):
            break
    return TierFill(
        index=np.concatenate(index) if index else np.zeros(0, np.int64),
        rank=np.concatenate(rank) if rank else np.zeros(0, np.int64),
        bin_index=np.asarray(bins, dtype=np.int32),
        persons=budget - left,
    )


def _limit(free: list[int], budget_left: int) -> int:
    """Largest group that could still be placed."""
    return min(max(free, default=0), budget_left)


def walk_segment(sizes: np.ndarray, free: list[int], budget_left: int):
    """Walk one ordered segment; return (positions placed, their bins, budget left).

    Positions are grouped by size once (a stable sort keeps each group in walk
    order); each step picks the earliest head among sizes <= limit.
    """
    if sizes.size == 0:
        return [], [], budget_left
    by_size = np.argsort(sizes, kind="stable")
    sorted_sizes = sizes[by_size]
    starts = np.flatnonzero(np.r_[True, sorted_sizes[1:] != sorted_sizes[:-1]])
    ends = np.r_[starts[1:], sizes.size].tolist()
    values = sorted_sizes[starts].tolist()
    pointer = starts.tolist()
    head = [int(by_size[p]) for p in pointer]
    positions, bins = [], []
    while values:
        usable = bisect_right(values, _limit(free, budget_left))
        if usable == 0:
            break
        group = min(range(usable), key=head.__getitem__)
        if head[group] == _NONE:
            break
        size = values[group]
        slot = next(i for i, f in enumerate(free) if f >= size)
        free[slot] -= size
        budget_left -= size
        positions.append(head[group])
        bins.append(slot)
        pointer[group] += 1
        head[group] = int(by_size[pointer[group]]) if pointer[group] < ends[group] else _NONE
    return positions, bins, budget_left
