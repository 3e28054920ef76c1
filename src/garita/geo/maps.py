"""The eligible zones of a policy as GeoJSON, over the project's own map of Mexico's states.

``data/mexico_states.geojson`` is Natural Earth's 1:10m admin-1 layer (public domain,
the copy in ``../shared/data``), simplified to 0.02° (about 2 km) and rounded to 0.001°
so the administrator's map loads in one small file (62 KB); each feature carries the
canonical state name and code of ``states.py``. It draws the map; verdicts still come
from the locators (``GARITA_BOUNDARY_FILE`` or the offline default).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import box, mapping, shape

from garita.geo.states import require_state
from garita.policy.schemas import AllMexico, LatitudeBand, Policy, Polygon, States

STATES_FILE = Path(__file__).parent / "data" / "mexico_states.geojson"


@cache
def states_geojson() -> dict:
    return json.loads(STATES_FILE.read_text("utf-8"))


@cache
def _state_shapes() -> dict[str, shapely.Geometry]:
    return {f["properties"]["name"]: shape(f["geometry"]) for f in states_geojson()["features"]}


@cache
def _mexico() -> shapely.Geometry:
    return shapely.union_all(list(_state_shapes().values()))


def _zone_shape(zone: LatitudeBand | States | Polygon | AllMexico) -> shapely.Geometry:
    if isinstance(zone, LatitudeBand):
        return _mexico().intersection(box(-180, zone.min_lat, 180, zone.max_lat))
    if isinstance(zone, States):
        return shapely.union_all([_state_shapes()[require_state(n)] for n in zone.states])
    if isinstance(zone, Polygon):
        return _mexico().intersection(shape(zone.geojson))
    return _mexico()


def eligible_zones(policy: Policy, nationality: str) -> dict:
    """A FeatureCollection: one feature per zone open to ``nationality`` under ``policy``
    (none when the scheme is closed), each with its name and the rule's nationalities."""
    features = []
    if policy.active:
        for rule in policy.rules_for(nationality):
            for zone in rule.zones:
                features.append({"type": "Feature", "geometry": mapping(_zone_shape(zone)),
                                 "properties": {"name": zone.name, "kind": zone.kind,
                                                "nationalities": rule.nationalities,
                                                "except": rule.except_nationalities}})
    return {"type": "FeatureCollection", "features": features}
