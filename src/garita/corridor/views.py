"""Corridor API: applicants book and cancel seats; coordinators plan, list, print, board."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from garita.audit import service as audit
from garita.corridor import boarding, manifest, service
from garita.corridor.models import CorridorBus, Permit
from garita.corridor.schemas import (
    BoardIn,
    BoardOut,
    BusOut,
    BusStatusIn,
    DemandRow,
    MyBus,
    PermitOut,
    PlanIn,
    PlanOut,
    ScanIn,
    ScanOut,
    SeatRequestOut,
)
from garita.deps import Applicant, Limit, Now, Offset, require, tx, with_total
from garita.errors import NotFound
from garita.identity import Principal, Role
from garita.web.openapi import errors

router = APIRouter(prefix="/corridor", tags=["corridor"])
Coordinator = Depends(require(Role.coordinator, Role.admin))


def _keys(request: Request):
    return request.app.state.notice_keys


def _road_times(request: Request) -> Path | None:
    return request.app.state.settings.road_times_file


@router.post("/appointments/{offer_id}/seats", response_model=SeatRequestOut, status_code=201)
def book(request: Request, response: Response, offer_id: int, who: Applicant,
         now: Now) -> SeatRequestOut:
    """Ask for bus seats for the whole group of a confirmed appointment.

    201 with the new request; 200 with the live one if the appointment already has it."""
    with tx(request) as s:
        row, created = service.request_seats(s, who, offer_id, now, _road_times(request))
        if not created:
            response.status_code = 200
        else:
            response.headers["Location"] = f"/corridor/seats/{row.id}"
        return SeatRequestOut.model_validate(row)


@router.delete("/seats/{request_id}", response_model=SeatRequestOut)
def cancel(request: Request, request_id: int, who: Applicant, now: Now) -> SeatRequestOut:
    """Give the seats back; the bus's departure is re-planned (boarded people stay put)."""
    with tx(request) as s:
        return SeatRequestOut.model_validate(service.cancel(s, who, request_id, now,
                                                            _road_times(request)))


@router.get("/seats/{request_id}", response_model=MyBus)
def my_bus(request: Request, request_id: int, who: Applicant) -> MyBus:
    """Your seat request, your bus (if planned) and your permits."""
    with tx(request) as s:
        row = service.mine(s, who, request_id)
        bus = s.get(CorridorBus, row.bus_id) if row.bus_id else None
        permits = s.query(Permit).filter(Permit.seat_request_id == row.id).all()
        return MyBus(request=SeatRequestOut.model_validate(row),
                     bus=BusOut.model_validate(bus) if bus else None,
                     permits=[PermitOut.model_validate(p) for p in permits])


@router.get("/demand", response_model=list[DemandRow])
def demand(request: Request, response: Response, who: Principal = Coordinator,
           limit: Limit = 100, offset: Offset = 0, hub: str | None = None,
           port: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
           status: Literal["requested", "assigned"] | None = None,
           date_from: Annotated[dt.date | None, Query(alias="from")] = None,
           date_to: Annotated[dt.date | None, Query(alias="to")] = None,
           sort: Literal["hub", "date", "-persons"] = "hub") -> list[DemandRow]:
    """Groups and riders by hub, port, appointment date (UTC) and status, a page at a time
    (by hub, port and date; ``sort=date`` or ``-persons`` for the fullest first); filter by
    hub, port, status and appointment dates. ``X-Total-Count`` says how many in all."""
    with tx(request) as s:
        rows, total = service.demand(s, limit=limit, offset=offset, hub=hub, port=port,
                                     status=status, date_from=date_from, date_to=date_to,
                                     sort=sort)
        with_total(response, total)
        return [DemandRow.model_validate(row) for row in rows]


