"""The draw's routes: run and read a day's draw, its commitment, publication and
fairness, and a registration's status.

``/draws/fairness`` is declared before ``/draws/{service_date}`` so that it is not
read as a date (routes are matched in order).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from garita.audit import anchor_files
from garita.audit.schemas import Anchor
from garita.deps import Admin, Caller, Now, require, tx
from garita.draw import commitments, publication
from garita.draw import publish as published
from garita.draw import service as draws
from garita.draw import status as standing
from garita.draw.schemas import (
    CommitmentOut,
    DrawOut,
    FairnessReport,
    PublicationManifest,
    Status,
)
from garita.errors import Invalid
from garita.identity import Principal, Role
from garita.web.openapi import errors

router = APIRouter(tags=["draw publication"])
Analyst = Annotated[Principal, Depends(require(Role.analyst, Role.admin))]
CSV = "text/csv; charset=utf-8"


@router.get("/draws/fairness", response_model=FairnessReport, response_model_by_alias=True)
def fairness_report(request: Request, who: Analyst,
                    start: Annotated[dt.date, Query(alias="from")],
                    end: Annotated[dt.date, Query(alias="to")]) -> FairnessReport:
    """Selection rates by nationality, group size, language, origin state and port in the
    random tier, with chi-square tests (Holm-corrected) over the draws in [from, to]."""
    if end < start:
        raise Invalid(f"'to' ({end}) is before 'from' ({start}); swap them.")
    if (end - start).days > 366:
        raise Invalid("Ask for at most 366 days at a time.")
    # Polars here, SciPy in the report: loaded on first use (API worker memory, docs/benchmarks.md).
    from garita.draw import fairness, fairness_inputs

    with tx(request) as s:
        frame = fairness_inputs.load(s, start, end)
    return FairnessReport.model_validate(fairness.report(frame).as_dict()
                                         | {"from": start, "to": end})


@router.get("/draws/{service_date}/commitment", response_model=CommitmentOut)
def read_commitment(request: Request, service_date: dt.date, now: Now) -> CommitmentOut:
    """The SHA-256 of the day's seed and when it was committed; the seed once the draw ran.

    Reading it while the request window is open commits the day's seed if nobody has yet.
    """
    with tx(request) as s:
        return CommitmentOut.model_validate(commitments.public(
            s, service_date, now, draws.secrets_of(request.app.state.settings)))


@router.post("/draws/{service_date}/commitment", status_code=201, response_model=CommitmentOut)
def make_commitment(request: Request, response: Response, service_date: dt.date, who: Admin,
                    now: Now) -> CommitmentOut:
    """Commit the day's seed now (before its window closes); a second call returns the same."""
    secrets = draws.secrets_of(request.app.state.settings)
    with tx(request) as s:
        commitments.commitment_for(s, service_date, now, secrets, actor=who.actor)
        out = CommitmentOut.model_validate(commitments.public(s, service_date, now, secrets))
    response.headers["Location"] = f"/draws/{service_date}/commitment"
    return out


@router.get("/draws/{service_date}/publication.json", response_model=PublicationManifest,
            responses=errors(409))
def read_publication(request: Request, service_date: dt.date) -> PublicationManifest:
    """Everything needed to rerun the draw besides the two CSV files: seed, bins, share."""
    with tx(request) as s:
        return PublicationManifest.model_validate(published.manifest(
            s, service_date, draws.secrets_of(request.app.state.settings)))


@router.get("/draws/{service_date}/anchor.json", response_model=Anchor)
def read_anchor(request: Request, service_date: dt.date, now: Now) -> dict:
    """A signed anchor of the audit log as it stands now (every lane head, their digest, an
    Ed25519 signature), so the draw's own entries are covered: keep it, and check the log
    against it later with ``garita audit verify --anchors DIR``."""
    with tx(request) as s:
        draws.get(s, service_date)  # 404 for a day that was not drawn
        return anchor_files.current(s, request.app.state.anchor_keys, now, f"draw {service_date}")


@router.get("/draws/{service_date}/inputs.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def read_inputs(request: Request, service_date: dt.date) -> Response:
    """One row per request: pseudonymous ticket, port, group size, registration date."""
    with tx(request) as s:
        settings = request.app.state.settings
        frame = published.inputs(s, service_date, draws.secrets_of(settings),
                                 settings.road_times_file)
    return Response(publication.to_csv(frame), media_type=CSV)


@router.get("/draws/{service_date}/results.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def read_results(request: Request, service_date: dt.date) -> Response:
    """The winners: ticket, port, tier, rank, appointment day, slot, group size."""
    with tx(request) as s:
        frame = published.results(s, service_date, draws.secrets_of(request.app.state.settings))
    return Response(publication.to_csv(frame), media_type=CSV)


@router.post("/draws/{service_date}", response_model=DrawOut,
             responses={201: {"description": "Drawn now (200: it had run already, the same "
                                             "draw)."}, **errors(409)})
def run_draw(request: Request, response: Response, service_date: dt.date, who: Admin,
             now: Now) -> DrawOut:
    """Run the draw for a service day (after its draw time). A second run changes nothing."""
    started = time.perf_counter()
    with tx(request) as s:
        draw, ran = draws.run_with(s, service_date, now, who.actor,
                                   request.app.state.settings)
        out = draws.to_out(draw)
    if ran:
        request.app.state.metrics.draw_seconds.observe(time.perf_counter() - started)
    response.status_code = status.HTTP_201_CREATED if ran else status.HTTP_200_OK
    if ran:
        response.headers["Location"] = f"/draws/{service_date}"
    return out


@router.get("/draws/{service_date}", response_model=DrawOut)
def read_draw(request: Request, service_date: dt.date) -> DrawOut:
    """A past draw: its seed, the seed's SHA-256, the result digest and per-port figures."""
    with tx(request) as s:
        return draws.to_out(draws.get(s, service_date))


@router.get("/registrations/{registration_id}/status", response_model=Status)
def registration_status(request: Request, registration_id: int, who: Caller, now: Now) -> Status:
    """Where this registration stands, and what to do next."""
    with tx(request) as s:
        out = standing.status(s, who, registration_id, now,
                              request.app.state.outcomes_of)
    return draws.with_tickets(out, request.app.state.settings)
