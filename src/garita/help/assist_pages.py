"""Confirm with a person who asked for assistance, as the NGO's page (issue 16, point 8).

The NGO that took the assistance request (answered it on ``/desk/help``) sees the
request, the registration's offer and each member who must confirm, and confirms
them one by one with the person present: the same service as
``POST /help/{id}/offers/{offer_id}/confirmations`` (the consent entry, the offer's
audit entry naming the NGO). The NGO may take or upload the member's photo; it is
required when the policy in force says ``photo_required``, as for the owner's confirmation.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from garita.deps import tx
from garita.errors import DomainError
from garita.help import service
from garita.help.schemas import AssistedConfirmIn
from garita.identity import Principal
from garita.offers.schemas import OfferOut
from garita.photos import service as photos
from garita.photos.core import MAX_BYTES
from garita.policy.ports import PORTS
from garita.policy.service import policy_now
from garita.web import session
from garita.web.forms import detail, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _page(request: Request, who: Principal, help_id: int, errors: dict, message: str | None,
          status: int = 200) -> HTMLResponse:
    now = request.app.state.clock()
    with tx(request) as s:
        view = service.assisted(s, who, help_id, now)
        photo_required = policy_now(s, now)[1].photo_required  # the rule confirm applies
        offer = OfferOut.model_validate(view.offer) if view.offer is not None else None
        item = {"id": view.item.id, "message": view.item.message, "share": view.item.share,
                "created_at": view.item.created_at, "answered_at": view.item.answered_at,
                "registration_id": view.item.registration_id}
    open_offer = offer is not None and offer.status == "offered" and offer.confirm_deadline > now
    return render(request, "assist.html", status, item=item, need=view.need, offer=offer,
                  port=PORTS[offer.port] if offer is not None else None, open_offer=open_offer,
                  people=view.people, done=view.done,
                  waiting=[p for p in view.people if p[0] not in view.done],
                  photo_required=photo_required,
                  errors=errors, message=message)


@router.get("/desk/help/{help_id}/confirm", response_class=HTMLResponse)
def assist_form(request: Request, help_id: int, who: session.Visitor) -> HTMLResponse:
    return _page(request, who, help_id, {}, None)


@router.post("/desk/help/{help_id}/confirm")
async def assist_confirm(request: Request, help_id: int, who: session.Visitor) -> Response:
    form = await posted(request)
    _ = gettext_for(request)
    if form.get("consent") != "yes":
        return _page(request, who, help_id, {"consent": _(
            "Tick this box: the person must agree first.")}, None, 422)
    try:
        data = AssistedConfirmIn(person_id=form.get("person_id") or "x",
                                 lat=form.get("lat") or "x", lon=form.get("lon") or "x",
                                 consent=True)
        offer_id = int(str(form.get("offer_id", "")))
    except (ValidationError, ValueError):
        return _page(request, who, help_id, {"where": _(
            "Choose who is confirming and share the location first.")}, None, 422)
    upload = form.get("photo")
    raw = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        checked = photos.checked(raw) if raw else None  # what to fix, before any write
    except DomainError as exc:
        return _page(request, who, help_id, {"photo": detail(request, exc.detail)}, None,
                     exc.status)
    now, state = request.app.state.clock(), request.app.state
    try:
        with tx(request) as s:
            if checked is not None:
                keep = dt.timedelta(days=state.settings.photo_retention_days)
                service.assisted_photo(s, who, help_id, offer_id, data.person_id, checked, now,
                                       keep, state.photo_keys)
            service.confirm_assisted(s, who, help_id, offer_id, data, now, state.locator)
    except DomainError as exc:
        return _page(request, who, help_id, {}, detail(request, exc.detail), exc.status)
    return RedirectResponse(f"/desk/help/{help_id}/confirm?done=1", status_code=303)