@router.post("/plans", response_model=PlanOut, status_code=201, responses=errors(404))
def plan(request: Request, response: Response, data: PlanIn, now: Now,
         who: Principal = Coordinator) -> PlanOut:
    """Plan the buses of a horizon and issue permits to everyone seated."""
    with tx(request) as s:
        row = service.plan(s, data.start, data.days, now, who.actor, _road_times(request),
                           seconds=data.seconds)
        boarding.issue_permits(s, _keys(request).signer, now, who.actor)
        response.headers["Location"] = f"/corridor/buses?from={data.start}"
        return PlanOut(id=row.id, solver=row.solver, status=row.status, buses=row.buses,
                       greedy_buses=row.greedy_buses, gap=row.gap, summary=row.summary)


@router.get("/buses", response_model=list[BusOut])
def buses(request: Request, response: Response, who: Principal = Coordinator,
          status: Literal["planned", "boarding", "departed", "arrived",
                          "replaced"] = "planned", hub: str | None = None,
          departs_from: Annotated[dt.date | None, Query(alias="from")] = None,
          departs_to: Annotated[dt.date | None, Query(alias="to")] = None,
          limit: Limit = 100, offset: Offset = 0) -> list[BusOut]:
    """A page of buses by departure; filter by status, hub and departure dates (UTC).
    ``X-Total-Count`` says how many match in all."""
    with tx(request) as s:
        rows, total = service.buses(s, status=status, hub=hub, departs_from=departs_from,
                                    departs_to=departs_to, limit=limit, offset=offset)
        with_total(response, total)
        return [BusOut.model_validate(b) for b in rows]


@router.get("/buses/{bus_id}/manifest.{fmt}", response_class=Response,
            responses={200: {"description": "The manifest (fmt: csv or pdf).",
                             "content": {"text/csv": {}, "application/pdf": {}}}})
def bus_manifest(request: Request, bus_id: int, fmt: str,
                 who: Principal = Coordinator) -> Response:
    """The bus's manifest as ``csv`` or ``pdf``."""
    if fmt not in ("csv", "pdf"):
        raise NotFound("Manifests come as manifest.csv or manifest.pdf.")
    with tx(request) as s:
        if fmt == "csv":
            out = Response(manifest.to_csv(s, bus_id), media_type="text/csv")
        else:
            out = Response(manifest.to_pdf(s, bus_id), media_type="application/pdf")
        audit.record_reads(s, who, "registration.read", "registration",
                           manifest.registration_ids(s, bus_id),
                           f"GET /corridor/buses/{{bus_id}}/manifest.{fmt}")
        return out


@router.post("/buses/{bus_id}/scan", response_model=ScanOut)
def scan(request: Request, bus_id: int, data: ScanIn, now: Now,
         who: Principal = Coordinator) -> ScanOut:
    """At the door: is this permit or notice valid, on this bus, not yet boarded?"""
    with tx(request) as s:
        return boarding.scan(s, bus_id, data.token, _keys(request).public, now)


@router.post("/buses/{bus_id}/boarding", status_code=201, response_model=BoardOut)
def board(request: Request, response: Response, bus_id: int, data: BoardIn, now: Now,
          who: Principal = Coordinator) -> BoardOut:
    """Record a person as boarded or as a no-show."""
    with tx(request) as s:
        row = boarding.board(s, bus_id, data.person_id, data.status, now, who.actor)
        response.headers["Location"] = f"/corridor/buses/{bus_id}/manifest.csv"
        return BoardOut(bus_id=row.bus_id, person_id=row.person_id, status=row.status)


@router.post("/buses/{bus_id}/status", response_model=BusOut, responses=errors(409))
def bus_status(request: Request, bus_id: int, data: BusStatusIn, now: Now,
               who: Principal = Coordinator) -> BusOut:
    """Move the bus one step: planned → boarding → departed → arrived (audited); a plan
    re-plans only buses still planned."""
    with tx(request) as s:
        return BusOut.model_validate(boarding.move_bus(s, bus_id, data.status, now, who.actor))
