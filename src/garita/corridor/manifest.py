"""Per-bus manifests: passengers grouped by family, with port, appointment, permits,
escort and meal counts — as CSV (for systems) and PDF (for the crew).

Times are said as the crew reads them: the departure on the hub's clock, each
appointment on its port's clock, both with their zone (ISO 8601 offsets in the CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.corridor import readmodel
from garita.corridor.models import CorridorBus, Permit, SeatRequest
from garita.corridor.service import corridor_on
from garita.errors import NotFound
from garita.policy import clocks
from garita.policy.ports import port
from garita.text import spreadsheet_safe

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COLUMNS = ["group", "port", "appointment", "person_id", "given_names", "family_names",
           "date_of_birth", "permit"]


def rows(session: Session, bus_id: int) -> tuple[CorridorBus, list[dict], dict]:
    bus = session.get(CorridorBus, bus_id)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; list buses at /corridor/buses.")
    c = corridor_on(session, bus.departs_at.date())
    permits = {p.person_id: p.number for p in session.scalars(select(Permit).join(
        SeatRequest, SeatRequest.id == Permit.seat_request_id).where(
        SeatRequest.bus_id == bus.id))}
    out = []
    reqs = list(session.scalars(select(SeatRequest).where(
        SeatRequest.bus_id == bus.id, SeatRequest.status == "assigned")
        .order_by(SeatRequest.children.desc(), SeatRequest.appointment_at, SeatRequest.id)))
    for req in reqs:
        for p in readmodel.riders(session, req.registration_id):
            out.append({"group": req.id, "port": req.port,
                        "appointment": req.appointment_at.astimezone(
                            port(req.port).zone).isoformat(timespec="minutes"),
                        "person_id": p.id, "given_names": p.given_names,
                        "family_names": p.family_names,
                        "date_of_birth": p.date_of_birth.isoformat(),
                        "permit": permits.get(p.id, "")})
    last = max((s["arrives_at"] for s in bus.stops), default=bus.departs_at.isoformat())
    hours = (dt.datetime.fromisoformat(last) - bus.departs_at).total_seconds() / 3600
    days = max(1, math.ceil(hours / 24))
    counts = {"passengers": len(out), "groups": len(reqs), "escorts": c.escorts_per_bus,
              "meals": len(out) * days * c.meals_per_passenger_day, "trip_days": days}
    return bus, out, counts


def registration_ids(session: Session, bus_id: int) -> list[int]:
    """The registrations whose people are on the bus's manifest (to audit who read it)."""
    return list(session.scalars(select(SeatRequest.registration_id).where(
        SeatRequest.bus_id == bus_id, SeatRequest.status == "assigned")
        .order_by(SeatRequest.id)))


def departure_said(session: Session, bus: CorridorBus) -> str:
    """The departure on the hub's clock: ``2026-12-04 06:00 CST (America/Mexico_City)``."""
    c = corridor_on(session, bus.departs_at.date())
    zone = next((h.timezone for h in c.hubs if h.name == bus.hub), "UTC")
    return clocks.said(bus.departs_at, zone)


def to_csv(session: Session, bus_id: int) -> str:
    bus, people, counts = rows(session, bus_id)
    buf = io.StringIO()
    buf.write(f"# bus {bus.code} from {bus.hub} at {departure_said(session, bus)}; "
              + "; ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    w = csv.DictWriter(buf, COLUMNS)
    w.writeheader()
    w.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in people)
    return buf.getvalue()


def to_pdf(session: Session, bus_id: int) -> bytes:
    from fpdf import FPDF  # not at module level: API worker memory (docs/benchmarks.md)

    bus, people, counts = rows(session, bus_id)
    pdf = FPDF(orientation="L")
    pdf.add_page()
    if FONT.exists():  # names are not Latin-1 in general
        pdf.add_font("dejavu", fname=str(FONT))
        bold = FONT.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("dejavu", style="B", fname=str(bold if bold.exists() else FONT))
        pdf.set_font("dejavu", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    route = " → ".join(f"{s['city']} ({s['port']})" for s in bus.stops)
    pdf.multi_cell(0, 6, f"Bus {bus.code} — {bus.hub} {departure_said(session, bus)}\n"
                         f"Route: {route}\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    pdf.ln(2)
    with pdf.table(col_widths=(14, 12, 30, 16, 45, 45, 25, 30)) as table:
        table.row(COLUMNS)
        for p in people:
            table.row([str(p[c]) for c in COLUMNS])
    return bytes(pdf.output())
