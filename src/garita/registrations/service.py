"""Create, read and edit registrations. Takes a session, never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from garita.audit import service as audit
from garita.errors import Forbidden, Invalid, NotFound, Refused
from garita.identity import PUBLIC_ROLES, Principal
from garita.policy.schemas import Policy
from garita.registrations.models import Person, Registration, RegistrationChange
from garita.registrations.sameperson import entered_twice as entered_twice  # for requests
from garita.registrations.sameperson import keys_of, lock_keys, store_keys
from garita.registrations.sameperson import keys_of_requests as keys_of_requests  # for draw
from garita.registrations.schemas import (
    Address,
    PersonIn,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
)
from garita.registrations.search import like_pattern, search_names

APPLICANT_ROLES = PUBLIC_ROLES


def refresh_search(reg: Registration) -> None:
    """Rewrite the registration's normalised names (``registrations.search``) from its
    members as they are now: after every change of a member's names or of membership."""
    reg.search_names = search_names((p.given_names, p.family_names)
                                    for p in sorted(reg.people, key=lambda p: p.position))


def _person(position: int, data: PersonIn, address: Address) -> Person:
    addr = data.us_address or address
    return Person(
        position=position, given_names=data.given_names, family_names=data.family_names,
        date_of_birth=data.date_of_birth, country_of_birth=data.country_of_birth,
        nationality=data.nationality, sex=data.sex,
        documents=[d.model_dump() for d in data.documents], photo_sha256=data.photo_sha256,
        us_street=addr.street, us_unit=addr.unit, us_city=addr.city, us_state=addr.state,
        us_zip=addr.zip,
    )


def _check_group(data: RegistrationIn, policy: Policy, since: dt.date) -> None:
    size = 1 + len(data.members)
    if size > policy.group_max:
        raise Invalid(f"A group has at most {policy.group_max} people (lead included); "
                      f"this one has {size}. Register the others separately.")
    if policy.common_address_required:
        differing = [i + 1 for i, m in enumerate(data.members)
                     if m.us_address is not None and m.us_address != data.us_address]
        if differing:
            raise Invalid(f"Since {since} all members of a group give the same U.S. address; "
                          f"members {differing} give another one. Remove their us_address.")


def create(session: Session, owner: Principal, data: RegistrationIn, policy: Policy,
           policy_since: dt.date, now: dt.datetime) -> Registration:
    if owner.role not in APPLICANT_ROLES:
        raise Forbidden("Only applicant and NGO accounts register people.")
    if not policy.active:
        raise Refused(f"The scheme is closed since {policy_since}: no new registrations.")
    _check_group(data, policy, policy_since)
    people = [_person(i, p, data.us_address) for i, p in enumerate([data.lead, *data.members])]
    reg = Registration(
        owner_id=owner.account_id, registered_at=now, language=data.language, phone=data.phone,
        email=data.email, group_size=len(people), lead_nationality=data.lead.nationality,
        people=people,
    )
    refresh_search(reg)
    session.add(reg)
    session.flush()
    lock_keys(session, [k for p in people for k in keys_of(p)])  # all at once, in order
    for p in people:
        store_keys(session, reg.id, p)
    session.flush()
    audit.record(session, actor=owner.actor, action="registration.create",
                 object_type="registration", object_id=reg.id,
                 change=data.model_dump(mode="json"))
    return reg


def get(session: Session, registration_id: int, who: Principal,
        absent: str | None = None) -> Registration:
    """A registration the caller may see: its owner, or staff.

    ``absent``: the refusal when it is reached through another object (an offer, a seat
    request), so the 404 names only what was asked for, never the registration behind it.
    """
    reg = session.scalar(select(Registration).options(selectinload(Registration.people))
                         .where(Registration.id == registration_id,
                                Registration.erased_at.is_(None)))
    if reg is None or (who.role in APPLICANT_ROLES and reg.owner_id != who.account_id):
        # Same answer for "absent" and "not yours": ids are not an oracle.
        raise NotFound(absent or f"Registration {registration_id} does not exist or is not "
                                 "yours.")
    return reg


def list_own(session: Session, who: Principal) -> list[Registration]:
    """Every registration of this account, oldest first (the applicant's own page; the
    API's paged, filtered list is ``registrations.listing``)."""
    return list(session.scalars(select(Registration).options(selectinload(Registration.people))
                                .where(Registration.owner_id == who.account_id,
                                       Registration.erased_at.is_(None))
                                .order_by(Registration.id)))


NO_REASON = "no reason given"  # a PATCH without one (docs/data-rights.md, corrections)


