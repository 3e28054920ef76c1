"""Properties of the simulation's draw step over any day's requests (hypothesis).

The places kept by the simulation (`draws.Places`) go down exactly by the persons
seated; a port-day never takes more than its places plus the largest group minus one
(the group-fair rule's one allowed overshoot: nobody is skipped for being large);
when everyone asking fits, everyone is selected; a group is never split.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.draw import core
from garita.policy.ports import PORT_CODES
from garita.policy.service import shipped_history
from garita.simulation import draws

DAY = dt.date(2024, 7, 10)
BASE = next(v.policy for v in reversed(shipped_history()) if v.effective_from <= DAY)


def _policy(capacity: dict[int, int], share: float):
    return BASE.model_copy(update={
        "port_capacity": {p: capacity.get(i, 0) for i, p in enumerate(PORT_CODES)},
        "longest_waiting_share": share})


requests_strategy = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 10),
                                       st.integers(0, 400)), min_size=0, max_size=120)


@settings(max_examples=60, deadline=None)
@given(asks=requests_strategy, caps=st.lists(st.integers(0, 60), min_size=3, max_size=3),
       share=st.sampled_from([0.0, 0.3, 0.5, 1.0]), seed=st.binary(min_size=1, max_size=8))
def test_places_are_kept_and_groups_whole(asks, caps, share, seed):
    policy = _policy(dict(enumerate(caps)), share)
    places = draws.Places(lambda day: policy)
    requests = core.DrawRequests(
        ticket=np.arange(1, len(asks) + 1, dtype=np.uint64),
        port=np.array([a[0] for a in asks], np.int64),
        size=np.array([a[1] for a in asks], np.int64),
        registered_at=np.array([a[2] * 86_400 for a in asks], np.int64))
    result = draws.run_draw(policy, DAY, requests, places, seed)

    assert len(set(result.ticket.tolist())) == len(result)  # one offer per request
    asked = dict(zip(requests.ticket.tolist(), requests.size.tolist(), strict=True))
    assert all(asked[t] == s for t, s in zip(result.ticket.tolist(), result.size.tolist(),
                                              strict=True))  # whole groups, never split
    days = sorted(set(result.day))
    for port in range(3):
        mine = result.port == port
        for day in days:
            on_day = mine & np.array([d == day for d in result.day])
            seated = int(result.size[on_day].sum())
            assert seated <= caps[port] + 9  # places + (largest group − 1)
            free = places.day(day, len(policy.slots))[port]
            assert int(free.sum()) == caps[port] - seated  # the simulation kept the count
        wanted = int(requests.size[requests.port == port].sum())
        if wanted <= sum(b.free for b in result.bins_by_port.get(port, ())):
            assert int(mine.sum()) == int((requests.port == port).sum())  # everyone fits
