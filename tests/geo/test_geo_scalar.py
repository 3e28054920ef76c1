"""The one-point path (request route) must answer exactly what the array path does.

``lookup_one``, ``locate_one``, ``_CompiledZone.contains`` and
``zones_by_nationality`` re-implement the array code in plain Python for speed;
these tests hold them to the array answers point by point, on random points over
and around Mexico, on exact grid-cell edges, in boundary cells (where the exact
GEOS test runs), on polygon vertices, and on NaN/inf.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.geo import evaluate as evaluate_module
from garita.geo.core import (
    NationalityZones,
    compile_policy,
    evaluate,
    evaluate_batch,
    locate_codes,
    locate_one,
)
from garita.geo.evaluate import _CompiledZone
from garita.geo.locators import names_of
from garita.policy.schemas import (
    AllMexico,
    EligibilityRule,
    LatitudeBand,
    Policy,
    Polygon,
    States,
)
from garita.policy.service import shipped_history

from geo_policies import make_policy  # isort: skip

TRIANGLE = {"type": "Polygon", "coordinates": [[[-105, 15], [-94, 17], [-100, 24], [-105, 15]]]}
# Every zone kind, a bounded band, lists naming several nationalities (one lower-case,
# which applies_to never matches: the scalar path must agree on that too).
SYNTHETIC = make_policy([
    EligibilityRule(nationalities=["VEN", "cub"], except_nationalities=["HTI"],
                    zones=[Polygon(name="triangle", geojson=TRIANGLE),
                           LatitudeBand(name="20-25", min_lat=20, max_lat=25)]),
    EligibilityRule(except_nationalities=["MEX"],
                    zones=[States(name="Chiapas, Tabasco", states=["CS", "TB"]),
                           LatitudeBand(name="20-25", min_lat=20, max_lat=25)]),
    EligibilityRule(nationalities=["MEX"], zones=[AllMexico()]),
])
POLICIES = {str(v.effective_from): v.policy for v in shipped_history()} | {"synthetic": SYNTHETIC}
NATIONALITIES = ["VEN", "mex", "cub", "HTI", "XXX"]  # mentioned any case, and not


@pytest.fixture(params=["polygon", "default"], scope="module")
def locator(request):
    return request.getfixturevalue(f"{request.param}_locator")


def grid_of(locator):
    return getattr(locator, "_grid", None) or locator._zones


def straddling(locator, rng, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of points a hair (~1e-14°) either side of where the batch answer changes:
    state lines, coasts and, for the default locator, edges between places' nearest
    regions. A scalar path that rounds differently even slightly answers differently
    on some of them."""
    lat, lon = rng.uniform(14, 33, 30 * n), rng.uniform(-118, -86, 30 * n)
    dlat, dlon = rng.normal(0, 0.05, (2, 30 * n))
    codes = locate_codes(locator, lat, lon)
    keep = np.flatnonzero(codes != locate_codes(locator, lat + dlat, lon + dlon))[:n]
    lat, lon, dlat, dlon, codes = lat[keep], lon[keep], dlat[keep], dlon[keep], codes[keep]
    low, high = np.zeros(len(keep)), np.ones(len(keep))
    for _ in range(45):  # bisect along each step to where the code changes
        mid = (low + high) / 2
        same = locate_codes(locator, lat + mid * dlat, lon + mid * dlon) == codes
        low, high = np.where(same, mid, low), np.where(same, high, mid)
    t = np.concatenate([low, high])
    return np.tile(lat, 2) + t * np.tile(dlat, 2), np.tile(lon, 2) + t * np.tile(dlon, 2)


@functools.cache
def points(locator) -> tuple[np.ndarray, np.ndarray]:
    """(lats, lons): random, grid edges and corners, boundary cells, vertices, specials,
    both sides of decision lines."""
    grid = grid_of(locator)
    rng = np.random.default_rng(20240823)
    lats, lons = [rng.uniform(10, 36, 3000)], [rng.uniform(-122, -82, 3000)]
    near = straddling(locator, rng)
    lats.append(near[0])
    lons.append(near[1])
    cells = rng.choice(grid._mixed_cells, 600)
    i, j = np.divmod(cells, grid.ny)
    for di, dj in [(0, 0), (0, 0.5), (0.5, 0), (1, 1)]:  # corners and mid-edges
        lons.append(grid.x0 + (i + di) * grid.res)
        lats.append(grid.y0 + (j + dj) * grid.res)
    lons.append(grid.x0 + (i + rng.random(600)) * grid.res)  # anywhere in boundary cells
    lats.append(grid.y0 + (j + rng.random(600)) * grid.res)
    vertices = shapely.get_coordinates(grid.geometries)
    vertices = vertices[rng.integers(0, len(vertices), 400)]  # on the boundary: contains is False
    lons.append(vertices[:, 0])
    lats.append(vertices[:, 1])
    far = grid.x0 + grid.nx * grid.res, grid.y0 + grid.ny * grid.res
    special = [(math.nan, -100.0), (20.0, math.nan), (math.nan, math.nan), (math.inf, -100.0),
               (20.0, -math.inf), (1e300, -1e300), (-0.0, -0.0), (grid.y0, grid.x0),
               (far[1], far[0]), (np.nextafter(far[1], 0), np.nextafter(far[0], 0))]
    lats.append(np.array([p[0] for p in special]))
    lons.append(np.array([p[1] for p in special]))
    # Exactly on zone edges: the policies' parallels, the triangle's corners and sides.
    edge_lons = np.linspace(-110, -90, 41)
    for lat in (19.0, 20.0, 25.0):
        lats.append(np.full(len(edge_lons), lat))
        lons.append(edge_lons)
    corners = np.array(TRIANGLE["coordinates"][0], dtype=float)
    sides = np.concatenate([corners, (corners[:-1] + corners[1:]) / 2])
    lats.append(sides[:, 1])
    lons.append(sides[:, 0])
    return np.concatenate(lats), np.concatenate(lons)


