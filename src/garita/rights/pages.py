"""The privacy notice, and a registration's data: download it, withdraw and delete it."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from garita.deps import tx
from garita.registrations import service as registrations
from garita.rights import pdf, service
from garita.web import session
from garita.web.forms import posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    """What Garita keeps, why, for how long, and the rights over it (linked from sign-up)."""
    return render(request, "privacy.html",
                  days=request.app.state.settings.retention_days)


@router.get("/me/registrations/{registration_id}/data", response_class=HTMLResponse)
def my_data(request: Request, registration_id: int, who: session.Visitor) -> HTMLResponse:
    with tx(request) as s:
        reg = registrations.to_out(registrations.get(s, registration_id, who))
    return render(request, "mydata.html", reg=reg)


@router.get("/me/registrations/{registration_id}/data.json")
def my_data_json(request: Request, registration_id: int, who: session.Visitor) -> Response:
    with tx(request) as s:
        data = service.export(s, who, registration_id)
    return Response(json.dumps(data, ensure_ascii=False, indent=1),
                    media_type="application/json", headers={
                        "Content-Disposition":
                            f'attachment; filename="garita-{registration_id}.json"'})


@router.get("/me/registrations/{registration_id}/data.pdf")
def my_data_pdf(request: Request, registration_id: int, who: session.Visitor) -> Response:
    with tx(request) as s:
        data = service.export(s, who, registration_id)
    body = pdf.data_pdf(data, f"Garita: registration {registration_id}",
                        request.app.state.notice_font)
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="garita-{registration_id}.pdf"'})


@router.post("/me/registrations/{registration_id}/withdrawal")
async def withdraw(request: Request, registration_id: int, who: session.Visitor) -> Response:
    form = await posted(request)
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/me/registrations/{registration_id}/data", status_code=303)
    with tx(request) as s:
        _, ended = service.delete(s, who, registration_id, "withdrawn by the applicant (page)",
                                  form.get("close_account") == "yes", request.app.state.clock())
    request.app.state.revocations.add(*ended)  # a closed account's tokens: refused at once
    return RedirectResponse("/me", status_code=303)
