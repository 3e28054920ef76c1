"""Transit permits for seated passengers, and the checks at the bus door. Never commits."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.corridor import permits
from garita.corridor.models import Boarding, CorridorBus, Permit, SeatRequest
from garita.corridor.schemas import ScanOut
from garita.corridor.service import corridor_on
from garita.errors import Invalid, NotFound, Refused
from garita.notices import core as notices
from garita.notices.models import Notice
from garita.registrations.models import Person


def issue_permits(session: Session, signer: notices.Signer | None, now: dt.datetime,
                  actor: str) -> int:
    """A signed 20-day permit for every seated passenger who has none yet."""
    if signer is None:
        raise Refused("No notice signing key is configured; permits are signed with it.")
    have = set(session.scalars(select(Permit.person_id)))
    made = 0
    for req, bus in session.execute(select(SeatRequest, CorridorBus).join(
            CorridorBus, CorridorBus.id == SeatRequest.bus_id).where(
            SeatRequest.status == "assigned")):
        c = corridor_on(session, bus.departs_at.date())
        city = c.city(req.port)
        start = bus.departs_at.date()
        until = start + dt.timedelta(days=c.permit_days - 1)
        route = f"{req.hub} → {city.city if city else req.port} ({req.port})"
        for person in session.scalars(select(Person).where(
                Person.registration_id == req.registration_id).order_by(Person.position)):
            if person.id in have:
                continue
            number = "FMM-" + secrets.token_hex(5).upper()
            token = permits.sign({"v": 1, "n": number, "b": person.date_of_birth.isoformat(),
                                  "f": start.isoformat(), "u": until.isoformat(), "r": route},
                                 signer)
            session.add(Permit(number=number, seat_request_id=req.id, person_id=person.id,
                               valid_from=start, valid_until=until, route=route, token=token,
                               issued_at=now))
            made += 1
    session.flush()
    if made:
        audit.record(session, actor=actor, action="permit.issue", object_type="permit",
                     object_id=f"{made} permits", change={"count": made})
    return made


def _riders(session: Session, bus: CorridorBus) -> dict[int, SeatRequest]:
    """person id → seat request, for everyone seated on the bus."""
    out = {}
    for req in session.scalars(select(SeatRequest).where(SeatRequest.bus_id == bus.id,
                                                         SeatRequest.status == "assigned")):
        for pid in session.scalars(select(Person.id).where(
                Person.registration_id == req.registration_id)):
            out[pid] = req
    return out


def scan(session: Session, bus_id: int, token: str, keys: dict, now: dt.datetime) -> ScanOut:
    """Valid? On this bus? Not yet boarded? — for a permit (one person) or a notice (group)."""
    bus = session.get(CorridorBus, bus_id)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; take the id from the manifest.")
    riders = _riders(session, bus)
    if token.startswith(permits.PREFIX):
        payload, why = permits.verify(token, keys)
        permit = session.scalar(select(Permit).where(
            Permit.number == payload["n"])) if payload else None
        if permit is None or permit.token != token:
            return ScanOut(valid=False, on_this_bus=False, boarded=False,
                           message=f"Permit not valid: {why if payload is None else 'not issued'}.")
        if not permit.valid_from <= now.date() <= permit.valid_until:
            return ScanOut(valid=False, on_this_bus=False, boarded=False,
                           message=f"Permit valid {permit.valid_from} to {permit.valid_until}.")
        people = [permit.person_id]
    else:
        verdict = notices.verify(token, keys)
        notice = session.scalar(select(Notice).where(
            Notice.confirmation_number == verdict.payload.confirmation_number)
        ) if verdict.valid else None
        if notice is None or notice.token != token:
            return ScanOut(valid=False, on_this_bus=False, boarded=False,
                           message=f"Notice not valid: {verdict.message}")
        req = session.scalar(select(SeatRequest).where(SeatRequest.offer_id == notice.offer_id,
                                                       SeatRequest.status == "assigned"))
        people = [p for p, r in riders.items() if req is not None and r.id == req.id]
    done = set(session.scalars(select(Boarding.person_id).where(
        Boarding.bus_id == bus.id, Boarding.status == "boarded")))
    on = bool(people) and all(p in riders for p in people)
    boarded = bool(people) and all(p in done for p in people)
    msg = ("valid, on this bus, " + ("already boarded" if boarded else "not yet boarded")
           if on else "valid, but not seated on this bus")
    return ScanOut(valid=True, on_this_bus=on, boarded=boarded, message=msg, people=people)


def board(session: Session, bus_id: int, person_id: int, status: str, now: dt.datetime,
          actor: str) -> Boarding:
    bus = session.get(CorridorBus, bus_id)
    if bus is None:
        raise NotFound(f"Bus {bus_id} does not exist; take the id from the manifest.")
    if person_id not in _riders(session, bus):
        raise Invalid(f"Person {person_id} has no seat on bus {bus.code}; scan their permit "
                      "to see which bus they are on.")
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
