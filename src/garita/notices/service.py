"""Issue notices lazily, look them up, answer the live and the date-of-birth checks.

A notice is made the first time its owner asks for it once the offer is
confirmed (no hook in confirmation, and a retried request gets the same one).
Takes a session, flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from garita.offers.models import Offer
    from garita.registrations.models import Person

from garita.audit import service as audit
from garita.errors import Invalid, NotFound, Refused
from garita.identity import Principal
from garita.notices import core
from garita.notices.keys import KeyRing
from garita.notices.models import Notice
from garita.notices.schemas import LiveStatus, Member, NoticeOut, NoticePayload
from garita.offers import service as offers
from garita.registrations import service as registrations


def _payload(offer: Offer, people: list[Person], number: str, now: dt.datetime) -> NoticePayload:
    return NoticePayload(
        confirmation_number=number, port=offer.port, appointment_date=offer.appointment_date,
        slot=offer.slot, issued_at=now.replace(microsecond=0),
        members=[Member(given_names=p.given_names, family_names=p.family_names,
                        date_of_birth=p.date_of_birth, nationality=p.nationality, sex=p.sex)
                 for p in people])


def for_offer(session: Session, who: Principal, offer_id: int, now: dt.datetime,
              keys: KeyRing) -> tuple[Notice, str]:
    """The offer's notice, issued now if it is confirmed and has none; (notice, language)."""
    missing = f"Offer {offer_id} does not exist or is not yours."
    offer = offers.get(session, offer_id)
    if offer is None:
        raise NotFound(missing)
    reg = registrations.get(session, offer.registration_id, who, absent=missing)  # ownership
    existing = session.scalar(select(Notice).where(Notice.offer_id == offer.id))
    if existing is not None:
        return existing, reg.language
    if offer.status != "confirmed":
        raise Refused(f"Offer {offer_id} is {offer.status}: the notice is issued once every "
                      "member who must confirm has confirmed.")
    if keys.signer is None:
        raise Refused("This server holds no signing key; notices cannot be issued here.")
    for _ in range(5):  # a repeated confirmation number (1 in 2^50 per pair) is retried
        number = core.confirmation_number(secrets.token_bytes(7))
        token = core.sign(_payload(offer, reg.people, number, now), keys.signer)
        notice = Notice(offer_id=offer.id, confirmation_number=number, kid=keys.signer.kid,
                        token=token, language=reg.language, issued_at=now)
        try:
            with session.begin_nested():
                session.add(notice)
                session.flush()
        except IntegrityError:
            twin = session.scalar(select(Notice).where(Notice.offer_id == offer.id))
            if twin is not None:  # a parallel request issued it first
                return twin, reg.language
            continue
        audit.record(session, actor=who.actor, action="notice.issue", object_type="notice",
                     object_id=notice.id, change={"offer": offer.id, "kid": notice.kid,
                                                  "token_sha256": _sha(token)})
        return notice, reg.language
    raise Refused("Could not draw a unique confirmation number; try again.")


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def to_out(notice: Notice, payload: NoticePayload) -> NoticeOut:
    return NoticeOut(offer_id=notice.offer_id, confirmation_number=notice.confirmation_number,
                     kid=notice.kid, token=notice.token, language=notice.language,
                     issued_at=notice.issued_at, payload=payload)


def live(session: Session, token: str, payload: NoticePayload, now: dt.datetime) -> LiveStatus:
    """What the register says now about a validly signed token."""
    notice = by_number(session, payload.confirmation_number)
    offer = offers.get(session, notice.offer_id) if notice is not None else None
    if notice is None or offer is None or not hmac.compare_digest(notice.token.encode(),
                                                                  token.encode()):
        return LiveStatus(status="not_issued", still_valid=False)
    return LiveStatus(
        status=core.live_status(offer.status, offer.appointment_date, offer.port, now),
        still_valid=core.still_valid(offer.status, offer.appointment_date, offer.port, now))


def check(session: Session, number_text: str, born: dt.date, now: dt.datetime) -> bool:
    """Valid or not, and nothing else: one query whatever the reason for a no."""
    number = core.normalise_number(number_text)
    if number is None:
        raise Invalid("confirmation_number: ten letters and digits as printed on the notice, "
                      "e.g. 7K3M9-QX2PA.")
    # The same three look-ups whatever the reason for a no (an unknown number looks up
    # offer 0 and registration 0), so the time taken does not tell which one it was.
    notice = by_number(session, number)
    offer = offers.get(session, notice.offer_id if notice is not None else 0)
    reg_id = offer.registration_id if offer is not None else 0
    people = registrations.people_of(session, [reg_id])[reg_id]
    born_match = False
    for p in people:  # no early exit: the same work for every member
        born_match |= p.date_of_birth == born
    return (offer is not None and bool(people) and born_match
            and core.still_valid(offer.status, offer.appointment_date, offer.port, now))


def payload_of(notice: Notice, keys: KeyRing) -> NoticePayload:
    """The stored token's payload (verified, so a tampered row is caught too)."""
    verdict = core.verify(notice.token, keys.public)
    if not verdict.valid or verdict.payload is None:
        raise Refused(f"Notice {notice.confirmation_number} no longer verifies ({verdict.reason})"
                      "; ask an administrator to re-issue it.")
    return verdict.payload


def by_number(session: Session, confirmation_number: str) -> Notice | None:
    """The notice issued under this (normalised) confirmation number, if any."""
    return session.scalar(select(Notice).where(Notice.confirmation_number == confirmation_number))


def erase_for_offers(session: Session, offer_ids: list[int]) -> int:
    """Void the notices of a withdrawn registration: the signed token (names, dates of birth)
    is erased; the number, key id and dates stay, so a later check answers "not valid"."""
    notices = list(session.scalars(select(Notice).where(Notice.offer_id.in_(offer_ids)))) \
        if offer_ids else []
    for n in notices:
        n.token = ""
    session.flush()
    return len(notices)


def numbers_of(session: Session, offer_ids: list[int]) -> dict[int, str]:
    """offer id → its notice's confirmation number (the owner's data export)."""
    if not offer_ids:
        return {}
    return {o: n for o, n in session.execute(select(Notice.offer_id, Notice.confirmation_number)
                                             .where(Notice.offer_id.in_(offer_ids)))}


def registration_of_number(session: Session, number_text: str) -> int | None:
    """The registration a (possibly forged) notice number belongs to, if it was issued:
    what a report of a fake or sold notice is about."""
    number = core.normalise_number(number_text)
    notice = by_number(session, number) if number is not None else None
    offer = offers.get(session, notice.offer_id) if notice is not None else None
    return offer.registration_id if offer is not None else None
