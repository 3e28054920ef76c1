"""How often a locator agrees with a reference (authoritative) locator.

Used by the agreement test and the benchmark, and useful before switching the
service from one boundary source to another: it says how many verdicts would change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from garita.geo.evaluate import evaluate_batch
from garita.geo.locators import PolygonLocator, StateLocator, locate_codes


def sample_inside(truth: PolygonLocator, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform (in degrees) inside the truth's union of states."""
    rng = np.random.default_rng(seed)
    lats, lons = [], []
    have = 0
    while have < n:
        lat = rng.uniform(14.5, 32.75, 4 * n)
        lon = rng.uniform(-118.4, -86.7, 4 * n)
        keep = locate_codes(truth, lat, lon) >= 0
        lats.append(lat[keep])
        lons.append(lon[keep])
        have += int(keep.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]


@dataclass
class Agreement:
    state: float
    eligibility: dict[str, float]  # "<policy> <nationality>" → share agreeing

    def lines(self) -> list[str]:
        rows = [f"state named: {self.state:.2%}"]
        rows += [f"eligible {key}: {share:.2%}" for key, share in self.eligibility.items()]
        return rows


def agreement(locator: StateLocator, truth: PolygonLocator, policies: dict, n: int = 10_000,
              seed: int = 20230512) -> Agreement:
    lats, lons = sample_inside(truth, n, seed)
    state = float(np.mean(locator.locate(lats, lons) == truth.locate(lats, lons)))
    shares = {}
    for label, policy in policies.items():
        for nat in ("VEN", "MEX"):
            got = evaluate_batch(locator, policy, lats, lons, nat).eligible
            want = evaluate_batch(truth, policy, lats, lons, nat).eligible
            shares[f"{label} {nat}"] = float(np.mean(got == want))
    return Agreement(state, shares)
