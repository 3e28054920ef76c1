"""Daily requests, confirmation and status. Takes a session, never commits.

The draw itself lives in ``draws.py``; the pure rules in ``calendar.py`` and
``core.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth.schemas import Principal
from garita.errors import Invalid, NotFound, Refused
from garita.geo import core as geo
from garita.policy import service as policies
from garita.policy.schemas import Policy
from garita.registrations import service as registrations
from garita.registrations.models import Registration
from garita.scheduling import calendar, intake
from garita.scheduling.models import Confirmation, DailyRequest, Draw, Offer
from garita.scheduling.schemas import ConfirmIn, OfferOut, RequestIn, RequestOut, Status

# Statuses that use the day's places (capacity). A port's day (garita.ports) moves a
# confirmed appointment on to attended or no_show: still places used.
HOLDING = ("offered", "confirmed", "attended", "no_show")


def policy_now(session: Session, now: dt.datetime) -> tuple[int, Policy, dt.date]:
    """The policy in force at this moment in its own time zone: (version id, policy, since)."""
    version = intake.resolve_now(lambda day: policies.in_force(session, day), now)
    return version.id, version.policy, version.effective_from


def current_hold(session: Session, registration_id: int, now: dt.datetime) -> Offer | None:
    """An offer still open or an appointment still ahead: one at a time per registration."""
    return session.scalar(
        select(Offer).where(
            Offer.registration_id == registration_id,
            ((Offer.status == "offered") & (Offer.confirm_deadline > now))
            | ((Offer.status == "confirmed") & (Offer.appointment_date >= now.date())),
        ).order_by(Offer.id.desc()).limit(1)
    )


def make_request(session: Session, who: Principal, registration_id: int, data: RequestIn,
                 now: dt.datetime, locator: geo.StateLocator) -> tuple[DailyRequest, bool]:
    """Record today's request; returns (request, created). Repeating it returns the same one.

    The rules are :func:`garita.scheduling.intake.decide`; this gathers their facts
    through a session (SQLite, demo, CLI). The API on PostgreSQL uses
    :func:`garita.scheduling.intake_pg.request`.
    """
    reg = session.execute(select(
        Registration.owner_id, Registration.group_size, Registration.registered_at,
        Registration.lead_nationality).where(Registration.id == registration_id)).one_or_none()
    intake.visible(who, registration_id, reg.owner_id if reg else None)
    _, policy, since = policy_now(session, now)
    window = calendar.window_check(policy, now)
    existing = session.scalar(select(DailyRequest).where(
        DailyRequest.registration_id == registration_id,
        DailyRequest.service_date == window.service_date))
    hold = None if existing is not None else current_hold(session, registration_id, now)
    facts = intake.Facts(
        owner_id=reg.owner_id, group_size=reg.group_size, registered_at=reg.registered_at,
        lead_nationality=reg.lead_nationality,
        existing_port=existing.port if existing is not None else None,
        hold=(hold.port, hold.appointment_date, hold.status) if hold is not None else None)
    values = intake.decide(registration_id, facts, policy, since, window, data, now, locator)
    if values is None:
        return existing, False
    req = DailyRequest(**values)
    try:
        with session.begin_nested():
            session.add(req)
            session.flush()
    except IntegrityError:  # the unique (registration, day) key: a parallel twin won
        twin = session.scalar(select(DailyRequest).where(
            DailyRequest.registration_id == registration_id,
            DailyRequest.service_date == window.service_date))
        if twin is None:
            raise
        intake.same_request(twin.port, twin.service_date, data.port)
        return twin, False
    audit.record(session, actor=who.actor, action="request.create", object_type="daily_request",
                 object_id=req.id, change=intake.audit_change(values))
    return req, True


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


def status(session: Session, who: Principal, registration_id: int, now: dt.datetime) -> Status:
    reg = registrations.get(session, registration_id, who)
    _, policy, since = policy_now(session, now)
    offer = session.scalar(select(Offer).where(Offer.registration_id == reg.id)
                           .order_by(Offer.id.desc()).limit(1))
    offer_out = OfferOut.model_validate(offer) if offer else None
    if offer_out is not None and offer_out.status == "offered" and offer_out.confirm_deadline <= now:
        offer_out.status = "lapsed"  # shown as it is; the next draw records the lapse
    if offer is not None and offer_out is not None and offer_out.status == "offered":
        done = set(session.scalars(select(Confirmation.person_id)
                                   .where(Confirmation.offer_id == offer.id)))
        waiting = [p for p in confirmers(reg, policy, now.date()) if p not in done]
        return Status(registration_id=reg.id, stage="offered", offer=offer_out,
                      awaiting_confirmation=waiting,
                      message=f"Selected for {offer.port} on {offer.appointment_date} at "
                              f"{offer.slot:%H:%M}. Confirm by "
                              f"{offer.confirm_deadline:%Y-%m-%d %H:%M %Z} from an eligible place.")
    if offer is not None and offer.status == "confirmed":
        past = " The day has passed; the port has not recorded it yet." if (
            offer.appointment_date < now.date()) else ""
        return Status(registration_id=reg.id, stage="confirmed", offer=offer_out,
                      message=f"Appointment confirmed: {offer.port}, {offer.appointment_date} "
                              f"at {offer.slot:%H:%M}.{past}")
    return _request_status(session, reg, policy, since, now, offer, offer_out)


# What an ended appointment or offer means for the applicant, and what to do next.
ENDED = {
    "lapsed": "Your last offer lapsed unconfirmed. ",
    "no_show": "You did not attend your last appointment; there is no penalty. ",
    "attended": "Your last appointment took place; the port recorded its outcome. ",
}


def _request_status(session: Session, reg: Registration, policy: Policy, since: dt.date,
                    now: dt.datetime, offer: Offer | None, offer_out: OfferOut | None) -> Status:
    """Stages after the latest offer (if any) has ended, or before any offer."""
    if not policy.active:
        return Status(registration_id=reg.id, stage="closed",
                      message=f"The scheme is closed since {since}.")
    window = calendar.window_check(policy, now)
    last = session.scalar(select(DailyRequest).where(DailyRequest.registration_id == reg.id)
                          .order_by(DailyRequest.service_date.desc()).limit(1))
    last_out = RequestOut.model_validate(last) if last else None
    if last is not None and session.scalar(select(func.count(Draw.id)).where(
            Draw.service_date == last.service_date)) == 0:
        when = calendar.draw_moment(policy, last.service_date)
        return Status(registration_id=reg.id, stage="requested", request=last_out,
                      message=f"Requested {last.port} for {last.service_date}; results after "
                              f"{when:%Y-%m-%d %H:%M %Z}.")
    ended = offer is not None and last is not None and offer.request_id == last.id
    if ended and offer_out is not None and offer_out.status in ENDED:
        return Status(registration_id=reg.id, stage=offer_out.status, offer=offer_out,
                      request=last_out, message=ENDED[offer_out.status] + window.message)
    stage = "not_selected" if last is not None else "can_request"
    prefix = "Not selected in the last draw; ask again. " if last is not None else ""
    return Status(registration_id=reg.id, stage=stage, request=last_out,
                  message=prefix + window.message)