def edit(session: Session, reg: Registration, patch: RegistrationPatch,
         who: Principal) -> Registration:
    changes = patch.model_dump(mode="json", exclude_unset=True, exclude={"reason"})
    if not changes:
        raise Invalid("Nothing to change: send at least one of language, phone, email, "
                      "us_address.")
    required = [f for f in ("language", "phone", "us_address") if f in changes
                and changes[f] is None]
    if required:
        raise Invalid(f"{', '.join(required)} cannot be removed, only changed: send a new "
                      "value (only email may be null).")
    if "phone" in changes and patch.phone != reg.phone:
        reg.phone_verified_at = None  # a new number has answered no code yet
    for field in ("language", "phone", "email"):
        if field in changes:
            setattr(reg, field, getattr(patch, field))
    if patch.us_address is not None:
        a = patch.us_address
        for p in reg.people:  # one group, one address (the rule since 2024-03-04)
            p.us_street, p.us_unit, p.us_city, p.us_state, p.us_zip = (
                a.street, a.unit, a.city, a.state, a.zip)
    session.flush()
    audit.record(session, actor=who.actor, action="registration.edit",
                 object_type="registration", object_id=reg.id,
                 change={**changes, "reason": patch.reason or NO_REASON})
    return reg


def to_out(reg: Registration) -> RegistrationOut:
    lead = reg.people[0]
    return RegistrationOut(
        id=reg.id, registered_at=reg.registered_at, language=reg.language, phone=reg.phone,
        email=reg.email, group_size=reg.group_size,
        us_address=Address(street=lead.us_street, unit=lead.us_unit, city=lead.us_city,
                           state=lead.us_state, zip=lead.us_zip),
        people=[p for p in reg.people],
    )


# ------------------------------------------------------------------ for the features above

def people_of(session: Session, registration_ids: list[int]) -> dict[int, list[Person]]:
    """Members of these registrations, each list in position order (lead first)."""
    out: dict[int, list[Person]] = {i: [] for i in registration_ids}
    if registration_ids:
        for p in session.scalars(select(Person).where(Person.registration_id.in_(registration_ids))
                                 .order_by(Person.registration_id, Person.position)):
            out[p.registration_id].append(p)
    return out


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def request_facts(session: Session, registration_id: int) -> tuple[int, int, dt.datetime, str] | None:
    """(owner id, group size, registered at, lead's nationality): what a daily request needs."""
    row = session.execute(select(
        Registration.owner_id, Registration.group_size, Registration.registered_at,
        Registration.lead_nationality).where(Registration.id == registration_id)).one_or_none()
    return None if row is None else (row[0], row[1], row[2], row[3])


def lead_attributes(session: Session, registration_ids: list[int]) -> dict[int, tuple[str, str]]:
    """registration id → (lead's nationality, language): what the fairness report tests."""
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(registration_ids), 10_000):  # bounded IN lists
        for rid, nat, lang in session.execute(select(
                Registration.id, Registration.lead_nationality, Registration.language)
                .where(Registration.id.in_(registration_ids[i:i + 10_000]))):
            out[rid] = (nat, lang)
    return out


