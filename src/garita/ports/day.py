"""A port's day as a whole: the arrival list, closing the day (no-shows), the summary.

Reads several features' tables for one port and date in a handful of set-based
queries (no per-group round trips), so a day of ~400 people lists quickly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import Refused
from garita.identity import Principal
from garita.integrity import service as integrity
from garita.offers import service as offers
from garita.photos import service as photos
from garita.policy import service as policies
from garita.ports import core
from garita.ports.models import CheckIn, Outcome, PortDay
from garita.ports.schemas import (
    Arrival,
    Arrivals,
    CheckInOut,
    DayClosed,
    DaySummary,
    Document,
    Member,
    OutcomeOut,
)
from garita.ports.service import authorise
from garita.registrations import service as registrations

DAY_STATUSES = ("confirmed", "attended", "no_show")  # appointments, not offers


def shown_status(offer_status: str, checked_in: bool) -> str:
    """A confirmed appointment with a check-in is shown as checked_in (the offer stays
    confirmed so that it keeps holding the registration until the outcomes)."""
    return "checked_in" if offer_status == "confirmed" and checked_in else offer_status


def _offers(session: Session, port: str, day: dt.date) -> list:
    return offers.at_port(session, port, day, DAY_STATUSES)


def _current_outcomes(session: Session, offer_ids: list[int]) -> dict[tuple[int, int], Outcome]:
    """The highest revision per (offer, person)."""
    best: dict[tuple[int, int], Outcome] = {}
    if offer_ids:
        for row in session.scalars(select(Outcome).where(Outcome.offer_id.in_(offer_ids))):
            key = (row.offer_id, row.person_id)
            if key not in best or row.revision > best[key].revision:
                best[key] = row
    return best


def _closed(session: Session, port: str, day: dt.date) -> PortDay | None:
    return session.scalar(select(PortDay).where(PortDay.port == port, PortDay.day == day))


def arrivals(session: Session, who: Principal, port: str, day: dt.date) -> Arrivals:
    """The groups expected at a port on a day, with members, check-in, outcomes and alerts."""
    port = authorise(who, port)
    day_offers = _offers(session, port, day)
    ids = [o.id for o in day_offers]
    regs = sorted({o.registration_id for o in day_offers})
    people = registrations.people_of(session, regs)
    checkins = {c.offer_id: c for c in session.scalars(
        select(CheckIn).where(CheckIn.offer_id.in_(ids)))} if ids else {}
    outcomes = _current_outcomes(session, ids)
    alerts = integrity.alerts_for_registrations(session, regs) if regs else {}
    taken = photos.of_offers(session, ids)
    groups = []
    for o in day_offers:
        members = [Member(person_id=p.id, position=p.position, given_names=p.given_names,
                          family_names=p.family_names, date_of_birth=p.date_of_birth,
                          nationality=p.nationality, sex=p.sex,
                          documents=[Document.model_validate(d) for d in p.documents or []],
                          photo=(o.id, p.id) in taken,
                          outcome=_out(outcomes.get((o.id, p.id))))
                   for p in people[o.registration_id]]
        seen = checkins.get(o.id)
        groups.append(Arrival(
            offer_id=o.id, registration_id=o.registration_id, slot=o.slot, persons=o.persons,
            status=shown_status(o.status, seen is not None),
            checkin=CheckInOut.model_validate(seen) if seen else None,
            members=members, alerts=alerts.get(o.registration_id, [])))
    return Arrivals(port=port, date=day, closed=_closed(session, port, day) is not None,
                    groups=groups)


def _out(row: Outcome | None) -> OutcomeOut | None:
    return OutcomeOut.model_validate(row) if row is not None else None


def close(session: Session, who: Principal, port: str, day: dt.date,
          now: dt.datetime) -> tuple[PortDay, bool]:
    """Confirmed appointments not checked in become no-shows; returns (day, closed now).

    No penalty: ``offers.service.current_hold`` ignores no-shows, so the registration may
    request again at once. Closing twice changes nothing.
    """
    port = authorise(who, port)
    existing = _closed(session, port, day)
    if existing is not None:
        return existing, False
    today = core.port_today(port, now)
    if day > today:
        raise Refused(f"{port}'s day {day} has not come yet (today there is {today}); "
                      "close a day at its end.")
    policy = policies.in_force(session, day).policy
    last_slot = max([*policy.slots, *(o.slot for o in _offers(session, port, day))])
    opens = core.day_closable(port, day, last_slot, policy.checkin_late_minutes, now)
    if opens is not None:
        raise Refused(f"{port}'s day {day} can be closed after {opens:%H:%M} ({port} time), "
                      "when the last slot's late allowance has passed.")
    waiting = offers.lock_confirmed(session, port, day)
    # read after the locks: a check-in that held one of these rows has committed by now
    arrived = set(session.scalars(select(CheckIn.offer_id).where(
        CheckIn.offer_id.in_([i for i, _ in waiting])))) if waiting else set()
    absent = [(i, n) for i, n in waiting if i not in arrived]
    row = PortDay(port=port, day=day, closed_at=now, closed_by=who.actor,
                  no_shows=len(absent), no_show_persons=sum(n for _, n in absent))
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # closed in parallel: that close stands
        again = _closed(session, port, day)
        if again is None:
            raise
        return again, False
    ids = [i for i, _ in absent]
    offers.move(session, ids, "confirmed", "no_show")
    audit.record(session, actor=who.actor, action="port_day.close", object_type="port_day",
                 object_id=f"{port}:{day}", change={"no_shows": ids,
                                                    "persons": row.no_show_persons})
    return row, True


def closed_out(row: PortDay) -> DayClosed:
    return DayClosed(port=row.port, date=row.day, closed_at=row.closed_at,
                     closed_by=row.closed_by, no_shows=row.no_shows,
                     no_show_persons=row.no_show_persons)


def summary(session: Session, who: Principal, port: str, day: dt.date) -> DaySummary:
    """Counts for the day: groups and persons by status, check-in timing, outcomes."""
    port = authorise(who, port)
    groups: Counter[str] = Counter()
    persons: Counter[str] = Counter()
    ids, at_port = [], 0
    day_offers = _offers(session, port, day)
    seen = set(session.scalars(select(CheckIn.offer_id).where(
        CheckIn.offer_id.in_([o.id for o in day_offers])))) if day_offers else set()
    for o in day_offers:
        offer_id, n = o.id, o.persons
        status = shown_status(o.status, offer_id in seen)
        groups[status] += 1
        persons[status] += n
        ids.append(offer_id)
        at_port += n if status in ("checked_in", "attended") else 0
    timing = dict(session.execute(
        select(CheckIn.timing, func.count(CheckIn.id)).where(CheckIn.offer_id.in_(ids))
        .group_by(CheckIn.timing)).all()) if ids else {}
    decided = Counter(o.outcome for o in _current_outcomes(session, ids).values())
    return DaySummary(port=port, date=day, closed=_closed(session, port, day) is not None,
                      groups_by_status=dict(groups), persons_by_status=dict(persons),
                      checkins_by_timing=timing, outcomes=dict(decided),
                      awaiting_outcome=at_port - sum(decided.values()))
