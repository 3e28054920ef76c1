"""Confirmation of an offer by each member who must; declining an offer, cancelling an
appointment."""

from __future__ import annotations

from fastapi import APIRouter, Request

from garita.deps import Applicant, Now, tx
from garita.offers import service
from garita.offers.schemas import ConfirmIn, OfferOut

router = APIRouter(tags=["offers"])


@router.post("/offers/{offer_id}/confirmations", response_model=OfferOut)
def confirm(request: Request, offer_id: int, data: ConfirmIn, who: Applicant,
            now: Now) -> OfferOut:
    """One member confirms from an eligible place; the offer is confirmed when all have."""
    with tx(request) as s:
        offer = service.confirm(s, who, offer_id, data, now, request.app.state.locator)
        return OfferOut.model_validate(offer)


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
