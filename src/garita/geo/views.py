"""Public geofence check: would a request from here be accepted on a given day?"""

from __future__ import annotations

import dataclasses
import datetime as dt

from fastapi import APIRouter, Query, Request

from garita.deps import tx
from garita.errors import Invalid
from garita.geo import core as geo
from garita.geo.schemas import GeofenceOut, country_code
from garita.policy import service as policies
from garita.web.openapi import errors

router = APIRouter(prefix="/geofence", tags=["geofence"])


@router.get("", response_model=GeofenceOut, responses=errors(404))
def check(request: Request, lat: float = Query(ge=-90, le=90),
          lon: float = Query(ge=-180, le=180),
          nationality: str = Query(min_length=3, max_length=3, examples=["VEN"]),
          date: dt.date | None = None) -> GeofenceOut:
    """The verdict for a point under the rules in force on ``date`` (default: today):
    the state, the zone that matched or why none did, and the boundary data version.
    On a day the scheme is closed (after its last version's end) nowhere is eligible,
    and the reason says so: ``scheme_open`` is false."""
    day = date or request.app.state.clock().date()
    try:
        code = country_code(nationality)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    with tx(request) as s:
        version = policies.in_force(s, day)
    verdict = geo.evaluate(request.app.state.locator, version.policy, lat, lon, code)
    if not version.policy.active:
        verdict = dataclasses.replace(
            verdict, eligible=False, zone=None,
            reason=f"The scheme is closed since {version.effective_from}: no requests are "
                   "taken from anywhere.")
    return GeofenceOut(date=day, nationality=code, scheme_open=version.policy.active,
                       **dataclasses.asdict(verdict))
