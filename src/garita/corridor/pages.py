"""Ask for seats on the corridor's bus, as a page (the same rules as the API)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from garita.corridor import service
from garita.corridor.schemas import SeatRequestOut
from garita.deps import tx
from garita.errors import DomainError
from garita.registrations import service as registrations
from garita.web import consent, session
from garita.web.forms import detail, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/me/offers/{offer_id}/seats", response_class=HTMLResponse)
def seats_form(request: Request, offer_id: int,
               who: session.Visitor) -> HTMLResponse:
    return render(request, "seats.html", offer_id=offer_id, seat=None, errors={}, message=None)


@router.post("/me/offers/{offer_id}/seats", response_class=HTMLResponse)
async def seats(request: Request, offer_id: int,
                who: session.Visitor) -> HTMLResponse:
    form = await posted(request)
    if (no_consent := consent.missing(request, who, form)) is not None:
        return render(request, "seats.html", 422, offer_id=offer_id, seat=None,
                      errors={"consent": no_consent}, message=None)
    try:
        with tx(request) as s:
            row, _ = service.request_seats(s, who, offer_id, request.app.state.clock())
            registrations.record_consent(s, who, row.registration_id, "seats")
            seat = SeatRequestOut.model_validate(row)
    except DomainError as exc:
        return render(request, "seats.html", exc.status, offer_id=offer_id, seat=None,
                      errors={}, message=detail(request, exc.detail))
    return render(request, "seats.html", offer_id=offer_id, seat=seat, errors={}, message=None)