def search_own(session: Session, who: Principal, text: str = "", nationality: str = "",
               offset: int = 0, limit: int = 20) -> tuple[list[Registration], int]:
    """An NGO's (or applicant's) registrations matching a name, phone or number, a page at
    a time, and how many match in all. For the NGO desk's search and paging."""
    query = select(Registration).where(Registration.owner_id == who.account_id,
                                       Registration.erased_at.is_(None))
    text = text.strip()
    if text:
        pattern = like_pattern(text)  # the names as screening compares them, one column
        found: list[ColumnElement[bool]] = [Registration.phone.ilike(f"%{text}%")]
        if pattern is not None:
            found.append(Registration.search_names.like(pattern))
        if text.isdigit():
            found.append(Registration.id == int(text))
        query = query.where(or_(*found))
    if nationality:
        query = query.where(Registration.lead_nationality == nationality.upper())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.options(selectinload(Registration.people))
                           .order_by(Registration.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def record_consent(session: Session, who: Principal, registration_id: int, action: str) -> None:
    """An NGO acts for a person only with their consent; the audit log records that it was
    given, for which registration and which act (request, confirm, notice, seats)."""
    if who.role.value == "ngo":
        audit.record(session, actor=who.actor, action="consent.given",
                     object_type="registration", object_id=registration_id,
                     change={"act": action})


PEOPLE_COLUMNS = ("person_id", "registration_id", "given_names", "family_names", "date_of_birth",
                  "nationality", "sex", "us_street", "us_unit", "us_zip", "phone", "email",
                  "registered_at")


def people_for_integrity(session: Session) -> list[tuple]:
    """Every registered person with the registration's contacts, as rows in ``PEOPLE_COLUMNS``.

    The one read integrity screening, rings and duplicate checks need from this
    feature (they may not import its models): a batch job reads everyone once.
    """
    return list(session.execute(select(
        Person.id, Person.registration_id, Person.given_names, Person.family_names,
        Person.date_of_birth, Person.nationality, Person.sex, Person.us_street, Person.us_unit,
        Person.us_zip, Registration.phone, Registration.email, Registration.registered_at,
    ).join(Registration, Registration.id == Person.registration_id)
        .where(Registration.erased_at.is_(None))))


# -- read by garita.notify's scan (messages to applicants) --------------------------

def ids_after(session: Session, after_id: int, limit: int) -> list[int]:
    """Registrations made after ``after_id``, oldest first (a scan's watermark)."""
    return list(session.scalars(select(Registration.id).where(Registration.id > after_id)
                                .order_by(Registration.id).limit(limit)))


def contacts(session: Session,
             ids: list[int]) -> dict[int, tuple[int, str, str | None, str | None]]:
    """(owner account, language, email, phone) of each registration: what a message
    needs to reach it, and nothing else (no names, no dates of birth). The phone only
    once it answered a code: an unproven number (a typo, a borrowed phone given back)
    must not receive someone's appointment."""
    found: dict[int, tuple[int, str, str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        rows = session.execute(select(Registration.id, Registration.owner_id,
                                      Registration.language, Registration.email,
                                      Registration.phone, Registration.phone_verified_at)
                               .where(Registration.id.in_(ids[i:i + 500])))
        found.update({r[0]: (r[1], r[2], r[3], r[4] if r[5] is not None else None)
                      for r in rows})
    return found


def phone_changes_after(session: Session, after_id: int, limit: int) -> list[tuple[int, int]]:
    """(change row, registration) of each change of a phone after ``after_id``, oldest
    first: the scan sends the new number its code (``garita.notify.phones``)."""
    return [(r[0], r[1]) for r in session.execute(
        select(RegistrationChange.id, RegistrationChange.registration_id)
        .where(RegistrationChange.id > after_id, RegistrationChange.action == "edit",
               RegistrationChange.fields.contains("phone"))
        .order_by(RegistrationChange.id).limit(limit))]


def last_change_id(session: Session) -> int:
    """The newest change row (``garita notify skip-backlog`` starts after it)."""
    return session.scalar(select(func.max(RegistrationChange.id))) or 0


def phone_to_prove(session: Session, registration_id: int) -> tuple[int, str, str] | None:
    """(owner, phone, language) of a live registration whose phone answered no code yet."""
    row = session.execute(select(Registration.owner_id, Registration.phone,
                                 Registration.language)
                          .where(Registration.id == registration_id,
                                 Registration.erased_at.is_(None),
                                 Registration.phone_verified_at.is_(None))).first()
    return (row[0], row[1], row[2]) if row else None


def phones(session: Session, who: Principal) -> list[tuple[int, str, dt.datetime | None]]:
    """(registration, phone, verified at) of each live registration of this account."""
    return [(r.id, r.phone, r.phone_verified_at) for r in session.scalars(
        select(Registration).where(Registration.owner_id == who.account_id,
                                   Registration.erased_at.is_(None))
        .order_by(Registration.id))]


def mark_phone_verified(session: Session, reg: Registration, phone: str, actor: str,
                        now: dt.datetime) -> bool:
    """The phone answered its code: SMS and WhatsApp messages may go to it (audited).
    False if the registration's phone changed since the code was sent."""
    if reg.phone != phone:
        return False
    if reg.phone_verified_at is None:
        reg.phone_verified_at = now
        audit.record(session, actor=actor, action="registration.verify_phone",
                     object_type="registration", object_id=reg.id, change={})
    return True


def ids_by_owner(session: Session, owner_ids: list[int]) -> dict[int, list[int]]:
    """Each account's registrations (the daily digest of garita.notify)."""
    found: dict[int, list[int]] = {}
    for reg_id, owner in session.execute(select(Registration.id, Registration.owner_id)
                                         .where(Registration.owner_id.in_(owner_ids))
                                         .order_by(Registration.id)):
        found.setdefault(owner, []).append(reg_id)
    return found


def registered_on(session: Session, registration_ids: list[int]) -> dict[int, dt.date]:
    """registration id → its registration day (UTC), as the draws' published inputs say it."""
    out: dict[int, dt.date] = {}
    ids = sorted(set(registration_ids))
    for i in range(0, len(ids), 10_000):
        for rid, at in session.execute(select(Registration.id, Registration.registered_at)
                                       .where(Registration.id.in_(ids[i:i + 10_000]))):
            out[rid] = at.astimezone(dt.UTC).date()
    return out


def ask_assistance(session: Session, reg: Registration, need: str | None, who: Principal) -> None:
    """Record (or clear, with None) what the applicant cannot do unaided (audited)."""
    reg.assistance = need
    session.flush()
    audit.record(session, actor=who.actor, action="registration.assistance",
                 object_type="registration", object_id=reg.id, change={"need": need})


def hand_back(session: Session, reg: Registration, to_account: int, who: Principal) -> None:
    """An NGO hands a registration it keeps for a person to the person's own account; the
    registration (and its registration time, its seniority) is unchanged (audited)."""
    previous, reg.owner_id = reg.owner_id, to_account
    session.flush()
    audit.record(session, actor=who.actor, action="registration.hand_back",
                 object_type="registration", object_id=reg.id,
                 change={"from": previous, "to": to_account})


def shared_with_helper(session: Session, registration_id: int) -> Registration:
    """A registration whose owner consented to share it with whoever answers their help
    request (``garita.help`` checks the consent and audits the read)."""
    reg = session.scalar(select(Registration).options(selectinload(Registration.people))
                         .where(Registration.id == registration_id,
                                Registration.erased_at.is_(None)))
    if reg is None:
        raise NotFound(f"Registration {registration_id} does not exist or is not yours.")
    return reg
