"""Where a registration stands today, and what to do next.

It reads all three of the day's features (the request, the draw, the offer),
so it sits with the draw, the highest of them. Times are said the way the
applicant reads them (`garita.policy.clocks`): the appointment on the port's
clock, deadlines and windows in the zone of the place they asked from with the
scheme's zone beside it. After the port's day, it says each person's outcome and
what follows (the outcomes come from the ports feature, above this one, through
``outcomes``, a function the composition root hands in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from garita.draw.models import Draw
from garita.draw.schemas import Status
from garita.geo.service import zone_at
from garita.identity import Principal
from garita.offers import service as offers
from garita.offers.schemas import OfferOut
from garita.policy import calendar, clocks
from garita.policy.ports import port as port_of
from garita.policy.schemas import Policy
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.requests import service as day_requests
from garita.requests.schemas import RequestOut

if TYPE_CHECKING:
    from garita.offers.models import Offer
    from garita.registrations.models import Registration

#: offer id -> {person id: (outcome, parole end)}
Outcomes = Callable[[Session, int], dict[int, tuple[str, dt.date | None]]]


def status(session: Session, who: Principal, registration_id: int, now: dt.datetime,
           outcomes: Outcomes | None = None) -> Status:
    reg = registrations.get(session, registration_id, who)
    _, policy, since = policy_now(session, now)
    scheme_tz = policy.request_window.timezone
    offer = offers.latest(session, reg.id)
    offer_out = OfferOut.model_validate(offer) if offer else None
    if offer_out is not None and offer_out.status == "offered" and offer_out.confirm_deadline <= now:
        offer_out.status = "lapsed"  # shown as it is; the next draw records the lapse
    if offer is not None and offer_out is not None and offer_out.status == "offered":
        done = offers.confirmed_people(session, offer.id)
        waiting = [p for p in offers.confirmers(reg, policy, now.date()) if p not in done]
        reader = _reader_zone(session, offer.request_id)
        deadline = clocks.said_both(offer.confirm_deadline, reader, scheme_tz)
        return Status(registration_id=reg.id, stage="offered", offer=offer_out,
                      awaiting_confirmation=waiting,
                      message=f"Selected for {_appointment(offer)}. Confirm by {deadline} "
                              "from an eligible place.")
    if offer is not None and offer.status == "confirmed":
        past = " The day has passed; the port has not recorded it yet." if (
            offer.appointment_date < now.date()) else ""
        return Status(registration_id=reg.id, stage="confirmed", offer=offer_out,
                      message=f"Appointment confirmed: {_appointment(offer)}.{past}")
    return _request_status(session, reg, policy, since, now, offer, offer_out, outcomes)


def stages(session: Session, regs: list[Registration], now: dt.datetime) -> dict[int, str]:
    """Registration id → its stage today, as `status` says it, for a page of registrations
    in a fixed number of queries (the NGO desk: one per page, not several per row)."""
    ids = [r.id for r in regs]
    _, policy, _ = policy_now(session, now)
    latest = offers.latest_of(session, ids)
    last = day_requests.last_requests(session, ids)
    days = {q.service_date for q in last.values()}
    drawn = set(session.scalars(select(Draw.service_date).where(Draw.service_date.in_(days)))
                ) if days else set()
    out = {}
    for rid in ids:
        offer, asked = latest.get(rid), last.get(rid)
        state = offer.status if offer is not None else None
        if state == "offered" and offer is not None and offer.confirm_deadline <= now:
            state = "lapsed"  # shown as it is; the next draw records the lapse
        if state in ("offered", "confirmed"):
            out[rid] = str(state)
        elif not policy.active:
            out[rid] = "closed"
        elif asked is not None and asked.service_date not in drawn:
            out[rid] = "requested"
        elif (offer is not None and asked is not None and offer.request_id == asked.id
              and state in ENDED):
            out[rid] = str(state)
        else:
            out[rid] = "not_selected" if asked is not None else "can_request"
    return out


def _appointment(offer: Offer) -> str:
    """``Brownsville · Matamoros, 2026-12-05 at 08:00 CST (America/Chicago, the port's time)``."""
    where = port_of(offer.port)
    at = clocks.appointment_at(offer.appointment_date, offer.slot, where.timezone)
    return (f"{where.label} ({offer.port}), {offer.appointment_date} at {at:%H:%M %Z} "
            f"({where.timezone}, the port's time)")


def _reader_zone(session: Session, request_id: int | None) -> str | None:
    """The zone of the place a request came from (None: unknown)."""
    if request_id is None:
        return None
    where = day_requests.location_of(session, request_id)
    return zone_at(*where) if where is not None else None


# What an ended appointment or offer means for the applicant, and what to do next.
ENDED = {
    "lapsed": "Your last offer lapsed unconfirmed. ",
    "declined": "You declined your last offer; its places went back to the draw. ",
    "cancelled": "You cancelled your last appointment; there is no penalty. ",
    "no_show": "You did not attend your last appointment; there is no penalty. ",
    "attended": "Your last appointment took place; the port recorded its outcome. ",
}

# Each outcome, what follows it, and whether the registration may ask again.
OUTCOME_NEXT: dict[str, tuple[str, bool]] = {
    "paroled": ("paroled into the United States{until}: follow the parole document's "
                "instructions; no new appointment is needed", False),
    "notice_to_appear": ("given a notice to appear before an immigration judge: attend the "
                         "hearing it names and keep the court told of any new address; no "
                         "new appointment is needed", False),
    "detained": ("held in custody by U.S. authorities: the family or a lawyer can ask the "
                 "port where; no new appointment is needed", False),
    "expedited_removal": ("placed in expedited removal: ask the port or a legal aid "
                          "organisation for help now", False),
    "permitted_to_withdraw": ("allowed to withdraw the application and return to Mexico: "
                              "the registration may ask for a new appointment", True),
    "refused": ("refused at the port: ask the port or an NGO why; the registration may ask "
                "again", True),
}


def _outcome_message(reg: Registration, decided: dict[int, tuple[str, dt.date | None]]
                     ) -> tuple[str, bool]:
    """The outcome of each person in the group, what follows, and whether to ask again."""
    names = {p.id: p.given_names for p in reg.people}
    parts, again = [], True
    for person_id, (outcome, until) in sorted(decided.items()):
        text, may_ask = OUTCOME_NEXT.get(outcome, (outcome.replace("_", " "), False))
        parts.append(f"{names.get(person_id, person_id)}: "
                     + text.format(until=f" until {until}" if until else ""))
        again = again and may_ask
    return "Your appointment took place. " + "; ".join(parts) + ".", again


def _request_status(session: Session, reg: Registration, policy: Policy, since: dt.date,
                    now: dt.datetime, offer: Offer | None, offer_out: OfferOut | None,
                    outcomes: Outcomes | None) -> Status:
    """Stages after the latest offer (if any) has ended, or before any offer."""
    if not policy.active:
        return Status(registration_id=reg.id, stage="closed",
                      message=f"The scheme is closed since {since}.")
    scheme_tz = policy.request_window.timezone
    last = day_requests.last_request(session, reg.id)
    reader = zone_at(last.lat, last.lon) if last is not None else None
    window = calendar.window_check(policy, now, reader)
    last_out = RequestOut.model_validate(last) if last else None
    if last is not None and session.scalar(select(func.count(Draw.id)).where(
            Draw.service_date == last.service_date)) == 0:
        when = clocks.said_both(calendar.draw_moment(policy, last.service_date), reader,
                                scheme_tz)
        return Status(registration_id=reg.id, stage="requested", request=last_out,
                      message=f"Requested {last.port} for {last.service_date}; results after "
                              f"{when}.")
    ended = offer is not None and last is not None and offer.request_id == last.id
    if ended and offer_out is not None and offer_out.status in ENDED:
        decided = outcomes(session, offer.id) if (
            outcomes is not None and offer is not None and offer_out.status == "attended") else {}
        if decided:
            said, again = _outcome_message(reg, decided)
            return Status(registration_id=reg.id, stage="attended", offer=offer_out,
                          request=last_out, message=said + (f" {window.message}" if again
                                                            else ""))
        return Status(registration_id=reg.id, stage=offer_out.status, offer=offer_out,
                      request=last_out, message=ENDED[offer_out.status] + window.message)
    stage = "not_selected" if last is not None else "can_request"
    prefix = "Not selected in the last draw; ask again. " if last is not None else ""
    return Status(registration_id=reg.id, stage=stage, request=last_out,
                  message=prefix + window.message)
