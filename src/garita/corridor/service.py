"""Seat requests and planning: the database edge of the pure planner. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.corridor import core, reach, readmodel, roads
from garita.corridor.models import Boarding, CorridorBus, CorridorPlan, Permit, SeatRequest
from garita.corridor.plan_types import Group, LockedBus, Report, Window
from garita.corridor.travel import RoadModel, Route, candidate_routes
from garita.db import paged
from garita.errors import Conflict, NotFound, Refused
from garita.identity import Principal
from garita.offers import service as offers
from garita.policy import calendar
from garita.policy import service as policies
from garita.policy.corridor import CorridorPolicy
from garita.policy.ports import PORTS
from garita.registrations import service as registrations

LIVE = ("requested", "assigned")


def corridor_on(session: Session, day: dt.date) -> CorridorPolicy:
    version = policies.in_force(session, day)
    c = version.policy.corridor
    if c is None or not c.active or not version.policy.active:
        raise Refused(f"No corridor runs under the rules in force on {day} (since "
                      f"{version.effective_from}); buses run from 2024-08-30 to 2025-01-19.")
    return c


def request_seats(session: Session, who: Principal, offer_id: int,
                  now: dt.datetime, road_times: Path | None = None) -> tuple[SeatRequest, bool]:
    """The group of a confirmed appointment, confirmed from a hub's state, asks for seats.

    Idempotent: (the live request, created?). One live request per appointment is
    held by the database (a partial unique index), so parallel twins get the winner's.
    """
    missing = f"Appointment {offer_id} does not exist or is not yours."
    offer = offers.get(session, offer_id)
    if offer is None:
        raise NotFound(missing)
    reg = registrations.get(session, offer.registration_id, who, absent=missing)
    if offer.status != "confirmed" or offer.appointment_date < now.date():
        raise Refused("Only a confirmed, upcoming appointment can have bus seats; confirm it "
                      "first.")
    c = corridor_on(session, now.date())
    lead = offers.confirmation(session, offer.id, reg.people[0].id)
    state = lead.state if lead is not None else None
    hub = c.hub_for_state(state)
    if hub is None:
        served = ", ".join(s for h in c.hubs for s in h.states)
        raise Refused(f"Buses serve people confirmed in {served}; this appointment was "
                      f"confirmed in {state or 'an unknown place'}.")
    city = c.city(offer.port)
    if city is None:
        raise Refused(f"No bus goes to the border city of {offer.port}.")
    existing = _live(session, offer.id)
    if existing is not None:
        return existing, False
    kids = sum(1 for p in reg.people if calendar.age_on(p.date_of_birth, offer.appointment_date)
               < 18)
    at = dt.datetime.combine(offer.appointment_date, offer.slot, tzinfo=ZoneInfo(city.timezone))
    why = reach.problem(c, hub, offer.port, at, now, routes_for(c, roads.load(road_times, c)))
    if why is not None:
        raise Refused(why)
    row = SeatRequest(offer_id=offer.id, registration_id=reg.id, hub=hub.name, port=offer.port,
                      appointment_at=at.astimezone(dt.UTC), persons=offer.persons,
                      children=kids, status="requested", created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the partial unique index on live requests: a parallel twin won
        twin = _live(session, offer.id)
        if twin is None:
            raise
        return twin, False
    audit.record(session, actor=who.actor, action="seat.request", object_type="seat_request",
                 object_id=row.id, change={"offer": offer.id, "hub": hub.name,
                                           "persons": row.persons})
    return row, True


def _live(session: Session, offer_id: int) -> SeatRequest | None:
    return session.scalar(select(SeatRequest).where(SeatRequest.offer_id == offer_id,
                                                    SeatRequest.status.in_(LIVE)))


def mine(session: Session, who: Principal, request_id: int) -> SeatRequest:
    row = session.get(SeatRequest, request_id)
    missing = f"Seat request {request_id} does not exist or is not yours."
    if row is None:
        raise NotFound(missing)
    registrations.get(session, row.registration_id, who, absent=missing)  # ownership
    return row


DEMAND_ORDER = {"hub": ("hub", "port", "date", "status"), "date": ("date", "hub", "port", "status"),
                "-persons": ("-persons", "hub", "port", "date", "status")}


def demand(session: Session, *, limit: int = 100, offset: int = 0, hub: str | None = None,
           port: str | None = None, status: str | None = None,
           date_from: dt.date | None = None, date_to: dt.date | None = None,
           sort: str = "hub") -> tuple[list[dict], int]:
    """Riders waiting or seated, by hub, border city (port), appointment date (UTC) and
    status: a page of those groups, and how many there are in all."""
    day = func.date(SeatRequest.appointment_at)
    q = select(SeatRequest.hub, SeatRequest.port, day.label("day"), SeatRequest.status,
               func.count().label("groups"), func.sum(SeatRequest.persons).label("persons"))
    q = q.where(SeatRequest.status.in_(LIVE) if status is None else SeatRequest.status == status)
    if hub is not None:
        q = q.where(SeatRequest.hub == hub)
    if port is not None:
        q = q.where(SeatRequest.port == port)
    if date_from is not None:
        q = q.where(SeatRequest.appointment_at >= dt.datetime.combine(date_from, dt.time(),
                                                                      dt.UTC))
    if date_to is not None:
        q = q.where(SeatRequest.appointment_at < dt.datetime.combine(
            date_to + dt.timedelta(days=1), dt.time(), dt.UTC))
    q = q.group_by(SeatRequest.hub, SeatRequest.port, day, SeatRequest.status)
    columns = {"hub": SeatRequest.hub, "port": SeatRequest.port, "date": day,
               "status": SeatRequest.status, "persons": func.sum(SeatRequest.persons)}
    order = [columns[k.lstrip("-")].desc() if k.startswith("-") else columns[k.lstrip("-")]
             for k in DEMAND_ORDER[sort]]
    rows, total = paged(session, q, order, limit=limit, offset=offset)
    return [{"hub": h, "port": p, "appointment_date": str(d), "status": s, "groups": n,
             "persons": int(k or 0)} for h, p, d, s, n, k in rows], total


_departures = reach.departures


def routes_for(c: CorridorPolicy, table: Mapping[tuple[str, str], float]) -> dict[str,
                                                                                  list[Route]]:
    model = RoadModel(c.bus_speed_kmh, c.detour_factor, c.stop_minutes, dict(table))
    cities = {p: (PORTS[p].city_lat, PORTS[p].city_lon) for p in c.border_cities}
    return {h.name: candidate_routes(h.name, (h.lat, h.lon), cities, c.chains, c.max_stops,
                                     model) for h in c.hubs}


def _route_of(bus: CorridorBus, routes: list[Route]) -> Route:
    """The route a stored bus drives: its stops, in order, at its arrival times (the stored
    stops are only those where riders get off, so the route may pass more cities)."""
    stops = [(s["port"], dt.datetime.fromisoformat(s["arrives_at"])) for s in bus.stops]

    def drives(route: Route) -> bool:
        ports = [p for p in route.stops if p in {q for q, _ in stops}]
        return ports == [p for p, _ in stops] and all(
            (h := route.hours_to(p)) is not None
            and abs(bus.departs_at + dt.timedelta(hours=h) - at) < dt.timedelta(minutes=1)
            for p, at in stops)

    return next(r for r in routes if drives(r))


def plan(session: Session, start: dt.date, days: int, now: dt.datetime, actor: str,
         road_times: Path | None = None, seconds: float = 8.0,
         progress: Report | None = None) -> CorridorPlan:
    """Plan every live request departing in the horizon; boarded buses stay as they are.

    ``road_times`` is the operator's table (``GARITA_ROAD_TIMES_FILE``), read on each
    plan so an edited file takes effect without a restart. ``progress`` hears the
    solver's solutions and gap while it works (the console's job shows them)."""
    c = corridor_on(session, start)
    table = roads.load(road_times, c)
    deps = [d for d in _departures(c, start, days) if d.at > now]
    if not deps:
        raise Refused(f"No departure left between {start} and {start + dt.timedelta(days)}: "
                      "pick a later start.")
    lo, hi = deps[0].at, deps[-1].at
    routes = routes_for(c, table)
    buses = list(session.scalars(select(CorridorBus).where(
        CorridorBus.status == "planned", CorridorBus.departs_at >= lo,
        CorridorBus.departs_at <= hi)))
    boarded = set(session.scalars(select(Boarding.bus_id).where(
        Boarding.bus_id.in_([b.id for b in buses] or [-1]))))
    requests = list(session.scalars(select(SeatRequest).where(SeatRequest.status.in_(LIVE))))
    locked, pinned = [], set()
    for old in buses:
        if old.id in boarded:
            on = [r for r in requests if r.bus_id == old.id]
            pinned |= {r.id for r in on}
            route = _route_of(old, routes[old.hub])
            dep = next(d for d in deps if d.hub == old.hub and d.at == old.departs_at)
            locked.append(LockedBus(str(old.id), dep, route, tuple(r.id for r in on),
                                    sum(r.persons for r in on)))
        else:
            old.status = "replaced"
    free = [r for r in requests if r.id not in pinned and (r.bus_id is None or r.bus_id in
                                                           {b.id for b in buses})]
    groups = [Group(r.id, r.hub, r.port, r.persons, r.children, r.appointment_at) for r in free]
    result = core.plan(groups, deps, routes, Window(c.arrive_min_hours, c.arrive_max_hours),
                       locked, seconds=seconds, progress=progress)
    row = CorridorPlan(start=start, days=days, ran_at=now, ran_by=actor, solver=result.solver,
                       status=result.status, buses=result.bus_count,
                       greedy_buses=result.greedy_buses, gap=result.gap,
                       summary={"riders": sum(g.persons for g in groups), "groups": len(groups),
                                "unassigned": len(result.unassigned), "notes": result.notes,
                                "wait_person_hours": result.wait_person_hours,
                                "bus_bound": result.bus_bound, "seconds": result.seconds})
    session.add(row)
    session.flush()
    by_id = {r.id: r for r in free}
    for n, bus in enumerate(result.buses):
        target = session.get(CorridorBus, int(bus.locked_key)) if bus.locked_key else None
        if target is None:
            target = CorridorBus(
                plan_id=row.id, code=f"{bus.departure.hub[:3].upper()}-"
                f"{bus.departure.at:%Y%m%d}-P{row.id}-{n + 1:02d}", hub=bus.departure.hub,
                departs_at=bus.departure.at, seats=bus.departure.seats, status="planned",
                # a bus stops only where someone on it gets off (its route may pass others)
                stops=[{"port": p, "city": PORTS[p].city,  # route stops are border cities
                        "arrives_at": (bus.departure.at + dt.timedelta(hours=h)).isoformat()}
                       for p, h in zip(bus.route.stops, bus.route.hours, strict=True)
                       if p in {by_id[g].port for g in bus.groups if g in by_id}])
            session.add(target)
            session.flush()
        for gid in bus.groups:
            if gid in by_id:
                by_id[gid].bus_id, by_id[gid].status, by_id[gid].reason = (
                    target.id, "assigned", None)
    for gid, why in result.unassigned.items():
        by_id[gid].bus_id, by_id[gid].status, by_id[gid].reason = None, "requested", why[:200]
    session.flush()
    audit.record(session, actor=actor, action="corridor.plan", object_type="corridor_plan",
                 object_id=row.id, change={"start": start, "days": days, **row.summary,
                                           "buses": row.buses, "gap": row.gap})
    return row


def cancel(session: Session, who: Principal, request_id: int, now: dt.datetime,
           road_times: Path | None = None) -> SeatRequest:
    """Free the seats; re-plan the bus's departure (boarded buses keep their people)."""
    row = mine(session, who, request_id)
    if row.status == "cancelled":
        return row
    bus = session.get(CorridorBus, row.bus_id) if row.bus_id else None
    if bus is not None and session.scalar(select(Boarding.id).where(
            Boarding.bus_id == bus.id, Boarding.status == "boarded",
            Boarding.person_id.in_(readmodel.person_ids(session, [row.registration_id])))
    ) is not None:
        raise Conflict("This group has already boarded; the crew records a no-show or "
                       "drop-off instead.")
    row.status, row.bus_id = "cancelled", None
    session.flush()
    audit.record(session, actor=who.actor, action="seat.cancel", object_type="seat_request",
                 object_id=row.id, change={"bus": bus.id if bus else None})
    if bus is not None and bus.departs_at > now:
        c = corridor_on(session, now.date())
        hub = c.hub(bus.hub)
        day = bus.departs_at.astimezone(ZoneInfo(hub.timezone)).date() if hub else now.date()
        plan(session, day, 1, now, who.actor, road_times, seconds=4.0)
    return row


