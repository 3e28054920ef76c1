"""Unit tests of the pure core: locators on known places, zone evaluation, batch API."""

from __future__ import annotations

import numpy as np
import pytest
from geo_policies import POLICY_2023, POLICY_2024, make_policy

from garita.geo.core import (
    PolicyEvaluator,
    StateLocator,
    Verdict,
    compile_policy,
    evaluate,
    evaluate_batch,
)
from garita.policy.schemas import AllMexico, EligibilityRule, LatitudeBand, Polygon, States

CITIES = [  # (place, lat, lon, state or None = outside Mexico)
    ("Tijuana", 32.5149, -117.0382, "Baja California"),
    ("Mexicali", 32.6245, -115.4523, "Baja California"),
    ("Nogales", 31.3086, -110.9422, "Sonora"),
    ("Ciudad Juárez", 31.69, -106.42, "Chihuahua"),
    ("Piedras Negras", 28.70, -100.5236, "Coahuila"),
    ("Nuevo Laredo", 27.4769, -99.5157, "Tamaulipas"),
    ("Reynosa", 26.0922, -98.2776, "Tamaulipas"),
    ("Monterrey", 25.6866, -100.3161, "Nuevo León"),
    ("La Paz", 24.1426, -110.3128, "Baja California Sur"),
    ("Guadalajara", 20.6597, -103.3496, "Jalisco"),
    ("Mérida", 20.9674, -89.5926, "Yucatán"),
    ("Cancún", 21.1619, -86.8515, "Quintana Roo"),
    ("Mexico City", 19.4326, -99.1332, "Ciudad de México"),
    ("Toluca", 19.2826, -99.6557, "México"),
    ("Morelia", 19.7060, -101.1950, "Michoacán"),
    ("Tapachula", 14.906, -92.264, "Chiapas"),
    ("Tuxtla Gutiérrez", 16.7516, -93.1161, "Chiapas"),
    ("Villahermosa", 17.989, -92.948, "Tabasco"),
    ("Oaxaca", 17.0732, -96.7266, "Oaxaca"),
    ("Acapulco", 16.8531, -99.8237, "Guerrero"),
    ("Guatemala City", 14.6349, -90.5069, None),
    ("Belize City", 17.5046, -88.1962, None),
    ("San Diego", 32.7157, -117.1611, None),
    ("El Paso", 31.7619, -106.485, None),
    ("Tucson", 32.2226, -110.9747, None),
    ("Pacific Ocean", 15.0, -110.0, None),
    ("Gulf of Mexico", 24.0, -93.0, None),
]


@pytest.fixture(params=["polygon", "default"])
def locator(request) -> StateLocator:
    return request.getfixturevalue(f"{request.param}_locator")


@pytest.mark.parametrize(("place", "lat", "lon", "state"), CITIES, ids=[c[0] for c in CITIES])
def test_known_places(locator, place, lat, lon, state):
    assert isinstance(locator, StateLocator)
    assert locator.locate(np.array([lat]), np.array([lon]))[0] == state


def test_locators_name_their_data(polygon_locator, default_locator):
    assert polygon_locator.version.startswith("geojson:mexico_states.geojson:sha256=")
    assert len(polygon_locator.version.rsplit("=", 1)[1]) == 12
    assert "timezonefinder=" in default_locator.version
    assert "geonames-mx=" in default_locator.version


def test_nan_and_far_points_are_outside(locator):
    lats = np.array([np.nan, 0.0, 89.0, -45.0])
    lons = np.array([-100.0, np.nan, -100.0, 170.0])
    assert list(locator.locate(lats, lons)) == [None] * 4


OAXACA = (17.0732, -96.7266)
MEXICO_CITY = (19.4326, -99.1332)
TAPACHULA = (14.906, -92.264)


@pytest.mark.parametrize(
    ("policy", "point", "nationality", "eligible", "zone"),
    [
        (POLICY_2023, OAXACA, "VEN", False, None),
        (POLICY_2023, OAXACA, "MEX", False, None),  # 2023: everyone north of 19°N only
        (POLICY_2023, MEXICO_CITY, "VEN", True, "north of 19°N"),
        (POLICY_2023, TAPACHULA, "VEN", False, None),
        (POLICY_2024, OAXACA, "VEN", False, None),  # the dead zone
        (POLICY_2024, OAXACA, "MEX", True, "anywhere in Mexico"),
        (POLICY_2024, OAXACA, "mex", True, "anywhere in Mexico"),
        (POLICY_2024, TAPACHULA, "VEN", True, "Chiapas, Tabasco"),
        (POLICY_2024, MEXICO_CITY, "CUB", True, "north of 19°N"),
        (POLICY_2024, (14.6349, -90.5069), "MEX", False, None),  # Guatemala City
    ],
)
def test_historical_policies(locator, policy, point, nationality, eligible, zone):
    verdict = evaluate(locator, policy, *point, nationality)
    assert isinstance(verdict, Verdict)
    assert (verdict.eligible, verdict.zone) == (eligible, zone)
    assert verdict.data_version == locator.version


def test_reason_names_state_nationality_and_zones(polygon_locator):
    v = evaluate(polygon_locator, POLICY_2024, *OAXACA, "ven")
    assert v.inside_mexico and v.state == "Oaxaca" and not v.eligible
    assert v.reason.startswith("Oaxaca")
    assert "outside the eligible area for VEN nationals: north of 19°N; Chiapas, Tabasco" in (
        v.reason
    )
    ok = evaluate(polygon_locator, POLICY_2024, *TAPACHULA, "VEN")
    assert "Chiapas" in ok.reason and "in the eligible area" in ok.reason
    out = evaluate(polygon_locator, POLICY_2024, 32.7157, -117.1611, "MEX")
    assert not out.inside_mexico and out.state is None and "outside Mexico" in out.reason


