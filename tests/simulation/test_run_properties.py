"""Properties of whole (short) runs over random demand (hypothesis): no port-day takes more
persons than its places allow, a registration holds one appointment at a time, and the
daily series adds up."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.policy.ports import PORT_CODES
from garita.simulation import core, engine
from garita.simulation.scenario import Demand, RatePeriod, Scenario

START = dt.date(2024, 8, 18)


@settings(max_examples=8, deadline=None)
@given(per_day=st.integers(50, 3000), ask=st.floats(0.05, 1.0), used=st.floats(0.3, 1.0),
       confirm=st.floats(0.0, 1.0), seed=st.integers(0, 2**31))
def test_places_are_never_exceeded(per_day, ask, used, confirm, seed):
    demand = Demand(registrations=[RatePeriod(since=START, per_day=per_day)],
                    request_probability=ask, capacity_used=used, confirm_rate=confirm)
    scenario = Scenario(name="prop", start=START, end=START + dt.timedelta(days=12),
                        seed=seed, demand=demand)
    run = engine.simulate(scenario)
    pop = run.population
    assert pop is not None and run.appointment is not None
    booked = run.appointment[: run.registered] >= 0
    days = run.appointment[: run.registered][booked]
    ports = pop.port[: run.registered][booked]
    persons = pop.size[: run.registered][booked].astype(np.int64)
    policies = engine.Timeline(scenario)
    for day, port in set(zip(days.tolist(), ports.tolist(), strict=True)):
        when = START + dt.timedelta(days=day)
        places = round(policies(when).port_capacity[PORT_CODES[port]] * used)
        taken = int(persons[(days == day) & (ports == port)].sum())
        # the group-fair rule may pass a port's places by the last group (≤ 10 − 1)
        assert taken <= places + 9, (when, PORT_CODES[port], taken, places)
    daily = core.daily_frame(run.daily)
    assert int(daily["appointments"].sum()) >= int(persons.sum())  # no-shows drop out
    assert (daily["appointments"] + daily["lapsed_persons"] == daily["offered_persons"]).all()
    assert (daily["eligible_requests"] + daily["refused_geofence"] == daily["requests"]).all()
