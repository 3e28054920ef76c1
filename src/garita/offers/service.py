"""Offers: the one hold at a time, lapses, and confirmation by each member who must.

Takes a session, never commits. The draw (``garita.draw``) creates offers; a
port's day (``garita.ports``) moves a confirmed appointment on.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from garita.registrations.models import Registration

from garita.audit import service as audit
from garita.errors import Conflict, Invalid, NotFound, Refused
from garita.geo import core as geo
from garita.identity import Principal
from garita.offers.models import Confirmation, Offer
from garita.offers.schemas import ConfirmIn
from garita.photos import service as photos
from garita.policy import calendar
from garita.policy.ports import port
from garita.policy.schemas import Policy
from garita.policy.service import policy_now
from garita.registrations import service as registrations

# Statuses that use the day's places (capacity). A port's day (garita.ports) moves a
# confirmed appointment on to attended or no_show: still places used. The others —
# lapsed, declined (an offer turned down), cancelled (an appointment called off) — free
# their places for the next draw.
HOLDING = ("offered", "confirmed", "attended", "no_show")


def current_hold(session: Session, registration_id: int, now: dt.datetime) -> Offer | None:
    """An offer still open or an appointment still ahead: one at a time per registration."""
    return session.scalar(
        select(Offer).where(
            Offer.registration_id == registration_id,
            ((Offer.status == "offered") & (Offer.confirm_deadline > now))
            | ((Offer.status == "confirmed") & (Offer.appointment_date >= now.date())),
        ).order_by(Offer.id.desc()).limit(1)
    )


def lapse_expired(session: Session, now: dt.datetime, actor: str) -> int:
    """Offers past their deadline lapse; their places return to the pool."""
    ids = list(session.scalars(select(Offer.id).where(
        Offer.status == "offered", Offer.confirm_deadline <= now)))
    if ids:
        session.execute(update(Offer).where(Offer.id.in_(ids)).values(status="lapsed"))
        audit.record(session, actor=actor, action="offer.lapse", object_type="offer",
                     object_id=f"{len(ids)} offers", change={"ids": ids})
    return len(ids)


def confirmers(reg: Registration, policy: Policy, day: dt.date) -> list[int]:
    """Person ids who must confirm: the lead, or every member at or over the age."""
    if policy.confirm_by == "lead":
        return [reg.people[0].id]
    return [p.id for p in reg.people
            if p.position == 0 or calendar.age_on(p.date_of_birth, day) >= policy.confirm_min_age]


def confirm(session: Session, who: Principal, offer_id: int, data: ConfirmIn,
            now: dt.datetime, locator: geo.StateLocator, *, actor: str | None = None) -> Offer:
    """One member confirms from an eligible place (with their photo already taken when the
    policy in force says ``photo_required``: from 2024-03-04); the offer is confirmed when
    all have. The same version decides who confirms and whether a photo is needed.
    ``actor`` names who did it when not the owner: an NGO completing it with a person who
    asked for assistance (``garita.help``)."""
    missing = f"Offer {offer_id} does not exist or is not yours."
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(missing)
    reg = registrations.get(session, offer.registration_id, who, absent=missing)  # ownership
    if offer.status == "confirmed":
        return offer
    if offer.status == "lapsed" or offer.confirm_deadline <= now:
        lapse_expired(session, now, who.actor)
        raise Refused(f"This offer lapsed at {offer.confirm_deadline:%Y-%m-%d %H:%M %Z}; "
                      "request again in the next window.")
    _, policy, _ = policy_now(session, now)
    person = next((p for p in reg.people if p.id == data.person_id), None)
    needed = confirmers(reg, policy, now.date())
    if person is None:
        raise Invalid(f"Person {data.person_id} is not in registration {reg.id}.")
    if person.id not in needed:
        raise Invalid(f"Person {person.id} does not confirm under the rules in force "
                      f"({policy.confirm_by}, age {policy.confirm_min_age}+).")
    if policy.photo_required and not photos.taken(session, offer.id, person.id):
        raise Invalid(f"Person {person.id} has no photo for offer {offer.id}: take it first "
                      f"(POST /offers/{offer.id}/photos), then confirm.")
    verdict = geo.evaluate(locator, policy, data.lat, data.lon, person.nationality)
    if not verdict.eligible:
        raise Refused(verdict.reason, state=verdict.state, data_version=verdict.data_version)
    done = set(session.scalars(select(Confirmation.person_id)
                               .where(Confirmation.offer_id == offer.id)))
    if person.id not in done:
        session.add(Confirmation(offer_id=offer.id, person_id=person.id, lat=data.lat,
                                 lon=data.lon, state=verdict.state, eligible=True, at=now))
        done.add(person.id)
    if set(needed) <= done:
        offer.status, offer.confirmed_at = "confirmed", now
    session.flush()
    audit.record(session, actor=actor or who.actor, action="offer.confirm", object_type="offer",
                 object_id=offer.id, change={"person": person.id, "status": offer.status,
                                             "state": verdict.state})
    return offer


def photo_subject(session: Session, who: Principal, offer_id: int, person_id: int,
                  now: dt.datetime) -> Offer:
    """The offer a member's confirmation photo belongs to, if this caller may take it:
    the owner's open (or confirmed, upcoming) offer, and a member who must confirm."""
    missing = f"Offer {offer_id} does not exist or is not yours."
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(missing)
    reg = registrations.get(session, offer.registration_id, who, absent=missing)  # ownership
    open_offer = offer.status == "offered" and offer.confirm_deadline > now
    upcoming = offer.status == "confirmed" and offer.appointment_date >= now.date()
    if not (open_offer or upcoming):
        raise Refused(f"Offer {offer_id} is {offer.status}: photos are taken while it is "
                      "open or before the appointment.")
    _, policy, _ = policy_now(session, now)
    if person_id not in {p.id for p in reg.people}:
        raise Invalid(f"Person {person_id} is not in registration {reg.id}.")
    if person_id not in confirmers(reg, policy, now.date()):
        raise Invalid(f"Person {person_id} does not confirm under the rules in force "
                      f"({policy.confirm_by}, age {policy.confirm_min_age}+).")
    return offer


