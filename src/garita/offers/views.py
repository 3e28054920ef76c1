"""Confirmation of an offer by each member who must, and each one's photo; declining an
offer, cancelling an appointment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from sqlalchemy.orm import Session

from garita.deps import Applicant, Now, tx
from garita.identity import Principal
from garita.offers import service
from garita.offers.schemas import ConfirmIn, OfferOut
from garita.photos import service as photos
from garita.photos.core import MAX_BYTES, Checked
from garita.photos.schemas import PhotoOut

router = APIRouter(tags=["offers"])


@router.post("/offers/{offer_id}/confirmations", response_model=OfferOut)
def confirm(request: Request, offer_id: int, data: ConfirmIn, who: Applicant,
            now: Now) -> OfferOut:
    """One member confirms from an eligible place; the offer is confirmed when all have.
    When the policy in force requires photos (from 2024-03-04) the member's photo must be
    taken first (``POST /offers/{offer_id}/photos``); without it: 422 saying so."""
    with tx(request) as s:
        offer = service.confirm(s, who, offer_id, data, now, request.app.state.locator)
        return OfferOut.model_validate(offer)


def store_photo(request: Request, s: Session, who: Principal, offer_id: int, person_id: int,
                checked: Checked, now: dt.datetime) -> tuple[PhotoOut, str]:
    """Seal and keep one member's checked photo (the confirm page uses it too), and where
    it is read: by the port's officers and admins only, never the applicant."""
    offer = service.photo_subject(s, who, offer_id, person_id, now)
    keep = dt.timedelta(days=request.app.state.settings.photo_retention_days)
    out = photos.store(s, who, offer.id, person_id, checked, now,
                       offer.appointment_date + keep, request.app.state.photo_keys)
    return out, f"/ports/{offer.port}/photos/{offer.id}/{person_id}"


@router.post("/offers/{offer_id}/photos", response_model=PhotoOut,
             status_code=status.HTTP_201_CREATED)
def take_photo(request: Request, response: Response, offer_id: int, who: Applicant, now: Now,
                     person_id: Annotated[int, Form(ge=1, description="The member in the photo.")],
                     photo: Annotated[UploadFile, File(description="JPEG, PNG or WebP of the "
                                                       "member's face, at most 900 kB.")],
                     ) -> PhotoOut:
    """A member who must confirm takes a photo of their face (a retake replaces it).

    Checked for a usable picture (size, exposure, not blank; no face recognition),
    re-encoded without metadata, stored encrypted, shown only to the officers of the
    appointment's port and to admins, deleted ``GARITA_PHOTO_RETENTION_DAYS`` after
    the appointment. The answer never carries the image."""
    # at most one byte over the limit is read: the check then says it is too large
    checked = photos.checked(photo.file.read(MAX_BYTES + 1))  # 422 before anything is written
    with tx(request) as s:
        out, where = store_photo(request, s, who, offer_id, person_id, checked, now)
    response.headers["Location"] = where
    return out


@router.post("/offers/{offer_id}/decline", response_model=OfferOut,
             responses={409: {"description": "Confirmed (cancel it instead) or ended."}})
def decline(request: Request, offer_id: int, who: Applicant, now: Now) -> OfferOut:
    """Turn down an open offer. Its places return to the next draw; the registration may
    ask again the next day; nothing counts against it. Again: the same answer."""
    with tx(request) as s:
        offer = service.decline(s, who, offer_id, now)
        return OfferOut.model_validate(offer)


@router.post("/offers/{offer_id}/cancel", response_model=OfferOut,
             responses={409: {"description": "Not confirmed (decline it instead), ended, or "
                                             "its time has come."}})
def cancel(request: Request, offer_id: int, who: Applicant, now: Now) -> OfferOut:
    """Cancel a confirmed appointment before its time. Its places return to the next draw;
    the registration may ask again; it is not a no-show and carries no penalty."""
    with tx(request) as s:
        offer = service.cancel(s, who, offer_id, now)
        return OfferOut.model_validate(offer)