def test_lookup_one_equals_lookup(locator):
    grid = grid_of(locator)
    lats, lons = points(locator)
    batch = grid.lookup(lons, lats).tolist()
    assert [grid.lookup_one(x, y) for x, y in zip(lons, lats, strict=True)] == batch
    assert {-1, 0, len(grid.geometries) - 1} <= set(batch)  # the sample covers real cases
    i = np.floor((lons - grid.x0) / grid.res)
    j = np.floor((lats - grid.y0) / grid.res)
    in_grid = np.isfinite(i) & np.isfinite(j) & (i >= 0) & (i < grid.nx) & (j >= 0) & (
        j < grid.ny)
    cells = i[in_grid].astype(np.int64) * grid.ny + j[in_grid].astype(np.int64)
    assert np.isin(cells, grid._mixed_cells).sum() > 1000  # the exact GEOS path ran


def test_locate_one_equals_locate_codes(locator):
    lats, lons = points(locator)
    batch = locate_codes(locator, lats, lons).tolist()
    one = [locator.locate_one(lat, lon) for lat, lon in zip(lats, lons, strict=True)]
    assert one == batch
    assert all(type(code) is int for code in one)
    assert [locate_one(locator, lat, lon) for lat, lon in zip(lats, lons, strict=True)] == batch
    assert len(set(batch)) >= 30  # (nearly) every state, and "outside"


def open_zones(policy, nationality) -> list[int]:
    """Oracle for ``zones_for``: the rule-by-rule definition its lookup table replaced."""
    rule_zones = compile_policy(policy)._rule_zones
    return [z for rule, ids in zip(policy.eligible_area, rule_zones, strict=True)
            if rule.applies_to(nationality) for z in ids]


@pytest.mark.parametrize("name", list(POLICIES))
def test_zones_for_follows_the_rules(name):
    for nat in [*NATIONALITIES, "MEX", "Ven", "CUB", "*", "", "ÑÑÑ"]:
        assert compile_policy(POLICIES[name]).zones_for(nat) == open_zones(POLICIES[name], nat)


def _array_evaluate(locator, policy, lat, lon, nationality):
    """Oracle: the evaluate of before the scalar path, through length-1 arrays."""
    ev = compile_policy(policy)
    lats, lons = np.array([float(lat)]), np.array([float(lon)])
    codes = locate_codes(locator, lats, lons)
    state = names_of(codes)[0]
    nat, where, version = nationality.upper(), f"({lat:.4f}, {lon:.4f})", locator.version
    if state is None:
        reason = f"The location {where} is outside Mexico; only locations in Mexico qualify."
        return evaluate_module.Verdict(False, None, False, None, reason, version)
    zones = open_zones(policy, nat)
    if not zones:
        reason = f"No eligibility rule of this policy covers {nat} nationals ({state})."
        return evaluate_module.Verdict(True, state, False, None, reason, version)
    masks = ev._zone_masks(lats, lons, codes, zones)
    for z in zones:
        if masks[z][0]:
            name = ev._zones[z].name
            reason = f"{state} {where} is in the eligible area for {nat} nationals: {name}."
            return evaluate_module.Verdict(True, state, True, name, reason, version)
    names = "; ".join(dict.fromkeys(ev._zones[z].name for z in zones))
    reason = f"{state} {where} is outside the eligible area for {nat} nationals: {names}."
    return evaluate_module.Verdict(True, state, False, None, reason, version)


@pytest.mark.parametrize("name", list(POLICIES))
def test_evaluate_equals_batch_under_every_policy(locator, name):
    policy = POLICIES[name]
    lats, lons = points(locator)
    for nat in NATIONALITIES:
        batch = evaluate_batch(locator, policy, lats, lons, nat)
        for k, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
            one = evaluate(locator, policy, lat, lon, nat)
            assert (one.state, one.eligible, one.zone) == (
                batch.state[k], batch.eligible[k], batch.zone[k]), (lat, lon, nat)
            assert one.inside_mexico == (one.state is not None)
            if k % 25 == 0:  # the full verdict, reason included, against the old path
                assert one == _array_evaluate(locator, policy, lat, lon, nat)
        assert batch.eligible.any() and not batch.eligible.all()


