"""What the outbox and the preferences look like outside the package."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Language = Literal["en", "es", "ht", "pt", "ru"]


class Preferences(BaseModel):
    """An applicant's channels and language. Defaults: email and SMS (each only when an
    address or phone is on file), no WhatsApp, the registration's language, no digest."""

    model_config = ConfigDict(extra="forbid")

    email: bool = True
    sms: bool = True
    whatsapp: bool = False
    language: Language | None = None
    digest: bool = False


class OutboxRow(BaseModel):
    id: int
    event_key: str
    template: str
    account_id: int | None
    channel: str
    to_address: str | None
    language: str
    subject: str
    body: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    transport: str | None
    provider_id: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
