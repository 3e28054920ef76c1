"""Geofence throughput and accuracy: ``python bench/bench_geofence.py [N]``.

Prints, for the Natural Earth polygon locator and the offline default locator:
build time, points/s of the batch path (locate + evaluate, mixed nationalities)
on N points (default 1,000,000) inside Mexico and in Mexico's bounding box, and
the default locator's agreement with the polygons. Needs shared/data (or
GARITA_SHARED_DATA) for the Natural Earth file.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "geo"))

from geo_policies import HISTORICAL

from garita.geo.agreement import agreement, sample_inside
from garita.geo.core import evaluate_batch
from garita.geo.locators import DefaultLocator, PolygonLocator


def _data() -> Path:
    env = os.environ.get("GARITA_SHARED_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    return (base / "mexico_states.geojson").resolve()


def _rate(locator, lats, lons, nats, policy, repeat: int = 3) -> float:
    evaluate_batch(locator, policy, lats[:1000], lons[:1000], nats[:1000])  # warm
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        evaluate_batch(locator, policy, lats, lons, nats)
        best = min(best, time.perf_counter() - start)
    return len(lats) / best


def main(n: int = 1_000_000) -> None:
    start = time.perf_counter()
    truth = PolygonLocator.from_geojson(_data())
    print(f"polygon locator built in {time.perf_counter() - start:.2f} s: {truth.version}")
    start = time.perf_counter()
    default = DefaultLocator()
    print(f"default locator built in {time.perf_counter() - start:.2f} s: {default.version}")

    rng = np.random.default_rng(1)
    nats = rng.choice(np.array(["VEN", "CUB", "HTI", "MEX", "HND", "COL"]), n)
    inside = sample_inside(truth, n, seed=2)
    box = (rng.uniform(14.5, 32.75, n), rng.uniform(-118.4, -86.7, n))
    policy = HISTORICAL["2024-08-23"]
    for name, locator in (("polygon", truth), ("default", default)):
        for where, (lats, lons) in (("inside Mexico", inside), ("bounding box", box)):
            rate = _rate(locator, lats, lons, nats, policy)
            print(f"{name:8} {where:14} {rate / 1e6:6.2f} M points/s  (n={n:,})")

    for size, seed in ((10_000, 20230512), (100_000, 1)):
        result = agreement(default, truth, HISTORICAL, n=size, seed=seed)
        print(f"default vs Natural Earth, {size:,} points inside Mexico (seed {seed}):")
        for line in result.lines():
            print(f"  {line}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
