"""Analyst API: alerts (list, read, confirm/dismiss), watchlists, name search, jobs.

Screening every registration and the integrity run are batch jobs: the API
runs them synchronously for small databases; at national scale run them from
the CLI (``garita screen run``, ``garita integrity run``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from garita.audit import service as audit
from garita.deps import Limit, Now, Offset, require, tx, with_total
from garita.identity import Principal, Role
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.names import Query as NameQuery
from garita.integrity.schemas import (
    AlertKind,
    AlertOut,
    AlertStatus,
    Decision,
    IntegrityJobOut,
    ScreenIn,
    ScreenJobOut,
    ScreenMatch,
    WatchlistOut,
)
from garita.web.openapi import errors

if TYPE_CHECKING:
    from garita.integrity.rings import Thresholds

router = APIRouter(prefix="/integrity", tags=["integrity"])
Analyst = Annotated[Principal, Depends(require(Role.analyst, Role.admin))]


@router.get("/alerts", response_model=list[AlertOut])
def list_alerts(request: Request, response: Response, who: Analyst,
                kind: AlertKind | None = None,
                status: AlertStatus | None = None, registration_id: int | None = None,
                port: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
                limit: Limit = 100, offset: Offset = 0,
                raised_from: Annotated[dt.date | None, Query(alias="from")] = None,
                raised_to: Annotated[dt.date | None, Query(alias="to")] = None,
                sort: Literal["newest", "oldest", "score"] = "newest") -> list[AlertOut]:
    """A page of alerts (newest first, or oldest, or by score); filter by kind, status,
    registration, port (offers/requests) and the UTC dates raised. ``X-Total-Count`` says
    how many match in all."""
    with tx(request) as s:
        out, total = alerts.list_alerts(
            s, kind=kind, status=status, registration_id=registration_id, port=port,
            limit=limit, offset=offset, raised_from=raised_from, raised_to=raised_to, sort=sort)
        with_total(response, total)
        audit.record_reads(s, who, "registration.read", "registration",
                           [a.registration_id for a in out], "GET /integrity/alerts")
        return out


@router.get("/alerts/{alert_id}", response_model=AlertOut)
def get_alert(request: Request, alert_id: int, who: Analyst) -> AlertOut:
    with tx(request) as s:
        out = AlertOut.model_validate(alerts.get_alert(s, alert_id))
        audit.record_reads(s, who, "registration.read", "registration", [out.registration_id],
                           "GET /integrity/alerts/{id}")
        return out


@router.post("/alerts/{alert_id}/decision", response_model=AlertOut)
def decide(request: Request, alert_id: int, body: Decision, who: Analyst, now: Now) -> AlertOut:
    """Confirm or dismiss an open alert; the note is kept and audited."""
    with tx(request) as s:
        return alerts.decide(s, alert_id, body, who, now)


@router.get("/watchlists", response_model=list[WatchlistOut])
def watchlists(request: Request, response: Response, who: Analyst, limit: Limit = 100,
               offset: Offset = 0, name: str | None = None, active: bool | None = None,
               sort: Literal["id", "-loaded_at", "name"] = "id") -> list[WatchlistOut]:
    """A page of the loaded list versions (oldest loaded first; ``-loaded_at`` newest
    first, or by ``name``); filter by a list's name and by active. ``X-Total-Count`` says
    how many match in all."""
    with tx(request) as s:
        rows, total = screening.list_page(s, limit=limit, offset=offset, name=name,
                                          active=active, sort=sort)
        with_total(response, total)
        return [WatchlistOut.model_validate(w) for w in rows]


@router.post("/watchlists/search", response_model=list[ScreenMatch])
def search(request: Request, body: ScreenIn, who: Analyst) -> list[ScreenMatch]:
    """Score one name against the active lists; every result explains itself.

    The same candidates and scores as ``garita screen run``: bits of evidence
    from each name part (common parts weigh little; listed parts the query
    lacks cost), date of birth and nationality, a score and a tier (act,
    review, note). The index is kept between searches and rebuilt when the
    active lists change. Example: ``{"name": "Manuel Noriega",
    "date_of_birth": "1934-02-11", "nationality": "PAN"}``.
    """
    state = request.app.state
    if getattr(state, "screening_index", None) is None:
        state.screening_index = screening.IndexCache()
    with tx(request) as s:
        found = screening.search(s, NameQuery(body.name, body.date_of_birth, body.nationality),
                                 limit=body.limit, threshold=body.threshold,
                                 cache=state.screening_index)
        return [ScreenMatch.model_validate(m) for m in found]


@router.post("/jobs/screen", response_model=ScreenJobOut, responses=errors(422))
def run_screen(request: Request, who: Analyst, now: Now) -> ScreenJobOut:
    """Screen every registered person against the active lists (small sites; else the CLI)."""
    settings = request.app.state.settings
    with tx(request) as s:
        return ScreenJobOut.model_validate(screening.screen(s, now, who.actor,
                                                            settings.screen_threshold))


@router.post("/jobs/integrity", response_model=IntegrityJobOut)
def run_integrity(request: Request, who: Analyst, now: Now,
                  duplicates: bool = True) -> IntegrityJobOut:
    """Shared addresses/phones/emails, rings and duplicate identities -> alerts."""
    # jobs brings Polars, usaddress, SciPy: loaded on first use (API worker memory, docs/benchmarks.md)
    from garita.integrity import jobs

    settings = request.app.state.settings
    with tx(request) as s:
        return IntegrityJobOut.model_validate(jobs.run(
            s, now, who.actor, thresholds(settings), settings.duplicate_threshold, duplicates))


def thresholds(settings) -> Thresholds:
    from garita.integrity.rings import Thresholds

    return Thresholds(min_people=settings.ring_min_people,
                      min_surnames=settings.ring_min_surnames,
                      min_registrations=settings.ring_min_registrations,
                      min_contact_surnames=min(3, settings.ring_min_surnames),
                      min_ring=settings.ring_min_size)



