"""Where a registration stands today, and what to do next.

It reads all three of the day's features (the request, the draw, the offer),
so it sits with the draw, the highest of them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from garita.draw.models import Draw
from garita.draw.schemas import Status
from garita.identity import Principal
from garita.offers.models import Confirmation, Offer
from garita.offers.schemas import OfferOut
from garita.offers.service import confirmers
from garita.policy import calendar
from garita.policy.schemas import Policy
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.registrations.models import Registration
from garita.requests.models import DailyRequest
from garita.requests.schemas import RequestOut


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
