"""Check-in and per-person outcomes at a port. Takes a session, flushes, never commits.

An appointment (a confirmed offer) moves on to ``attended`` once every member
has an outcome, or to ``no_show`` when the day closes without a check-in
(``day.close``). A check-in is its own row and leaves the offer ``confirmed``, so
``offers.service.current_hold`` (confirmed, on or after today) keeps holding the
registration while the group is at the port, and releases it after an outcome or
a no-show. Check-in and close both lock the offer row first (``FOR UPDATE`` on
PostgreSQL; SQLite serialises writers), so a scan racing the day's close cannot
leave a checked-in group marked absent.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from garita.offers.models import Offer

from garita.audit import service as audit
from garita.errors import Conflict, Forbidden, Invalid, NotFound, Refused
from garita.identity import Principal, Role
from garita.notices import core as notices
from garita.notices import service as notice_register
from garita.notices.keys import KeyRing
from garita.offers import service as offers
from garita.photos import service as photos
from garita.photos.sealing import PhotoKeys
from garita.policy import service as policies
from garita.policy.ports import PORT_CODES
from garita.ports import core
from garita.ports.models import CheckIn, Outcome
from garita.ports.schemas import CheckInIn, OutcomeIn
from garita.registrations import service as registrations


def authorise(who: Principal, port: str) -> str:
    """The port code if this caller may work that port's day: its officers, or an admin."""
    code = port.upper()
    if code not in PORT_CODES:
        raise NotFound(f"Unknown port '{port}'; use one of {', '.join(PORT_CODES)}.")
    if who.role is Role.admin or (who.role is Role.officer and who.port == code):
        return code
    if who.role is Role.officer:
        raise Forbidden(f"You are an officer at {who.port}: you can only see and work "
                        f"{who.port}'s day, not {code}'s. Ask an admin if you moved port.")
    raise Forbidden(f"Only {code}'s officers and admins can see and work {code}'s day.")


def appointment(session: Session, port: str, offer_id: int, lock: bool = False) -> Offer:
    offer = offers.get(session, offer_id, lock=lock)
    if offer is None or offer.port != port:
        raise NotFound(f"No appointment {offer_id} at {port}; check the number on the "
                       "notice, or send the holder to the port printed on it.")
    return offer


def _find(session: Session, port: str, data: CheckInIn,
          keys: KeyRing) -> tuple[Offer, str]:
    """The appointment behind an offer id, a scanned QR token or a typed confirmation number.

    A token must verify against the public keys *and* be the one issued for its number
    (a validly signed but superseded token is not accepted), as the notices register says.
    """
    if data.offer_id is not None:
        return appointment(session, port, data.offer_id, lock=True), "offer_id"
    number: str | None
    if data.token is not None:
        verdict = notices.verify(data.token, keys.public)
        if not verdict.valid or verdict.payload is None:
            raise Refused(f"The QR code does not verify: {verdict.message} Check the documents "
                          "and use the confirmation number instead.", reason=verdict.reason)
        number, method = verdict.payload.confirmation_number, "token"
    else:
        number = notices.normalise_number(data.confirmation_number or "")
        if number is None:
            raise Invalid("confirmation_number: ten letters and digits as printed on the "
                          "notice, e.g. 7K3M9-QX2PA.")
        method = "confirmation_number"
    notice = notice_register.by_number(session, number)
    if notice is None or (data.token is not None
                          and not hmac.compare_digest(notice.token.encode(),
                                                      data.token.encode())):
        raise NotFound(f"No notice {notices.grouped(number)} was issued by this register; "
                       "check the number or the document, or find the group in the arrival "
                       "list.")
    return appointment(session, port, notice.offer_id, lock=True), method


def locate(session: Session, who: Principal, port: str, code: str, keys: KeyRing) -> int:
    """The appointment id behind a scanned QR token or a typed confirmation number
    (the officer's console opens the group's record with it, before the check-in)."""
    port = authorise(who, port)
    code = code.strip()
    data = (CheckInIn(token=code, identity_confirmed=False) if code.startswith(("GN2:", "GN1."))
            else CheckInIn(confirmation_number=code or "-", identity_confirmed=False))
    return _find(session, port, data, keys)[0].id