def decline(session: Session, who: Principal, offer_id: int, now: dt.datetime) -> Offer:
    """Turn down an open offer: its places go back to the next draw (``held_places`` counts
    only ``HOLDING`` statuses), the registration may ask again, and nothing counts against
    it. Declining twice answers the same."""
    offer = _own(session, who, offer_id)
    if offer.status == "declined":
        return offer
    if offer.status == "confirmed":
        raise Conflict(f"Offer {offer.id} is a confirmed appointment: cancel it instead.")
    if offer.status != "offered" or offer.confirm_deadline <= now:
        raise Conflict(f"Offer {offer.id} has ended ({_ended(offer, now)}); there is nothing "
                       "to decline.")
    return _end(session, who, offer, "declined", now)


def cancel(session: Session, who: Principal, offer_id: int, now: dt.datetime) -> Offer:
    """Cancel a confirmed appointment up to its time: the places go back to the next draw
    and the registration may ask again. Not a no-show: nothing counts against it."""
    offer = _own(session, who, offer_id)
    if offer.status == "cancelled":
        return offer
    if offer.status == "offered" and offer.confirm_deadline > now:
        raise Conflict(f"Offer {offer.id} is not confirmed yet: decline it instead.")
    if offer.status != "confirmed":
        raise Conflict(f"Offer {offer.id} has ended ({_ended(offer, now)}); there is nothing "
                       "to cancel.")
    if dt.datetime.combine(offer.appointment_date, offer.slot,
                           tzinfo=port(offer.port).zone) <= now:
        raise Conflict(f"The appointment of offer {offer.id} has begun; it can no longer be "
                       "cancelled.")
    return _end(session, who, offer, "cancelled", now)


def _own(session: Session, who: Principal, offer_id: int) -> Offer:
    missing = f"Offer {offer_id} does not exist or is not yours."
    offer = get(session, offer_id, lock=True)
    if offer is None:
        raise NotFound(missing)
    # a stranger's offer answers exactly as a missing one (nothing about its registration)
    registrations.get(session, offer.registration_id, who, absent=missing)
    return offer


def _ended(offer: Offer, now: dt.datetime) -> str:
    return "lapsed" if offer.status == "offered" and offer.confirm_deadline <= now \
        else offer.status


def _end(session: Session, who: Principal, offer: Offer, status: str,
         now: dt.datetime) -> Offer:
    was = offer.status
    offer.status = status
    session.flush()
    action = "offer.decline" if status == "declined" else "offer.cancel"
    audit.record(session, actor=who.actor, action=action, object_type="offer",
                 object_id=offer.id, change={"from": was, "status": status,
                                             "registration": offer.registration_id,
                                             "persons": offer.persons, "at": now})
    return offer


# ------------------------------------------------------------------ for the features above
# The port's day, notices, the corridor and the status read and move offers only
# through these functions: the offer table stays this feature's own.

