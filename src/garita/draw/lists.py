"""``GET /registrations``: a caller's registrations, a page at a time, with filters.

The route lives with the draw, the highest of the day's features, because two of
its filters ask what happened to a registration — its requests (``port``,
``date``) and its offers (``status``) — and registrations, below those features,
cannot read them; each owner hands in a select of ids (`offers.service`,
`requests.service`), and `registrations.listing` does the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from garita.deps import Applicant, tx
from garita.offers import service as offers
from garita.policy.ports import PORT_CODES
from garita.registrations import listing
from garita.registrations import service as registrations
from garita.registrations.schemas import RegistrationPage
from garita.requests import service as requests

router = APIRouter(tags=["registrations"])
PortCode = Literal[PORT_CODES]  # type: ignore[valid-type]
OfferStatus = Literal["offered", "confirmed", "attended", "lapsed", "no_show", "declined",
                      "cancelled"]


@router.get("/registrations", response_model=RegistrationPage)
def list_mine(
    request: Request, who: Applicant,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Registrations to skip.")] = 0,
    sort: listing.Sort = "id",
    name: Annotated[str | None, Query(min_length=2, max_length=120, description=(
        "Part of any member's names (given then family), any case or accents. The "
        "total then counts up to 1,000 matches (``total_exact`` false past it)."))] = None,
    nationality: Annotated[str | None, Query(min_length=3, max_length=3,
                                             description="The lead's, ISO alpha-3.")] = None,
    registered_from: dt.date | None = None, registered_to: dt.date | None = None,
    port: Annotated[PortCode | None, Query(description=(
        "Asked for this port (with ``status``: holds an offer there)."))] = None,
    date: Annotated[dt.date | None, Query(description="Asked on this service day.")] = None,
    status: Annotated[OfferStatus | None, Query(description=(
        "Has an offer in this state."))] = None,
) -> RegistrationPage:
    """Your registrations (an NGO's may be thousands), a page at a time: ``total`` counts
    every match. Example: ``/registrations?name=pérez&status=confirmed&port=BRO&limit=20``."""
    restrict = []
    if status is not None:
        restrict.append(offers.registrations_with(status, port))
    if date is not None or (port is not None and status is None):
        restrict.append(requests.registrations_that_asked(port, date))
    with tx(request) as s:
        total, exact, rows = listing.page(s, who, limit=limit, offset=offset, sort=sort, name=name,
                                   nationality=nationality, registered_from=registered_from,
                                   registered_to=registered_to, restrict=restrict)
        return RegistrationPage(total=total, total_exact=exact, limit=limit, offset=offset,
                                items=[registrations.to_out(r) for r in rows])
