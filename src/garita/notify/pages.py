"""``/me/messages`` (the applicant's channels, language and messages) and
``/staff/outbox`` (every message, for admins: the demo's inbox)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from garita.deps import tx
from garita.errors import Forbidden
from garita.identity import Role
from garita.messaging import service as messaging
from garita.messaging.schemas import Preferences
from garita.notify.views import save_preferences
from garita.web import i18n, session
from garita.web.forms import posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/me/messages", response_class=HTMLResponse)
def messages(request: Request, who: session.Visitor, saved: bool = False) -> HTMLResponse:
    with tx(request) as s:
        prefs = messaging.preferences(s, who.account_id)
        rows = messaging.outbox(s, account_id=who.account_id, limit=30)
    return render(request, "messages.html", prefs=prefs, rows=rows, saved=saved,
                  names=i18n.NAMES)


@router.post("/me/messages")
async def save(request: Request, who: session.Visitor) -> Response:
    form = await posted(request)
    language = str(form.get("language", ""))
    prefs = Preferences(email="email" in form, sms="sms" in form, whatsapp="whatsapp" in form,
                        digest="digest" in form,
                        language=language if language in i18n.LANGUAGES else None)
    save_preferences(request, who.account_id, who.actor, prefs)
    return RedirectResponse("/me/messages?saved=1", status_code=303)


@router.get("/staff/outbox", response_class=HTMLResponse)
def outbox(request: Request, who: session.Visitor) -> HTMLResponse:
    if who.role is not Role.admin:
        raise Forbidden(f"This needs one of the roles: admin; you are {who.role.value}.")
    with tx(request) as s:
        rows = messaging.outbox(s, limit=200)
        counts = messaging.counts(s)
    return render(request, "outbox.html", rows=rows, counts=counts)
