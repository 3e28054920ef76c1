"""The map data of the administrator's policy page: the states, and the zones open on a day."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from garita.deps import tx
from garita.errors import Invalid
from garita.geo import maps
from garita.geo.schemas import country_code
from garita.policy import service as policies
from garita.web import staff
from garita.web.pages import mark_page

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/staff/admin/map/states.geojson")
def states(who: staff.Admin) -> JSONResponse:
    return JSONResponse(maps.states_geojson(), headers={"Cache-Control": "private, max-age=3600"})


@router.get("/staff/admin/map/eligible.geojson")
def eligible(request: Request, who: staff.Admin, date: dt.date,
             nationality: str = "VEN") -> JSONResponse:
    """The zones a person of ``nationality`` may ask from on ``date`` (the rules in force)."""
    try:
        code = country_code(nationality)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    with tx(request) as s:
        version = policies.in_force(s, date)
    body = maps.eligible_zones(version.policy, code)
    body["version"] = {"id": version.id, "effective_from": str(version.effective_from),
                       "note": version.note}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
