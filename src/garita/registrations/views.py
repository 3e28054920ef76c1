"""Registrations: applicants and NGOs see only their own; staff may read any."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from garita.audit import service as audit
from garita.deps import Applicant, Caller, Now, tx
from garita.errors import NotFound
from garita.policy.service import policy_now
from garita.registrations import changes, service
from garita.registrations.schemas import RegistrationIn, RegistrationOut, RegistrationPatch
from garita.registrations.service import APPLICANT_ROLES

router = APIRouter(prefix="/registrations", tags=["registrations"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RegistrationOut)
def register(request: Request, response: Response, data: RegistrationIn, who: Applicant,
             now: Now) -> RegistrationOut:
    """Register one person (no ``members``) or a group: the lead plus up to the policy's
    maximum minus one members. The registration time decides the longest-waiting share."""
    with tx(request) as s:
        _, policy, since = policy_now(s, now)
        out = service.to_out(service.create(s, who, data, policy, since, now))
    response.headers["Location"] = f"/registrations/{out.id}"
    return out


@router.get("/{registration_id}", response_model=RegistrationOut)
def read(request: Request, registration_id: int, who: Caller, now: Now) -> RegistrationOut:
    """The registration's advance information: its owner; staff only as their work needs
    (an officer: appointments at their port around today; a coordinator: riders; an
    analyst: subjects of alerts; an admin: all). A staff read is audited."""
    with tx(request) as s:
        if who.role not in APPLICANT_ROLES:
            refused = request.app.state.may_read(s, who, registration_id, now.date())
            if refused is not None:
                raise NotFound(f"Registration {registration_id} is not one you may see: "
                               f"{refused}.")
        out = service.to_out(service.get(s, registration_id, who))
        audit.record_reads(s, who, "registration.read", "registration", [out.id],
                           "GET /registrations/{id}")
        return out


@router.patch("/{registration_id}", response_model=RegistrationOut)
def edit(request: Request, registration_id: int, patch: RegistrationPatch,
         who: Applicant, now: Now) -> RegistrationOut:
    """Change language, phone, email or the group's U.S. address (audited; the reason, when
    given, kept with the change); the registration is screened again, as after a
    person's correction."""
    with tx(request) as s:
        reg = service.get(s, registration_id, who)
        out = service.to_out(changes.change(s, reg, patch, who))
        request.app.state.rescreen(s, reg.id, now, who.actor)
        return out
