"""Confirm an offer, as a page: the members who must confirm, each from their location and,
when the policy in force requires it (from 2024-03-04), with a photo of their face (the
browser's camera, or a file)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from garita.deps import tx
from garita.errors import DomainError, NotFound
from garita.identity import Principal
from garita.offers import service
from garita.offers.schemas import ConfirmIn, OfferOut
from garita.offers.views import store_photo
from garita.photos import service as photos
from garita.photos.core import MAX_BYTES
from garita.policy.ports import PORTS
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.web import consent, session
from garita.web.forms import detail, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _page(request: Request, who: Principal, offer_id: int, errors: dict,
          message: str | None, status: int = 200) -> HTMLResponse:
    now = request.app.state.clock()
    with tx(request) as s:
        missing = f"Offer {offer_id} does not exist or is not yours."
        offer = service.get(s, offer_id)
        if offer is None:
            raise NotFound(missing)
        reg = registrations.get(s, offer.registration_id, who, absent=missing)
        _, policy, _ = policy_now(s, now)
        done = service.confirmed_people(s, offer.id)
        waiting = [p for p in reg.people
                   if p.id in service.confirmers(reg, policy, now.date()) and p.id not in done]
        people = [(p.id, f"{p.given_names} {p.family_names}") for p in waiting]
        out = OfferOut.model_validate(offer)
    return render(request, "confirm.html", status, offer=out, port=PORTS[out.port],
                  waiting=people, errors=errors, message=message,
                  registration_id=reg.id, photo_required=policy.photo_required)


@router.get("/me/offers/{offer_id}/confirm", response_class=HTMLResponse)
def confirm_form(request: Request, offer_id: int,
                 who: session.Visitor) -> HTMLResponse:
    return _page(request, who, offer_id, {}, None)


@router.post("/me/offers/{offer_id}/confirm")
async def confirm(request: Request, offer_id: int,
                  who: session.Visitor) -> Response:
    form = await posted(request)
    if (no_consent := consent.missing(request, who, form)) is not None:
        return _page(request, who, offer_id, {"consent": no_consent}, None, 422)
    try:
        data = ConfirmIn(person_id=form.get("person_id") or "x", lat=form.get("lat") or "x",
                         lon=form.get("lon") or "x")
    except ValidationError:
        _ = gettext_for(request)
        return _page(request, who, offer_id, {"where": _(
            "Choose who is confirming and share the location first.")}, None, 422)
    upload = form.get("photo")
    raw = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    now = request.app.state.clock()
    with tx(request) as s:
        wanted = policy_now(s, now)[1].photo_required  # the rule confirm applies, same clock
    checked = None
    if raw or wanted:
        try:
            checked = photos.checked(raw)  # what to fix, before anything is written
        except DomainError as exc:
            return _page(request, who, offer_id, {"photo": detail(request, exc.detail)}, None,
                         exc.status)
    try:
        with tx(request) as s:
            # the photo first: it refuses a member who does not confirm, as confirm would
            if checked is not None:
                store_photo(request, s, who, offer_id, data.person_id, checked, now)
            offer = service.confirm(s, who, offer_id, data, now, request.app.state.locator)
            registrations.record_consent(s, who, offer.registration_id, "confirm")
            target = f"/me/registrations/{offer.registration_id}"
            if offer.status != "confirmed":
                target = f"/me/offers/{offer_id}/confirm"
    except DomainError as exc:
        return _page(request, who, offer_id, {}, detail(request, exc.detail), exc.status)
    return RedirectResponse(target, status_code=303)


def _decline_page(request: Request, who: Principal, offer_id: int, errors: dict,
                  message: str | None, status: int = 200) -> HTMLResponse:
    with tx(request) as s:
        offer = service.get(s, offer_id)
        if offer is None:
            raise NotFound(f"Offer {offer_id} does not exist or is not yours.")
        registrations.get(s, offer.registration_id, who)  # ownership check
        out = OfferOut.model_validate(offer)
    return render(request, "decline.html", status, offer=out, port=PORTS[out.port],
                  errors=errors, message=message, registration_id=out.registration_id)


@router.get("/me/offers/{offer_id}/decline", response_class=HTMLResponse)
def decline_form(request: Request, offer_id: int, who: session.Visitor) -> HTMLResponse:
    """Decline an open offer or cancel a confirmed appointment: one page, said as it is."""
    return _decline_page(request, who, offer_id, {}, None)


@router.post("/me/offers/{offer_id}/decline")
async def decline(request: Request, offer_id: int, who: session.Visitor) -> Response:
    form = await posted(request)
    if (no_consent := consent.missing(request, who, form)) is not None:
        return _decline_page(request, who, offer_id, {"consent": no_consent}, None, 422)
    now = request.app.state.clock()
    try:
        with tx(request) as s:
            offer = service.get(s, offer_id)
            act = "cancel" if offer is not None and offer.status == "confirmed" else "decline"
            offer = (service.cancel if act == "cancel" else service.decline)(s, who, offer_id,
                                                                             now)
            registrations.record_consent(s, who, offer.registration_id, act)
            target = f"/me/registrations/{offer.registration_id}"
    except DomainError as exc:
        return _decline_page(request, who, offer_id, {}, detail(request, exc.detail),
                             exc.status)
    return RedirectResponse(target, status_code=303)
