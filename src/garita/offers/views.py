"""Confirmation of an offer by each member who must."""

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