def test_no_rule_for_nationality(polygon_locator):
    only_mex = make_policy([EligibilityRule(nationalities=["MEX"], zones=[AllMexico()])])
    v = evaluate(polygon_locator, only_mex, *MEXICO_CITY, "VEN")
    assert not v.eligible and "No eligibility rule" in v.reason and "VEN" in v.reason


def test_latitude_band_is_half_open(polygon_locator):
    band = make_policy([EligibilityRule(zones=[LatitudeBand(name="19-20", min_lat=19, max_lat=20)])])
    lon = -99.5  # Estado de México / Michoacán area, inland at both latitudes
    assert evaluate(polygon_locator, band, 19.0, lon, "VEN").eligible
    assert not evaluate(polygon_locator, band, 20.0, lon, "VEN").eligible


def test_states_zone_accepts_codes_and_aliases(polygon_locator):
    zone = States(name="CDMX and Edomex", states=["DF", "Estado de Mexico"])
    policy = make_policy([EligibilityRule(zones=[zone])])
    assert evaluate(polygon_locator, policy, *MEXICO_CITY, "VEN").zone == "CDMX and Edomex"
    assert evaluate(polygon_locator, policy, 19.2826, -99.6557, "VEN").eligible  # Toluca
    assert not evaluate(polygon_locator, policy, 20.6597, -103.3496, "VEN").eligible


def test_unknown_state_in_policy_is_rejected():
    policy = make_policy([EligibilityRule(zones=[States(name="x", states=["Texas"])])])
    with pytest.raises(ValueError, match="Texas"):
        PolicyEvaluator(policy)


def test_polygon_zone_only_inside_mexico(polygon_locator):
    # A box straddling the border at Tijuana / San Diego.
    box = {"type": "Polygon", "coordinates": [[[-117.3, 32.3], [-116.8, 32.3], [-116.8, 32.9],
                                               [-117.3, 32.9], [-117.3, 32.3]]]}
    policy = make_policy([EligibilityRule(zones=[Polygon(name="Tijuana box", geojson=box)])])
    assert evaluate(polygon_locator, policy, 32.5149, -117.0382, "HTI").zone == "Tijuana box"
    assert not evaluate(polygon_locator, policy, 32.7157, -117.1611, "HTI").eligible  # San Diego
    assert not evaluate(polygon_locator, policy, *MEXICO_CITY, "HTI").eligible


def test_first_matching_zone_is_named(polygon_locator):
    policy = make_policy([EligibilityRule(zones=[AllMexico(name="all"), LatitudeBand(name="band")])])
    assert evaluate(polygon_locator, policy, *MEXICO_CITY, "VEN").zone == "all"


def test_batch_matches_table(locator):
    lats = np.array([c[1] for c in CITIES])
    lons = np.array([c[2] for c in CITIES])
    nats = np.array(["VEN", "MEX", "cub"] * 9)
    batch = evaluate_batch(locator, POLICY_2024, lats, lons, nats)
    assert list(batch.state) == [c[3] for c in CITIES]
    assert batch.eligible.dtype == bool and batch.data_version == locator.version
    for i, (lat, lon, nat) in enumerate(zip(lats, lons, nats, strict=True)):
        one = evaluate(locator, POLICY_2024, lat, lon, str(nat))
        assert (one.eligible, one.zone, one.state) == (
            batch.eligible[i], batch.zone[i], batch.state[i])


def test_batch_single_nationality_and_shape_errors(polygon_locator):
    lats, lons = np.array([17.0732, 19.4326]), np.array([-96.7266, -99.1332])
    assert list(evaluate_batch(polygon_locator, POLICY_2024, lats, lons, "MEX").eligible) == [
        True, True]
    assert list(evaluate_batch(polygon_locator, POLICY_2024, lats, lons, ["VEN", "X1"]).eligible
                ) == [False, True]
    with pytest.raises(ValueError):
        evaluate_batch(polygon_locator, POLICY_2024, lats, lons, ["VEN"])
    with pytest.raises(ValueError):
        evaluate_batch(polygon_locator, POLICY_2024, lats, lons[:1], "VEN")


class NamesOnlyLocator:
    """A foreign locator that only implements the protocol (names, no codes)."""

    version = "test:stub"

    def locate(self, lats, lons):
        return np.array([
            "Oaxaca" if lat < 19 else "Distrito Federal" if lat < 30 else "Texas" if lat < 40
            else None for lat in lats], dtype=object)


def test_protocol_only_locator_and_compile_cache():
    stub = NamesOnlyLocator()
    v = evaluate(stub, POLICY_2024, 17.0, -96.0, "VEN")
    assert (v.state, v.eligible, v.data_version) == ("Oaxaca", False, "test:stub")
    assert evaluate(stub, POLICY_2024, 20.0, -99.0, "VEN").state == "Ciudad de México"
    assert not evaluate(stub, POLICY_2024, 45.0, -99.0, "VEN").inside_mexico
    with pytest.raises(ValueError, match="Texas"):  # never silently "outside Mexico"
        evaluate(stub, POLICY_2024, 35.0, -99.0, "VEN")
    assert compile_policy(POLICY_2024) is compile_policy(POLICY_2024.model_copy())
