"""Ask for help from any page (the layout links here); NGO staff and admins answer."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.deps import tx
from garita.errors import DomainError
from garita.help import service
from garita.help.schemas import HandBackIn, HelpIn
from garita.identity import Role
from garita.web import session
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import error_page, mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/help/new", response_class=HTMLResponse)
def help_form(request: Request, who: session.Visitor, page: str = "") -> HTMLResponse:
    with tx(request) as s:
        asked = service.mine(s, who)
    return render(request, "help.html", errors={}, values={"page": page[:200]}, asked=asked,
                  message=None)


@router.post("/help/new")
async def help_send(request: Request, who: session.Visitor) -> Response:
    form = await posted(request)
    values = {k: str(form.get(k, "")) for k in ("kind", "message", "registration_id", "page",
                                                 "need", "notice_number")}
    try:
        data = HelpIn(kind=values["kind"] or "help", message=values["message"],
                      registration_id=int(values["registration_id"])
                      if values["registration_id"].isdigit() else None,
                      share=form.get("share") == "yes", page=values["page"] or None,
                      need=values["need"] or None,
                      notice_number=values["notice_number"] or None)
    except ValidationError as exc:
        return render(request, "help.html", 422, errors=field_errors(request, exc),
                      values=values, asked=[], message=None)
    try:
        with tx(request) as s:
            service.ask(s, who, data, request.app.state.clock())
    except DomainError as exc:
        return render(request, "help.html", exc.status, errors={}, values=values, asked=[],
                      message=detail(request, exc.detail))
    return RedirectResponse("/help/new?sent=1", status_code=303)


@router.get("/desk/help", response_class=HTMLResponse)
def help_queue(request: Request, who: session.Visitor) -> HTMLResponse:
    with tx(request) as s:
        rows, total = service.queue(s, who)
        taken = service.taken(s, who) if who.role is Role.ngo else []
    return render(request, "helpdesk.html", rows=rows, total=total, taken=taken)


@router.post("/desk/help/{help_id}/answer")
async def help_answer(request: Request, help_id: int, who: session.Visitor) -> Response:
    form = await posted(request)
    text = str(form.get("answer", "")).strip()
    if len(text) >= 2:
        with tx(request) as s:
            service.answer(s, who, help_id, text, request.app.state.clock())
    return RedirectResponse("/desk/help", status_code=303)


@router.post("/me/registrations/{registration_id}/hand-back")
async def hand_back(request: Request, registration_id: int, who: session.Visitor) -> Response:
    """The NGO hands a registration to the person's own account, with their consent."""
    form = await posted(request)
    try:
        data = HandBackIn(email=str(form.get("email", "")), consent=form.get("consent") == "yes")
    except ValidationError as exc:
        return error_page(request, 422, "Invalid input",
                          "; ".join(field_errors(request, exc).values()))
    with tx(request) as s:  # a refusal becomes the error page (the app's handler)
        service.hand_back(s, who, registration_id, data)
    return RedirectResponse("/desk", status_code=303)
