"""Store, show and delete confirmation photos. Takes a session, flushes, never commits.

Who may take or see a photo is decided by the callers, which know the offer: the
applicant's confirmation (``offers``: the owner, a member who must confirm) and the
port's day (``ports``: the officer of the appointment's port within the officer's
days, or an admin). Every store, view and deletion is in the audit log; none of
them carries the image or anything taken from it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import Invalid, NotFound
from garita.identity import Principal
from garita.photos import core
from garita.photos.models import Photo
from garita.photos.schemas import PhotoOut
from garita.photos.sealing import PhotoKeys


def checked(data: bytes) -> core.Checked:
    """The photo re-encoded for storage, or 422 saying what to fix."""
    try:
        return core.check(data)
    except core.Unusable as exc:
        raise Invalid(str(exc)) from None


def store(session: Session, who: Principal, offer_id: int, person_id: int,
          photo: core.Checked, now: dt.datetime, delete_after: dt.date,
          keys: PhotoKeys) -> PhotoOut:
    """Seal and keep the person's photo for this appointment (a retake replaces it)."""
    row = session.scalar(select(Photo).where(Photo.offer_id == offer_id,
                                             Photo.person_id == person_id))
    if row is None:
        row = Photo(offer_id=offer_id, person_id=person_id)
        session.add(row)
    row.taken_at, row.taken_by, row.key_id = now, who.actor, keys.current_id
    row.sealed = keys.seal(photo.jpeg, offer_id, person_id)
    row.width, row.height, row.delete_after = photo.width, photo.height, delete_after
    session.flush()
    audit.record(session, actor=who.actor, action="photo.store", object_type="photo",
                 object_id=row.id, change={"offer": offer_id, "person": person_id,
                                           "width": row.width, "height": row.height,
                                           "delete_after": delete_after.isoformat()})
    return PhotoOut.model_validate(row)


def taken(session: Session, offer_id: int, person_id: int) -> bool:
    """Has this member a photo for this offer (what a confirmation may require)?"""
    return session.scalar(select(Photo.id).where(Photo.offer_id == offer_id,
                                                 Photo.person_id == person_id)) is not None


def of_offers(session: Session, offer_ids: list[int]) -> dict[tuple[int, int], PhotoOut]:
    """(offer, person) → the photo's description, for the appointments given."""
    if not offer_ids:
        return {}
    rows = session.scalars(select(Photo).where(Photo.offer_id.in_(offer_ids)))
    return {(r.offer_id, r.person_id): PhotoOut.model_validate(r) for r in rows}


def view(session: Session, who: Principal, offer_id: int, person_id: int, keys: PhotoKeys,
         route: str) -> bytes:
    """The JPEG, opened for a caller already allowed to see it; the view is audited."""
    row = session.scalar(select(Photo).where(Photo.offer_id == offer_id,
                                             Photo.person_id == person_id))
    if row is None:
        raise NotFound(f"No photo of person {person_id} for appointment {offer_id}: it was "
                       "not taken, or its retention has passed.")
    try:
        jpeg = keys.open(row.sealed, row.key_id, offer_id, person_id)
    except ValueError as exc:
        raise NotFound(f"The photo of person {person_id} cannot be opened ({exc}); ask an "
                       "administrator.") from None
    audit.record(session, actor=who.actor, action="photo.view", object_type="photo",
                 object_id=row.id, change={"offer": offer_id, "person": person_id,
                                           "route": route})
    return jpeg


def purge(session: Session, today: dt.date, actor: str) -> int:
    """Delete every photo whose retention ended before ``today``; returns how many."""
    ids = list(session.scalars(select(Photo.id).where(Photo.delete_after < today)))
    if ids:
        session.execute(delete(Photo).where(Photo.id.in_(ids)))
        audit.record(session, actor=actor, action="photo.purge", object_type="photo",
                     object_id=f"{len(ids)} photos", change={"ids": ids,
                                                             "before": today.isoformat()})
    return len(ids)


def erase_people(session: Session, person_ids: list[int]) -> int:
    """Delete the photos of a withdrawn registration's people (``garita.rights``): a face
    is personal data with nothing to keep for statistics."""
    if not person_ids:
        return 0
    done = session.execute(delete(Photo).where(Photo.person_id.in_(person_ids)))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]