def check_in(session: Session, who: Principal, port: str, data: CheckInIn,
             now: dt.datetime, keys: KeyRing) -> tuple[CheckIn, bool]:
    """Check a group in; returns (check-in, created). Scanning twice returns the first."""
    port = authorise(who, port)
    offer, method = _find(session, port, data, keys)
    done = session.scalar(select(CheckIn).where(CheckIn.offer_id == offer.id))
    if done is not None:
        return done, False
    if offer.status == "no_show":
        raise Refused(f"Appointment {offer.id} became a no-show when {port} closed "
                      f"{offer.appointment_date}; the registration may request a new one.")
    if offer.status != "confirmed":
        raise Refused(f"Appointment {offer.id} was never confirmed (status {offer.status}); "
                      "it is not an appointment and cannot be checked in.")
    today = core.port_today(port, now)
    if offer.appointment_date != today:
        raise Refused(f"Appointment {offer.id} is for {offer.appointment_date}; today at "
                      f"{port} is {today}. Check in only on the appointment day.")
    if not data.identity_confirmed:
        raise Invalid("Confirm each member's identity against the notice (photo and "
                      "documents), then send identity_confirmed=true.")
    policy = policies.in_force(session, offer.appointment_date).policy
    seen = core.arrival(port, offer.appointment_date, offer.slot, now,
                        policy.checkin_early_minutes, policy.checkin_late_minutes)
    if seen.timing == "early":
        raise Refused(f"Early: check-in for the {offer.slot:%H:%M} slot opens at "
                      f"{seen.opens_at:%H:%M} ({port} time). Ask the group to come back then.",
                      timing="early", minutes_from_slot=seen.minutes_from_slot)
    if seen.timing == "late" and not data.accept_late:
        raise Refused(f"Late: {seen.minutes_from_slot} minutes after the {offer.slot:%H:%M} "
                      f"slot; the policy allows {policy.checkin_late_minutes}. To admit the "
                      "group anyway, resend with accept_late=true (it is recorded).",
                      timing="late", minutes_from_slot=seen.minutes_from_slot)
    row = CheckIn(offer_id=offer.id, port=port, day=today, at=now, officer_id=who.account_id,
                  identity_confirmed=True, method=method, timing=seen.timing,
                  minutes_from_slot=seen.minutes_from_slot,
                  late_accepted=seen.timing == "late")
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # only without row locks: a parallel scan won; return its record
        twin = session.scalar(select(CheckIn).where(CheckIn.offer_id == offer.id))
        if twin is None:
            raise
        return twin, False
    audit.record(session, actor=who.actor, action="checkin.create", object_type="offer",
                 object_id=offer.id, change={"port": port, "method": method,
                                             "timing": seen.timing,
                                             "minutes_from_slot": seen.minutes_from_slot,
                                             "late_accepted": row.late_accepted})
    return row, True


def current_outcome(session: Session, offer_id: int, person_id: int) -> Outcome | None:
    return session.scalar(select(Outcome).where(Outcome.offer_id == offer_id,
                                                Outcome.person_id == person_id)
                          .order_by(Outcome.revision.desc()).limit(1))


