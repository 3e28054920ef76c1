"""The account's own pages: password reset, open sessions, two-factor sign-in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from garita.auth import service, sessions, twofactor
from garita.auth.edge import language, links, open_session, revoked
from garita.auth.schemas import ResetIn
from garita.deps import tx
from garita.errors import Conflict, DomainError, TooMany
from garita.identity import PUBLIC_ROLES
from garita.web import session
from garita.web.forms import client, detail, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> HTMLResponse:
    return render(request, "reset.html", values={}, message=None, sent=False)


@router.post("/reset")
async def reset(request: Request) -> Response:
    """Send a reset link; the same page whatever the email."""
    form = await posted(request)
    email = str(form.get("email", "")).strip()
    try:
        request.app.state.limits.signup(client(request))
    except TooMany as exc:
        return render(request, "reset.html", exc.status, values={"email": email},
                      message=detail(request, exc.detail), sent=False)
    if "@" in email:
        with tx(request) as s:
            service.request_reset(s, email, links(request), language(request),
                                  request.app.state.clock())
    return render(request, "reset.html", values={"email": email}, message=None, sent=True)


@router.get("/reset/{token}", response_class=HTMLResponse)
def new_password_form(request: Request, token: str) -> HTMLResponse:
    """The link's page (opening it uses nothing up: mail scanners open links too)."""
    return render(request, "new_password.html", token=token, errors={}, message=None)


@router.post("/reset/{token}")
async def new_password(request: Request, token: str) -> Response:
    form = await posted(request)
    _ = gettext_for(request)
    password = str(form.get("password", ""))
    if len(password) < 10:
        return render(request, "new_password.html", 422, token=token, message=None,
                      errors={"password": _("At least 10 characters.")})
    now = request.app.state.clock()
    with tx(request) as s:
        account_id = service.reset_password(s, request.app.state.hasher,
                                            ResetIn(token=token, password=password).token,
                                            password, now)
        ended = (sessions.revoke_all(s, account_id, "self", now)
                 if account_id is not None else [])
    if account_id is None:
        return render(request, "new_password.html", 422, token=token, errors={}, message=_(
            "This link is wrong, used or expired. Ask for a new one."))
    revoked(request, ended)
    response = render(request, "verified.html", reset=True, ok=True)
    session.end(request, response)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, who: session.Visitor) -> HTMLResponse:
    now = request.app.state.clock()
    with tx(request) as s:
        rows = sessions.active(s, who.account_id, now)
        on = service.account_of(s, who).totp_enabled_at is not None
        listed = [(r.id, r.created_at, r.client, r.id == who.sid) for r in rows]
    return render(request, "account.html", open_sessions=listed, two_factor_on=on)


@router.post("/account/sessions/{sid}/revoke")
async def revoke(request: Request, sid: str, who: session.Visitor) -> Response:
    await posted(request)
    with tx(request) as s:
        ended = sessions.revoke(s, who, sid, request.app.state.clock())
    revoked(request, ended)
    return RedirectResponse("/account" if sid != who.sid else "/", status_code=303)


@router.post("/account/signout-everywhere")
async def sign_out_everywhere(request: Request, who: session.Visitor) -> Response:
    await posted(request)
    with tx(request) as s:
        ended = sessions.revoke_all(s, who.account_id, who.actor, request.app.state.clock())
    revoked(request, ended)
    response = RedirectResponse("/", status_code=303)
    session.end(request, response)
    return response


@router.get("/account/two-factor", response_class=HTMLResponse)
def two_factor(request: Request, who: session.Enrolling) -> HTMLResponse:
    with tx(request) as s:
        on = service.account_of(s, who).totp_enabled_at is not None
    return render(request, "two_factor.html", on=on, secret=None, uri=None, codes=None,
                  message=None, must=not who.full, may_stop=_may_stop(request, who))


def _may_stop(request: Request, who) -> bool:
    return who.role in PUBLIC_ROLES or not request.app.state.settings.staff_two_factor_required


@router.post("/account/two-factor")
async def two_factor_step(request: Request, who: session.Enrolling) -> Response:
    """``step``: start (a new secret), confirm (the first code: on, recovery codes shown
    once; an enrolment-only staff session becomes a full one), stop."""
    form = await posted(request)
    step, code = str(form.get("step", "")), str(form.get("code", ""))
    now = request.app.state.clock()
    page: dict[str, Any] = {"on": False, "secret": None, "uri": None, "codes": None, "message": None,
            "must": not who.full, "may_stop": _may_stop(request, who)}
    try:
        with tx(request) as s:
            account, keys = service.account_of(s, who), request.app.state.totp_keys
            if step == "start":
                page["secret"], page["uri"] = twofactor.begin(s, account, keys)
            elif step == "confirm":
                page["codes"] = twofactor.confirm(s, account, keys, code, now)
                page["on"] = True
                if not who.full:  # the enrolment-only session ends; a full one starts
                    revoked(request, sessions.revoke(s, who, str(who.sid), now))
                    token = open_session(request, s, who.model_copy(update={"full": True}),
                                         now)
            elif step == "stop":
                if not page["may_stop"]:
                    raise Conflict("Two-factor sign-in is required for staff here; it "
                                   "cannot be turned off.")
                twofactor.disable(s, account, keys, who, code, now)
                return RedirectResponse("/account", status_code=303)
    except DomainError as exc:
        with tx(request) as s:
            account = service.account_of(s, who)
            page["on"] = account.totp_enabled_at is not None
            if step == "confirm" and not page["on"]:
                page["secret"] = twofactor.pending_secret(account, request.app.state.totp_keys)
        page["message"] = detail(request, exc.detail)
        return render(request, "two_factor.html", exc.status, **page)
    response = render(request, "two_factor.html", **page)
    if step == "confirm" and not who.full:
        session.replace(request, response, token,
                        request.app.state.settings.token_minutes * 60)
    return response

