"""Daily requests, the draw, confirmation and status."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status
from starlette.concurrency import run_in_threadpool

from garita.auth.schemas import Principal
from garita.deps import Admin, Applicant, Caller, Now, tx
from garita.scheduling import draws, intake, intake_pg, pseudonyms, service
from garita.scheduling.schemas import ConfirmIn, DrawOut, OfferOut, RequestIn, RequestOut, Status

router = APIRouter(tags=["scheduling"])


@router.post("/registrations/{registration_id}/requests", response_model=RequestOut,
             status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "Already requested today: the same record."}})
async def request_appointment(
        request: Request, response: Response,
        registration_id: Annotated[int, Path(ge=1, le=2**63 - 1)], data: RequestIn,
        caller: Annotated[tuple[Principal, dt.datetime], Depends(intake.applicant_now)],
) -> RequestOut:
    """Ask for an appointment at ``port`` today, from the device location ``lat``/``lon``.

    Only inside the request window and from an eligible area; once per day —
    repeating the call returns the same request with status 200.
    """
    who, now = caller
    state = request.app.state
    await state.limits.request(who.account_id)
    hot = state.async_pools.get(asyncio.get_running_loop())
    if hot is not None:  # PostgreSQL: asyncpg, batched with the requests in flight
        pool, writer = hot
        out, created = await intake_pg.request(writer, pool, state.policy_cache, who,
                                               registration_id, data, now, state.locator)
    else:  # SQLite (one writer) or no lifespan: the session path in a worker thread
        def run() -> tuple[RequestOut, bool]:
            with tx(request) as s:
                req, made = service.make_request(s, who, registration_id, data, now,
                                                 state.locator)
                return RequestOut.model_validate(req), made

        out, created = await run_in_threadpool(run)
    out.ticket = str(pseudonyms.ticket(state.ticket_key, out.id))
    if not created:
        response.status_code = status.HTTP_200_OK
    return out


@router.get("/registrations/{registration_id}/status", response_model=Status)
def registration_status(request: Request, registration_id: int, who: Caller, now: Now) -> Status:
    """Where this registration stands, and what to do next."""
    with tx(request) as s:
        out = service.status(s, who, registration_id, now)
    return draws.with_tickets(out, request.app.state.settings)


@router.post("/offers/{offer_id}/confirmations", response_model=OfferOut)
def confirm(request: Request, offer_id: int, data: ConfirmIn, who: Applicant,
            now: Now) -> OfferOut:
    """One member confirms from an eligible place; the offer is confirmed when all have."""
    with tx(request) as s:
        offer = service.confirm(s, who, offer_id, data, now, request.app.state.locator)
        return OfferOut.model_validate(offer)


@router.post("/draws/{service_date}", response_model=DrawOut)
def run_draw(request: Request, response: Response, service_date: dt.date, who: Admin,
             now: Now) -> DrawOut:
    """Run the draw for a service day (after its draw time). A second run changes nothing."""
    with tx(request) as s:
        draw, ran = draws.run_with(s, service_date, now, who.actor,
                                   request.app.state.settings)
        out = draws.to_out(draw)
    response.status_code = status.HTTP_201_CREATED if ran else status.HTTP_200_OK
    return out


@router.get("/draws/{service_date}", response_model=DrawOut)
def read_draw(request: Request, service_date: dt.date) -> DrawOut:
    """A past draw: its seed, the seed's SHA-256, the result digest and per-port figures."""
    with tx(request) as s:
        return draws.to_out(draws.get(s, service_date))
