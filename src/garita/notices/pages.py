"""The appointment notice as a page: the QR large on screen, the PDF, what to bring."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from garita.deps import tx
from garita.identity import Principal, Role
from garita.notices import render as documents
from garita.notices import service, signed
from garita.notices.views import Unavailable
from garita.offers import service as offers
from garita.policy.ports import PORTS
from garita.registrations import service as registrations
from garita.web import consent, session
from garita.web.forms import posted
from garita.web.pages import mark_page
from garita.web.templates import language, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _issued(request: Request, offer_id: int, who: Principal, act: bool = False):
    keys = request.app.state.notice_keys
    with tx(request) as s:
        notice, preferred = service.for_offer(s, who, offer_id, request.app.state.clock(), keys)
        payload = service.payload_of(notice, keys)
        if act:  # for_offer has checked the offer exists and is the caller's
            offer = offers.get(s, offer_id)
            assert offer is not None  # for_offer refused a missing one
            registrations.record_consent(s, who, offer.registration_id, "notice")
        return notice, preferred, payload


def _page(request: Request, offer_id: int, who: Principal) -> HTMLResponse:
    notice, _, payload = _issued(request, offer_id, who, act=who.role is Role.ngo)
    return render(request, "notice.html", notice=notice, payload=payload,
                  port=PORTS[payload.port], offer_id=offer_id)


@router.get("/me/offers/{offer_id}/notice", response_class=HTMLResponse)
def notice(request: Request, offer_id: int,
           who: session.Visitor) -> HTMLResponse:
    """The applicant sees the notice; an NGO first records the person's consent."""
    if who.role is Role.ngo:
        return render(request, "notice_consent.html", offer_id=offer_id, errors={})
    return _page(request, offer_id, who)


@router.post("/me/offers/{offer_id}/notice", response_class=HTMLResponse)
async def notice_for(request: Request, offer_id: int,
                     who: session.Visitor) -> HTMLResponse:
    form = await posted(request)
    if (no_consent := consent.missing(request, who, form)) is not None:
        return render(request, "notice_consent.html", 422, offer_id=offer_id,
                      errors={"consent": no_consent})
    return _page(request, offer_id, who)


@router.get("/me/offers/{offer_id}/qr.png")
def qr(request: Request, offer_id: int, who: session.Visitor) -> Response:
    found, _, _ = _issued(request, offer_id, who)
    return Response(documents.qr_png(found.token, scale=8), media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})


@router.get("/me/offers/{offer_id}/notice.pdf")
def pdf(request: Request, offer_id: int, who: session.Visitor) -> Response:
    """The signed PDF in the page's language (the notice's own five catalogues)."""
    found, _, payload = _issued(request, offer_id, who)
    keys = request.app.state.notice_keys
    name = f"notice-{found.confirmation_number}.pdf"
    if keys.pdf_signer is None:
        raise Unavailable("This server holds no PDF signing key; ask for the QR code instead.")
    body = signed.signed_pdf(payload, found.token, found.kid, language(request),
                             request.app.state.notice_font, keys.pdf_signer)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})
