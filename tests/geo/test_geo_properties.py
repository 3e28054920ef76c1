"""Properties that must hold for any point, not just the hand-picked ones."""

from __future__ import annotations

import numpy as np
from geo_policies import POLICY_2023, POLICY_2024
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.geo.core import evaluate, evaluate_batch
from garita.geo.states import STATE_NAMES, canonical_state

lats = st.floats(min_value=10.0, max_value=35.0, allow_nan=False)
lons = st.floats(min_value=-120.0, max_value=-84.0, allow_nan=False)
nats = st.sampled_from(["VEN", "MEX", "cub", "Hti", "XYZ"])
points = st.lists(st.tuples(lats, lons, nats), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(points)
def test_batch_equals_scalar(polygon_locator, default_locator, pts):
    la = np.array([p[0] for p in pts])
    lo = np.array([p[1] for p in pts])
    na = [p[2] for p in pts]
    for locator in (polygon_locator, default_locator):
        batch = evaluate_batch(locator, POLICY_2024, la, lo, na)
        for i, (lat, lon, nat) in enumerate(pts):
            one = evaluate(locator, POLICY_2024, lat, lon, nat)
            assert (one.eligible, one.zone, one.state) == (
                batch.eligible[i], batch.zone[i], batch.state[i])
            assert one.eligible <= one.inside_mexico  # outside Mexico is never eligible


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(lats, lons), min_size=2, max_size=60))
def test_latitude_band_is_monotone_in_latitude(polygon_locator, pts):
    la = np.array([p[0] for p in pts])
    lo = np.array([p[1] for p in pts])
    verdict = evaluate_batch(polygon_locator, POLICY_2023, la, lo, "VEN")
    inside = verdict.state != None  # noqa: E711 (object array comparison)
    assert np.array_equal(verdict.eligible, inside & (la >= 19.0))
    order = np.argsort(la[inside], kind="stable")
    eligible_by_lat = verdict.eligible[inside][order]
    assert np.all(np.diff(eligible_by_lat.astype(int)) >= 0)  # never eligible → ineligible


@given(st.sampled_from(STATE_NAMES), st.lists(st.booleans(), min_size=30, max_size=30))
def test_canonical_state_ignores_case(name, flips):
    mangled = "".join(c.upper() if f else c.lower() for c, f in zip(name, flips, strict=False))
    assert canonical_state(mangled) == name
