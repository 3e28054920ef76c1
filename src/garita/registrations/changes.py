"""Corrections and changes of membership, keeping the registration's seniority.

Any field of a person may be corrected, with the reason recorded (and the
registration's own fields — language, phone, email, U.S. address — changed, with
it too, ``change``); a member may be
added (a newborn) up to the policy's maximum group size, or removed (a
separation). The registration keeps its id and its ``registered_at`` — the time
the longest-waiting share orders by (``draw.core``) — so none of this costs the
group its place. What a held offer allows (``held``: the status of a live offer
or appointment, told by the caller, who can read offers):

* nobody is added while an offer or appointment is held: its places were drawn
  for the group as it was;
* once confirmed, the signed notice names the people: no correction of a
  person's identity and no removal until the appointment has passed (a member
  who separated simply does not come; a no-show carries no penalty);
* an offer not yet confirmed allows corrections and removals (the confirmers
  are the people then in the group).

Every change is audited (the reason in the entry) and re-screened by the
integrity feature through the ``rescreen`` hook the composition root hands in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import Conflict, Invalid, NotFound, Refused
from garita.identity import Principal
from garita.policy.schemas import Policy
from garita.registrations.models import Person, Registration, RegistrationChange
from garita.registrations.schemas import (
    Address,
    PersonCorrection,
    PersonIn,
    RegistrationPatch,
)
from garita.registrations.service import NO_REASON, _person, edit, refresh_search, store_keys


def _log(session: Session, reg: Registration, who: Principal, action: str,
         person_id: int | None, fields: list[str], reason: str) -> None:
    """Keep the change and its reason readable for the owner and the staff (erased with
    the registration); the audit entry beside it makes it tamper-evident."""
    session.add(RegistrationChange(registration_id=reg.id, at=audit.now(session),
                                   actor=who.actor, action=action, person_id=person_id,
                                   fields=",".join(fields)[:300], reason=reason))


def changes_of(session: Session, registration_id: int) -> list[RegistrationChange]:
    return list(session.scalars(select(RegistrationChange).where(
        RegistrationChange.registration_id == registration_id).order_by(RegistrationChange.id)))


def member(reg: Registration, person_id: int) -> Person:
    found = next((p for p in reg.people if p.id == person_id), None)
    if found is None:
        raise NotFound(f"Person {person_id} is not in registration {reg.id}.")
    return found


def correct(session: Session, reg: Registration, person_id: int, data: PersonCorrection,
            held: str | None, who: Principal) -> Person:
    """Correct a person's fields; the reason is kept (``registration_change``) and audited."""
    if held == "confirmed":
        raise Refused("The appointment is confirmed and its signed notice names these people: "
                      "corrections wait until the appointment has passed.")
    person = member(reg, person_id)
    changes: dict[str, Any] = data.model_dump(mode="json", exclude_unset=True,
                                              exclude={"reason"})
    if not changes:
        raise Invalid("Nothing to correct: send at least one field besides the reason.")
    removed = [f for f, v in changes.items() if v is None and f != "photo_sha256"]
    if removed:
        raise Invalid(f"{', '.join(removed)} cannot be removed, only corrected: send the "
                      "right value.")
    for field, value in data.model_dump(exclude_unset=True, exclude={"reason"}).items():
        setattr(person, field, value)  # documents arrive as plain dicts, as create stores them
    if person.position == 0 and "nationality" in changes:
        reg.lead_nationality = person.nationality
    refresh_search(reg)
    _log(session, reg, who, "correct", person.id, sorted(changes), data.reason)
    session.flush()
    store_keys(session, reg.id, person)
    audit.record(session, actor=who.actor, action="person.correct", object_type="registration",
                 object_id=reg.id, change={"person": person.id, "fields": sorted(changes),
                                           "reason": data.reason, "values": changes})
    return person


def change(session: Session, reg: Registration, patch: RegistrationPatch,
           who: Principal) -> Registration:
    """Change the registration's language, phone, email or U.S. address, kept in
    ``registration_change`` with its reason as a person's correction is, and audited. The
    API's reason stays optional (older clients send none): its absence is then written
    as ``NO_REASON``, so "why" always has an answer, even "nobody said"."""
    edit(session, reg, patch, who)
    fields = sorted(patch.model_dump(exclude_unset=True, exclude={"reason"}))
    _log(session, reg, who, "edit", None, fields, patch.reason or NO_REASON)
    session.flush()
    return reg


def add_member(session: Session, reg: Registration, data: PersonIn, reason: str,
               held: str | None, policy: Policy, who: Principal) -> Person:
    """Add a member (a newborn, a child joining) up to the policy's maximum group size."""
    if held is not None:
        raise Refused(f"This registration holds an offer or appointment ({held}) drawn for "
                      f"{reg.group_size} people: nobody is added until it has ended.")
    if reg.group_size + 1 > policy.group_max:
        raise Invalid(f"A group has at most {policy.group_max} people (lead included); this "
                      f"one has {reg.group_size + 1}. Register the others separately.")
    lead = reg.people[0]
    position = max(p.position for p in reg.people) + 1
    person = _person(position, data, _address_of(lead))
    reg.people.append(person)
    reg.group_size += 1
    refresh_search(reg)
    session.flush()
    store_keys(session, reg.id, person)
    _log(session, reg, who, "add", person.id, [], reason)
    audit.record(session, actor=who.actor, action="person.add", object_type="registration",
                 object_id=reg.id, change={"person": person.id, "reason": reason,
                                           "values": data.model_dump(mode="json")})
    return person


def remove_member(session: Session, reg: Registration, person_id: int, reason: str,
                  held: str | None, who: Principal) -> None:
    """Remove a member who separated from the group (not the lead)."""
    person = member(reg, person_id)
    if person.position == 0:
        raise Invalid("The lead cannot be removed: withdraw the registration instead, or "
                      "register the others separately.")
    if held == "confirmed":
        raise Refused("The appointment is confirmed and its signed notice names these people: "
                      "a member who separated does not come (no penalty); remove them after "
                      "the appointment.")
    try:
        with session.begin_nested():
            reg.people.remove(person)
            reg.group_size -= 1
            refresh_search(reg)
            session.flush()
    except IntegrityError:
        raise Conflict(f"Person {person_id} already has records others keep (a confirmation "
                       "or an integrity finding): ask an NGO or the operator to help.") from None
    _log(session, reg, who, "remove", person_id, [], reason)
    audit.record(session, actor=who.actor, action="person.remove", object_type="registration",
                 object_id=reg.id, change={"person": person_id, "reason": reason})


def _address_of(lead: Person) -> Address:
    return Address(street=lead.us_street, unit=lead.us_unit, city=lead.us_city,
                   state=lead.us_state, zip=lead.us_zip)
