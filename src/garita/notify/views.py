"""The applicant's message preferences, phones (verified by a code) and messages; the
admins' outbox (JSON API)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status

from garita.audit import service as audit
from garita.deps import Admin, Applicant, Now, tx
from garita.errors import Invalid
from garita.identity import Principal
from garita.messaging import service as messaging
from garita.messaging.schemas import OutboxRow, Preferences
from garita.notify import phones
from garita.notify.schemas import CodeSent, PhoneCodeIn, PhoneOut
from garita.web.openapi import errors

router = APIRouter(prefix="/messages", tags=["messages"])
Status = Literal["pending", "sent", "failed", "skipped"]


def save_preferences(request: Request, account_id: int, actor: str,
                     prefs: Preferences) -> Preferences:
    """Store and audit an account's choice (the API and the page share it)."""
    with tx(request) as s:
        saved = messaging.set_preferences(s, account_id, prefs)
        audit.record(s, actor=actor, action="messages.preferences", object_type="account",
                     object_id=account_id, change=prefs.model_dump())
    return saved


@router.get("/preferences", response_model=Preferences)
def get_preferences(request: Request, who: Applicant) -> Preferences:
    """Which channels and language your messages use, and whether you get the daily
    "not selected" digest."""
    with tx(request) as s:
        return messaging.preferences(s, who.account_id)


@router.put("/preferences", response_model=Preferences)
def put_preferences(request: Request, data: Preferences, who: Applicant) -> Preferences:
    """Choose channels (email, SMS, WhatsApp), a language (null: each registration's own)
    and the digest. Messages already queued keep the choice they were made with."""
    return save_preferences(request, who.account_id, who.actor, data)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def send_phone_code(request: Request, who: Principal, registration_id: int,
                    now: dt.datetime) -> str:
    """Rate-limited as the email codes are (per address and in all), then queued; the
    phone it goes to. The API and the page share it."""
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        return phones.send_code(s, who, registration_id, now)


def verify_phone(request: Request, who: Principal, registration_id: int, code: str,
                 now: dt.datetime) -> None:
    """Check the code; a wrong one is refused after its try is committed."""
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        ok = phones.verify(s, who, registration_id, code, now)
    if not ok:
        raise Invalid("That code is wrong, used or expired. Check the six digits of the last "
                      "SMS, or ask for a new code (five wrong tries end a code).")


def _phone_out(row: tuple[int, str, dt.datetime | None]) -> PhoneOut:
    return PhoneOut(registration_id=row[0], phone=row[1], verified=row[2] is not None,
                    verified_at=row[2])


@router.get("/phones", response_model=list[PhoneOut])
def list_phones(request: Request, who: Applicant) -> list[PhoneOut]:
    """Your registrations' phones and whether each is verified: only a verified phone
    receives SMS and WhatsApp messages."""
    with tx(request) as s:
        return [_phone_out(r) for r in phones.listing(s, who)]


@router.post("/phones/{registration_id}/code", status_code=status.HTTP_202_ACCEPTED,
             response_model=CodeSent, responses=errors(404, 409, 429))
def phone_code(request: Request, registration_id: int, who: Applicant, now: Now) -> CodeSent:
    """Send a six-digit code by SMS to the registration's phone (at most one a minute;
    it lasts 30 minutes). Enter it at ``/messages/phones/{registration_id}/verify``."""
    phone = send_phone_code(request, who, registration_id, now)
    return CodeSent(message=f"A code is on its way by SMS to {phone}; it lasts "
                            f"{phones.CODE_MINUTES} minutes.")


@router.post("/phones/{registration_id}/verify", response_model=PhoneOut,
             responses={422: {"description": "Wrong, used or expired code."},
                        **errors(404, 429)})
def phone_verify(request: Request, registration_id: int, data: PhoneCodeIn, who: Applicant,
                 now: Now) -> PhoneOut:
    """Confirm the phone with the code of the SMS; from then on SMS and WhatsApp messages
    go to it (audited)."""
    verify_phone(request, who, registration_id, data.code, now)
    with tx(request) as s:
        row = next(r for r in phones.listing(s, who) if r[0] == registration_id)
    return _phone_out(row)


@router.get("/mine", response_model=list[OutboxRow])
def mine(request: Request, who: Applicant,
         limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[OutboxRow]:
    """The messages sent (or waiting) to your account, newest first."""
    with tx(request) as s:
        return messaging.outbox(s, account_id=who.account_id, limit=limit)


@router.get("/outbox", response_model=list[OutboxRow])
def outbox(request: Request, who: Admin, status: Status | None = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[OutboxRow]:
    """Every message, newest first: delivery state, attempts, the last error."""
    with tx(request) as s:
        return messaging.outbox(s, status=status, limit=limit)
