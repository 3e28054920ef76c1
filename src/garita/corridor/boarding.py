"""Transit permits for seated passengers, and the checks at the bus door. Never commits."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.corridor import permits, readmodel
from garita.corridor.models import Boarding, CorridorBus, Permit, SeatRequest
from garita.corridor.schemas import ScanOut
from garita.corridor.service import corridor_on
from garita.errors import Conflict, Invalid, NotFound, Refused
from garita.notices import core as notices

ROUTE_MAX = 120  # Permit.route


def route_text(req: SeatRequest, bus: CorridorBus) -> str:
    """'Tapachula 2024-09-16 → Heroica Matamoros (BRO) → Reynosa (HID)': the hub, the
    departure day and the bus's stops up to the group's own border city."""
    stops = []
    for stop in bus.stops:
        stops.append(f"{stop['city']} ({stop['port']})")
        if stop["port"] == req.port:
            break
    head = f"{bus.hub} {bus.departs_at:%Y-%m-%d} → "
    text = head + " → ".join(stops)
    return text if len(text) <= ROUTE_MAX else (head + "… → " + stops[-1])[:ROUTE_MAX]


def issue_permits(session: Session, signer: notices.Signer | None, now: dt.datetime,
                  actor: str) -> int:
    """A signed permit for every seated passenger who has none yet; a re-signed one
    (same number, new route or dates) for anyone a re-plan moved — the old token
    then no longer scans, and each re-issue is audited. Returns permits written."""
    if signer is None:
        raise Refused("No notice signing key is configured; permits are signed with it.")
    seated = list(session.execute(select(SeatRequest, CorridorBus).join(
        CorridorBus, CorridorBus.id == SeatRequest.bus_id).where(
        SeatRequest.status == "assigned")))
    made = 0
    for req, bus in seated:
        c = corridor_on(session, bus.departs_at.date())
        start = bus.departs_at.date()
        until = start + dt.timedelta(days=c.permit_days - 1)
        route = route_text(req, bus)
        riders = readmodel.riders(session, req.registration_id)
        held = {p.person_id: p for p in session.scalars(select(Permit).where(
            Permit.person_id.in_([r.id for r in riders])))}
        for rider in riders:
            old = held.get(rider.id)
            if old is not None and (old.route, old.valid_from, old.seat_request_id) == (
                    route, start, req.id):
                continue
            number = old.number if old is not None else "FMM-" + secrets.token_hex(5).upper()
            token = permits.sign({"v": 1, "n": number, "b": rider.date_of_birth.isoformat(),
                                  "f": start.isoformat(), "u": until.isoformat(), "r": route},
                                 signer)
            if old is None:
                session.add(Permit(number=number, seat_request_id=req.id, person_id=rider.id,
                                   valid_from=start, valid_until=until, route=route,
                                   token=token, issued_at=now))
            else:
                was = {"route": old.route, "valid_from": old.valid_from}
                old.seat_request_id, old.valid_from, old.valid_until = req.id, start, until
                old.route, old.token, old.issued_at = route, token, now
                session.flush()
                audit.record(session, actor=actor, action="permit.reissue",
                             object_type="permit", object_id=old.id,
                             change={"number": number, "from": was,
                                     "to": {"route": route, "valid_from": start}})
            made += 1
    session.flush()
    if made:
        audit.record(session, actor=actor, action="permit.issue", object_type="permit",
                     object_id=f"{made} permits", change={"count": made})
    return made


def _riders(session: Session, bus: CorridorBus) -> dict[int, SeatRequest]:
    """person id → seat request, for everyone seated on the bus."""
    reqs = {r.registration_id: r for r in session.scalars(select(SeatRequest).where(
        SeatRequest.bus_id == bus.id, SeatRequest.status == "assigned"))}
    return {pid: reqs[reg] for pid, reg in readmodel.person_ids(session, list(reqs)).items()}


def _bus_of(session: Session, request_id: int | None) -> str | None:
    """The code of the bus the seat request rides, or None when it has no seat."""
    return session.scalar(select(CorridorBus.code).join(
        SeatRequest, SeatRequest.bus_id == CorridorBus.id).where(
        SeatRequest.id == request_id, SeatRequest.status == "assigned"))


def _closes(session: Session, bus: CorridorBus) -> dt.datetime:
    grace = corridor_on(session, bus.departs_at.date()).boarding_grace_minutes
    return bus.departs_at + dt.timedelta(minutes=grace)


PERMIT_REASONS = {words: code for code, words in permits.WHY.items()}


def _refuse(what: str, why: str, reason: str, **params: str) -> ScanOut:
    """Not valid: the English message for the API, and the reason as a code with its
    values for a page to say in its own language."""
    return ScanOut(valid=False, on_this_bus=False, boarded=False,
                   message=f"{what} not valid: {why}.", code="invalid",
                   params={"document": what.lower(), "reason": reason, **params})


def scan(session: Session, bus_id: int, token: str, keys: dict, now: dt.datetime) -> ScanOut:
    """Valid? On this bus? Not yet boarded? — for a permit (one person) or a notice (group)."""
    bus = session.get(CorridorBus, bus_id)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; take the id from the manifest.")
    riders = _riders(session, bus)
    request_id: int | None
    if token.startswith(permits.PREFIX):
        payload, why = permits.verify(token, keys)
        permit = session.scalar(select(Permit).where(
            Permit.number == payload["n"])) if payload else None
        if payload is None or permit is None:
            if payload is None:
                return _refuse("Permit", why, PERMIT_REASONS.get(why, "malformed"))
            return _refuse("Permit", "not issued by Garita", "not_issued")
        if permit.token != token.strip():
            issued = f"{permit.issued_at:%Y-%m-%d %H:%M}"
            return _refuse("Permit", f"superseded: re-issued {issued} "
                                     f"UTC for {permit.route}; scan the current permit",
                           "superseded", issued_at=issued, route=permit.route)
        if not permit.valid_from <= now.date() <= permit.valid_until:
            return _refuse("Permit", f"valid {permit.valid_from} to {permit.valid_until}",
                           "out_of_dates", valid_from=str(permit.valid_from),
                           valid_until=str(permit.valid_until))
        people, request_id = [permit.person_id], permit.seat_request_id
    else:
        verdict = notices.verify(token.strip(), keys)
        offer = readmodel.notice_offer(session, verdict.payload.confirmation_number,
                                       token.strip()) if verdict.valid and verdict.payload else None
        if offer is None:
            if not verdict.valid:
                return _refuse("Notice", verdict.message.rstrip("."), verdict.reason)
            return _refuse("Notice", "superseded or not issued by Garita", "not_issued")
        req = session.scalar(select(SeatRequest).where(SeatRequest.offer_id == offer,
                                                       SeatRequest.status == "assigned"))
        request_id = req.id if req is not None else None
        people = [p for p, r in riders.items() if r.id == request_id]
    done = set(session.scalars(select(Boarding.person_id).where(
        Boarding.bus_id == bus.id, Boarding.status == "boarded")))
    on = bool(people) and all(p in riders for p in people)
    boarded = on and all(p in done for p in people)
    params: dict[str, str] = {}
    if on:
        code = "already_boarded" if boarded else "not_yet_boarded"
        msg = "valid, on this bus, " + ("already boarded" if boarded else "not yet boarded")
    else:
        other = _bus_of(session, request_id)
        code, params = ("other_bus", {"bus": other}) if other else ("no_seat", {})
        msg = ("valid, but not on this bus: "
               + (f"seated on bus {other}" if other else "not seated on any bus"))
    if on and not boarded and now > _closes(session, bus):
        params["closed_at"] = f"{_closes(session, bus):%H:%M}"
        msg += f"; boarding closed at {params['closed_at']} UTC (the bus has left)"
    return ScanOut(valid=True, on_this_bus=on, boarded=boarded, message=msg, people=people,
                   code=code, params=params)


def board(session: Session, bus_id: int, person_id: int, status: str, now: dt.datetime,
          actor: str) -> Boarding:
    """Record boarded or no-show. Boarding closes a policy grace period after departure;
    no-shows can be recorded any time (the crew fills them in once the bus has left)."""
    bus = session.get(CorridorBus, bus_id)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; take the id from the manifest.")
    if person_id not in _riders(session, bus):
        raise Invalid(f"Person {person_id} has no seat on bus {bus.code}; scan their permit "
                      "to see which bus they are on.")
    closes = _closes(session, bus)
    if status == "boarded" and bus.status in ("departed", "arrived"):
        raise Refused(f"Bus {bus.code} has {bus.status}; record a no-show and ask for a seat "
                      "on a later bus.")
    if status == "boarded" and now > closes:
        raise Refused(f"Bus {bus.code} left at {bus.departs_at:%Y-%m-%d %H:%M} UTC and boarding "
                      f"closed at {closes:%H:%M} UTC; record a no-show and ask for a seat on a "
                      "later bus.")
    row = session.scalar(select(Boarding).where(Boarding.bus_id == bus.id,
                                                Boarding.person_id == person_id))
    if row is None:
        row = Boarding(bus_id=bus.id, person_id=person_id, status=status, at=now, by=actor)
        session.add(row)
    else:
        row.status, row.at, row.by = status, now, actor
    session.flush()
    audit.record(session, actor=actor, action=f"bus.{status}", object_type="corridor_bus",
                 object_id=bus.id, change={"person": person_id})
    return row


# A bus's day: planned (by a plan) → boarding (the door is open) → departed → arrived.
NEXT_STATUS = {"planned": "boarding", "boarding": "departed", "departed": "arrived"}


def move_bus(session: Session, bus_id: int, to: str, now: dt.datetime, actor: str) -> CorridorBus:
    """Move a bus one step along planned → boarding → departed → arrived (audited)."""
    bus = session.get(CorridorBus, bus_id, with_for_update=True)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; take the id from the bus list.")
    expected = NEXT_STATUS.get(bus.status)
    if to != expected:
        then = f"it can only move to {expected}" if expected else "it cannot move any more"
        raise Conflict(f"Bus {bus.code} is {bus.status}: {then}, not to {to}.")
    before, bus.status = bus.status, to
    session.flush()
    audit.record(session, actor=actor, action=f"bus.status.{to}", object_type="corridor_bus",
                 object_id=bus.id, change={"from": before, "to": to, "at": now.isoformat()})
    return bus


def boarded(session: Session, bus_id: int) -> dict[int, str]:
    """person id → boarded or no_show, for the bus's door list."""
    rows = session.execute(select(Boarding.person_id, Boarding.status).where(
        Boarding.bus_id == bus_id))
    return {person: status for person, status in rows}
