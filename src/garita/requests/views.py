"""The daily request route: ``POST /registrations/{id}/requests``."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status
from starlette.concurrency import run_in_threadpool

from garita import deps
from garita.deps import tx
from garita.identity import Principal, Role
from garita.requests import postgres, service, tickets
from garita.requests.schemas import RequestIn, RequestOut
from garita.web.openapi import errors

router = APIRouter(tags=["requests"])

_applicant = deps.require(Role.applicant, Role.ngo)


async def applicant_now(request: Request, token: Annotated[str | None, Depends(deps.bearer)]
                        ) -> tuple[Principal, dt.datetime]:
    """``Applicant`` and ``Now`` as one async dependency (no thread-pool hops)."""
    who = _applicant(deps.principal(request, token))
    return who, deps.now(request)


@router.post("/registrations/{registration_id}/requests", response_model=RequestOut,
             status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "Already requested today: the same record."},
                        **errors(401, 403, 409, 429)})
async def request_appointment(
        request: Request, response: Response,
        registration_id: Annotated[int, Path(ge=1, le=2**63 - 1)], data: RequestIn,
        caller: Annotated[tuple[Principal, dt.datetime], Depends(applicant_now)],
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
        out, created = await postgres.request(writer, pool, state.policy_cache, who,
                                               registration_id, data, now, state.locator)
    else:  # SQLite (one writer) or no lifespan: the session path in a worker thread
        def run() -> tuple[RequestOut, bool]:
            with tx(request) as s:
                req, made = service.make_request(s, who, registration_id, data, now,
                                                 state.locator)
                return RequestOut.model_validate(req), made

        out, created = await run_in_threadpool(run)
    out.ticket = str(tickets.ticket(state.ticket_key, out.id))
    if not created:
        response.status_code = status.HTTP_200_OK
    else:  # a request is read through its registration's status
        response.headers["Location"] = f"/registrations/{registration_id}/status"
    return out
