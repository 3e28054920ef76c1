"""The policy timeline: public to read, admins add versions."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response, status

from garita.deps import Admin, Now, tx
from garita.policy import calendar, service
from garita.policy.schemas import PolicyVersionIn, PolicyVersionOut
from garita.web.openapi import errors

router = APIRouter(prefix="/policies", tags=["policy"])


@router.get("", response_model=list[PolicyVersionOut])
def list_versions(request: Request) -> list[PolicyVersionOut]:
    """Every version, oldest first. Rules are public: anyone can audit them."""
    with tx(request) as s:
        return service.versions(s)


@router.get("/in-force", response_model=PolicyVersionOut, responses=errors(404))
def in_force(request: Request, date: dt.date) -> PolicyVersionOut:
    """The rules in force on ``date`` (e.g. ``?date=2024-09-01``)."""
    with tx(request) as s:
        return service.in_force(s, date)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PolicyVersionOut,
             responses=errors(404, 409))
def add_version(request: Request, response: Response, data: PolicyVersionIn, who: Admin,
                now: Now) -> PolicyVersionOut:
    """Add a version effective from today or later (never before a day already drawn)."""
    tz = data.policy.request_window.timezone
    with tx(request) as s:
        out = service.add_version(s, data, who.actor, calendar.local(now, tz).date(),
                                  request.app.state.last_drawn(s))
    response.headers["Location"] = f"/policies/in-force?date={data.effective_from}"
    return out