def is_rider(session: Session, registration_id: int) -> bool:
    """Has this registration a live seat request? What lets a coordinator see its people."""
    return session.scalar(select(SeatRequest.id).where(
        SeatRequest.registration_id == registration_id,
        SeatRequest.status.in_(("requested", "assigned"))).limit(1)) is not None


# A plan re-plans only buses still "planned" ("replaced" is a plan's discarded bus);
# boarding.move_bus moves a bus on: planned → boarding → departed → arrived.
RUNNING = ("planned", "boarding", "departed", "arrived")


def buses(session: Session, *, status: str | tuple[str, ...] = "planned", hub: str | None = None,
          departs_from: dt.date | None = None, departs_to: dt.date | None = None,
          limit: int = 100, offset: int = 0) -> tuple[list[CorridorBus], int]:
    """A page of buses by departure, and how many match in all (dates are UTC days)."""
    wanted = (status,) if isinstance(status, str) else status
    q = select(CorridorBus).where(CorridorBus.status.in_(wanted))
    if hub is not None:
        q = q.where(CorridorBus.hub == hub)
    if departs_from is not None:
        q = q.where(CorridorBus.departs_at >= dt.datetime.combine(departs_from, dt.time(), dt.UTC))
    if departs_to is not None:
        q = q.where(CorridorBus.departs_at < dt.datetime.combine(
            departs_to + dt.timedelta(days=1), dt.time(), dt.UTC))
    return paged(session, q, [CorridorBus.departs_at, CorridorBus.id], limit=limit,
                 offset=offset)


def assigned_seats(session: Session, departs_after: dt.datetime) -> list[tuple]:
    """(seat request, registration, port, bus id, bus code, hub, departs at) of every
    seat assigned on a planned bus leaving after ``departs_after`` (garita.notify)."""
    rows = session.execute(
        select(SeatRequest.id, SeatRequest.registration_id, SeatRequest.port, CorridorBus.id,
               CorridorBus.code, CorridorBus.hub, CorridorBus.departs_at)
        .join(CorridorBus, CorridorBus.id == SeatRequest.bus_id)
        .where(SeatRequest.status == "assigned", CorridorBus.status == "planned",
               CorridorBus.departs_at > departs_after)
        .order_by(SeatRequest.id))
    return [tuple(r) for r in rows]


def erase_permits(session: Session, person_ids: list[int]) -> int:
    """Erase the signed transit permits of a withdrawn registration's people (the token
    carries their names); the numbers and dates stay for the manifests' counts."""
    if not person_ids:
        return 0
    done = session.execute(update(Permit).where(Permit.person_id.in_(person_ids))
                           .values(token=""))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]
