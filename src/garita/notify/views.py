"""The applicant's message preferences and messages; the admins' outbox (JSON API)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from garita.audit import service as audit
from garita.deps import Admin, Applicant, tx
from garita.messaging import service as messaging
from garita.messaging.schemas import OutboxRow, Preferences

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
