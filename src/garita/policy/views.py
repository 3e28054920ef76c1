"""The policy timeline: public to read, admins add versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from garita.deps import Admin, Limit, Now, Offset, tx, with_total
from garita.policy import calendar, service
from garita.policy.schemas import PolicyVersionIn, PolicyVersionOut
from garita.web.openapi import errors

router = APIRouter(prefix="/policies", tags=["policy"])


@router.get("", response_model=list[PolicyVersionOut])
def list_versions(request: Request, response: Response, limit: Limit = 100, offset: Offset = 0,
                  sort: Literal["effective_from", "-effective_from"] = "effective_from",
                  effective_from: Annotated[dt.date | None, Query(alias="from")] = None,
                  effective_to: Annotated[dt.date | None, Query(alias="to")] = None,
                  ) -> list[PolicyVersionOut]:
    """The versions, oldest first (``sort=-effective_from``: newest first), optionally only
    those taking effect ``from``/``to`` a day (inclusive). Rules are public: anyone can
    audit them. ``X-Total-Count`` says how many match in all."""
    with tx(request) as s:
        rows, total = service.version_page(s, limit=limit, offset=offset,
                                           newest_first=sort.startswith("-"),
                                           effective_from=effective_from,
                                           effective_to=effective_to)
        with_total(response, total)
        return rows


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