def get(session: Session, offer_id: int, lock: bool = False) -> Offer | None:
    """One offer; ``lock`` takes its row lock (and reloads it) for a change that follows."""
    query = select(Offer).where(Offer.id == offer_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def at_port(session: Session, port: str, day: dt.date, statuses: tuple[str, ...]) -> list[Offer]:
    """A port's appointments on a day with these statuses, by slot."""
    return list(session.scalars(
        select(Offer).where(Offer.port == port, Offer.appointment_date == day,
                            Offer.status.in_(statuses))
        .order_by(Offer.slot, Offer.id)))


def lock_confirmed(session: Session, port: str, day: dt.date) -> list[tuple[int, int]]:
    """(id, persons) of the day's confirmed appointments, row-locked in id order."""
    return [(i, n) for i, n in session.execute(
        select(Offer.id, Offer.persons).where(Offer.port == port, Offer.appointment_date == day,
                                              Offer.status == "confirmed")
        .order_by(Offer.id).with_for_update())]


def move(session: Session, ids: list[int], from_status: str, to_status: str) -> int:
    """Offers still in ``from_status`` move to ``to_status``; returns how many moved."""
    if not ids:
        return 0
    result = session.execute(update(Offer).where(Offer.id.in_(ids), Offer.status == from_status)
                             .values(status=to_status))
    return int(getattr(result, "rowcount", 0) or 0)


HOLDER_ROLES = ("applicant:", "ngo:")  # audit actors acting for the registration


def ended_by_holder(session: Session, offers: list[Offer]) -> set[int]:
    """Which of these ended offers the registration's holder ended themselves: every
    decline and withdrawal is theirs (``decline``; a withdrawn or deleted registration),
    a cancellation when the audit says an applicant or the NGO acting for them
    cancelled it (``cancel``); a cancellation by the scheme has no such entry."""
    own = {o.id for o in offers if o.status in ("declined", "withdrawn")}
    cancelled = [o.id for o in offers if o.status == "cancelled"]
    if cancelled:
        actors = audit.actors_of(session, "offer", cancelled, "offer.cancel")
        own |= {i for i in cancelled
                if any(a.startswith(HOLDER_ROLES) for a in actors.get(str(i), []))}
    return own


def latest(session: Session, registration_id: int) -> Offer | None:
    return session.scalar(select(Offer).where(Offer.registration_id == registration_id)
                          .order_by(Offer.id.desc()).limit(1))


def latest_of(session: Session, registration_ids: list[int]) -> dict[int, Offer]:
    """`latest` for many registrations in one query (the desk's page): registration id →
    its newest offer, for those that have one."""
    if not registration_ids:
        return {}
    newest = (select(func.max(Offer.id)).where(Offer.registration_id.in_(registration_ids))
              .group_by(Offer.registration_id))
    return {o.registration_id: o for o in session.scalars(select(Offer).where(
        Offer.id.in_(newest)))}


def confirmed_people(session: Session, offer_id: int) -> set[int]:
    """Person ids who have confirmed this offer."""
    return set(session.scalars(select(Confirmation.person_id)
                               .where(Confirmation.offer_id == offer_id)))


def confirmation(session: Session, offer_id: int, person_id: int) -> Confirmation | None:
    return session.scalar(select(Confirmation).where(
        Confirmation.offer_id == offer_id, Confirmation.person_id == person_id))


def held_places(session: Session, days: list[dt.date]) -> dict[tuple[str, dt.date, dt.time], int]:
    """Persons holding places per (port, day, slot) on these days: what a draw cannot give."""
    rows = session.execute(
        select(Offer.port, Offer.appointment_date, Offer.slot, func.sum(Offer.persons))
        .where(Offer.appointment_date.in_(days), Offer.status.in_(HOLDING))
        .group_by(Offer.port, Offer.appointment_date, Offer.slot))
    return {(p, d, s): int(n) for p, d, s, n in rows}


def issue(session: Session, rows: list[dict]) -> None:
    """Insert a draw's offers in one statement (a million rows: no ORM objects)."""
    if rows:
        session.execute(insert(Offer), rows)


def of_draw(session: Session, draw_id: int) -> list[tuple]:
    """(request id, port, tier, rank, appointment date, slot, persons) of a draw's offers."""
    return [tuple(r) for r in session.execute(
        select(Offer.request_id, Offer.port, Offer.tier, Offer.rank, Offer.appointment_date,
               Offer.slot, Offer.persons).where(Offer.draw_id == draw_id))]


def tiers_of(session: Session, request_ids: list[int]) -> dict[int, str]:
    """request id → the tier it won in, for those of these requests that won."""
    out: dict[int, str] = {}
    for i in range(0, len(request_ids), 10_000):  # bounded IN lists
        out.update(session.execute(select(Offer.request_id, Offer.tier).where(
            Offer.request_id.in_(request_ids[i:i + 10_000]))).all())
    return out


def appointment_near(session: Session, registration_id: int, port: str, day: dt.date,
                     days: int) -> bool:
    """Has this registration a confirmed (or attended, or missed) appointment at ``port``
    within ``days`` of ``day``? What lets a port's officer see its people."""
    return session.scalar(select(Offer.id).where(
        Offer.registration_id == registration_id, Offer.port == port,
        Offer.status.in_(("confirmed", "attended", "no_show")),
        Offer.appointment_date.between(day - dt.timedelta(days=days),
                                       day + dt.timedelta(days=days))).limit(1)) is not None
def registrations_with(status: str | None = None, port: str | None = None) -> Select:
    """Ids of registrations with an offer in this status (at this port): a list filter."""
    query = select(Offer.registration_id)
    if status is not None:
        query = query.where(Offer.status == status)
    if port is not None:
        query = query.where(Offer.port == port)
    return query


def registration_ports(port: str | None = None) -> Select[int, str]:
    """(registration_id, port) of every offer, or of one port's: a query to run or nest.

    For features that may not import this feature's models (integrity: which
    ports a registration was offered, the alerts of one port's registrations).
    """
    q = select(Offer.registration_id, Offer.port)
    return q.where(Offer.port == port) if port else q


# -- read by garita.notify's scan (messages to applicants) --------------------------

def after(session: Session, after_id: int, limit: int) -> list[Offer]:
    """Offers made after ``after_id``, oldest first (a scan's watermark)."""
    return list(session.scalars(select(Offer).where(Offer.id > after_id)
                                .order_by(Offer.id).limit(limit)))


def deadlines_between(session: Session, start: dt.datetime, end: dt.datetime,
                      statuses: tuple[str, ...]) -> list[Offer]:
    """Offers with these statuses whose confirmation deadline falls in [start, end)."""
    return list(session.scalars(select(Offer).where(
        Offer.confirm_deadline >= start, Offer.confirm_deadline < end,
        Offer.status.in_(statuses)).order_by(Offer.id)))


def confirmed_between(session: Session, start: dt.datetime, end: dt.datetime) -> list[Offer]:
    """Offers confirmed in [start, end]."""
    return list(session.scalars(select(Offer).where(
        Offer.status == "confirmed", Offer.confirmed_at >= start, Offer.confirmed_at <= end)
        .order_by(Offer.id)))


def upcoming(session: Session, statuses: tuple[str, ...], from_day: dt.date) -> list[Offer]:
    """Offers with these statuses for appointments on or after ``from_day``."""
    return list(session.scalars(select(Offer).where(
        Offer.status.in_(statuses), Offer.appointment_date >= from_day).order_by(Offer.id)))


def offered_requests(session: Session, request_ids: list[int]) -> set[int]:
    """Which of these requests got an offer."""
    return set(session.scalars(select(Offer.request_id)
                               .where(Offer.request_id.in_(request_ids))))
def of_registration(session: Session, registration_id: int) -> list[Offer]:
    """Every offer a registration received, oldest first (the owner's data export)."""
    return list(session.scalars(select(Offer).where(Offer.registration_id == registration_id)
                                .order_by(Offer.id)))


def confirmations_of(session: Session, offer_ids: list[int]) -> list[Confirmation]:
    if not offer_ids:
        return []
    return list(session.scalars(select(Confirmation).where(Confirmation.offer_id.in_(offer_ids))
                                .order_by(Confirmation.id)))


def withdraw_registration(session: Session, registration_id: int, now: dt.datetime) -> list[int]:
    """A withdrawn registration gives back what it holds: an open offer or an appointment
    still ahead becomes ``withdrawn`` (its places return to the next draw, as a lapse's
    do), and where its members confirmed from is cut to about 10 km (one decimal).
    Returns the ids of all its offers."""
    offers = of_registration(session, registration_id)
    ids = [o.id for o in offers]
    session.execute(update(Offer).where(
        Offer.id.in_(ids), Offer.status.in_(("offered", "confirmed")),
        Offer.appointment_date >= now.date()).values(status="withdrawn"))
    for c in confirmations_of(session, ids):
        c.lat, c.lon = round(c.lat, 1), round(c.lon, 1)
    session.flush()
    return ids


def longest_waiting_days(session: Session, draw_ids: list[int]) -> list[tuple[int, str, int]]:
    """(draw id, port, registration id) of every longest-waiting offer of these draws: with
    the registration dates (published in each draw's inputs) they give the share's cutoff."""
    if not draw_ids:
        return []
    return [(d, p, r) for d, p, r in session.execute(
        select(Offer.draw_id, Offer.port, Offer.registration_id)
        .where(Offer.draw_id.in_(draw_ids), Offer.tier == "longest_waiting"))]
