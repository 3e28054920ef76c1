"""The geofence's pure core, in one import.

Nothing here reads settings, a database or the web layer; files are read only by
the explicit constructors (``PolygonLocator.from_geojson``) and the default
locator reads data bundled in installed packages. The implementation is split
for size: ``grid`` (raster accelerator), ``locators`` (where is a point) and
``evaluate`` (is it eligible under a policy).
"""

from garita.geo.evaluate import (
    BatchVerdict,
    NationalityZones,
    PolicyEvaluator,
    Verdict,
    compile_policy,
    evaluate,
    evaluate_batch,
)
from garita.geo.locators import (
    DefaultLocator,
    PolygonLocator,
    StateLocator,
    locate_codes,
    locate_one,
)
from garita.geo.states import STATE_CODES, STATE_NAMES, canonical_state

__all__ = [
    "STATE_CODES",
    "STATE_NAMES",
    "BatchVerdict",
    "DefaultLocator",
    "NationalityZones",
    "PolicyEvaluator",
    "PolygonLocator",
    "StateLocator",
    "Verdict",
    "canonical_state",
    "compile_policy",
    "evaluate",
    "evaluate_batch",
    "locate_codes",
    "locate_one",
]
