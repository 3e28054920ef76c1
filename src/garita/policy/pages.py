"""The administrator's policy page: the timeline as a table, a map of the zones open on any
day (Leaflet over the project's own GeoJSON, ``geo/pages.py`` serves the layers), and a
form that adds a version through the same service and checks as ``POST /policies``."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.deps import tx
from garita.errors import DomainError
from garita.policy import calendar, service
from garita.policy.schemas import PolicyVersionIn
from garita.web import staff
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
# Nationalities offered on the map (the rules differ for Mexican nationals).
MAP_NATIONALITIES = ("VEN", "CUB", "HTI", "HND", "COL", "MEX")


def _page(request: Request, day: dt.date, nationality: str, status: int = 200,
          errors: dict | None = None, form: dict | None = None) -> HTMLResponse:
    with tx(request) as s:
        versions = service.versions(s)
        try:
            shown = service.in_force(s, day)
        except DomainError:
            shown = None
        today = calendar.local(request.app.state.clock(), "America/New_York").date()
        current = service.in_force(s, today) if versions else None
    zones = [(z.name, rule.nationalities, rule.except_nationalities)
             for rule in (shown.policy.rules_for(nationality) if shown and shown.policy.active
                          else []) for z in rule.zones]
    if form is None:
        form = {"effective_from": str(today + dt.timedelta(days=1)), "note": "",
                "policy": json.dumps(current.policy.model_dump(mode="json"), indent=2,
                                     ensure_ascii=False) if current else "{}"}
    return render(request, "staff/policies.html", status, versions=versions, shown=shown,
                  day=day, nationality=nationality, nationalities=MAP_NATIONALITIES,
                  zones=zones, errors=errors or {}, form=form)


@router.get("/staff/admin/policies", response_class=HTMLResponse)
def policies_page(request: Request, who: staff.Admin, date: dt.date | None = None,
                  nationality: str = "VEN") -> HTMLResponse:
    day = date or request.app.state.clock().date()
    nationality = nationality if nationality in MAP_NATIONALITIES else "VEN"
    return _page(request, day, nationality)


@router.post("/staff/admin/policies", response_class=HTMLResponse)
async def add_version(request: Request, who: staff.Admin) -> Response:
    """A new version from a day on (never the past, never a day already drawn; audited)."""
    form = await posted(request)
    values = {k: str(form.get(k, "")) for k in ("effective_from", "note", "policy")}
    day = request.app.state.clock().date()
    try:
        body = json.loads(values["policy"] or "{}")
    except json.JSONDecodeError as exc:
        return _page(request, day, "VEN", 422, {"policy": f"Not JSON: {exc}"}, values)
    try:
        data = PolicyVersionIn(effective_from=values["effective_from"], note=values["note"],
                               policy=body)
    except ValidationError as exc:
        return _page(request, day, "VEN", 422, field_errors(request, exc), values)
    now = request.app.state.clock().astimezone(dt.UTC)
    try:
        with tx(request) as s:
            service.add_version(s, data, who.actor,
                                calendar.local(now, data.policy.request_window.timezone).date(),
                                request.app.state.last_drawn(s))
    except DomainError as exc:
        return _page(request, day, "VEN", exc.status,
                     {"form": detail(request, exc.detail)}, values)
    return RedirectResponse(f"/staff/admin/policies?date={data.effective_from}",
                            status_code=303)
