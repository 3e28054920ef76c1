"""Sign up, sign in and sign out, as pages (the same service and limits as the API)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.auth import service
from garita.auth.core import issue_token
from garita.auth.schemas import SignUp
from garita.deps import tx
from garita.errors import Conflict, Forbidden, TooMany, Unauthorized
from garita.identity import Principal, Role
from garita.web import session
from garita.web.forms import client, detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.staff import is_staff
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _home(who: Principal) -> str:
    if is_staff(who):
        return "/staff"
    return "/desk" if who.role is Role.ngo else "/me"


def _safe(next_path: str | None, who: Principal) -> str:
    if next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return next_path
    return _home(who)


def _signed_in(request: Request, who: Principal, target: str) -> Response:
    settings = request.app.state.settings
    token = issue_token(who, settings.secret_key.get_secret_value(), settings.token_minutes,
                        request.app.state.clock())
    response = RedirectResponse(target, status_code=303)
    session.start(request, response, token, settings.token_minutes * 60)
    return response


@router.get("/signup", response_class=HTMLResponse)
def sign_up_form(request: Request) -> HTMLResponse:
    return render(request, "signup.html", errors={}, values={}, message=None)


@router.post("/signup")
async def sign_up(request: Request) -> Response:
    form = await posted(request)
    values = {k: str(form.get(k, "")) for k in ("email", "password", "role")}
    try:
        data = SignUp(email=values["email"], password=values["password"],
                      role=values["role"] or "applicant")
    except ValidationError as exc:
        return render(request, "signup.html", 422, errors=field_errors(request, exc),
                      values=values, message=None)
    try:
        with tx(request) as s:
            account = service.sign_up(s, request.app.state.hasher, data)
            who = (Principal(account_id=account.id, role=Role(account.role))
                   if account is not None else None)
    except (Conflict, Forbidden) as exc:
        return render(request, "signup.html", exc.status, errors={}, values=values,
                      message=detail(request, exc.detail))
    if who is None:  # the email has an account: say no more than the API does
        return RedirectResponse("/signin", status_code=303)
    return _signed_in(request, who, _home(who))


@router.get("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "") -> HTMLResponse:
    return render(request, "signin.html", values={"next": next}, message=None)


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await posted(request)
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    values = {"email": email, "next": str(form.get("next", ""))}
    try:
        request.app.state.limits.login(email, client(request))
        with tx(request) as s:
            who = service.authenticate(s, request.app.state.hasher, email, password)
    except (TooMany, Unauthorized) as exc:
        return render(request, "signin.html", exc.status, values=values,
                      message=detail(request, exc.detail))
    return _signed_in(request, who, _safe(values["next"], who))


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    await posted(request)
    response = RedirectResponse("/", status_code=303)
    session.end(request, response)
    return response
