"""Data rights through the API: download, withdraw and delete, corrections, the estimate."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from garita.deps import Applicant, Now, tx
from garita.errors import Refused
from garita.offers import service as offers
from garita.policy.service import policy_now
from garita.registrations import changes
from garita.registrations import service as registrations
from garita.registrations.schemas import MemberIn, PersonCorrection, ReasonIn, RegistrationOut
from garita.rights import estimate, pdf, service
from garita.rights.schemas import DataExport, Deleted, DeleteIn, EstimateOut
from garita.web.openapi import errors

router = APIRouter(prefix="/registrations/{registration_id}", tags=["data rights"])


@router.get("/export.json", response_model=DataExport)
def export_json(request: Request, response: Response, registration_id: int,
                who: Applicant) -> DataExport:
    """Everything held about this registration, as JSON (its owner only; audited)."""
    with tx(request) as s:
        data = service.export(s, who, registration_id)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="garita-{registration_id}.json"')
    return DataExport.model_validate(data)


@router.get("/export.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def export_pdf(request: Request, registration_id: int, who: Applicant) -> Response:
    """The same data as a PDF (the notices' PDF stack)."""
    with tx(request) as s:
        data = service.export(s, who, registration_id)
    body = pdf.data_pdf(data, f"Garita: registration {registration_id}",
                        request.app.state.notice_font)
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="garita-{registration_id}.pdf"'})


@router.post("/withdrawal", response_model=Deleted)
def withdraw(request: Request, registration_id: int, data: DeleteIn, who: Applicant,
             now: Now) -> Deleted:
    """Withdraw the registration and erase its personal data now (cannot be undone): a
    held offer or appointment is given back; the audit log and statistics keep what they
    must without identity (docs/data-rights.md)."""
    with tx(request) as s:
        deleted, ended = service.delete(s, who, registration_id, data.reason,
                                        data.close_account, now)
    request.app.state.revocations.add(*ended)  # a closed account's tokens: refused at once
    return deleted


@router.get("/estimate", response_model=EstimateOut)
def wait_estimate(request: Request, registration_id: int, who: Applicant, now: Now,
                  port: str | None = None) -> EstimateOut:
    """An honest estimate of the wait from the published draws (docs/wait-estimate.md)."""
    with tx(request) as s:
        return estimate.for_registration(s, who, registration_id, now.date(),
                                         port.upper() if port else None)


def _held(s: Session, registration_id: int, now: dt.datetime) -> str | None:
    """The status of the offer or appointment the registration holds now, if any."""
    hold = offers.current_hold(s, registration_id, now)
    return hold.status if hold is not None else None


def _rescreen(request: Request, s: Session, registration_id: int, now: dt.datetime,
              actor: str) -> None:
    """Screen the registration's people again (integrity, handed in by the composition root)."""
    request.app.state.rescreen(s, registration_id, now, actor)


@router.patch("/people/{person_id}", response_model=RegistrationOut)
def correct(request: Request, registration_id: int, person_id: int, data: PersonCorrection,
            who: Applicant, now: Now) -> RegistrationOut:
    """Correct a person's details with the reason (audited, screened again)."""
    with tx(request) as s:
        reg = registrations.get(s, registration_id, who)
        changes.correct(s, reg, person_id, data, _held(s, reg.id, now), who)
        _rescreen(request, s, reg.id, now, who.actor)
        return registrations.to_out(reg)


@router.post("/people", status_code=201, response_model=RegistrationOut)
def add_member(request: Request, response: Response, registration_id: int, data: MemberIn,
               who: Applicant, now: Now) -> RegistrationOut:
    """Add a member (a newborn) up to the policy's group maximum; seniority is kept."""
    with tx(request) as s:
        reg = registrations.get(s, registration_id, who)
        _, policy, since = policy_now(s, now)
        if not policy.active:
            raise Refused(f"The scheme is closed since {since}: no new registrations.")
        changes.add_member(s, reg, data, data.reason, _held(s, reg.id, now), policy, who)
        _rescreen(request, s, reg.id, now, who.actor)
        response.headers["Location"] = f"/registrations/{reg.id}"
        return registrations.to_out(reg)


@router.post("/people/{person_id}/removal", response_model=RegistrationOut,
             responses=errors(409))
def remove_member(request: Request, registration_id: int, person_id: int, data: ReasonIn,
                  who: Applicant, now: Now) -> RegistrationOut:
    """Remove a member who separated (not the lead); seniority is kept."""
    with tx(request) as s:
        reg = registrations.get(s, registration_id, who)
        changes.remove_member(s, reg, person_id, data.reason, _held(s, reg.id, now), who)
        return registrations.to_out(reg)
