"""Where a registration stands (the applicant's status page) and the NGO's desk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from garita.deps import tx
from garita.draw.status import status
from garita.errors import Forbidden
from garita.identity import Principal, Role
from garita.policy.ports import PORTS
from garita.registrations import service as registrations
from garita.web import session
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
        reg = registrations.to_out(registrations.get(s, registration_id, who))
        where = status(s, who, registration_id, now)
    names = {p.id: f"{p.given_names} {p.family_names}" for p in reg.people}
    return render(request, "status.html", reg=reg, st=where, ports=PORTS, names=names)


@router.get("/desk", response_class=HTMLResponse)
def desk(request: Request, who: Annotated[Principal, Depends(_ngo)], q: str = "",
         nationality: str = "", stage: str = "", page: int = 1) -> HTMLResponse:
    """Search, filter and page through the NGO's registrations, each with its stage today.

    A stage filter is computed (a stage is not a column): the matching registrations
    are walked in order until the page is full.
    """
    page = max(page, 1)
    now = request.app.state.clock()
    stage = stage if stage in STAGES else ""
    with tx(request) as s:
        if not stage:
            rows, total = registrations.search_own(s, who, q, nationality, (page - 1) * PAGE,
                                                   PAGE)
            listed = [(r, status(s, who, r.id, now)) for r in rows]
        else:
            every, total = registrations.search_own(s, who, q, nationality, 0, 10_000)
            matching = [(r, st) for r in every if (st := status(s, who, r.id, now)).stage == stage]
            total = len(matching)
            listed = matching[(page - 1) * PAGE: page * PAGE]
        shown = [(registrations.to_out(r), st) for r, st in listed]
    counts: dict[str, int] = {}
    for _, st in shown:
        counts[st.stage] = counts.get(st.stage, 0) + 1
    pages = max(1, -(-total // PAGE))
    return render(request, "desk.html", rows=shown, total=total, page=page, pages=pages,
                  q=q, nationality=nationality, stage=stage, stages=STAGES, counts=counts)
