"""The help queue: questions from any page, reports of abuse, requests for assistance.

A person asks; NGO staff and admins answer. The registration a request names is
shown to the helper only when the person consented to share it. A report also
becomes an integrity alert; an assistance request marks the registration so an NGO
that takes it may complete the confirmation with the person (audited as the NGO).
Takes a session, never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth import service as accounts
from garita.errors import Conflict, Forbidden, Invalid, NotFound
from garita.geo import core as geo
from garita.help.models import HelpRequest
from garita.help.schemas import AssistedConfirmIn, HandBackIn, HelpIn
from garita.identity import Principal, Role
from garita.integrity import service as integrity
from garita.notices import service as notices
from garita.offers import service as offers
from garita.offers.schemas import ConfirmIn
from garita.photos import service as photos
from garita.policy.service import policy_now
from garita.registrations import service as registrations

if TYPE_CHECKING:
    from garita.offers.models import Offer
    from garita.photos.core import Checked
    from garita.photos.schemas import PhotoOut
    from garita.photos.sealing import PhotoKeys
    from garita.registrations.models import Registration

HELPERS = (Role.ngo, Role.admin)


def ask(session: Session, who: Principal, data: HelpIn, now: dt.datetime) -> HelpRequest:
    """Queue a question, a report or an assistance request (audited)."""
    if data.registration_id is not None:
        reg = registrations.get(session, data.registration_id, who)  # only one's own
    if data.kind == "assistance":
        if data.registration_id is None or data.need is None:
            raise Invalid("An assistance request names the registration (registration_id) "
                          "and what cannot be done unaided (need: photo, phone or both).")
        registrations.ask_assistance(session, reg, data.need, who)
    item = HelpRequest(kind=data.kind, account_id=who.account_id,
                       registration_id=data.registration_id, share=data.share, page=data.page,
                       message=data.message, status="open", created_at=now)
    session.add(item)
    session.flush()
    audit.record(session, actor=who.actor, action=f"help.{data.kind}", object_type="help",
                 object_id=item.id, change={"registration": data.registration_id,
                                            "share": data.share})
    if data.kind == "report":
        about = (notices.registration_of_number(session, data.notice_number)
                 if data.notice_number else None)
        text = data.message + (f" [notice {data.notice_number}: "
                               f"{'issued' if about else 'never issued'}]"
                               if data.notice_number else "")
        integrity.report(session, who, text, about, now, key=f"help:{item.id}")
    return item


def queue(session: Session, who: Principal, status: str | None = "open", limit: int = 50,
          offset: int = 0) -> tuple[list[HelpRequest], int]:
    """A page of the queue for NGO staff and admins, oldest first, and the total."""
    _helper(who)
    q = select(HelpRequest)
    if status:
        q = q.where(HelpRequest.status == status)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(HelpRequest.id).limit(limit).offset(offset))), total


def mine(session: Session, who: Principal) -> list[HelpRequest]:
    return list(session.scalars(select(HelpRequest).where(
        HelpRequest.account_id == who.account_id).order_by(HelpRequest.id.desc()).limit(50)))


def _helper(who: Principal) -> None:
    if who.role not in HELPERS:
        raise Forbidden(f"This needs one of the roles: ngo, admin; you are {who.role.value}.")


def _get(session: Session, help_id: int) -> HelpRequest:
    item = session.get(HelpRequest, help_id)
    if item is None:
        raise NotFound(f"No help request {help_id}; see the queue at GET /help.")
    return item


def answer(session: Session, who: Principal, help_id: int, text: str,
           now: dt.datetime) -> HelpRequest:
    """Answer a request (the first answer closes it; audited)."""
    _helper(who)
    item = _get(session, help_id)
    if item.status == "answered":
        raise Conflict(f"Help request {help_id} was already answered by {item.answered_by}.")
    item.answer, item.answered_by, item.answered_at = text, who.actor, now
    item.status = "answered"
    if item.kind == "assistance" and item.helper_id is None and who.role is Role.ngo:
        item.helper_id = who.account_id  # answering an assistance request takes it
    session.flush()
    audit.record(session, actor=who.actor, action="help.answer", object_type="help",
                 object_id=item.id, change={"answer": text})
    return item


def shared(session: Session, who: Principal, help_id: int) -> Registration:
    """The registration a helper may read for this request: only with the owner's consent
    to share (the read is audited)."""
    _helper(who)
    item = _get(session, help_id)
    if item.registration_id is None or not item.share:
        raise NotFound(f"Help request {help_id} shares no registration: its author did not "
                       "consent, or named none.")
    audit.record(session, actor=who.actor, action="help.read_registration",
                 object_type="registration", object_id=item.registration_id,
                 change={"help": item.id})
    return registrations.shared_with_helper(session, item.registration_id)


def taken(session: Session, who: Principal) -> list[HelpRequest]:
    """The assistance requests this NGO took (answered), newest first: whom it confirms with."""
    return list(session.scalars(select(HelpRequest).where(
        HelpRequest.kind == "assistance", HelpRequest.helper_id == who.account_id)
        .order_by(HelpRequest.id.desc()).limit(50)))


def _taken_by(session: Session, who: Principal, help_id: int) -> HelpRequest:
    """The assistance request, if this NGO took it (only that NGO acts with the person)."""
    item = _get(session, help_id)
    if who.role is not Role.ngo or item.helper_id != who.account_id or item.kind != "assistance":
        raise Forbidden("Only the NGO that answered this assistance request confirms with "
                        "the person; answer it first.")
    return item


def _as_owner(session: Session, item: HelpRequest, offer_id: int) -> Principal:
    """The registration's owner, for the offer's own rules (ownership, who confirms)."""
    offer = offers.get(session, offer_id)
    if offer is None or offer.registration_id != item.registration_id:
        raise NotFound(f"Offer {offer_id} is not this assistance request's registration's.")
    owner = registrations.request_facts(session, offer.registration_id)
    assert owner is not None  # the offer's registration exists (foreign key)
    return Principal(account_id=owner[0], role=Role.applicant)


@dataclass(frozen=True)
class AssistedView:
    """What the NGO's confirmation page shows: the request (the need, the consent to
    share), the registration's offer, who must confirm and who already has."""

    item: HelpRequest
    need: str | None
    people: list[tuple[int, int, str]]  # (person id, position, names) of those who confirm
    offer: Offer | None
    done: set[int] = field(default_factory=set)


