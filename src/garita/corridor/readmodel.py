"""What the corridor reads from other features' rows: people of a registration, a notice.

Read-only look-ups by id, for the coordinator's and the crew's work (permits,
manifests, boarding). They act as no role: ownership checks belong to the
routes an applicant calls (``service.mine``), not to these internal reads, so
nothing here builds a principal to get past a permission it does not have.
All of the corridor's reads of registration and notice tables live here, so
the dependency on their layout is in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.notices.models import Notice
from garita.registrations.models import Person


@dataclass(frozen=True)
class Rider:
    """One person of a seated group, as a manifest and a permit need them."""

    id: int
    given_names: str
    family_names: str
    date_of_birth: dt.date


def riders(session: Session, registration_id: int) -> list[Rider]:
    """The registration's people, lead first."""
    return [Rider(p.id, p.given_names, p.family_names, p.date_of_birth)
            for p in session.scalars(select(Person).where(
                Person.registration_id == registration_id).order_by(Person.position))]


def person_ids(session: Session, registration_ids: list[int]) -> dict[int, int]:
    """person id → registration id, for every person of these registrations."""
    if not registration_ids:
        return {}
    rows = session.execute(select(Person.id, Person.registration_id).where(
        Person.registration_id.in_(registration_ids)))
    return {pid: reg for pid, reg in rows}


def notice_offer(session: Session, confirmation_number: str, token: str) -> int | None:
    """The offer of the notice issued with exactly this token, or None (unknown, superseded)."""
    notice = session.scalar(select(Notice).where(
        Notice.confirmation_number == confirmation_number))
    return notice.offer_id if notice is not None and notice.token == token else None
