"""Where a registration stands (the applicant's status page), the NGO's desk, and the
administrator's draws: seed commitments, runs, publications and the fairness report."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from garita.deps import tx
from garita.draw import commitments
from garita.draw import service as draws
from garita.draw.schemas import DrawOut
from garita.draw.status import stages, status
from garita.errors import DomainError, Forbidden, Invalid
from garita.identity import Principal, Role
from garita.policy import calendar
from garita.policy.ports import PORTS
from garita.registrations import service as registrations
from garita.web import session, staff
from garita.web.forms import detail, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
PAGE = 20
STAGES = ("can_request", "requested", "not_selected", "offered", "confirmed", "attended",
          "no_show", "lapsed", "declined", "cancelled", "closed")


def _ngo(who: session.Visitor) -> Principal:
    """The desk is the NGO's (the same role rule as the API's registrations)."""
    if who.role is not Role.ngo:
        raise Forbidden(f"This needs one of the roles: ngo; you are {who.role.value}.")
    return who


@router.get("/me/registrations/{registration_id}", response_class=HTMLResponse)
def registration(request: Request, registration_id: int,
                 who: session.Visitor) -> HTMLResponse:
    now = request.app.state.clock()
    with tx(request) as s:
        found = registrations.get(s, registration_id, who)
        reg, unverified = registrations.to_out(found), found.phone_verified_at is None
        where = status(s, who, registration_id, now)
        # the estimate lives above the draw (garita.rights); the composition root hands it in
        estimate = getattr(request.app.state, "wait_estimate", None)
        wait = estimate(s, who, registration_id, now.date()) if estimate else None
    names = {p.id: f"{p.given_names} {p.family_names}" for p in reg.people}
    return render(request, "status.html", reg=reg, st=where, ports=PORTS, names=names,
                  wait=wait, phone_unverified=unverified)


@router.get("/desk", response_class=HTMLResponse)
def desk(request: Request, who: Annotated[Principal, Depends(_ngo)], q: str = "",
         nationality: str = "", stage: str = "", page: int = 1) -> HTMLResponse:
    """Search, filter and page through the NGO's registrations, each with its stage today.

    The stages of a page come from a fixed number of queries (`draw.status.stages`), not
    from `status` per row. A stage filter is computed (a stage is not a column): the
    matching registrations' stages are read in the same way, then paged.
    """
    page = max(page, 1)
    now = request.app.state.clock()
    stage = stage if stage in STAGES else ""
    with tx(request) as s:
        if not stage:
            rows, total = registrations.search_own(s, who, q, nationality, (page - 1) * PAGE,
                                                   PAGE)
            of = stages(s, rows, now)
            listed = [(r, of[r.id]) for r in rows]
        else:
            every, total = registrations.search_own(s, who, q, nationality, 0, 10_000)
            of = stages(s, every, now)
            matching = [(r, of[r.id]) for r in every if of[r.id] == stage]
            total = len(matching)
            listed = matching[(page - 1) * PAGE: page * PAGE]
        shown = [(registrations.to_out(r), st) for r, st in listed]
    counts: dict[str, int] = {}
    for _, st in shown:
        counts[st] = counts.get(st, 0) + 1
    pages = max(1, -(-total // PAGE))
    return render(request, "desk.html", rows=shown, total=total, page=page, pages=pages,
                  q=q, nationality=nationality, stage=stage, stages=STAGES, counts=counts)


# ---- The administrator's draws: commitment, run, publication, fairness ----

def _day_rows(s, days: list[dt.date]) -> list[dict]:
    rows = []
    for day in days:
        commitment = commitments.find(s, day)
        try:
            drawn: DrawOut | None = draws.to_out(draws.get(s, day))
        except DomainError:
            drawn = None
        rows.append({"day": day, "sha256": commitment.seed_sha256 if commitment else None,
                     "committed_at": commitment.committed_at if commitment else None,
                     "draw": drawn})
    return rows


@router.get("/staff/admin/draws", response_class=HTMLResponse)
def draws_page(request: Request, who: staff.Admin, message: str | None = None,
               status_code: int = 200) -> HTMLResponse:
    """The last week's draws (newest first): seed commitment, the draw, its publication."""
    today = calendar.local(request.app.state.clock(), "America/New_York").date()
    days = [today - dt.timedelta(days=n) for n in range(8)]
    with tx(request) as s:
        rows = _day_rows(s, days)
    return render(request, "staff/draws.html", status_code, rows=rows, today=today,
                  message=message, start=today - dt.timedelta(days=30), end=today)


@router.post("/staff/admin/draws/{service_date}", response_class=HTMLResponse)
async def draw_action(request: Request, service_date: dt.date, who: staff.Admin) -> Response:
    """Commit the day's seed, or run its draw (after the draw time; a second run changes
    nothing) — the services of ``POST /draws/{date}/commitment`` and ``POST /draws/{date}``."""
    form = await posted(request)
    now = request.app.state.clock().astimezone(dt.UTC)
    settings = request.app.state.settings
    try:
        with tx(request) as s:
            if form.get("action") == "commit":
                commitments.commitment_for(s, service_date, now, draws.secrets_of(settings),
                                           actor=who.actor)
            else:
                draws.run_with(s, service_date, now, who.actor, settings)
    except DomainError as exc:
        return draws_page(request, who, detail(request, exc.detail), exc.status)
    return RedirectResponse("/staff/admin/draws", status_code=303)


@router.get("/staff/admin/fairness", response_class=HTMLResponse)
def fairness_page(request: Request, who: staff.Admin,
                  start: Annotated[dt.date, Query(alias="from")],
                  end: Annotated[dt.date, Query(alias="to")],
                  attribute: str = "nationality") -> HTMLResponse:
    """Selection rates in the random tier with Holm-corrected chi-square tests (the
    report of ``GET /draws/fairness``), and a chart of the rates."""
    from garita.draw import fairness, fairness_inputs  # Polars, SciPy: on first use

    if end < start or (end - start).days > 366:
        raise Invalid("Ask for at most 366 days at a time, 'from' before 'to'.")
    with tx(request) as s:
        report = fairness.report(fairness_inputs.load(s, start, end)).as_dict()
    attribute = attribute if attribute in fairness.ATTRIBUTES else "nationality"
    rates = report["rates"][attribute]
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": "container",
            "height": 260, "data": {"values": [dict(r, value=r["value"] or "—") for r in rates]},
            "mark": "bar",
            "encoding": {"x": {"field": "value", "type": "nominal", "sort": "-y",
                               "title": attribute},
                         "y": {"field": "rate", "type": "quantitative",
                               "axis": {"format": ".0%"}, "title": "selected / requests"},
                         "tooltip": [{"field": "value"}, {"field": "requests"},
                                     {"field": "selected"},
                                     {"field": "rate", "format": ".1%"}]}}
    return render(request, "staff/fairness.html", report=report, rates=rates,
                  attribute=attribute, attributes=fairness.ATTRIBUTES, start=start, end=end,
                  spec=json.dumps(spec).replace("</", "<\\/"))