def assisted(session: Session, who: Principal, help_id: int, now: dt.datetime) -> AssistedView:
    """The assistance request this NGO took, with its registration's latest offer and the
    members who must confirm it (the read is audited, as the shared registration's is)."""
    item = _taken_by(session, who, help_id)
    assert item.registration_id is not None  # an assistance request names one (ask)
    reg = registrations.shared_with_helper(session, item.registration_id)
    audit.record(session, actor=who.actor, action="help.read_registration",
                 object_type="registration", object_id=reg.id,
                 change={"help": item.id, "act": "assisted_confirm"})
    _, policy, _ = policy_now(session, now)
    must = set(offers.confirmers(reg, policy, now.date()))
    people = [(p.id, p.position, f"{p.given_names} {p.family_names}")
              for p in reg.people if p.id in must]
    offer = offers.latest(session, reg.id)
    done = offers.confirmed_people(session, offer.id) if offer is not None else set()
    return AssistedView(item=item, need=reg.assistance, people=people, offer=offer, done=done)


def assisted_photo(session: Session, who: Principal, help_id: int, offer_id: int,
                   person_id: int, photo: Checked, now: dt.datetime, keep: dt.timedelta,
                   keys: PhotoKeys) -> tuple[PhotoOut, str]:
    """The NGO takes (or uploads) the photo of a member it confirms with: the offer's rules
    as for the owner, the photo's audit entry naming the NGO. Returns the photo and where
    the port's officers read it."""
    item = _taken_by(session, who, help_id)
    offer = offers.photo_subject(session, _as_owner(session, item, offer_id), offer_id,
                                 person_id, now)
    out = photos.store(session, who, offer.id, person_id, photo, now,
                       offer.appointment_date + keep, keys)
    return out, f"/ports/{offer.port}/photos/{offer.id}/{person_id}"


def confirm_assisted(session: Session, who: Principal, help_id: int, offer_id: int,
                     data: AssistedConfirmIn, now: dt.datetime,
                     locator: geo.StateLocator) -> str:
    """The NGO that took an assistance request confirms a member with them (the offer's
    audit entry names the NGO; a consent entry records the person's agreement). Under a
    policy version with ``photo_required`` the member's photo must have been taken first
    (``assisted_photo``), as for the owner."""
    item = _taken_by(session, who, help_id)
    if not data.consent:
        raise Invalid("Tick consent: the person is present and agrees to confirm.")
    as_owner = _as_owner(session, item, offer_id)
    audit.record(session, actor=who.actor, action="consent.given", object_type="registration",
                 object_id=item.registration_id, change={"act": "assisted_confirm",
                                                         "help": item.id})
    done = offers.confirm(session, as_owner, offer_id,
                          ConfirmIn(person_id=data.person_id, lat=data.lat, lon=data.lon),
                          now, locator, actor=who.actor)
    return done.status


def hand_back(session: Session, who: Principal, registration_id: int, data: HandBackIn) -> int:
    """An NGO hands a registration it keeps to the person's own account, with their consent."""
    if who.role is not Role.ngo:
        raise Forbidden(f"This needs one of the roles: ngo; you are {who.role.value}.")
    if not data.consent:
        raise Invalid("Tick consent: the person agreed to take the registration over.")
    reg = registrations.get(session, registration_id, who)
    target = accounts.applicant_by_email(session, data.email)
    if target is None:
        raise NotFound("No applicant account has this email: the person signs up first.")
    audit.record(session, actor=who.actor, action="consent.given", object_type="registration",
                 object_id=reg.id, change={"act": "hand_back"})
    registrations.hand_back(session, reg, target, who)
    return target


def erase_for_registration(session: Session, registration_id: int) -> int:
    """Empty the messages and answers about a registration being erased."""
    rows = list(session.scalars(select(HelpRequest).where(
        HelpRequest.registration_id == registration_id)))
    for r in rows:
        r.message, r.answer, r.page = "(erased)", None if r.answer is None else "(erased)", None
    session.flush()
    return len(rows)


def erase_for_account(session: Session, account_id: int) -> int:
    """Empty every message an account being closed sent."""
    rows = list(session.scalars(select(HelpRequest).where(HelpRequest.account_id == account_id)))
    for r in rows:
        r.message, r.page = "(erased)", None
    session.flush()
    return len(rows)
