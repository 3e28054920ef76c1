"""Corridor pages: the applicant asks for seats; the coordinator's console plans buses
(in the background, with progress), prints manifests, boards riders at the door and
moves each bus along planned → boarding → departed → arrived (the same rules as the API)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.audit import service as audit
from garita.corridor import boarding, manifest, service
from garita.corridor.schemas import BoardIn, BusOut, PlanIn, ScanIn, ScanOut, SeatRequestOut
from garita.deps import tx
from garita.errors import DomainError, NotFound
from garita.jobs.schemas import Progress
from garita.policy import calendar
from garita.registrations import service as registrations
from garita.web import consent, session, staff
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/me/offers/{offer_id}/seats", response_class=HTMLResponse)
def seats_form(request: Request, offer_id: int,
               who: session.Visitor) -> HTMLResponse:
    return render(request, "seats.html", offer_id=offer_id, seat=None, errors={}, message=None)


@router.post("/me/offers/{offer_id}/seats", response_class=HTMLResponse)
async def seats(request: Request, offer_id: int,
                who: session.Visitor) -> HTMLResponse:
    form = await posted(request)
    if (no_consent := consent.missing(request, who, form)) is not None:
        return render(request, "seats.html", 422, offer_id=offer_id, seat=None,
                      errors={"consent": no_consent}, message=None)
    try:
        with tx(request) as s:
            row, _ = service.request_seats(s, who, offer_id, request.app.state.clock())
            registrations.record_consent(s, who, row.registration_id, "seats")
            seat = SeatRequestOut.model_validate(row)
    except DomainError as exc:
        return render(request, "seats.html", exc.status, offer_id=offer_id, seat=None,
                      errors={}, message=detail(request, exc.detail))
    return render(request, "seats.html", offer_id=offer_id, seat=seat, errors={}, message=None)


# ---- The coordinator's console (the same services, roles and audit as the API) ----

HUB_ZONE = "America/Mexico_City"  # both hubs (Tapachula, Villahermosa) keep central time


def _demand_table(rows: list[dict]) -> tuple[list[str], list[tuple[str, str]], dict]:
    """Demand pivoted: appointment days × (hub, port) → persons (requested, seated)."""
    days = sorted({r["appointment_date"] for r in rows})
    lanes = sorted({(r["hub"], r["port"]) for r in rows})
    cells: dict[tuple[str, str, str], dict[str, int]] = {}
    for r in rows:
        cell = cells.setdefault((r["appointment_date"], r["hub"], r["port"]),
                                {"requested": 0, "assigned": 0})
        cell[r["status"]] = cell.get(r["status"], 0) + r["persons"]
    return days, lanes, {f"{d}|{h}|{p}": v for (d, h, p), v in cells.items()}


def _buses(request: Request, s) -> list:
    today = calendar.local(request.app.state.clock(), HUB_ZONE).date()
    rows, _ = service.buses(s, status=service.RUNNING, departs_from=today - dt.timedelta(days=3),
                            limit=200)
    return [(BusOut.model_validate(b), manifest.departure_said(s, b)) for b in rows]


@router.get("/staff/corridor", response_class=HTMLResponse)
def corridor_console(request: Request, who: staff.Coordinator) -> HTMLResponse:
    today = calendar.local(request.app.state.clock(), HUB_ZONE).date()
    with tx(request) as s:
        rows, _ = service.demand(s, limit=1000)  # the console shows every live lane
        days, lanes, cells = _demand_table(rows)
        buses = _buses(request, s)
    return render(request, "staff/corridor.html", days=days, lanes=lanes, cells=cells,
                  buses=buses, start=today, message=None)


@router.post("/staff/corridor/plans", response_class=HTMLResponse)
async def start_plan(request: Request, who: staff.Coordinator) -> Response:
    """Plan in the background (CP-SAT may take its whole time limit); the page polls."""
    form = await posted(request)
    try:
        data = PlanIn(start=str(form.get("start", "")), days=str(form.get("days", "2")),
                      seconds=str(form.get("seconds", "8")))
    except ValidationError as exc:
        return render(request, "staff/error_part.html", 422,
                      message="; ".join(field_errors(request, exc).values()))
    app = request.app
    now = app.state.clock().astimezone(dt.UTC)

    def work(s, job: Progress) -> dict:
        row = service.plan(s, data.start, data.days, now, who.actor,
                           app.state.settings.road_times_file, seconds=data.seconds,
                           progress=lambda p: job.report(**p))
        boarding.issue_permits(s, app.state.notice_keys.signer, now, who.actor)
        return {"id": row.id, "solver": row.solver, "status": row.status,
                "buses": row.buses, "greedy_buses": row.greedy_buses, "gap": row.gap,
                **row.summary}

    job_id = app.state.jobs.start("corridor-plan", who.account_id, who.actor,
                                  data.seconds + 2, work)
    return RedirectResponse(f"/staff/corridor/plans/{job_id}", status_code=303)


@router.get("/staff/corridor/plans/{job_id}", response_class=HTMLResponse)
def plan_progress(request: Request, job_id: int, who: staff.Coordinator) -> HTMLResponse:
    job = request.app.state.jobs.get(job_id, "corridor-plan")
    part = request.headers.get("hx-request") == "true"
    buses = []
    if job.done and job.result:
        with tx(request) as s:
            buses = _buses(request, s)
    error = detail(request, job.error) if job.error else None  # in the page's language
    return render(request, "staff/plan_part.html" if part else "staff/plan.html", job=job,
                  buses=buses, error=error)


def _bus_page(request: Request, who, bus_id: int, scan: ScanOut | None = None,
              message: str | None = None, status: int = 200) -> HTMLResponse:
    with tx(request) as s:
        bus, people, counts = manifest.rows(s, bus_id)
        said = manifest.departure_said(s, bus)
        door = boarding.boarded(s, bus_id)
        audit.record_reads(s, who, "registration.read", "registration",
                           manifest.registration_ids(s, bus_id), "GET /staff/corridor/buses/{id}")
        out = BusOut.model_validate(bus)
    return render(request, "staff/bus.html", status, bus=out, departs=said, people=people,
                  counts=counts, door=door, scan=scan, message=message,
                  next_status=boarding.NEXT_STATUS.get(out.status))


@router.get("/staff/corridor/buses/{bus_id}", response_class=HTMLResponse)
def bus_page(request: Request, bus_id: int, who: staff.Coordinator) -> HTMLResponse:
    return _bus_page(request, who, bus_id)


@router.get("/staff/corridor/buses/{bus_id}/manifest.{fmt}")
def bus_manifest(request: Request, bus_id: int, fmt: str, who: staff.Coordinator) -> Response:
    """The manifest to print (PDF) or load (CSV), times on the hub's and ports' clocks."""
    if fmt not in ("csv", "pdf"):
        raise NotFound("Manifests come as manifest.csv or manifest.pdf.")
    with tx(request) as s:
        body = manifest.to_csv(s, bus_id) if fmt == "csv" else manifest.to_pdf(s, bus_id)
        audit.record_reads(s, who, "registration.read", "registration",
                           manifest.registration_ids(s, bus_id),
                           f"GET /staff/corridor/buses/{{id}}/manifest.{fmt}")
    kind = "text/csv" if fmt == "csv" else "application/pdf"
    return Response(body, media_type=kind, headers={
        "Content-Disposition": f'attachment; filename="bus-{bus_id}-manifest.{fmt}"'})


@router.post("/staff/corridor/buses/{bus_id}/scan", response_class=HTMLResponse)
async def bus_scan(request: Request, bus_id: int, who: staff.Coordinator) -> HTMLResponse:
    """A permit or notice at the door, scanned by the camera or typed."""
    form = await posted(request)
    try:
        token = ScanIn(token=str(form.get("token", "")).strip()).token
    except ValidationError as exc:
        return _bus_page(request, who, bus_id, message="; ".join(
            field_errors(request, exc).values()), status=422)
    with tx(request) as s:
        verdict = boarding.scan(s, bus_id, token, request.app.state.notice_keys.public,
                                request.app.state.clock().astimezone(dt.UTC))
    return _bus_page(request, who, bus_id, scan=verdict)


@router.post("/staff/corridor/buses/{bus_id}/boarding", response_class=HTMLResponse)
async def bus_board(request: Request, bus_id: int, who: staff.Coordinator) -> Response:
    form = await posted(request)
    try:
        data = BoardIn(person_id=str(form.get("person_id", "")),
                       status=str(form.get("status", "")))
        with tx(request) as s:
            boarding.board(s, bus_id, data.person_id, data.status,
                           request.app.state.clock().astimezone(dt.UTC), who.actor)
    except ValidationError as exc:
        return _bus_page(request, who, bus_id, message="; ".join(
            field_errors(request, exc).values()), status=422)
    except DomainError as exc:
        return _bus_page(request, who, bus_id, message=detail(request, exc.detail),
                         status=exc.status)
    return RedirectResponse(f"/staff/corridor/buses/{bus_id}", status_code=303)


@router.post("/staff/corridor/buses/{bus_id}/status", response_class=HTMLResponse)
async def bus_move(request: Request, bus_id: int, who: staff.Coordinator) -> Response:
    form = await posted(request)
    try:
        with tx(request) as s:
            boarding.move_bus(s, bus_id, str(form.get("status", "")),
                              request.app.state.clock().astimezone(dt.UTC), who.actor)
    except DomainError as exc:
        return _bus_page(request, who, bus_id, message=detail(request, exc.detail),
                         status=exc.status)
    return RedirectResponse(f"/staff/corridor/buses/{bus_id}", status_code=303)