def record_outcome(session: Session, who: Principal, port: str, data: OutcomeIn,
                   now: dt.datetime) -> tuple[Outcome, bool]:
    """Record one person's outcome; returns (outcome, created).

    A person has one current outcome. Recording another needs ``supersedes`` = the
    current one's id: a correction is a new, audited revision, never an overwrite;
    naming the replaced record stops two officers from correcting blindly at once.
    Repeating the identical current outcome returns it unchanged (a safe retry).
    """
    port = authorise(who, port)
    offer = appointment(session, port, data.offer_id)
    if session.scalar(select(CheckIn.id).where(CheckIn.offer_id == offer.id)) is None:
        raise Refused(f"Appointment {offer.id} is not checked in (status {offer.status}); "
                      f"check the group in at POST /ports/{port}/checkins first.")
    person = registrations.person(session, data.person_id)
    if person is None or person.registration_id != offer.registration_id:
        raise Invalid(f"Person {data.person_id} is not in appointment {offer.id}'s group; "
                      "use a person_id from the arrival list.")
    decided_on = core.port_today(port, now)
    problem = core.outcome_problem(data.outcome, data.reason, data.parole_until, decided_on)
    if problem:
        raise Invalid(problem)
    current = current_outcome(session, offer.id, person.id)
    if current is not None and data.supersedes is None:
        if (current.outcome, current.reason, current.parole_until) == (
                data.outcome, data.reason, data.parole_until):
            return current, False
        raise Conflict(f"Person {person.id} already has outcome '{current.outcome}' "
                       f"(id {current.id}). To correct it, send supersedes={current.id}.",
                       current_outcome_id=current.id)
    if data.supersedes is not None and (current is None or current.id != data.supersedes):
        now_id = "none" if current is None else current.id
        raise Conflict(f"Outcome {data.supersedes} is not person {person.id}'s current "
                       f"outcome on this appointment (current: {now_id}); reload and retry.")
    row = Outcome(offer_id=offer.id, person_id=person.id, port=port,
                  revision=1 if current is None else current.revision + 1,
                  supersedes_id=data.supersedes, outcome=data.outcome, reason=data.reason,
                  parole_until=data.parole_until, note=data.note, officer_id=who.account_id,
                  at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(f"Another officer recorded an outcome for person {person.id} at the "
                       "same moment; reload the arrival list and correct it if needed.") from None
    audit.record(session, actor=who.actor,
                 action="outcome.correct" if current else "outcome.record",
                 object_type="port_outcome", object_id=row.id,
                 change={"offer": offer.id, "person": person.id, "outcome": row.outcome,
                         "reason": row.reason, "parole_until": row.parole_until,
                         "revision": row.revision, "supersedes": row.supersedes_id})
    _mark_attended(session, who, offer)
    return row, True


def _mark_attended(session: Session, who: Principal, offer: Offer) -> None:
    """Every member decided: the appointment is attended and no longer holds the registration."""
    members = len(registrations.people_of(session, [offer.registration_id])[offer.registration_id])
    decided = session.execute(select(func.count(func.distinct(Outcome.person_id)))
                              .where(Outcome.offer_id == offer.id)).scalar_one()
    if decided < members:
        return
    if offers.move(session, [offer.id], "confirmed", "attended"):
        audit.record(session, actor=who.actor, action="offer.attended", object_type="offer",
                     object_id=offer.id, change={"persons": members})


def within_days(who: Principal, port: str, day: dt.date, now: dt.datetime, days: int) -> None:
    """Officers work the days around today only (``GARITA_OFFICER_DAYS_AROUND``)."""
    if who.role is Role.officer:
        today = core.port_today(port, now)
        if abs((day - today).days) > days:
            raise Forbidden(f"Officers see the arrivals of {today - dt.timedelta(days=days)} "
                            f"to {today + dt.timedelta(days=days)} only; ask an admin for "
                            "other days.")


def photo(session: Session, who: Principal, port: str, offer_id: int, person_id: int,
          now: dt.datetime, days: int, keys: PhotoKeys, route: str) -> bytes:
    """A member's confirmation photo, for the officers of the appointment's port within their
    days, or an admin; the view is audited (``photo.view``)."""
    port = authorise(who, port)
    offer = appointment(session, port, offer_id)
    within_days(who, port, offer.appointment_date, now, days)
    person = registrations.person(session, person_id)
    if person is None or person.registration_id != offer.registration_id:
        raise NotFound(f"Person {person_id} is not in appointment {offer_id}'s group; use a "
                       "person_id from the arrival list.")
    return photos.view(session, who, offer.id, person_id, keys, route)


def outcomes_of(session: Session, offer_id: int) -> dict[int, tuple[str, dt.date | None]]:
    """Each person's current outcome on an appointment: person id → (outcome, parole end).

    For the applicant's status (the draw feature, below this one, is handed this
    function by the composition root): it says what was decided and what follows.
    """
    best: dict[int, Outcome] = {}
    for row in session.scalars(select(Outcome).where(Outcome.offer_id == offer_id)):
        if row.person_id not in best or row.revision > best[row.person_id].revision:
            best[row.person_id] = row
    return {p: (o.outcome, o.parole_until) for p, o in best.items()}


def erase_notes(session: Session, offer_ids: list[int]) -> int:
    """Drop officers' free-text notes on a withdrawn registration's outcomes (they may name
    people); the outcomes themselves stay for the statistics."""
    if not offer_ids:
        return 0
    rows = list(session.scalars(select(Outcome).where(Outcome.offer_id.in_(offer_ids))))
    for r in rows:
        r.note = None
    session.flush()
    return len(rows)
