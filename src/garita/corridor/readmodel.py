"""What the corridor reads from other features' rows: people of a registration, a notice.

Read-only look-ups by id, for the coordinator's and the crew's work (permits,
manifests, boarding). They act as no role: ownership checks belong to the
routes an applicant calls (``service.mine``), not to these internal reads, so
nothing here builds a principal to get past a permission it does not have.
All of the corridor's reads of registrations and notices go through their
services from here, so the dependency is in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from garita.notices import service as notices
from garita.registrations import service as registrations


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
            for p in registrations.people_of(session, [registration_id])[registration_id]]


def person_ids(session: Session, registration_ids: list[int]) -> dict[int, int]:
    """person id → registration id, for every person of these registrations."""
    return {p.id: reg for reg, people in registrations.people_of(session, registration_ids).items()
            for p in people}


def notice_offer(session: Session, confirmation_number: str, token: str) -> int | None:
    """The offer of the notice issued with exactly this token, or None (unknown, superseded)."""
    notice = notices.by_number(session, confirmation_number)
    return notice.offer_id if notice is not None and notice.token == token else None
