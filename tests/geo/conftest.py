"""Session fixtures for the geofence tests: the two locators, built once."""

from __future__ import annotations

import pytest
from geo_policies import states_geojson

from garita.geo.locators import DefaultLocator, PolygonLocator


@pytest.fixture(scope="session")
def polygon_locator() -> PolygonLocator:
    return PolygonLocator.from_geojson(states_geojson())


@pytest.fixture(scope="session")
def default_locator() -> DefaultLocator:
    return DefaultLocator()
