"""Offers: the one hold at a time, lapses, and confirmation by each member who must.

Takes a session, never commits. The draw (``garita.draw``) creates offers; a
port's day (``garita.ports``) moves a confirmed appointment on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth.schemas import Principal
from garita.errors import Invalid, NotFound, Refused
from garita.geo import core as geo
from garita.offers.models import Confirmation, Offer
from garita.offers.schemas import ConfirmIn
from garita.policy import calendar
from garita.policy.schemas import Policy
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.registrations.models import Registration

# Statuses that use the day's places (capacity). A port's day (garita.ports) moves a
# confirmed appointment on to attended or no_show: still places used.
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
            now: dt.datetime, locator: geo.StateLocator) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(f"Offer {offer_id} does not exist or is not yours.")
    reg = registrations.get(session, offer.registration_id, who)  # ownership check
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
    audit.record(session, actor=who.actor, action="offer.confirm", object_type="offer",
                 object_id=offer.id, change={"person": person.id, "status": offer.status,
                                             "state": verdict.state})
    return offer


def registration_ports(port: str | None = None) -> Select[int, str]:
    """(registration_id, port) of every offer, or of one port's: a query to run or nest.

    For features that may not import this feature's models (integrity: which
    ports a registration was offered, the alerts of one port's registrations).
    """
    q = select(Offer.registration_id, Offer.port)
    return q.where(Offer.port == port) if port else q
