"""Sign up, sign in and sign out, as pages (the same service and limits as the API); the
administrator's console home (the audit log's state) and staff accounts."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.audit import service as audit
from garita.auth import service
from garita.auth import staff as staff_accounts
from garita.auth.core import issue_token
from garita.auth.schemas import RoleChange, SignUp, StaffIn
from garita.deps import tx
from garita.errors import Conflict, DomainError, Forbidden, TooMany, Unauthorized
from garita.identity import STAFF_ROLES, Principal, Role
from garita.policy.ports import PORT_CODES
from garita.web import session, staff
from garita.web.forms import client, detail, field_errors, posted
from garita.web.jobs import Job
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _home(who: Principal) -> str:
    if staff.is_staff(who):
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

    def work(job: Job) -> dict:
        with app.state.sessions() as s, s.begin():
            checked, breaks = audit.verify(s)
        return {"checked": checked,
                "breaks": [{"lane": b.lane, "seq": b.seq, "problem": b.problem} for b in breaks]}

    job = app.state.jobs.start("audit-verify", who.account_id, 5, work)
    return RedirectResponse(f"/staff/admin/audit/{job.id}", status_code=303)


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
            staff_accounts.change_role(s, account_id, change, who)
    except ValidationError as exc:
        return _staff_page(request, 422, "; ".join(field_errors(request, exc).values()))
    except DomainError as exc:
        return _staff_page(request, exc.status, detail(request, exc.detail))
    return RedirectResponse("/staff/admin/staff", status_code=303)
