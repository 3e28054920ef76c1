"""``/me/messages`` (the applicant's channels, language, phones verified by a code, and
messages) and ``/staff/outbox`` (every message, for admins: the demo's inbox)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from garita.deps import tx
from garita.errors import DomainError, Forbidden
from garita.identity import Role
from garita.messaging import service as messaging
from garita.messaging.schemas import Preferences
from garita.notify import phones
from garita.notify.views import save_preferences, send_phone_code, verify_phone
from garita.web import i18n, session
from garita.web.forms import detail, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _page(request: Request, who: session.Visitor, status_code: int = 200,
          **extra: object) -> HTMLResponse:
    with tx(request) as s:
        prefs = messaging.preferences(s, who.account_id)
        rows = messaging.outbox(s, account_id=who.account_id, limit=30)
        owned = phones.listing(s, who)
    return render(request, "messages.html", status_code, prefs=prefs, rows=rows,
                  phones=owned, names=i18n.NAMES, code_minutes=phones.CODE_MINUTES,
                  **({"saved": False, "phone": None, "problem": None} | extra))


@router.get("/me/messages", response_class=HTMLResponse)
def messages(request: Request, who: session.Visitor, saved: bool = False,
             phone: str | None = None) -> HTMLResponse:
    return _page(request, who, saved=saved, phone=phone if phone in ("sent", "verified")
                 else None)


@router.post("/me/messages/phone")
async def phone(request: Request, who: session.Visitor) -> Response:
    """``step``: send (a code by SMS to the registration's phone) or verify (the code)."""
    form = await posted(request)
    step, code = str(form.get("step", "")), str(form.get("code", ""))
    raw = str(form.get("registration_id", ""))
    now = request.app.state.clock()
    try:
        if not raw.isdigit():
            raise Forbidden("Choose one of your registrations.")
        if step == "verify":
            verify_phone(request, who, int(raw), code, now)
            return RedirectResponse("/me/messages?phone=verified#phones", status_code=303)
        send_phone_code(request, who, int(raw), now)
        return RedirectResponse("/me/messages?phone=sent#phones", status_code=303)
    except DomainError as exc:
        return _page(request, who, exc.status, problem=detail(request, exc.detail))


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