@pytest.mark.parametrize("name", ["2023-05-10", "2024-08-23", "synthetic"])
def test_zones_by_nationality_equals_evaluate(locator, name):
    policy = POLICIES[name]
    ev = compile_policy(policy)
    mentioned = {n.upper() for r in policy.eligible_area
                 for n in (*r.nationalities, *r.except_nationalities)} - {"*"}
    lats, lons = points(locator)
    zones = {nat: evaluate_batch(locator, policy, lats, lons, nat).zone
             for nat in NATIONALITIES}
    states = names_of(locate_codes(locator, lats, lons))
    for k, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
        found = ev.zones_by_nationality(locator, lat, lon)
        assert isinstance(found, NationalityZones)
        assert (found.state, found.data_version) == (states[k], locator.version)
        assert set(found.named) == mentioned
        for nat in NATIONALITIES:
            assert found.zone_for(nat) == zones[nat][k], (lat, lon, nat)
        if found.state is None:
            assert found.other is None and set(found.named.values()) <= {None}
    for lat, lon in [(19.4326, -99.1332), (17.0732, -96.7266), (14.906, -92.264)]:
        found = ev.zones_by_nationality(locator, lat, lon)
        for nat in NATIONALITIES:
            assert found.zone_for(nat) == evaluate(locator, policy, lat, lon, nat).zone


def test_zones_by_nationality_locates_once_and_tests_each_zone_once(
        polygon_locator, monkeypatch):
    located, tested = [], []
    real_locate, real_contains = evaluate_module.locate_one, _CompiledZone.contains

    def counting_locate(*args):
        located.append(args)
        return real_locate(*args)

    def counting_contains(self, *args):
        tested.append(id(self))
        return real_contains(self, *args)

    monkeypatch.setattr(evaluate_module, "locate_one", counting_locate)
    monkeypatch.setattr(_CompiledZone, "contains", counting_contains)
    found = compile_policy(SYNTHETIC).zones_by_nationality(polygon_locator, 16.0, -92.5)
    assert (found.state, found.zone_for("VEN"), found.zone_for("mex")) == (
        "Chiapas", "Chiapas, Tabasco", "anywhere in Mexico")
    assert found.named["HTI"] == found.other == "Chiapas, Tabasco"
    assert len(located) == 1
    assert len(tested) == len(set(tested)) >= 3


def lat_lons(grid) -> st.SearchStrategy[tuple[float, float]]:
    """Grid-cell corners (and just off the grid), points around Mexico, any float."""
    corners = st.builds(lambda i, j: (grid.y0 + j * grid.res, grid.x0 + i * grid.res),
                        st.integers(-2, grid.nx + 2), st.integers(-2, grid.ny + 2))
    around = st.tuples(st.floats(10, 36), st.floats(-122, -82))
    return st.one_of(corners, around, st.tuples(st.floats(), st.floats()))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), nat=st.sampled_from(NATIONALITIES), name=st.sampled_from(list(POLICIES)))
def test_scalar_equals_batch_anywhere(polygon_locator, default_locator, data, nat, name):
    for locator in (polygon_locator, default_locator):
        grid = grid_of(locator)
        lat, lon = data.draw(lat_lons(grid))
        assert grid.lookup_one(lon, lat) == grid.lookup(np.array([lon]), np.array([lat]))[0]
        batch = evaluate_batch(locator, POLICIES[name], np.array([lat]), np.array([lon]), nat)
        one = evaluate(locator, POLICIES[name], lat, lon, nat)
        assert (one.state, one.eligible, one.zone) == (
            batch.state[0], batch.eligible[0], batch.zone[0])
        found = compile_policy(POLICIES[name]).zones_by_nationality(locator, lat, lon)
        assert found.zone_for(nat) == one.zone


def test_compile_policy_by_identity_skips_serialising(monkeypatch):
    policy = SYNTHETIC.model_copy(deep=True)
    calls = []
    real_dump = Policy.model_dump_json
    monkeypatch.setattr(Policy, "model_dump_json",
                        lambda self, **kw: calls.append(1) or real_dump(self, **kw))
    first = compile_policy(policy)
    assert (first is compile_policy(SYNTHETIC), len(calls)) == (True, 1)  # by value
    assert compile_policy(policy) is first and len(calls) == 1  # by identity: no JSON


def test_compile_policy_cache_is_bounded():
    copies = [SYNTHETIC.model_copy(deep=True) for _ in range(200)]
    evaluators = {id(compile_policy(p)) for p in copies}
    assert len(evaluators) == 1  # equal policies share one compiled evaluator
    assert len(evaluate_module._BY_ID) <= 64
    other = make_policy([EligibilityRule(zones=[AllMexico(name="elsewhere")])])
    assert compile_policy(other) is not compile_policy(SYNTHETIC)
