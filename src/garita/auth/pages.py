"""Sign up, confirm the email, sign in (with two-factor) and sign out, as pages (the same
services and limits as the API); the administrator's console home (the audit log's state)
and staff accounts."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.audit import service as audit
from garita.auth import service, sessions
from garita.auth import staff as staff_accounts
from garita.auth.edge import language, links, open_session, revoked
from garita.auth.schemas import RoleChange, SignUp, StaffIn
from garita.deps import tx
from garita.errors import Conflict, DomainError, Forbidden, NotFound, TooMany, Unauthorized
from garita.identity import STAFF_ROLES, Principal, Role
from garita.jobs.schemas import Progress
from garita.policy.ports import PORT_CODES
from garita.web import session, staff
from garita.web.forms import client, detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _home(who: Principal) -> str:
    if not who.full:
        return "/account/two-factor"
    if staff.is_staff(who):
        return "/staff"
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
                                  settings.staff_two_factor_required, now,
                                  request.app.state.totp_keys)
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


# ---- The administrator's console: the audit log's state and the staff accounts ----

def _latest_anchor(directory: Path) -> dict | None:
    """The newest anchor file's name, time and reason (files are named by their time)."""
    paths = sorted(directory.glob("anchor-*.json")) if directory.is_dir() else []
    if not paths:
        return None
    doc = json.loads(paths[-1].read_text("utf-8"))
    return {"name": paths[-1].name, "anchored_at": doc.get("anchored_at"),
            "reason": doc.get("reason"), "count": len(paths)}


@router.get("/staff/admin", response_class=HTMLResponse)
def admin_home(request: Request, who: staff.Admin) -> HTMLResponse:
    """The audit log's size and latest anchor; verifying the chains (``garita audit
    verify``: every entry recomputed) is a job started from here, not done on each view."""
    with tx(request) as s:
        lanes = audit.lane_lengths(s)
    anchor = _latest_anchor(Path(request.app.state.settings.audit_anchor_dir))
    return render(request, "staff/admin.html", entries=sum(lanes.values()), lanes=len(lanes),
                  anchor=anchor, job=None)


@router.post("/staff/admin/audit/verify", response_class=HTMLResponse)
async def verify_audit(request: Request, who: staff.Admin) -> Response:
    await posted(request)
    app = request.app

    def work(s, job: Progress) -> dict:
        checked, breaks = audit.verify(s)
        return {"checked": checked,
                "breaks": [{"lane": b.lane, "seq": b.seq, "problem": b.problem} for b in breaks]}

    job_id = app.state.jobs.start("audit-verify", who.account_id, who.actor, 5, work)
    return RedirectResponse(f"/staff/admin/audit/{job_id}", status_code=303)


@router.get("/staff/admin/audit/{job_id}", response_class=HTMLResponse)
def audit_job(request: Request, job_id: int, who: staff.Admin) -> HTMLResponse:
    job = request.app.state.jobs.get(job_id, "audit-verify")
    if request.headers.get("hx-request") == "true":
        return render(request, "staff/verify_part.html", job=job)
    anchor = _latest_anchor(Path(request.app.state.settings.audit_anchor_dir))
    with tx(request) as s:
        lanes = audit.lane_lengths(s)
    return render(request, "staff/admin.html", entries=sum(lanes.values()), lanes=len(lanes),
                  anchor=anchor, job=job)


def _staff_page(request: Request, status_code: int = 200, message: str | None = None,
                errors: dict | None = None, values: dict | None = None) -> HTMLResponse:
    with tx(request) as s:
        rows = staff_accounts.accounts(s)
    return render(request, "staff/accounts.html", status_code, rows=rows, ports=PORT_CODES,
                  roles=[r.value for r in STAFF_ROLES], message=message, errors=errors or {},
                  values=values or {})


@router.get("/staff/admin/staff", response_class=HTMLResponse)
def staff_page(request: Request, who: staff.Admin) -> HTMLResponse:
    return _staff_page(request)


@router.post("/staff/admin/staff", response_class=HTMLResponse)
async def create_staff(request: Request, who: staff.Admin) -> Response:
    """A new staff account (``POST /auth/staff``'s service and rules; audited)."""
    form = await posted(request)
    values = {k: str(form.get(k, "")) for k in ("email", "role", "port")}
    try:
        data = StaffIn(email=values["email"], password=str(form.get("password", "")),
                       role=values["role"], port=values["port"] or None)
        with tx(request) as s:
            service.create_staff(s, request.app.state.hasher, data, who)
    except ValidationError as exc:
        return _staff_page(request, 422, errors=field_errors(request, exc), values=values)
    except DomainError as exc:
        return _staff_page(request, exc.status, detail(request, exc.detail), values=values)
    return RedirectResponse("/staff/admin/staff", status_code=303)


@router.post("/staff/admin/staff/{account_id}", response_class=HTMLResponse)
async def change_role(request: Request, account_id: int, who: staff.Admin) -> Response:
    """A staff account's new role or port (``PATCH /auth/staff/{id}``; audited)."""
    form = await posted(request)
    try:
        change = RoleChange(role=str(form.get("role", "")),
                            port=str(form.get("port", "")) or None)
        with tx(request) as s:
            _, ended = staff_accounts.change_role(s, account_id, change, who,
                                                  request.app.state.clock())
        revoked(request, ended)
    except ValidationError as exc:
        return _staff_page(request, 422, "; ".join(field_errors(request, exc).values()))
    except DomainError as exc:
        return _staff_page(request, exc.status, detail(request, exc.detail))
    return RedirectResponse("/staff/admin/staff", status_code=303)
