"""Sign up, confirm the email, sign in (with two-factor) and sign out, as pages (the same
services and limits as the API)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.auth import service, sessions
from garita.auth.edge import language, links, open_session, revoked
from garita.auth.schemas import SignUp
from garita.deps import tx
from garita.errors import Conflict, Forbidden, NotFound, TooMany, Unauthorized
from garita.identity import Principal, Role
from garita.web import session
from garita.web.forms import client, detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _home(who: Principal) -> str:
    if not who.full:
        return "/account/two-factor"
    return "/desk" if who.role is Role.ngo else "/me"


def _safe(next_path: str | None, who: Principal) -> str:
    if who.full and next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return next_path
    return _home(who)


def signed_in(request: Request, token: str, target: str) -> Response:
    """Redirect to ``target`` with the session cookie holding ``token``."""
    response = RedirectResponse(target, status_code=303)
    session.start(request, response, token, request.app.state.settings.token_minutes * 60)
    return response


@router.get("/signup", response_class=HTMLResponse)
def sign_up_form(request: Request) -> HTMLResponse:
    return render(request, "signup.html", errors={}, values={}, message=None)


@router.post("/signup")
async def sign_up(request: Request) -> Response:
    """A new account, or an existing email: the same "check your email" page (its owner is
    told someone tried), so the page cannot tell who has an account."""
    form = await posted(request)
    values = {k: str(form.get(k, "")) for k in ("email", "password", "role")}
    try:
        data = SignUp(email=values["email"], password=values["password"],
                      role=values["role"] or "applicant")
    except ValidationError as exc:
        return render(request, "signup.html", 422, errors=field_errors(request, exc),
                      values=values, message=None)
    try:
        request.app.state.limits.signup(client(request))
        with tx(request) as s:
            service.sign_up(s, request.app.state.hasher, data, links(request),
                            language(request), request.app.state.clock())
    except (Conflict, Forbidden, TooMany) as exc:
        return render(request, "signup.html", exc.status, errors={}, values=values,
                      message=detail(request, exc.detail))
    return render(request, "verify.html", values={"email": data.email}, message=None,
                  sent=True)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request, email: str = "") -> HTMLResponse:
    return render(request, "verify.html", values={"email": email}, message=None, sent=False)


@router.post("/verify")
async def verify(request: Request) -> Response:
    """The typed code; "send again" makes a new one (the same answer for any email)."""
    form = await posted(request)
    values = {"email": str(form.get("email", "")).strip(), "code": str(form.get("code", ""))}
    _ = gettext_for(request)
    now = request.app.state.clock()
    try:
        request.app.state.limits.signup(client(request))
    except TooMany as exc:
        return render(request, "verify.html", exc.status, values=values, sent=False,
                      message=detail(request, exc.detail))
    if form.get("resend"):
        with tx(request) as s:
            service.resend_verification(s, values["email"], links(request), language(request),
                                        now)
        return render(request, "verify.html", values=values, message=None, sent=True)
    with tx(request) as s:
        ok = service.verify_email(s, now, email=values["email"], code=values["code"])
    if not ok:
        return render(request, "verify.html", 422, values=values, sent=False, message=_(
            "The code is wrong, used or expired. Check it, or ask for a new one."))
    return render(request, "verified.html", ok=True, reset=False)


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify_link(request: Request, token: str) -> HTMLResponse:
    """The link in the message (opening it is the proof of reading the email)."""
    with tx(request) as s:
        ok = service.verify_email(s, request.app.state.clock(), token=token)
    return render(request, "verified.html", 200 if ok else 422, ok=ok, reset=False)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "") -> HTMLResponse:
    return render(request, "signin.html", values={"next": next}, message=None,
                  two_factor=False)


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await posted(request)
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    code = str(form.get("code", "")) or None
    values = {"email": email, "next": str(form.get("next", ""))}
    settings = request.app.state.settings
    now = request.app.state.clock()
    try:
        request.app.state.limits.login(email, client(request))
        with tx(request) as s:
            who = service.sign_in(s, request.app.state.hasher, email, password, code,
                                  settings.staff_two_factor_required, now)
            token = open_session(request, s, who, now)
    except (TooMany, Unauthorized, Forbidden) as exc:
        return render(request, "signin.html", exc.status, values=values,
                      message=detail(request, exc.detail),
                      two_factor=bool(exc.extra.get("two_factor")),
                      unverified=isinstance(exc, Forbidden))
    return signed_in(request, token, _safe(values["next"], who))


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    """Ends this session on the server too: a copy of its cookie no longer works."""
    await posted(request)
    who = session.who(request)
    if who is not None and who.sid is not None:
        with tx(request) as s:
            try:
                ended = sessions.revoke(s, who, who.sid, request.app.state.clock())
            except NotFound:  # already ended elsewhere: nothing to revoke
                ended = []
        revoked(request, ended)
    response = RedirectResponse("/", status_code=303)
    session.end(request, response)
    return response
