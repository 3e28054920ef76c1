"""Withdraw a registration and erase its personal data, keeping what must stay.

The row and its people stay (without identity) because offers, requests, draws,
alerts and the hash-chained audit log point at their ids, and the statistics count
them: what stays is the registration time (the draws' published inputs carry it),
the group's size, the lead's nationality and language, each person's position,
nationality, sex, year of birth and U.S. state. Everything that names, reaches or
locates a person (names, exact date of birth, documents, photograph, phone, email,
street, unit, city, ZIP) is overwritten in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.identity import Principal
from garita.registrations.models import Person, PersonKey, Registration, RegistrationChange

ERASED = ""  # what a personal text field holds once erased


def erase(session: Session, reg: Registration, actor: str, reason: str,
          now: dt.datetime) -> list[int]:
    """Pseudonymise ``reg`` in place; audited (the entry names the reason, not the person).
    Returns the ids of its people, for the features that hold data about them."""
    reg.phone, reg.email, reg.assistance, reg.erased_at = ERASED, None, None, now
    reg.search_names = ERASED
    for p in reg.people:
        p.given_names = p.family_names = ERASED
        p.date_of_birth = dt.date(p.date_of_birth.year, 1, 1)  # the age band survives
        p.documents, p.photo_sha256 = [], None
        p.us_street, p.us_unit, p.us_city, p.us_zip = ERASED, None, ERASED, ERASED
    for change in session.scalars(select(RegistrationChange).where(
            RegistrationChange.registration_id == reg.id)):
        change.reason = ERASED  # a reason may name someone ("typo in Ana's name")
    # a key is an unsalted digest of name, birth date and nationality: guessable, so erased
    session.execute(delete(PersonKey).where(PersonKey.registration_id == reg.id))
    session.flush()
    audit.record(session, actor=actor, action="registration.erase", object_type="registration",
                 object_id=reg.id, change={"reason": reason, "people": len(reg.people)})
    return [p.id for p in reg.people]


def withdraw(session: Session, reg: Registration, who: Principal, reason: str,
             now: dt.datetime) -> list[int]:
    """The owner withdraws their registration: it is erased at once."""
    return erase(session, reg, who.actor, reason, now)


def live_owned_by(session: Session, account_id: int) -> int:
    """How many registrations this account still holds (0: its account may close too)."""
    return len(session.scalars(select(Registration.id).where(
        Registration.owner_id == account_id, Registration.erased_at.is_(None))).all())


def retention_candidates(session: Session, registered_before: dt.datetime,
                         limit: int = 10_000) -> list[tuple[int, dt.datetime, int]]:
    """(id, registered at, owner) of registrations not yet erased and registered before
    the cutoff: the retention job then asks the other features when each was last used."""
    return [(r.id, r.registered_at, r.owner_id) for r in session.execute(
        select(Registration.id, Registration.registered_at, Registration.owner_id)
        .where(Registration.erased_at.is_(None), Registration.registered_at < registered_before)
        .order_by(Registration.id).limit(limit))]


def load(session: Session, registration_id: int) -> Registration | None:
    """A registration not yet erased, whoever owns it (the retention job's read)."""
    return session.scalar(select(Registration).where(Registration.id == registration_id,
                                                     Registration.erased_at.is_(None)))


def person_ids(session: Session, registration_id: int) -> list[int]:
    return list(session.scalars(select(Person.id).where(
        Person.registration_id == registration_id)))
