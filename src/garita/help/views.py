"""The help queue through the API: ask from anywhere, NGO staff and admins answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from pydantic import BaseModel

from garita.deps import Caller, Now, require, tx
from garita.help import service
from garita.help.schemas import AnswerIn, AssistedConfirmIn, HandBackIn, HelpIn, HelpOut
from garita.identity import Principal, Role
from garita.photos import service as photos
from garita.photos.core import MAX_BYTES
from garita.photos.schemas import PhotoOut
from garita.registrations import service as registrations
from garita.registrations.schemas import RegistrationOut
from garita.web.openapi import errors

router = APIRouter(tags=["help"])
Helper = Annotated[Principal, Depends(require(Role.ngo, Role.admin))]
Ngo = Annotated[Principal, Depends(require(Role.ngo))]


class HelpPage(BaseModel):
    total: int
    items: list[HelpOut]


class HandedBack(BaseModel):
    registration_id: int
    owner_id: int


class Assisted(BaseModel):
    offer_id: int
    status: str


@router.post("/help", status_code=201, response_model=HelpOut, responses=errors(404))
def ask(request: Request, response: Response, data: HelpIn, who: Caller, now: Now) -> HelpOut:
    """Ask for help, report someone selling appointments or fake notices (an integrity
    alert), or ask for assistance (the photo, the phone) for a registration."""
    with tx(request) as s:
        out = HelpOut.model_validate(service.ask(s, who, data, now))
    response.headers["Location"] = "/help/mine"  # the asker's requests and their answers
    return out


@router.get("/help", response_model=HelpPage)
def queue(request: Request, response: Response, who: Helper, status: str | None = "open",
          limit: Annotated[int, Query(ge=1, le=200)] = 50,
          offset: Annotated[int, Query(ge=0)] = 0) -> HelpPage:
    """The queue, oldest first (NGO staff and admins)."""
    with tx(request) as s:
        rows, total = service.queue(s, who, status or None, limit, offset)
        items = [HelpOut.model_validate(r) for r in rows]
    for item in items:  # without the consent to share, the helper does not learn which
        if not item.share:
            item.registration_id = None
    return HelpPage(total=total, items=items)


@router.get("/help/{help_id}/registration", response_model=RegistrationOut)
def shared(request: Request, help_id: int, who: Helper) -> RegistrationOut:
    """The registration a help request is about, when its owner consented to share it
    (the read is audited); 404 otherwise."""
    with tx(request) as s:
        return registrations.to_out(service.shared(s, who, help_id))


@router.get("/help/mine", response_model=list[HelpOut])
def mine(request: Request, who: Caller) -> list[HelpOut]:
    """What I asked and the answers."""
    with tx(request) as s:
        return [HelpOut.model_validate(r) for r in service.mine(s, who)]


@router.post("/help/{help_id}/answer", response_model=HelpOut, responses=errors(409))
def answer(request: Request, help_id: int, data: AnswerIn, who: Helper, now: Now) -> HelpOut:
    """Answer a request; answering an assistance request takes it (NGO)."""
    with tx(request) as s:
        return HelpOut.model_validate(service.answer(s, who, help_id, data.answer, now))


@router.post("/help/{help_id}/offers/{offer_id}/confirmations", response_model=Assisted)
def confirm_assisted(request: Request, help_id: int, offer_id: int, data: AssistedConfirmIn,
                     who: Ngo, now: Now) -> Assisted:
    """The NGO that took an assistance request confirms a member with them (audited).
    Under a policy version with ``photo_required`` the member's photo must be taken first, as for the
    owner's own confirmation (``POST /help/{help_id}/offers/{offer_id}/photos``)."""
    with tx(request) as s:
        status = service.confirm_assisted(s, who, help_id, offer_id, data, now,
                                          request.app.state.locator)
    return Assisted(offer_id=offer_id, status=status)


@router.post("/help/{help_id}/offers/{offer_id}/photos", response_model=PhotoOut,
             status_code=status.HTTP_201_CREATED)
def photo_assisted(request: Request, response: Response, help_id: int, offer_id: int,
                   who: Ngo, now: Now,
                   person_id: Annotated[int, Form(ge=1, description="The member in the photo.")],
                   photo: Annotated[UploadFile, File(description="JPEG, PNG or WebP of the "
                                                     "member's face, at most 900 kB.")],
                   ) -> PhotoOut:
    """The NGO that took an assistance request takes (or uploads) the photo of a member it
    confirms with: checked, sealed and kept as the owner's own would be; the entry names
    the NGO. The answer never carries the image."""
    checked = photos.checked(photo.file.read(MAX_BYTES + 1))  # 422 before anything is written
    settings = request.app.state.settings
    with tx(request) as s:
        out = service.assisted_photo(s, who, help_id, offer_id, person_id, checked, now,
                                     dt.timedelta(days=settings.photo_retention_days),
                                     request.app.state.photo_keys)
    response.headers["Location"] = out[1]
    return out[0]


@router.post("/registrations/{registration_id}/hand-back", response_model=HandedBack)
def hand_back(request: Request, registration_id: int, data: HandBackIn,
              who: Ngo) -> HandedBack:
    """An NGO hands a registration to the person's own account (consent recorded)."""
    with tx(request) as s:
        owner = service.hand_back(s, who, registration_id, data)
    return HandedBack(registration_id=registration_id, owner_id=owner)
