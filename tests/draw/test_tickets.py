"""One request's ticket (the hot route) equals the batch computation (publications)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from garita.draw.pseudonyms import ticket, tickets


@given(key=st.binary(min_size=32, max_size=32),
       ids=st.lists(st.integers(1, 2**63 - 1), min_size=1, max_size=20))
def test_single_ticket_matches_the_batch(key, ids):
    assert [ticket(key, i) for i in ids] == [int(t) for t in tickets(key, np.array(ids))]
