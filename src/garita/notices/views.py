"""Notices: the owner's notice (JSON, PDF, QR), the public key set, verify, the DOB check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from garita.deps import Applicant, Now, tx
from garita.errors import DomainError
from garita.notices import core, render, service, signed
from garita.notices.schemas import (
    CheckIn,
    CheckOut,
    KeySet,
    Language,
    NoticeOut,
    VerifyIn,
    VerifyOut,
)
from garita.web.openapi import errors

router = APIRouter(tags=["notices"])


class Unavailable(DomainError):
    status = 503
    title = "Unavailable"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _issued(request: Request, offer_id: int, who, now):
    keys = request.app.state.notice_keys
    with tx(request) as s:
        notice, language = service.for_offer(s, who, offer_id, now, keys)
        return notice, language, service.payload_of(notice, keys)


@router.get("/offers/{offer_id}/notice", response_model=NoticeOut)
def notice(request: Request, offer_id: int, who: Applicant, now: Now) -> NoticeOut:
    """The signed notice of a confirmed offer (issued on first request; the same after)."""
    found, _, payload = _issued(request, offer_id, who, now)
    return service.to_out(found, payload)


@router.get("/offers/{offer_id}/notice.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def notice_pdf(request: Request, offer_id: int, who: Applicant, now: Now,
               language: Annotated[Language | None, Query(description="Default: the "
                                   "registration's preferred language.")] = None) -> Response:
    """The notice as a PAdES-signed PDF with its QR code, in the applicant's language."""
    found, preferred, payload = _issued(request, offer_id, who, now)
    keys = request.app.state.notice_keys
    name = f"notice-{found.confirmation_number}.pdf"
    if keys.pdf_signer is None:
        raise Unavailable("This server holds no PDF signing key; ask for the QR code instead.")
    try:
        body = signed.signed_pdf(payload, found.token, found.kid, language or preferred,
                                 request.app.state.notice_font, keys.pdf_signer)
    except render.FontMissing as exc:
        raise Unavailable(f"{exc}; or ask for language=en, es, ht or pt.") from exc
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/offers/{offer_id}/notice.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def notice_png(request: Request, offer_id: int, who: Applicant, now: Now) -> Response:
    """The notice's QR code, to show on a phone screen."""
    found, _, _ = _issued(request, offer_id, who, now)
    return Response(render.qr_png(found.token), media_type="image/png")


@router.get("/notices/keys.json", response_model=KeySet, response_model_exclude_none=True)
def public_keys(request: Request, response: Response) -> KeySet:
    """The public key set (JWKS-shaped). Old keys stay listed so old notices still verify."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return KeySet.model_validate(request.app.state.notice_keys.jwks())


@router.post("/notices/verify", response_model=VerifyOut, responses=errors(429))
def verify(request: Request, data: VerifyIn, now: Now) -> VerifyOut:
    """Check a token's signature and, when it is valid, the appointment's status now.

    Always 200: an invalid notice is an answer, not an error. ``reason`` is one
    of ok, malformed, unknown_key, bad_signature, bad_payload.
    """
    request.app.state.limits.notice_verify(_client(request))
    verdict = core.verify(data.token, request.app.state.notice_keys.public)
    out = VerifyOut(valid=verdict.valid, reason=verdict.reason, message=verdict.message,
                    kid=verdict.kid)
    if verdict.valid and verdict.payload is not None:
        with tx(request) as s:
            out.live = service.live(s, data.token, verdict.payload, now)
        out.payload = verdict.payload
    return out


@router.post("/notices/check", response_model=CheckOut, responses=errors(429))
def check(request: Request, data: CheckIn, now: Now) -> CheckOut:
    """Confirmation number + any member's date of birth → valid or not, nothing else.

    For checkpoints that must not see a traveller's details (as Mexico's INM
    tool did). Rate-limited per client; every "no" looks the same.
    """
    number = core.normalise_number(data.confirmation_number) or data.confirmation_number.upper()
    request.app.state.limits.notice_check(_client(request), number)
    with tx(request) as s:
        return CheckOut(valid=service.check(s, data.confirmation_number, data.date_of_birth,
                                            now))
