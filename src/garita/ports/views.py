"""The port's day for its officers (and admins): arrivals, check-in, outcomes, close, summary.

Every route needs the officer or admin role; an officer works only the port on
their account (403 for any other), an admin any port.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from garita.audit import service as audit
from garita.deps import Now, require, tx
from garita.identity import Principal, Role
from garita.ports import day, service
from garita.ports.core import port_today
from garita.ports.schemas import (
    Arrivals,
    CheckInIn,
    CheckInOut,
    DayClosed,
    DaySummary,
    OutcomeIn,
    OutcomeOut,
)

router = APIRouter(prefix="/ports/{port}", tags=["ports"])
PortStaff = Annotated[Principal, Depends(require(Role.officer, Role.admin))]
Day = Annotated[dt.date, Query(alias="date", description="The port's civil date, YYYY-MM-DD.")]
AGAIN: dict[int | str, dict[str, Any]] = {
    200: {"description": "Already done: the existing record, unchanged."}}


@router.get("/arrivals", response_model=Arrivals)
def arrivals(request: Request, port: str, date: Day, who: PortStaff, now: Now) -> Arrivals:
    """The groups expected on ``date``: slot, status, members (names, date of birth),
    check-in, each member's outcome, and the group's integrity alerts from any port.
    Officers see the days around today only (``GARITA_OFFICER_DAYS_AROUND``)."""
    if who.role is Role.officer and who.port:
        service.within_days(who, who.port, date, now,
                            request.app.state.settings.officer_days_around)
    with tx(request) as s:
        out = day.arrivals(s, who, port, date)
        audit.record_reads(s, who, "registration.read", "registration",
                           [g.registration_id for g in out.groups], "GET /ports/{port}/arrivals")
        return out


@router.post("/checkins", response_model=CheckInOut, status_code=status.HTTP_201_CREATED,
             responses=AGAIN)
def check_in(request: Request, response: Response, port: str, data: CheckInIn,
             who: PortStaff, now: Now) -> CheckInOut:
    """Check a group in by ``offer_id`` (or the notice's confirmation number or QR token)
    after confirming identity. Early arrivals are refused with the opening time; late
    ones need ``accept_late``. Scanning twice returns the first check-in (200)."""
    with tx(request) as s:
        row, created = service.check_in(s, who, port, data, now, request.app.state.notice_keys)
        out = CheckInOut.model_validate(row)
    if not created:
        response.status_code = status.HTTP_200_OK
    else:
        response.headers["Location"] = f"/ports/{port}/arrivals?date={port_today(port, now)}"
    return out


@router.post("/outcomes", response_model=OutcomeOut, status_code=status.HTTP_201_CREATED,
             responses={**AGAIN, 409: {"description": "Already decided: send supersedes."}})
def record_outcome(request: Request, response: Response, port: str, data: OutcomeIn,
                   who: PortStaff, now: Now) -> OutcomeOut:
    """One member's outcome, after check-in. A correction names the outcome it
    ``supersedes`` and becomes a new revision; the old one stays in the history."""
    with tx(request) as s:
        row, created = service.record_outcome(s, who, port, data, now)
        out = OutcomeOut.model_validate(row)
    if not created:
        response.status_code = status.HTTP_200_OK
    else:
        response.headers["Location"] = f"/ports/{port}/arrivals?date={port_today(port, now)}"
    return out


@router.post("/close-day", response_model=DayClosed, status_code=status.HTTP_201_CREATED,
             responses=AGAIN)
def close_day(request: Request, response: Response, port: str, date: Day, who: PortStaff,
              now: Now) -> DayClosed:
    """End of the day: confirmed appointments not checked in become no-shows (no penalty:
    those registrations may request again). Only after the last slot's late allowance."""
    with tx(request) as s:
        row, created = day.close(s, who, port, date, now)
        out = day.closed_out(row)
    if not created:
        response.status_code = status.HTTP_200_OK
    else:
        response.headers["Location"] = f"/ports/{port}/day-summary?date={date}"
    return out


@router.get("/photos/{offer_id}/{person_id}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}},
                             "description": "The photo taken at confirmation."},
                       404: {"description": "No photo (not taken, or deleted after its "
                                            "retention)."}})
def member_photo(request: Request, port: str, offer_id: int, person_id: int, who: PortStaff,
                 now: Now) -> Response:
    """The photo a member took at confirmation, to compare with the person at the booth.
    Only the officers of the appointment's port (within their days) and admins; every
    view is audited."""
    with tx(request) as s:
        jpeg = service.photo(s, who, port, offer_id, person_id, now,
                             request.app.state.settings.officer_days_around,
                             request.app.state.photo_keys, "GET /ports/{port}/photos")
    return Response(jpeg, media_type="image/jpeg",
                    headers={"Cache-Control": "private, no-store"})


@router.get("/day-summary", response_model=DaySummary)
def day_summary(request: Request, port: str, date: Day, who: PortStaff) -> DaySummary:
    """Counts for the day: groups and persons by status, check-in timing, outcomes."""
    with tx(request) as s:
        return day.summary(s, who, port, date)
