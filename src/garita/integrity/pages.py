"""The integrity analyst's console: the alert queue, each alert explained, decisions,
name searches against the lists, and the screening and integrity jobs with progress.

The same services, roles and audit as the analyst API (``integrity/views.py``): reading
alerts records ``registration.read`` for their subjects; a decision is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.audit import service as audit
from garita.deps import tx
from garita.errors import DomainError, Invalid
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.names import Query as NameQuery
from garita.integrity.schemas import (
    TIERS,
    AlertKind,
    AlertOut,
    AlertStatus,
    Decision,
    ScreenIn,
    WatchlistOut,
)
from garita.jobs.schemas import Progress
from garita.policy.ports import PORTS
from garita.web import staff
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
PAGE = 20
SEVERITY = {tier: severity for severity, tier in TIERS.items()}


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise Invalid(f"'{text}' is not a date; use YYYY-MM-DD.") from exc


def _choice(value: str, allowed) -> str:
    return value if value in {str(a) for a in allowed} else ""


@router.get("/staff/integrity", response_class=HTMLResponse)
def queue(request: Request, who: staff.Analyst, kind: str = "", tier: str = "",
          port: str = "", status: str = "open",
          raised_from_text: Annotated[str, Query(alias="from")] = "",
          raised_to_text: Annotated[str, Query(alias="to")] = "",
          page: int = 1) -> HTMLResponse:
    """Open alerts first (newest first), filtered by kind, tier, port and the day raised
    (a form leaves an unused date empty: no bound)."""
    raised_from, raised_to = _day(raised_from_text), _day(raised_to_text)
    kind, tier = _choice(kind, [k.value for k in AlertKind]), _choice(tier, SEVERITY)
    port, status = _choice(port, PORTS), _choice(status, [s.value for s in AlertStatus])
    page = max(page, 1)
    with tx(request) as s:
        rows, total = alerts.list_alerts(
            s, kind=AlertKind(kind) if kind else None,
            status=AlertStatus(status) if status else None, port=port or None,
            severity=SEVERITY.get(tier), raised_from=raised_from, raised_to=raised_to,
            limit=PAGE, offset=(page - 1) * PAGE)
        audit.record_reads(s, who, "registration.read", "registration",
                           [a.registration_id for a in rows], "GET /staff/integrity")
    filters = {"kind": kind, "tier": tier, "port": port, "status": status,
               "from": raised_from or "", "to": raised_to or ""}
    return render(request, "staff/integrity.html", rows=rows, total=total, page=page,
                  pages=max(1, -(-total // PAGE)), filters=filters,
                  kinds=[k.value for k in AlertKind], tiers=list(SEVERITY), ports=PORTS)


def _alert_page(request: Request, who, alert_id: int, message: str | None = None,
                status: int = 200, note: str = "") -> HTMLResponse:
    with tx(request) as s:
        alert = AlertOut.model_validate(alerts.get_alert(s, alert_id))
        audit.record_reads(s, who, "registration.read", "registration",
                           [alert.registration_id], "GET /staff/integrity/alerts/{id}")
    return render(request, "staff/alert.html", status, alert=alert, message=message, note=note)


@router.get("/staff/integrity/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: int, who: staff.Analyst) -> HTMLResponse:
    return _alert_page(request, who, alert_id)


@router.post("/staff/integrity/alerts/{alert_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, alert_id: int, who: staff.Analyst) -> Response:
    """Confirm or dismiss with a reason (audited), as ``POST /integrity/alerts/{id}/decision``."""
    form = await posted(request)
    note = str(form.get("note", ""))
    try:
        decision = Decision(status=str(form.get("status", "")), note=note)
        with tx(request) as s:
            alerts.decide(s, alert_id, decision, who, request.app.state.clock().astimezone(
                dt.UTC))
    except ValidationError as exc:
        return _alert_page(request, who, alert_id, "; ".join(
            field_errors(request, exc).values()), 422, note)
    except DomainError as exc:
        return _alert_page(request, who, alert_id, detail(request, exc.detail), exc.status,
                           note)
    return RedirectResponse(f"/staff/integrity/alerts/{alert_id}", status_code=303)


@router.get("/staff/integrity/search", response_class=HTMLResponse)
def search(request: Request, who: staff.Analyst, name: str = "", date_of_birth: str = "",
           nationality: str = "") -> HTMLResponse:
    """A name against the active lists; every result explains itself."""
    values = {"name": name, "date_of_birth": date_of_birth, "nationality": nationality}
    if not name:
        return render(request, "staff/search.html", values=values, results=None, errors={})
    try:
        q = ScreenIn(name=name, date_of_birth=date_of_birth or None,
                     nationality=nationality.upper() or None)
    except ValidationError as exc:
        return render(request, "staff/search.html", 422, values=values, results=None,
                      errors=field_errors(request, exc))
    state = request.app.state
    if getattr(state, "screening_index", None) is None:
        state.screening_index = screening.IndexCache()
    with tx(request) as s:
        lists = [WatchlistOut.model_validate(w) for w in screening.lists(s)]
        results = screening.search(s, NameQuery(q.name, q.date_of_birth, q.nationality),
                                   limit=q.limit, threshold=q.threshold,
                                   cache=state.screening_index) if lists else []
    return render(request, "staff/search.html", values=values, results=results, errors={},
                  lists=lists)


@router.get("/staff/integrity/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, who: staff.Analyst) -> HTMLResponse:
    with tx(request) as s:
        lists = [WatchlistOut.model_validate(w) for w in screening.lists(s)]
    return render(request, "staff/jobs.html", job=None, lists=lists)


@router.post("/staff/integrity/jobs", response_class=HTMLResponse)
async def start_job(request: Request, who: staff.Analyst) -> Response:
    """Screening against the lists, or rings, shared contacts and duplicates, in the
    background (the same calls as the API's jobs; at national scale, the CLI)."""
    form = await posted(request)
    which = "screen" if form.get("job") == "screen" else "integrity"
    app = request.app
    settings = app.state.settings
    now = app.state.clock().astimezone(dt.UTC)

    def work(s, job: Progress) -> dict:
        if which == "screen":
            return screening.screen(s, now, who.actor, settings.screen_threshold,
                                    progress=job.advance)
        from garita.integrity import jobs  # Polars, usaddress, Splink: on first use
        from garita.integrity.views import thresholds
        return jobs.run(s, now, who.actor, thresholds(settings),
                        settings.duplicate_threshold, True)

    job_id = app.state.jobs.start(f"integrity-{which}", who.account_id, who.actor, 20, work)
    return RedirectResponse(f"/staff/integrity/jobs/{job_id}", status_code=303)


@router.get("/staff/integrity/jobs/{job_id}", response_class=HTMLResponse)
def job_progress(request: Request, job_id: int, who: staff.Analyst) -> HTMLResponse:
    job = request.app.state.jobs.get(job_id, "integrity-screen", "integrity-integrity")
    part = request.headers.get("hx-request") == "true"
    return render(request, "staff/job_part.html" if part else "staff/jobs.html", job=job,
                  lists=None)
