"""The offline default locator against the Natural Earth polygons, on 10,000 points."""

from __future__ import annotations

import json

import numpy as np
import shapely
from geo_policies import HISTORICAL, states_geojson

from garita.geo.agreement import agreement, sample_inside
from garita.geo.states import canonical_state


def test_default_locator_agrees_with_polygons(default_locator, polygon_locator):
    result = agreement(default_locator, polygon_locator, HISTORICAL)
    print("\ndefault locator vs Natural Earth:", *result.lines(), sep="\n  ")
    for key, share in result.eligibility.items():
        assert share >= 0.99, f"eligibility {key}: {share:.2%}"
    assert result.state >= 0.95, f"state named: {result.state:.2%}"


def test_polygon_locator_equals_plain_shapely(polygon_locator):
    """The raster-accelerated locator answers exactly what testing every polygon does."""
    path = states_geojson()
    features = json.loads(path.read_text("utf-8"))["features"]
    names = [canonical_state(f["properties"]["name"]) for f in features]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    lats, lons = sample_inside(polygon_locator, 10_000, seed=7)
    rng = np.random.default_rng(7)  # plus points anywhere in the bounding box
    lats = np.concatenate([lats, rng.uniform(14, 33, 10_000)])
    lons = np.concatenate([lons, rng.uniform(-119, -86, 10_000)])
    brute = np.full(len(lats), None, dtype=object)
    for name, geom in zip(names, geoms, strict=True):
        brute[shapely.contains_xy(geom, lons, lats)] = name
    assert list(polygon_locator.locate(lats, lons)) == list(brute)
    result = agreement(polygon_locator, polygon_locator, HISTORICAL)
    assert result.state == 1.0 and set(result.eligibility.values()) == {1.0}
